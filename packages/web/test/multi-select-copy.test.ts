/**
 * A Power Automate for desktop user selects several actions (Shift+click for
 * a range, Ctrl+click to add one) and copies them with Ctrl+C: the clipboard
 * holds Robin for PAD and Patchbay's own steps for the whole selection, in
 * order, a selected block with its body. Ctrl+V inserts them all after the
 * last selected step, and one Undo takes the paste back; Delete removes the
 * whole selection, and one Undo brings it back.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { callApi, launchChromium, shot, signedInPage, startDesigner, type Designer } from './support.js';
import { saveFlow } from './editor-steps.js';

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

const set = (name: string, value: string) => ({ action: 'Variables.Set', params: { name, value } });
const IF_BLOCK = { action: 'If', params: { condition: '%A = 1%' }, then: [set('B', '%2%')] };

it('copies, pastes and deletes several selected steps as one', async () => {
  const { context, page } = await signedInPage(browser, designer.url);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: designer.url });
  const flow = await callApi<{ id: string }>(context, designer.url, 'POST', '/api/envs/default/flows', {
    definition: {
      schema: 'patchbay/flow@1',
      name: 'Several at once',
      steps: [set('A', '%1%'), IF_BLOCK, set('C', '%3%'), set('D', '%4%')],
    },
  });
  await page.reload();
  await page.getByRole('button', { name: 'Several at once', exact: true }).click();
  const workspace = page.getByRole('listbox', { name: 'Workspace' });
  const row = (path: string) => workspace.locator(`[data-step-path="${path}"]`);
  const selectedPaths = () =>
    workspace
      .locator('[aria-selected="true"]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-step-path')));
  const clipboardText = () => page.evaluate(() => navigator.clipboard.readText());
  expect(await workspace.getAttribute('aria-multiselectable')).toBe('true');

  // Ctrl+click adds a step to the selection; Copy writes both, in workspace order.
  await row('/steps/2').click();
  await row('/steps/0').click({ modifiers: ['Control'] });
  expect(await selectedPaths()).toEqual(['/steps/0', '/steps/2']);
  await page.keyboard.press('Control+C');
  expect(await clipboardText()).toBe('SET A TO 1\nSET C TO 3\n');

  // Ctrl+A selects every line; Copy takes the top-level steps, each block whole.
  await page.keyboard.press('Control+A');
  expect(await selectedPaths()).toEqual(['/steps/0', '/steps/1', '/steps/1/then/0', '/steps/2', '/steps/3']);
  await page.keyboard.press('Control+C');
  expect(await clipboardText()).toBe('SET A TO 1\nIF A = 1 THEN\n    SET B TO 2\nEND\nSET C TO 3\nSET D TO 4\n');

  // Shift+click selects the range from the last clicked line, the If's body included.
  await row('/steps/2').click();
  await row('/steps/1').click({ modifiers: ['Shift'] });
  expect(await selectedPaths()).toEqual(['/steps/1', '/steps/1/then/0', '/steps/2']);
  await shot(page, 'multi-select-copy', '01-range-selected');
  // Shift+Up and Shift+Down move the end of the range from the keyboard.
  await page.keyboard.press('Shift+ArrowDown');
  expect(await selectedPaths()).toEqual(['/steps/1/then/0', '/steps/2']);
  await page.keyboard.press('Shift+ArrowUp');
  expect(await selectedPaths()).toEqual(['/steps/1', '/steps/1/then/0', '/steps/2']);
  await page.keyboard.press('Control+C');
  expect(await clipboardText()).toBe('IF A = 1 THEN\n    SET B TO 2\nEND\nSET C TO 3\n');

  // Ctrl+V after the last step: Patchbay's own format, so "%3%" stays "%3%" (Robin would give the number 3).
  await row('/steps/3').click();
  await page.keyboard.press('Control+V');
  await row('/steps/5').waitFor();
  expect(await row('/steps/4').getAttribute('aria-label')).toBe('7 If');
  expect(await row('/steps/5').getAttribute('aria-label')).toBe('10 Set variable');
  // One Undo takes the whole paste back.
  await page.keyboard.press('Control+Z');
  await row('/steps/4').waitFor({ state: 'detached' });
  expect(await workspace.locator('[data-step-path]').count()).toBe(5);
  await page.keyboard.press('Control+Y');
  await row('/steps/5').waitFor();

  // Robin from PAD pastes after the last selected step of a selection too.
  await page.evaluate(() => navigator.clipboard.writeText('SET E TO 5\nSET F TO 6\n'));
  await row('/steps/0').click();
  await row('/steps/2').click({ modifiers: ['Control'] });
  await page.keyboard.press('Control+V');
  await row('/steps/7').waitFor();
  expect(await row('/steps/3').getAttribute('aria-label')).toBe('6 Set variable');

  // Delete removes the whole selection (the context menu's Delete too), and one Undo brings it back.
  await row('/steps/3').click();
  await row('/steps/4').click({ modifiers: ['Shift'] });
  await page.keyboard.press('Delete');
  await row('/steps/6').waitFor({ state: 'detached' });
  await page.keyboard.press('Control+Z');
  await row('/steps/7').waitFor();
  await row('/steps/5').click();
  await row('/steps/7').click({ modifiers: ['Shift'] });
  await row('/steps/6').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await row('/steps/5').waitFor({ state: 'detached' });
  await shot(page, 'multi-select-copy', '02-after-delete');

  await saveFlow(page);
  const saved = await callApi<{ definition: { steps: Record<string, unknown>[] } }>(
    context,
    designer.url,
    'GET',
    `/api/flows/${encodeURIComponent(flow.id)}`,
  );
  expect(saved.definition.steps).toEqual([
    set('A', '%1%'),
    IF_BLOCK,
    set('C', '%3%'),
    { action: 'Variables.Set', params: { name: 'E', value: 5 } },
    { action: 'Variables.Set', params: { name: 'F', value: 6 } },
  ]);
});
