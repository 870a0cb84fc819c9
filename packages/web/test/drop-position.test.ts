/**
 * Dropping library actions at a position: a quick press-move-release (one
 * pointer move, no pause) onto a line inserts before that line, and onto the
 * space after the last line appends; five drops in a row must all land, and a
 * line moved the same way lands before the line it is released on.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
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

/** Press on the item, one move to the target's centre, release: no pauses for the page to catch up. */
async function quickDrop(page: Page, item: Locator, target: Locator): Promise<void> {
  const from = await item.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error('the item or the target is not on screen');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + Math.min(to.height / 2, 12));
  await page.mouse.up();
}

it('drops library actions before the line they are released on, or at the end, every time', async () => {
  const { context, page } = await signedInPage(browser, designer.url);
  const flow = await callApi<{ id: string }>(context, designer.url, 'POST', '/api/envs/default/flows', {
    definition: {
      schema: 'patchbay/flow@1',
      name: 'Positions',
      steps: ['First', 'Second', 'Third'].map((v) => ({ action: 'Variables.Set', params: { name: v, value: v } })),
    },
  });
  await page.reload();
  await page.getByRole('button', { name: 'Positions', exact: true }).click();
  const workspace = page.getByRole('listbox', { name: 'Workspace' });
  await workspace.locator('[data-step-path="/steps/2"]').waitFor();
  const actions = page.getByRole('complementary', { name: 'Actions' });
  await actions.getByRole('searchbox', { name: 'Search actions' }).fill('set variable');
  const item = actions.getByRole('button', { name: 'Set variable', exact: true });
  await item.waitFor();

  const drops: { target: string; name: string }[] = [
    { target: '[data-step-path="/steps/1"]', name: 'BeforeSecond' },
    { target: '[data-step-path="/steps/0"]', name: 'AtTop' },
    { target: '[data-drop="end"]', name: 'AtEnd' },
    { target: '[data-step-path="/steps/3"]', name: 'BeforeThird' },
    { target: '[data-drop="end"]', name: 'Last' },
  ];
  for (const d of drops) {
    await quickDrop(page, item, workspace.locator(d.target));
    const dialog = page.getByRole('dialog', { name: 'Set variable' });
    await dialog.waitFor({ timeout: 5000 });
    await dialog.getByRole('textbox', { name: 'Variable', exact: true }).fill(d.name);
    await dialog.getByRole('textbox', { name: 'Value', exact: true }).fill('x');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
  }
  await workspace.locator('[data-step-path="/steps/7"]').waitFor();
  await shot(page, 'drop-position', '01-after-drops');
  expect(await workspace.locator('[data-step-path]').count()).toBe(8);
  const texts = await workspace.locator('[data-step-path]').allInnerTexts();
  const order = ['AtTop', 'First', 'BeforeSecond', 'BeforeThird', 'Second', 'Third', 'AtEnd', 'Last'];
  expect(texts.map((t) => /name: (\w+)/.exec(t)?.[1])).toEqual(order);

  // A workspace line dragged the same quick way moves before the line it is released on.
  await quickDrop(
    page,
    workspace.locator('[data-step-path="/steps/7"]'),
    workspace.locator('[data-step-path="/steps/1"]'),
  );
  order.splice(1, 0, ...order.splice(7, 1));
  await expect
    .poll(async () =>
      (await workspace.locator('[data-step-path]').allInnerTexts()).map((t) => /name: (\w+)/.exec(t)?.[1]),
    )
    .toEqual(order);
  // dnd-kit swallows clicks for 50 ms after a drag ends (so the release is not also a click); a person's next
  // click comes later than that, a test driver's may not.
  await page.waitForTimeout(100);
  await saveFlow(page);
  const saved = await callApi<{ definition: { steps: { params: { name: string } }[] } }>(
    context,
    designer.url,
    'GET',
    `/api/flows/${flow.id}`,
  );
  expect(saved.definition.steps.map((st) => st.params.name)).toEqual(order);
  await context.close();
}, 90_000);
