/**
 * A second action of the same connector picks an existing connection
 * reference through the socket icon ("Connection reference"): with two
 * compatible references nothing is pre-selected, the menu lists both with
 * their connection and status, and the picked one is the one the run uses.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  callApi,
  launchChromium,
  ledgerConnection,
  ledgerOpenApi,
  shot,
  signedInPage,
  startDesigner,
  startService,
  type Designer,
} from './support.js';
import { dragFromLibrary, runFlow, saveFlow } from './editor-steps.js';

let designer: Designer;
let browser: Browser;
const services: Record<string, Awaited<ReturnType<typeof startService>>> = {};

function ledgerService(key: string) {
  return startService((r) => {
    if (r.headers['x-api-key'] !== key) return { status: 401, body: { error: 'bad key' } };
    if (r.method === 'GET') return { status: 200, body: { account: r.path.split('/')[2], balance: 480.25 } };
    return { status: 200, body: { id: 'E-2', ...(r.body as object) } };
  });
}

beforeAll(async () => {
  services.production = await ledgerService('prod-key-1');
  services.sandbox = await ledgerService('sandbox-key-2');
  designer = await startDesigner();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await designer?.close();
  for (const s of Object.values(services)) await s.close();
});

it('picks the existing reference from the socket menu for a second Ledger action, and the run uses it', async () => {
  const { context, page } = await signedInPage(browser, designer.url);
  const { url } = designer;
  await callApi(context, url, 'POST', '/api/envs/default/connectors', {
    openapi: ledgerOpenApi(services.production.url),
  });
  const prod = await ledgerConnection(context, url, {
    name: 'Ledger production',
    key: 'prod-key-1',
    baseUrl: services.production.url,
  });
  const sandbox = await ledgerConnection(context, url, {
    name: 'Ledger sandbox',
    key: 'sandbox-key-2',
    baseUrl: services.sandbox.url,
  });
  await callApi(context, url, 'POST', '/api/envs/default/references', {
    logicalName: 'pb_ledger_books',
    displayName: 'Ledger books',
    connectorId: 'ledger',
    connectionId: prod,
  });
  await callApi(context, url, 'POST', '/api/envs/default/references', {
    logicalName: 'pb_ledger_sandbox',
    displayName: 'Ledger sandbox books',
    connectorId: 'ledger',
    connectionId: sandbox,
  });
  const flow = await callApi<{ id: string }>(context, url, 'POST', '/api/envs/default/flows', {
    definition: {
      schema: 'patchbay/flow@1',
      name: 'Book and check',
      outputs: { Balance: { type: 'object' } },
      steps: [
        {
          connector: 'ledger',
          operation: 'CreateEntry',
          connectionReference: 'pb_ledger_books',
          params: { account: 'ACME-1', memo: 'Desk', amount: 80 },
        },
      ],
    },
  });

  await page.reload();
  await page.getByRole('button', { name: 'Book and check', exact: true }).click();
  const workspace = page.getByRole('listbox', { name: 'Workspace' });
  await workspace.locator('[data-step-path="/steps/0"]').waitFor();

  const actions = page.getByRole('complementary', { name: 'Actions' });
  await actions.getByRole('searchbox', { name: 'Search actions' }).fill('balance');
  const item = actions.getByRole('button', { name: 'Get balance', exact: true });
  await dragFromLibrary(page, item);

  const dialog = page.getByRole('dialog', { name: 'Ledger: Get balance' });
  await dialog.waitFor();
  expect(await page.getByRole('dialog', { name: 'Connection reference needed' }).count()).toBe(0);
  await dialog.getByTestId('chosen-reference').filter({ hasText: 'No connection reference chosen' }).waitFor();
  await dialog.getByRole('button', { name: 'Connection reference' }).click();
  const choices = page.getByRole('menuitemradio');
  await choices.first().waitFor();
  expect(await choices.allInnerTexts()).toEqual([
    'Ledger books — Ledger production (connected)',
    'Ledger sandbox books — Ledger sandbox (connected)',
  ]);
  await page.getByRole('menuitem', { name: 'Add new connection reference' }).waitFor();
  await shot(page, 'second-action', '01-socket-menu');
  await page.getByRole('menuitemradio', { name: 'Ledger books — Ledger production (connected)' }).click();
  await dialog
    .getByTestId('chosen-reference')
    .filter({ hasText: 'Ledger books — Ledger production (connected)' })
    .waitFor();

  await dialog.getByRole('textbox', { name: 'Account' }).fill('ACME-1');
  await dialog.getByRole('textbox', { name: 'Variable name for body' }).fill('Balance');
  await shot(page, 'second-action', '02-dialog');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  expect(await workspace.locator('[data-step-path="/steps/1"]').getAttribute('aria-label')).toBe(
    '2 Ledger: Get balance',
  );
  await saveFlow(page);

  expect(await runFlow(page)).toBe('succeeded');
  await shot(page, 'second-action', '03-run');
  expect(services.production.received.map((r) => `${r.method} ${r.path} ${String(r.headers['x-api-key'])}`)).toEqual([
    'POST /entries?account=ACME-1 prod-key-1',
    'GET /accounts/ACME-1/balance prod-key-1',
  ]);
  expect(services.sandbox.received).toHaveLength(0);
  expect(await page.getByRole('table', { name: 'Run outputs' }).innerText()).toContain('480.25');

  const saved = await callApi<{ definition: { steps: Record<string, unknown>[] } }>(
    context,
    url,
    'GET',
    `/api/flows/${flow.id}`,
  );
  expect(saved.definition.steps[1]).toMatchObject({
    connector: 'ledger',
    operation: 'GetBalance',
    connectionReference: 'pb_ledger_books',
    params: { account: 'ACME-1' },
  });
  await context.close();
}, 90_000);
