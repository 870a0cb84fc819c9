/**
 * `npm run bench:designer`: the designer in headless Chromium against a
 * server on a temporary home.
 *
 * 1. A 1,000-step flow (with nested blocks) made through the API: the time
 *    from navigating to its editor until every one of its 1,000 steps is in
 *    the workspace, measured in the page (navigation inside the running app,
 *    and a full page load), median of several.
 * 2. An action-library search over every fixture connector that imports
 *    cleanly: the time from typing into "Search actions" until the filtered
 *    list is shown (the library holds exactly the items the search should
 *    find), median over several queries and rounds.
 *
 * Targets (issue 5): the 1,000-step flow under 1 s, a search under 50 ms.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ActionInfo, ConnectorSummary } from '../packages/web/src/api/types.js';
import { buildLibrary, searchLibrary } from '../packages/web/src/editor/library.js';
import { REPO } from '../packages/web/test/designer-build.js';
import { launchChromium, signedInPage, startDesigner } from '../packages/web/test/support.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const STEPS = 1000;
const QUERIES = ['get', 'create', 'user', 'list of', 'contact', 'delete', 'file', 'zz-no-match'];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number): string => `${x.toFixed(1)} ms`;
const verdict = (value: number, target: number): string =>
  value <= target ? `ok (target < ${target} ms)` : `MISSED (target < ${target} ms)`;

/** 1,000 steps: a counter, then groups of nine Set/Increase steps under a Loop or an If every tenth step. */
function bigFlow(): Record<string, unknown> {
  const steps: Record<string, unknown>[] = [{ action: 'Variables.Set', params: { name: 'Counter', value: '%0%' } }];
  let count = 1;
  let group = 0;
  while (count < STEPS) {
    const inner: Record<string, unknown>[] = [];
    for (let i = 0; i < 9 && count + 1 + inner.length < STEPS; i++) {
      inner.push(
        i % 2
          ? { action: 'Variables.Increase', params: { name: 'Counter', by: `%${i}%` } }
          : {
              action: 'Variables.Set',
              params: { name: `Value${group}_${i}`, value: `Row ${group}.${i} of the report` },
            },
      );
    }
    const block =
      group % 2
        ? { action: 'If', params: { condition: `%Counter > ${group}%` }, then: inner }
        : {
            action: 'Loop',
            params: { from: '%0%', to: '%1%', step: '%1%' },
            produces: { index: `Index${group}` },
            do: inner,
          };
    steps.push(block);
    count += 1 + inner.length;
    group++;
  }
  return { schema: 'patchbay/flow@1', name: 'Thousand steps', steps };
}

/** In the page: runs `start`, then resolves with the milliseconds until `done()` holds after a DOM change. */
async function timeInPage(page: Page, start: string, done: string): Promise<number> {
  return page.evaluate(
    ({ startSrc, doneSrc }) =>
      new Promise<number>((resolve, reject) => {
        const isDone = new Function(`return (${doneSrc});`) as () => boolean;
        const t0 = performance.now();
        const finish = () => {
          observer.disconnect();
          clearTimeout(timer);
          resolve(performance.now() - t0);
        };
        const observer = new MutationObserver(() => isDone() && finish());
        observer.observe(document.body, { childList: true, subtree: true, attributes: true });
        const timer = setTimeout(
          () => (
            observer.disconnect(),
            reject(
              new Error(
                `not done after 30 s: ${doneSrc} (library items shown: ${document.querySelectorAll('[data-library-item]').length})`,
              ),
            )
          ),
          30_000,
        );
        new Function(startSrc)();
        if (isDone()) finish();
      }),
    { startSrc: start, doneSrc: done },
  );
}

