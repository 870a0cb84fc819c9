/**
 * The Flows page shows flows made elsewhere (another tab here, a colleague,
 * the CLI) when the window regains focus or the page is shown again, without
 * a reload.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { callApi, launchChromium, signedInPage, startDesigner, type Designer } from './support.js';
import { createFlow } from './editor-steps.js';

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

it('lists a flow created in another tab when the window regains focus, and one created meanwhile when the Flows tab is shown again', async () => {
  const { context, page } = await signedInPage(browser, designer.url);
  const flows = page.getByRole('table', { name: 'Flows' });
  await flows.waitFor();
  expect(await flows.getByRole('button', { name: 'Edit Made in another tab' }).count()).toBe(0);

  const other = await context.newPage();
  await other.goto(designer.url);
  await createFlow(other, 'Made in another tab');
  await other.close();

  // Coming back to the window (the browser fires focus): the list is read again.
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await flows.getByRole('button', { name: 'Edit Made in another tab' }).waitFor();

  // Made while another page of the designer is shown: there on coming back to Flows.
  await page.getByRole('tab', { name: 'Connections' }).click();
  await page.getByRole('table', { name: 'Connections' }).waitFor();
  await callApi(context, designer.url, 'POST', '/api/envs/default/flows', {
    definition: { schema: 'patchbay/flow@1', name: 'Made through the API', steps: [] },
  });
  await page.getByRole('tab', { name: 'Flows' }).click();
  await flows.getByRole('button', { name: 'Edit Made through the API' }).waitFor();
  await context.close();
}, 60_000);
