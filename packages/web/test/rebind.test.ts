/**
 * Rebinding a reference on the "Connection references" page: the page shows
 * the bound connection and the flows that use the reference; after "Rebind"
 * to another connection, the next run of the unchanged flow goes to the
 * other connection's service with its key.
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
import { runFlow } from './editor-steps.js';

let designer: Designer;
let browser: Browser;
const services: Record<string, Awaited<ReturnType<typeof startService>>> = {};

function ledgerService(key: string, balance: number) {
  return startService((r) =>
    r.headers['x-api-key'] === key
      ? { status: 200, body: { account: r.path.split('/')[2], balance } }
      : { status: 401, body: { error: 'bad key' } },
  );
}

beforeAll(async () => {
  services.first = await ledgerService('first-key-1', 100);
  services.second = await ledgerService('second-key-2', 200);
  designer = await startDesigner();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await designer?.close();
  for (const s of Object.values(services)) await s.close();
});

it('rebinds a reference to another connection, and the next run goes to the other service without a flow edit', async () => {
  const { context, page } = await signedInPage(browser, designer.url);
  const { url } = designer;
  await callApi(context, url, 'POST', '/api/envs/default/connectors', { openapi: ledgerOpenApi(services.first.url) });
  const first = await ledgerConnection(context, url, {
    name: 'Ledger EU',
    key: 'first-key-1',
    baseUrl: services.first.url,
  });
  await ledgerConnection(context, url, { name: 'Ledger US', key: 'second-key-2', baseUrl: services.second.url });
  await callApi(context, url, 'POST', '/api/envs/default/references', {
    logicalName: 'pb_ledger_main',
    displayName: 'Ledger main',
    connectorId: 'ledger',
    connectionId: first,
  });
  const flow = await callApi<{ id: string; version: number }>(context, url, 'POST', '/api/envs/default/flows', {
    definition: {
      schema: 'patchbay/flow@1',
      name: 'Balance check',
      outputs: { Balance: { type: 'object' } },
      steps: [
        {
          connector: 'ledger',
          operation: 'GetBalance',
          connectionReference: 'pb_ledger_main',
          params: { account: 'ACME-9' },
          produces: { body: 'Balance' },
        },
      ],
    },
  });

  await page.reload();
  await page.getByRole('button', { name: 'Balance check', exact: true }).click();
  expect(await runFlow(page)).toBe('succeeded');
  expect(await page.getByRole('table', { name: 'Run outputs' }).innerText()).toContain('100');
  expect(services.first.received.map((r) => String(r.headers['x-api-key']))).toEqual(['first-key-1']);

  await page.getByRole('tab', { name: 'Connection references' }).click();
  const table = page.getByRole('table', { name: 'Connection references' });
  const row = table.getByRole('row').filter({ hasText: 'pb_ledger_main' });
  await row.waitFor();
  await row.getByText('Ledger EU').waitFor();
  await row.getByRole('button', { name: 'Balance check' }).waitFor();
  await shot(page, 'rebind', '01-references');

  await row.getByRole('button', { name: 'Rebind Ledger main' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rebind Ledger main' });
  await dialog.getByRole('combobox', { name: 'Connection' }).click();
  await page.getByRole('option', { name: /^Ledger US/ }).click();
  await shot(page, 'rebind', '02-rebind-dialog');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await row.getByText('Ledger US').waitFor();
  expect(await row.innerText()).not.toContain('Ledger EU');
  await shot(page, 'rebind', '03-rebound');

  await row.getByRole('button', { name: 'Balance check' }).click();
  await page.getByRole('listbox', { name: 'Workspace' }).locator('[data-step-path="/steps/0"]').waitFor();
  expect(await runFlow(page)).toBe('succeeded');
  await shot(page, 'rebind', '04-run-after-rebind');
  expect(await page.getByRole('table', { name: 'Run outputs' }).innerText()).toContain('200');
  expect(services.second.received.map((r) => `${r.path} ${String(r.headers['x-api-key'])}`)).toEqual([
    '/accounts/ACME-9/balance second-key-2',
  ]);
  expect(services.first.received).toHaveLength(1);
  // The flow itself was not edited.
  expect((await callApi<{ version: number }>(context, url, 'GET', `/api/flows/${flow.id}`)).version).toBe(flow.version);
  await context.close();
}, 90_000);
