/**
 * Data-loss-prevention policies in the designer: the Policies page lists the
 * policies and each connector's group, and the flow editor flags the step that
 * violates a policy on its line.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { callApi, launchChromium, signedInPage, startDesigner, type Designer } from './support.js';

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

it('lists policies and connector groups, and flags the violating step in the editor', async () => {
  const { context, page } = await signedInPage(browser, designer.url);
  const flow = await callApi<{ id: string }>(context, designer.url, 'POST', '/api/envs/default/flows', {
    definition: {
      schema: 'patchbay/flow@1',
      name: 'Shell work',
      steps: [
        { action: 'Variables.Set', params: { name: 'X', value: 1 } },
        { action: 'System.RunCommand', params: { command: 'echo hi' } },
      ],
    },
  });
  const applied = await callApi<{ suspended: { id: string }[] }>(context, designer.url, 'POST', '/api/policies', {
    name: 'NoHost',
    environments: ['*'],
    connectors: { blocked: ['rss'], business: ['http'] },
    desktopActions: { blockedModules: ['System'] },
  });
  expect(applied.suspended.map((f) => f.id)).toEqual([flow.id]);

  await page.getByRole('tab', { name: 'Policies' }).click();
  const policies = page.getByRole('table', { name: 'Policies' });
  await policies.getByRole('cell', { name: 'NoHost' }).waitFor();
  expect(await policies.getByRole('cell', { name: 'System' }).count()).toBe(1);
  const groups = page.getByRole('table', { name: 'Connector groups' });
  await groups.getByLabel('rss in NoHost: Blocked').waitFor();
  await groups.getByLabel('http in NoHost: Business').waitFor();
  expect(await groups.getByLabel('github in NoHost: Non-business').count()).toBe(1);

  await page.goto(`${designer.url}/#/flows/${flow.id}`);
  const flag = page.getByRole('img', { name: /^Policy violation: Step \/steps\/1 uses System\.RunCommand/ });
  await flag.waitFor();
  const line = page.locator('[data-step-path="/steps/1"]');
  expect(await line.getByRole('img', { name: /^Policy violation:/ }).count()).toBe(1);
  expect(
    await page
      .locator('[data-step-path="/steps/0"]')
      .getByRole('img', { name: /^Policy violation:/ })
      .count(),
  ).toBe(0);
  await page.getByText('This flow violates data-loss-prevention policies').waitFor();
  await context.close();
}, 120_000);
