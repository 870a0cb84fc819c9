/**
 * Deleting a connector on the Connectors page: the row shows its owner; Delete
 * asks first; while a flow uses the connector the dialog names it and offers
 * "Delete anyway"; afterwards the connector is gone. Built-in connectors have
 * no Delete button.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  OWNER,
  callApi,
  launchChromium,
  ledgerOpenApi,
  shot,
  signedInPage,
  startDesigner,
  type Designer,
} from './support.js';

let designer: Designer;
let browser: Browser;

beforeAll(async () => {
  designer = await startDesigner();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await designer?.close();
});

it('deletes an imported connector after confirmation, and asks again while a flow uses it', async () => {
  const { context, page } = await signedInPage(browser, designer.url);
  const { url } = designer;
  await callApi(context, url, 'POST', '/api/envs/default/connectors', { openapi: ledgerOpenApi('http://127.0.0.1:9') });
  await callApi(context, url, 'POST', '/api/envs/default/references', {
    logicalName: 'pb_ledger_main',
    displayName: 'Ledger main',
    connectorId: 'ledger',
  });
  await callApi(context, url, 'POST', '/api/envs/default/flows', {
    definition: {
      schema: 'patchbay/flow@1',
      name: 'Balance check',
      steps: [
        {
          connector: 'ledger',
          operation: 'GetBalance',
          connectionReference: 'pb_ledger_main',
          params: { account: 'A' },
        },
      ],
    },
  });

  await page.reload();
  await page.getByRole('tab', { name: 'Connectors' }).click();
  const table = page.getByRole('table', { name: 'Connectors' });
  const byId = (id: string) =>
    table.getByRole('row').filter({ has: page.getByRole('cell', { name: id, exact: true }) });
  const row = byId('ledger');
  await row.getByText(OWNER.email).waitFor();
  const httpRow = byId('http');
  await httpRow.waitFor();
  expect(await httpRow.getByRole('button').count()).toBe(0);

  await row.getByRole('button', { name: 'Delete Ledger' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete connector' });
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  const alert = dialog.getByRole('alert');
  await alert.waitFor();
  expect(await alert.innerText()).toContain('"Balance check"');
  await shot(page, 'connector-delete', '01-refused-while-used');
  await dialog.getByRole('button', { name: 'Delete anyway' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('status').filter({ hasText: 'Deleted connector ledger' }).waitFor();
  await row.waitFor({ state: 'detached' });
  await shot(page, 'connector-delete', '02-deleted');
  const left = await callApi<{ id: string }[]>(context, url, 'GET', '/api/envs/default/connectors');
  expect(left.map((c) => c.id)).not.toContain('ledger');
});
