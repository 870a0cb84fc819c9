/**
 * A Power Automate for desktop user pastes Robin copied from PAD into the
 * workspace (Ctrl+V): the actions appear after the selected one, an action
 * Patchbay lacks is kept disabled with its Robin text and flagged, and text
 * that is not Robin is refused with its line and column. Copy puts Robin on
 * the clipboard for PAD and Patchbay's own steps for Patchbay.
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

const FROM_PAD = `SET Total TO 0
LOOP FOREACH Amount IN [5, 7, 30]
    SET Total TO Total + Amount
END
Excel.LaunchExcel.LaunchUnderExistingProcess Visible: True Instance=> ExcelInstance

# [ControlRepository][PowerAutomateDesktop]

{
  "ControlRepositorySymbols": [],
  "ConnectionReferences": []
}
`;

it('pastes Robin from Power Automate for desktop, and copies steps as Robin and as Patchbay steps', async () => {
  const { context, page } = await signedInPage(browser, designer.url);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: designer.url });
  const flow = await callApi<{ id: string }>(context, designer.url, 'POST', '/api/envs/default/flows', {
    definition: {
      schema: 'patchbay/flow@1',
      name: 'Pasted from PAD',
      outputs: { Total: { type: 'number' } },
      steps: [{ action: 'Variables.Set', params: { name: 'Start', value: '%1%' } }],
    },
  });
  await page.reload();
  await page.getByRole('button', { name: 'Pasted from PAD', exact: true }).click();
  const workspace = page.getByRole('listbox', { name: 'Workspace' });
  const row = (path: string) => workspace.locator(`[data-step-path="${path}"]`);
  await row('/steps/0').click();

  await page.evaluate((text) => navigator.clipboard.writeText(text), FROM_PAD);
  await page.keyboard.press('Control+V');
  await row('/steps/3').waitFor();
  expect(await row('/steps/1').getAttribute('aria-label')).toBe('2 Set variable');
  expect(await row('/steps/2').getAttribute('aria-label')).toBe('3 For each');
  const kept = row('/steps/3');
  expect(await kept.getAttribute('aria-label')).toBe('6 Power Automate for desktop action');
  expect(await kept.getAttribute('aria-disabled')).toBe('true');
  await kept.getByRole('img', { name: 'Not available in Patchbay: kept as Robin text' }).waitFor();
  await page
    .getByRole('status', { name: 'Paste result' })
    .filter({ hasText: 'Excel.LaunchExcel.LaunchUnderExistingProcess (line 5)' })
    .waitFor();
  await shot(page, 'robin-paste', '01-pasted');

  // Copy: Robin for PAD on the clipboard's text.
  await row('/steps/0').click();
  await page.keyboard.press('Control+C');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('SET Start TO 1\n');
  // Pasting it back in Patchbay takes Patchbay's own format: the step comes back exactly ("%1%", not 1).
  await row('/steps/3').click({ force: true }); // a disabled step can still be selected
  await page.keyboard.press('Control+V');
  await row('/steps/4').waitFor();

  // Text that is not Robin is refused with its place; nothing is pasted.
  await page.evaluate(() => navigator.clipboard.writeText('SET A TO 1\n// not Robin\n'));
  await row('/steps/0').click();
  await page.keyboard.press('Control+V');
  await page.getByRole('alert').filter({ hasText: 'Robin line 2, column 1' }).waitFor();
  expect(await workspace.locator('[data-step-path]').count()).toBe(6); // five steps and the one inside For each
  await shot(page, 'robin-paste', '02-refused');

  await saveFlow(page);
  const saved = await callApi<{ definition: { steps: Record<string, unknown>[] } }>(
    context,
    designer.url,
    'GET',
    `/api/flows/${encodeURIComponent(flow.id)}`,
  );
  expect(saved.definition.steps).toEqual([
    { action: 'Variables.Set', params: { name: 'Start', value: '%1%' } },
    { action: 'Variables.Set', params: { name: 'Total', value: 0 } },
    {
      action: 'Loop.ForEach',
      params: { items: '%[5, 7, 30]%' },
      produces: { item: 'Amount' },
      do: [{ action: 'Variables.Set', params: { name: 'Total', value: '%Total + Amount%' } }],
    },
    {
      action: 'Robin.Unsupported',
      params: { text: 'Excel.LaunchExcel.LaunchUnderExistingProcess Visible: True Instance=> ExcelInstance' },
      disabled: true,
    },
    { action: 'Variables.Set', params: { name: 'Start', value: '%1%' } },
  ]);
});
