/**
 * The designer's "Roles" page: the owner grants a member the maker role in a
 * new environment, sees it listed, removes it again; a member who is not an
 * admin there gets the refusal. No Content Security Policy violation.
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

it('grants and removes a role in the current environment, and refuses the page to a non-admin', async () => {
  const { url } = designer;
  const { context, page } = await signedInPage(browser, url);
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await callApi(context, url, 'POST', '/api/users', {
    email: 'maker@roles.test',
    password: 'maker-password-1',
    role: 'member',
  });

  await page.reload();
  await page.getByRole('tab', { name: 'Roles' }).click();
  const table = page.getByRole('table', { name: 'Environment roles' });
  await table.waitFor();
  await expect.poll(() => table.getByRole('row').filter({ hasText: OWNER.email }).count()).toBe(1);
  await page.getByText('Every other signed-in user has the role Environment maker here.').waitFor();

  await page.getByLabel('User email').fill('maker@roles.test');
  await page.getByLabel('Role', { exact: true }).selectOption('user');
  await page.getByRole('button', { name: 'Grant role' }).click();
  const row = table.getByRole('row').filter({ hasText: 'maker@roles.test' });
  await expect.poll(() => row.getAttribute('data-role')).toBe('user');
  await shot(page, 'roles', '1-granted');

  // The member, now a basic user in default, may not manage roles.
  const member = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const memberPage = await member.newPage();
  await memberPage.goto(url);
  await memberPage.getByLabel('Email').fill('maker@roles.test');
  await memberPage.getByLabel('Password').fill('maker-password-1');
  await memberPage.getByRole('button', { name: 'Sign in' }).click();
  await memberPage.getByRole('button', { name: 'Sign out' }).waitFor();
  await memberPage.getByRole('tab', { name: 'Roles' }).click();
  await expect
    .poll(() => memberPage.getByRole('alert').textContent(), { timeout: 15_000 })
    .toContain('may list its roles');
  expect(await memberPage.getByRole('table', { name: 'Environment roles' }).count()).toBe(0);
  await member.close();

  await page.getByRole('button', { name: 'Remove role of maker@roles.test' }).click();
  await page.getByRole('dialog', { name: 'Remove role' }).getByRole('button', { name: 'Remove role' }).click();
  await expect.poll(() => row.count()).toBe(0);

  expect(violations).toEqual([]);
  await context.close();
}, 180_000);