/** BENCH_PROFILE=open|search: a CPU profile of the measured part, printed as the functions with the most self time. */
async function profiled<T>(page: Page, what: string, fn: () => Promise<T>): Promise<T> {
  if (process.env.BENCH_PROFILE !== what) return fn();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const out = await fn();
  const { profile } = await cdp.send('Profiler.stop');
  const interval = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples?.length ?? 1);
  const self = new Map<string, number>();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber}:${f.columnNumber}`;
    self.set(key, (self.get(key) ?? 0) + (n.hitCount ?? 0) * interval);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`profile of ${what}: ${ms(total)} sampled`);
  for (const [k, v] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log(`  ${ms(v).padStart(10)}  ${k}`);
  return out;
}

async function openFlow(page: Page, url: string, flowId: string): Promise<{ inApp: number[]; fullLoad: number[] }> {
  const inApp: number[] = [];
  const fullLoad: number[] = [];
  const allRows = `document.querySelectorAll('[role="listbox"][aria-label="Workspace"] [data-step-path]').length === ${STEPS}`;
  for (let i = 0; i < ROUNDS + 1; i++) {
    // Inside the running app: from the Flows page to the editor (fetches the flow, renders it).
    await page.goto(`${url}/#/flows`);
    await page.getByRole('button', { name: 'Thousand steps', exact: true }).waitFor();
    const navigate = () => timeInPage(page, `window.location.hash = '#/flows/${flowId}';`, allRows);
    const t = await (i === ROUNDS ? profiled(page, 'open', navigate) : navigate());
    // A full page load straight into the editor: from navigation start (the app's scripts, sign-in check, the flow).
    await page.goto('about:blank');
    await page.goto(`${url}/#/flows/${flowId}`, { waitUntil: 'commit' });
    // performance.now() counts from the navigation's start; taken in the page the moment every row is there.
    const done = await page.waitForFunction(`(${allRows}) ? performance.now() : false`, undefined, {
      timeout: 30_000,
      polling: 'raf',
    });
    const full = Number(await done.jsonValue());
    if (process.env.BENCH_PROFILE === 'load' && i === ROUNDS) {
      const entries = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .map(
            (e) =>
              `${e.startTime.toFixed(0).padStart(5)}–${(e as PerformanceResourceTiming).responseEnd.toFixed(0).padStart(5)} ms  ${e.name.replace(location.origin, '')}`,
          ),
      );
      console.log(`full load, resources (rows done at ${ms(full)}):\n  ${entries.join('\n  ')}`);
    }
    if (i > 0) {
      // The first round warms the browser's cache.
      inApp.push(t);
      fullLoad.push(full);
    }
  }
  return { inApp, fullLoad };
}

async function importFixtures(
  server: Awaited<ReturnType<typeof startDesigner>>['server'],
): Promise<{ ok: number; failed: number }> {
  const root = join(REPO, 'fixtures/power-platform-connectors');
  const folders = ['certified-connectors', 'custom-connectors', 'independent-publisher-connectors'].flatMap((g) =>
    readdirSync(join(root, g)).map((n) => join(root, g, n)),
  );
  const owner = await server.platform.users.owner();
  let ok = 0;
  let failed = 0;
  for (const f of folders) {
    try {
      await server.platform.connectors.import(owner, 'default', f);
      ok++;
    } catch {
      failed++;
    }
  }
  return { ok, failed };
}

