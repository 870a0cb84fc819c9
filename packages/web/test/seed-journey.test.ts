/**
 * The seed's journey, in a real browser from an empty store: import a
 * connector, create a flow, search the action library, drag a connector
 * operation onto the workspace, get the "Connection reference needed"
 * prompt, add a reference with a new API-key connection, fill the action's
 * parameters, save, run, and see the call reach a local service with the key
 * and the output appear in the run view.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  callApi,
  launchChromium,
  ledgerOpenApi,
  shot,
  signedInPage,
  startDesigner,
  startService,
  type Designer,
} from './support.js';
import { addOutputVariable, createFlow, dragFromLibrary, runFlow, saveFlow } from './editor-steps.js';

const KEY = 'ledger-key-7f3a91c2';
let designer: Designer;
let browser: Browser;
let ledger: Awaited<ReturnType<typeof startService>>;

beforeAll(async () => {
  ledger = await startService((r) => {
    if (r.headers['x-api-key'] !== KEY) return { status: 401, body: { error: 'bad key' } };
    const body = r.body as { memo?: string; amount?: number };
    return {
      status: 200,
      body: {
        id: 'E-1001',
        account: new URL(r.path, 'http://x').searchParams.get('account'),
        memo: body.memo,
        amount: body.amount,
      },
    };
  });
  designer = await startDesigner();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await designer?.close();
  await ledger?.close();
});

it('imports a connector, adds its action with a new reference and API-key connection, runs it, and shows the output', async () => {
  const { context, page } = await signedInPage(browser, designer.url);
  await page.getByRole('tab', { name: 'Connectors' }).click();
  await page.getByRole('button', { name: 'Import connector' }).click();
  const importer = page.getByRole('dialog', { name: 'Import connector' });
  await importer.getByRole('radio', { name: 'OpenAPI file' }).check();
  const file = importer.getByLabel('OpenAPI file (JSON or YAML)');
  // A broken file: the dialog names where it is broken.
  await file.setInputFiles({
    name: 'ledger.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{\n  "openapi": "3.0.3",\n  "info": { "title": "Ledger" }\n  "paths": {}\n}'),
  });
  await importer.getByRole('button', { name: 'Import' }).click();
  await expect.poll(() => importer.getByRole('alert').innerText()).toContain('ledger.json, line 4, column 3');
  await shot(page, 'seed', '00-import-error');
  await file.setInputFiles({
    name: 'ledger.json',
    mimeType: 'application/json',
    buffer: Buffer.from(ledgerOpenApi(ledger.url)),
  });
  await importer.getByRole('button', { name: 'Import' }).click();
  await importer.waitFor({ state: 'detached' });
  const connectors = page.getByRole('table', { name: 'Connectors' });
  const ledgerRow = connectors.getByRole('row').filter({ hasText: 'Ledger' });
  await ledgerRow.waitFor();
  expect(await ledgerRow.innerText()).toMatch(/Ledger\s+ledger\s+2\s+.*Imported/s);
  await page.getByRole('tab', { name: 'Flows' }).click();

  await createFlow(page, 'Book an entry');
  await addOutputVariable(page, 'Entry', 'object');
  await shot(page, 'seed', '01-new-flow');

  const actions = page.getByRole('complementary', { name: 'Actions' });
  await actions.getByRole('searchbox', { name: 'Search actions' }).fill('create ent');
  const item = actions.getByRole('button', { name: 'Create entry', exact: true });
  await item.waitFor();
  expect(await actions.locator('[data-library-item]').count()).toBe(1);
  await shot(page, 'seed', '02-search');

  await dragFromLibrary(page, item);
  const prompt = page.getByRole('dialog', { name: 'Connection reference needed' });
  await prompt.waitFor();
  await shot(page, 'seed', '03-prompt');
  await prompt.getByRole('button', { name: 'Add new connection reference' }).click();

  const addRef = page.getByRole('dialog', { name: 'Add new connection reference' });
  await addRef.waitFor();
  await addRef.getByRole('textbox', { name: 'Display name' }).fill('Ledger (bookkeeping)');
  await addRef.getByRole('textbox', { name: 'Connection name' }).fill('Ledger production');
  await addRef.getByLabel('API key').fill(KEY);
  await shot(page, 'seed', '04-new-reference');
  await addRef.getByRole('button', { name: 'Create' }).click();
  await addRef.waitFor({ state: 'detached' });

  const dialog = page.getByRole('dialog', { name: 'Ledger: Create entry' });
  await dialog.waitFor();
  await dialog.getByText('Ledger (bookkeeping) — Ledger production (connected)').waitFor();
  await dialog.getByRole('textbox', { name: 'Account' }).fill('ACME-1');
  await dialog.getByRole('textbox', { name: 'Memo' }).fill('Office chairs');
  await dialog.getByRole('textbox', { name: 'Amount' }).fill('125.5');
  await dialog.getByRole('textbox', { name: 'Variable name for body' }).fill('Entry');
  await shot(page, 'seed', '05-action-dialog');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });

  const row = page.getByRole('listbox', { name: 'Workspace' }).locator('[data-step-path="/steps/0"]');
  expect(await row.getAttribute('aria-label')).toBe('1 Ledger: Create entry');
  await saveFlow(page);
  await shot(page, 'seed', '06-saved');

  const status = await runFlow(page);
  await shot(page, 'seed', '07-run');
  expect(status).toBe('succeeded');
  expect(ledger.received).toHaveLength(1);
  const call = ledger.received[0];
  expect(call.method).toBe('POST');
  expect(call.path).toBe('/entries?account=ACME-1');
  expect(call.headers['x-api-key']).toBe(KEY);
  expect(call.body).toEqual({ memo: 'Office chairs', amount: 125.5 });

  const outputs = page.getByRole('table', { name: 'Run outputs' });
  await outputs.waitFor();
  const text = await outputs.innerText();
  expect(text).toContain('Entry');
  expect(text).toContain('E-1001');
  expect(await row.getAttribute('data-status')).toBe('succeeded');
  expect(await row.getByLabel('Status: succeeded').innerText()).toMatch(/^succeeded · \d+(\.\d)? (ms|s)$/);

  // The key never came back to the browser.
  expect(await page.content()).not.toContain(KEY);
  const flow = await callApi<{ definition: { steps: Record<string, unknown>[] } }>(
    context,
    designer.url,
    'GET',
    `/api/flows/${encodeURIComponent(page.url().split('/').pop() ?? '')}`,
  );
  expect(flow.definition.steps[0]).toMatchObject({
    connector: 'ledger',
    operation: 'CreateEntry',
    params: { account: 'ACME-1', memo: 'Office chairs', amount: 125.5 },
    produces: { body: 'Entry' },
  });
  expect(JSON.stringify(flow)).not.toContain(KEY);
  await context.close();
}, 90_000);
