/**
 * A run that fails: the service refuses the connection's key. The run view
 * says "failed", the step's line shows the error and its status, the run
 * history lists the run with its steps, and the key shows up nowhere.
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

const WRONG_KEY = 'revoked-key-0b9d44';
let designer: Designer;
let browser: Browser;
let ledger: Awaited<ReturnType<typeof startService>>;

beforeAll(async () => {
  ledger = await startService(() => ({
    status: 401,
    body: { error: 'invalid_api_key', message: 'The API key was revoked.' },
  }));
  designer = await startDesigner();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await designer?.close();
  await ledger?.close();
});

it('shows a refused call as a failed run, on the step line and in the run history, without the key', async () => {
  const { context, page } = await signedInPage(browser, designer.url);
  const { url } = designer;
  await callApi(context, url, 'POST', '/api/envs/default/connectors', { openapi: ledgerOpenApi(ledger.url) });
  const conn = await ledgerConnection(context, url, { name: 'Ledger old key', key: WRONG_KEY, baseUrl: ledger.url });
  await callApi(context, url, 'POST', '/api/envs/default/references', {
    logicalName: 'pb_ledger_old',
    displayName: 'Ledger old',
    connectorId: 'ledger',
    connectionId: conn,
  });
  await callApi(context, url, 'POST', '/api/envs/default/flows', {
    definition: {
      schema: 'patchbay/flow@1',
      name: 'Refused call',
      steps: [
        { action: 'Variables.Set', params: { name: 'Before', value: 'ok' } },
        {
          connector: 'ledger',
          operation: 'GetBalance',
          connectionReference: 'pb_ledger_old',
          params: { account: 'ACME-1' },
        },
        { action: 'Variables.Set', params: { name: 'After', value: 'never' } },
      ],
    },
  });
  await page.reload();
  await page.getByRole('button', { name: 'Refused call', exact: true }).click();
  const workspace = page.getByRole('listbox', { name: 'Workspace' });
  await workspace.locator('[data-step-path="/steps/2"]').waitFor();

  expect(await runFlow(page)).toBe('failed');
  await shot(page, 'failed-run', '01-failed');
  expect(ledger.received).toHaveLength(1);
  expect(await workspace.locator('[data-step-path="/steps/0"]').getAttribute('data-status')).toBe('succeeded');
  const failed = workspace.locator('[data-step-path="/steps/1"]');
  expect(await failed.getAttribute('data-status')).toBe('failed');
  expect(await failed.innerText()).toMatch(/401/);
  expect(await workspace.locator('[data-step-path="/steps/2"]').getAttribute('data-status')).toBeNull();
  const run = page.getByRole('region', { name: 'Run' });
  expect(await run.innerText()).toMatch(/401/);

  const history = page.getByRole('table', { name: 'Run history' });
  await history
    .getByRole('button', { name: /^Show steps of run / })
    .first()
    .click();
  const steps = page.getByRole('table', { name: 'Run steps' });
  await steps.waitFor();
  expect(await steps.innerText()).toMatch(/\/steps\/1[\s\S]*failed/);
  await shot(page, 'failed-run', '02-history');
  expect(await page.content()).not.toContain(WRONG_KEY);
  await context.close();
}, 90_000);
