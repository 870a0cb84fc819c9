/**
 * After a run, the Variables pane shows each flow variable's final value, as
 * PAD's does: text as it is, a data table as its columns and rows, a
 * sensitive input as ***; a new run replaces them.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { callApi, launchChromium, shot, signedInPage, startDesigner, type Designer } from './support.js';
import { runFlow } from './editor-steps.js';

const SECRET = 'canary-pane-secret-4e2b';
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

it("shows the last run's final values of the flow variables in the Variables pane", async () => {
  const { context, page } = await signedInPage(browser, designer.url);
  const { url } = designer;
  await callApi(context, url, 'POST', '/api/envs/default/flows', {
    definition: {
      schema: 'patchbay/flow@1',
      name: 'Final values',
      variables: { Token: { type: 'text', sensitive: true, default: SECRET } },
      steps: [
        { action: 'Variables.Set', params: { name: 'Greeting', value: 'Hello Ada' } },
        { action: 'Variables.Set', params: { name: 'People', value: "%{ ^['Name', 'Age'], ['Ada', 36] }%" } },
        { action: 'Variables.Set', params: { name: 'Copy', value: '%Token%' } },
      ],
    },
  });
  await page.reload();
  await page.getByRole('button', { name: 'Final values', exact: true }).click();
  await page.getByRole('listbox', { name: 'Workspace' }).waitFor();
  const pane = page.getByRole('complementary', { name: 'Variables' });
  expect(await pane.getByLabel('Last value of Greeting').count()).toBe(0);

  expect(await runFlow(page)).toBe('succeeded');
  const greeting = pane.getByLabel('Last value of Greeting');
  await greeting.waitFor();
  expect(await greeting.innerText()).toBe('Hello Ada');
  expect(await pane.getByLabel('Last value of People').innerText()).toBe(
    '{"columns":["Name","Age"],"rows":[["Ada",36]]}',
  );
  await shot(page, 'variable-values', '01-after-run');
  expect(await pane.innerText()).not.toContain(SECRET);
  expect(await page.content()).not.toContain(SECRET);
  await context.close();
}, 90_000);