/** Types each query into "Search actions" (in the page, as an input event) and times it until the list holds exactly the items the search finds. */
async function search(
  page: Page,
  url: string,
  flowId: string,
): Promise<{ times: number[]; items: number; groups: number }> {
  await page.goto(`${url}/#/flows/${flowId}`);
  await page.reload(); // the editor's connector list must include the fixtures just imported
  const box = page.getByRole('searchbox', { name: 'Search actions' });
  await box.waitFor();
  const [actions, connectors] = await Promise.all([
    page.evaluate(() => fetch('/api/actions').then((r) => r.json())) as Promise<ActionInfo[]>,
    page.evaluate(() => fetch('/api/envs/default/connectors').then((r) => r.json())) as Promise<ConnectorSummary[]>,
  ]);
  const library = buildLibrary(actions, connectors);
  const items = library.standard.concat(library.connectors).reduce((n, g) => n + g.items.length + g.more.length, 0);
  const type = (q: string) => `{ const el = document.querySelector('input[aria-label="Search actions"]');
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(el, ${JSON.stringify(q)});
    el.dispatchEvent(new Event('input', { bubbles: true })); }`;
  const times = await profiled(page, 'search', async () => {
    const out: number[] = [];
    for (let round = 0; round < ROUNDS + 1; round++) {
      for (const q of QUERIES) {
        const shown = searchLibrary(library, q);
        const expected = shown.standard.concat(shown.connectors).reduce((n, g) => n + g.items.length, 0);
        const none =
          expected === 0
            ? `&& document.querySelector('[aria-label="Actions"]').textContent.includes('No actions match')`
            : '';
        const t = await timeInPage(
          page,
          type(q),
          `document.querySelectorAll('[data-library-item]').length === ${expected} ${none}`,
        );
        if (round > 0) out.push(t);
        await timeInPage(
          page,
          type(''),
          `!document.querySelector('[aria-label="Actions"]').textContent.includes('No actions match')`,
        );
        await page.waitForTimeout(50);
      }
    }
    return out;
  });
  return { times, items, groups: library.connectors.length };
}

async function createFlow(page: Page, url: string, definition: Record<string, unknown>): Promise<string> {
  const me = (await (await page.context().request.get(`${url}/api/auth/me`)).json()) as { csrfToken: string };
  const res = await page
    .context()
    .request.post(`${url}/api/envs/default/flows`, { headers: { 'x-csrf-token': me.csrfToken }, data: { definition } });
  if (!res.ok())
    throw new Error(`creating the flow "${String(definition.name)}" failed: ${res.status()} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

async function main(): Promise<void> {
  const designer = await startDesigner();
  const browser = await launchChromium();
  try {
    const { context, page } = await signedInPage(browser, designer.url);
    context.setDefaultTimeout(30_000);
    const big = await createFlow(page, designer.url, bigFlow());
    const small = await createFlow(page, designer.url, {
      schema: 'patchbay/flow@1',
      name: 'Small',
      steps: [{ action: 'Variables.Set', params: { name: 'A', value: '1' } }],
    });
    await page.reload(); // the Flows page listed no flows when it opened

    const open = await openFlow(page, designer.url, big).catch(async (e: unknown) => {
      await page.screenshot({ path: join(REPO, 'test-results/designer/bench-failure.png') });
      throw e;
    });
    const inApp = median(open.inApp);
    const full = median(open.fullLoad);
    console.log(
      `open a ${STEPS}-step flow, in the app (median of ${open.inApp.length}): ${ms(inApp)} (max ${ms(Math.max(...open.inApp))})  ${verdict(inApp, 1000)}`,
    );
    console.log(
      `open a ${STEPS}-step flow, full page load (median of ${open.fullLoad.length}): ${ms(full)} (max ${ms(Math.max(...open.fullLoad))})  ${verdict(full, 1000)}`,
    );

    const imported = await importFixtures(designer.server);
    console.log(`fixture connectors: ${imported.ok} imported, ${imported.failed} refused with an error`);
    for (const [label, id] of [
      ['a one-step flow', small],
      [`the ${STEPS}-step flow`, big],
    ] as const) {
      const found = await search(page, designer.url, id);
      const m = median(found.times);
      console.log(
        `action search with ${label} open (${found.items} actions, ${found.groups} connector groups; ${QUERIES.length} queries × ${ROUNDS} rounds): median ${ms(m)}, max ${ms(Math.max(...found.times))}  ${verdict(m, 50)}`,
      );
    }
    await context.close();
  } finally {
    await browser.close();
    await designer.close();
  }
}

await main();
