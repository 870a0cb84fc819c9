/**
 * The designer's "Audit log" page: the owner sees the current environment's
 * security events, widens to all environments, filters by actor and time; a
 * member gets the refusal. The page runs under the server's Content Security
 * Policy without a violation.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { OWNER, callApi, launchChromium, shot, signedInPage, startDesigner, type Designer } from './support.js';

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

it('shows the audit log with filters to the owner, and refuses it to a member', async () => {
  const { url } = designer;
  const { context, page } = await signedInPage(browser, url);
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await callApi(context, url, 'POST', '/api/users', {
    email: 'member@journey.test',
    password: 'member-password-1',
    role: 'member',
  });
  await callApi(context, url, 'POST', '/api/environments', { name: 'dev' });
  for (const env of ['default', 'dev'])
    await callApi(context, url, 'POST', `/api/envs/${env}/references`, {
      logicalName: `${env}_http`,
      displayName: `HTTP (${env})`,
      connectorId: 'http',
    });

  await page.reload();
  await page.getByRole('tab', { name: 'Audit log' }).click();
  const table = page.getByRole('table', { name: 'Audit log entries' });
  await table.waitFor();
  const rows = table.getByRole('row');
  await expect.poll(() => rows.filter({ hasText: 'reference.create' }).count()).toBe(1);
  expect(await rows.filter({ hasText: 'default_http' }).count()).toBe(1);
  expect(await rows.filter({ hasText: 'dev_http' }).count()).toBe(0);
  await shot(page, 'audit-log', '1-current-environment');

  await page.getByRole('checkbox', { name: 'All environments' }).check();
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect.poll(() => rows.filter({ hasText: 'dev_http' }).count()).toBe(1);
  expect(await rows.filter({ hasText: 'signin' }).filter({ hasText: OWNER.email }).count()).toBeGreaterThan(0);

  await page.getByLabel('Actor email').fill('nobody@journey.test');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.getByText('No entries match.').waitFor();
  await page.getByLabel('Actor email').fill(OWNER.email);
  await page.getByLabel('Since').fill('2999-01-01T00:00');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.getByText('No entries match.').waitFor();
  await page.getByLabel('Since').fill('2000-01-01T00:00');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect.poll(() => rows.filter({ hasText: 'reference.create' }).count()).toBe(2);
  await shot(page, 'audit-log', '2-filtered');

  // A member signs in in another browser: the page answers the refusal, no entry.
  const member = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const memberPage = await member.newPage();
  await memberPage.goto(url);
  await memberPage.getByLabel('Email').fill('member@journey.test');
  await memberPage.getByLabel('Password').fill('member-password-1');
  await memberPage.getByRole('button', { name: 'Sign in' }).click();
  await memberPage.getByRole('button', { name: 'Sign out' }).waitFor();
  await memberPage.getByRole('tab', { name: 'Audit log' }).click();
  await expect
    .poll(() => memberPage.getByRole('alert').textContent(), { timeout: 15_000 })
    .toContain('may read the audit log');
  expect(await memberPage.getByRole('table', { name: 'Audit log entries' }).count()).toBe(0);
  await member.close();

  expect(violations).toEqual([]);
  await context.close();
}, 120_000);
