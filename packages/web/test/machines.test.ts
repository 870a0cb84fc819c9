/**
 * The designer's "Machines" page: the owner registers a machine (through the
 * API, as `patchbay machine register` does), sees it offline, starts
 * `patchbay runner` with its token in a second process and sees it online;
 * once revoked it shows revoked. No CSP violation.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { REPO } from './designer-build.js';
import { callApi, launchChromium, shot, signedInPage, startDesigner, type Designer } from './support.js';

let designer: Designer;
let browser: Browser;
let machine: ChildProcess | undefined;
const folder = mkdtempSync(join(tmpdir(), 'patchbay-machine-page-'));

beforeAll(async () => {
  designer = await startDesigner();
  browser = await launchChromium();
});

afterAll(async () => {
  machine?.kill('SIGKILL');
  await browser?.close();
  await designer?.close();
  rmSync(folder, { recursive: true, force: true });
});

it('lists machines online and offline', async () => {
  const { url } = designer;
  const { context, page } = await signedInPage(browser, url);
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });

  await page.getByRole('tab', { name: 'Machines' }).click();
  await page.getByText('No machine is registered in this environment.').waitFor();

  const { token } = await callApi<{ token: string }>(context, url, 'POST', '/api/machines', {
    name: 'desk-01',
    group: 'desks',
  });
  const table = page.getByRole('table', { name: 'Registered machines' });
  const row = table.locator('[data-machine="desk-01"]');
  await expect.poll(() => row.getAttribute('data-state'), { timeout: 15_000 }).toBe('offline');
  expect(await row.textContent()).toContain('desks');
  await shot(page, 'machines', '1-offline');

  machine = spawn(
    process.execPath,
    [join(REPO, 'packages/cli/bin/patchbay.js'), 'runner', '--server', url, '--token-env', 'MACHINE_TOKEN'],
    {
      cwd: folder,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: folder, MACHINE_TOKEN: token },
      stdio: 'ignore',
    },
  );
  await expect.poll(() => row.getAttribute('data-state'), { timeout: 20_000 }).toBe('online');
  expect(await row.getByText('Online').count()).toBe(1);
  await shot(page, 'machines', '2-online');

  await callApi(context, url, 'DELETE', '/api/machines/desk-01');
  await expect.poll(() => row.getAttribute('data-state'), { timeout: 20_000 }).toBe('revoked');

  expect(violations).toEqual([]);
  await context.close();
}, 120_000);
