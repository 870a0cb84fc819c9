/**
 * An If built in the designer as PAD builds it: first operand, the operator
 * dropdown, second operand and Ignore case; the saved flow holds them and
 * the run takes the branch they choose.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { callApi, launchChromium, shot, signedInPage, startDesigner, type Designer } from './support.js';
import { dragFromLibrary, runFlow, saveFlow } from './editor-steps.js';

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

it('adds an If with an operator and Ignore case, and the run follows it', async () => {
  const { context, page } = await signedInPage(browser, designer.url);
  const { url } = designer;
  const flow = await callApi<{ id: string }>(context, url, 'POST', '/api/envs/default/flows', {
    definition: {
      schema: 'patchbay/flow@1',
      name: 'Condition dialog',
      steps: [{ action: 'Variables.Set', params: { name: 'FileName', value: 'REPORT.CSV' } }],
    },
  });
  await page.reload();
  await page.getByRole('button', { name: 'Condition dialog', exact: true }).click();
  const workspace = page.getByRole('listbox', { name: 'Workspace' });
  await workspace.locator('[data-step-path="/steps/0"]').waitFor();

  const actions = page.getByRole('complementary', { name: 'Actions' });
  await actions.getByRole('searchbox', { name: 'Search actions' }).fill('If');
  await dragFromLibrary(page, actions.getByRole('button', { name: 'If', exact: true }));
  const dialog = page.getByRole('dialog', { name: 'If' });
  await dialog.waitFor();
  await dialog.getByRole('textbox', { name: 'First operand' }).fill('%FileName%');
  await dialog.getByRole('combobox', { name: 'Operator' }).click();
  await page.getByRole('option', { name: 'Ends with' }).click();
  await dialog.getByRole('textbox', { name: 'Second operand' }).fill('.csv');
  await dialog.getByRole('switch', { name: 'Ignore case' }).check();
  await shot(page, 'conditions', '01-if-dialog');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await saveFlow(page);

  const saved = await callApi<{ definition: { steps: Record<string, unknown>[] } }>(
    context,
    url,
    'GET',
    `/api/flows/${flow.id}`,
  );
  expect(saved.definition.steps[1]).toMatchObject({
    action: 'If',
    params: { first: '%FileName%', operator: 'endsWith', second: '.csv', ignoreCase: true },
  });
  expect(await runFlow(page)).toBe('succeeded');
  await context.close();
}, 90_000);
