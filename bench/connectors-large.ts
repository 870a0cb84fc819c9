/**
 * Connectors at the size of the largest real APIs, each figure printed beside
 * its budget (MB = 1,048,576 bytes of source):
 * - the whole `patchbay connector import` command, run as a process on a
 *   fresh store (best of BENCH_IMPORT_RUNS runs, 3 by default): time <= 0.5 s +
 *   0.25 s per MB; peak memory (maximum RSS, from /usr/bin/time, the highest
 *   run) <= 150 MB + 40 MB per MB; store growth <= 2x the source;
 * - with every definition and ten 1,000-operation connectors in one store:
 *   `connector list` (the platform call the command makes) and the designer's
 *   catalog (GET /api/envs/default/connectors) <= 50 ms; action search (the
 *   designer's actions pane, built from that catalog and searched) <= 50 ms.
 *
 * Definitions: generated ones of 1, 5 and 10 MB (deep anyOf/$ref graphs with
 * cycles), the largest Power Platform fixtures, GitHub's description when
 * `@octokit/openapi` is installed (`npm i --no-save @octokit/openapi`), and
 * any files named in BENCH_DEFINITIONS (separated by `:`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openPlatform } from '../packages/platform/src/index.js';
import { largeDefinition } from '../packages/connectors/src/testing/large-definition.js';
import { buildLibrary, searchLibrary } from '../packages/web/src/editor/library.js';

// scripts/bench.mjs names the repository (this file runs from a bundle in a folder of its own).
const ROOT = process.env.PATCHBAY_REPO ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'packages/cli/bin/patchbay.js');
const FIXTURES = '/work/shared/fixtures/power-platform-connectors';
const MB = 1024 * 1024;
const OWNER = { email: 'bench@patchbay.test', password: 'bench-password-123' };

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const verdict = (ok: boolean) => (ok ? 'ok' : 'OVER');

interface Definition {
  label: string;
  /** What `connector import` is given (a file or a Power Platform folder). */
  path: string;
  /** Bytes of source (the definition file, plus apiProperties.json for a folder). */
  bytes: number;
}

function sizeOf(path: string): number {
  if (!statSync(path).isDirectory()) return statSync(path).size;
  return ['apiDefinition.swagger.json', 'apiProperties.json']
    .map((f) => join(path, f))
    .filter(existsSync)
    .reduce((n, f) => n + statSync(f).size, 0);
}

function storeBytes(home: string): number {
  return ['patchbay.db', 'patchbay.db-wal']
    .map((f) => join(home, f))
    .filter(existsSync)
    .reduce((n, f) => n + statSync(f).size, 0);
}

function definitions(dir: string): Definition[] {
  const out: Definition[] = [];
  for (const mb of [1, 5, 10]) {
    const file = join(dir, `generated-${mb}mb.json`);
    writeFileSync(file, largeDefinition({ bytes: mb * MB, title: `Generated ${mb} MB` }).text);
    out.push({ label: `generated ${mb} MB`, path: file, bytes: sizeOf(file) });
  }
  const real = [
    join(FIXTURES, 'independent-publisher-connectors/HubSpot CRM V2'),
    join(FIXTURES, 'certified-connectors/Egnyte'),
    join(ROOT, 'node_modules/@octokit/openapi/generated/api.github.com.json'),
    ...(process.env.BENCH_DEFINITIONS ?? '').split(':').filter(Boolean),
  ];
  for (const path of real) if (existsSync(path)) out.push({ label: basename(path), path, bytes: sizeOf(path) });
  return out;
}

function cli(home: string, args: string[]): { ms: number; maxRssKb?: number; status: number; stderr: string } {
  const time = existsSync('/usr/bin/time');
  const cmd = time ? '/usr/bin/time' : process.execPath;
  const argv = time ? ['-f', 'PB_MAXRSS_KB=%M', process.execPath, BIN, ...args] : [BIN, ...args];
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { env: { ...process.env, PATCHBAY_HOME: home }, encoding: 'utf8' });
  const ms = performance.now() - t0;
  const m = /PB_MAXRSS_KB=(\d+)/.exec(r.stderr ?? '');
  return { ms, status: r.status ?? 1, stderr: r.stderr ?? '', ...(m ? { maxRssKb: Number(m[1]) } : {}) };
}

/** Import runs per definition, each on a fresh store (the machine is shared: the best run is the one least disturbed). */
const IMPORT_RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 3);

/** `connector import` as a process on a fresh store, for each definition: best and median of IMPORT_RUNS runs. */
function importBudgets(defs: Definition[]): void {
  console.log(
    `connector import (the whole command, as a process, fresh store; best and median of ${IMPORT_RUNS} runs):`,
  );
  for (const d of defs) {
    const runs: { ms: number; mem?: number; growth: number }[] = [];
    let failure: string | undefined;
    for (let i = 0; i < IMPORT_RUNS && !failure; i++) {
      const home = mkdtempSync(join(tmpdir(), 'patchbay-bench-import-'));
      try {
        cli(home, ['connector', 'list']); // creates and migrates the store, so only the import is measured
        const before = storeBytes(home);
        const r = cli(home, ['connector', 'import', d.path]);
        if (r.status !== 0) failure = r.stderr.replace(/PB_MAXRSS_KB=\d+/, '').trim();
        else
          runs.push({
            ms: r.ms,
            growth: storeBytes(home) - before,
            ...(r.maxRssKb !== undefined ? { mem: r.maxRssKb / 1024 } : {}),
          });
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    }
    if (failure) {
      console.log(`  ${d.label}: failed: ${failure}`);
      continue;
    }
    const mb = d.bytes / MB;
    const timeBudget = 500 + 250 * mb;
    const memBudget = 150 + 40 * mb;
    const best = Math.min(...runs.map((r) => r.ms));
    const mems = runs.flatMap((r) => (r.mem === undefined ? [] : [r.mem]));
    const mem = mems.length ? Math.max(...mems) : undefined;
    const growth = Math.max(...runs.map((r) => r.growth));
    console.log(
      `  ${d.label} (${mb.toFixed(2)} MB): time ${best.toFixed(0)} ms (median ${median(runs.map((r) => r.ms)).toFixed(0)}) / ${timeBudget.toFixed(0)} ms ${verdict(best <= timeBudget)}; ` +
        `peak memory ${mem === undefined ? 'n/a (no /usr/bin/time)' : `${mem.toFixed(0)} MB / ${memBudget.toFixed(0)} MB ${verdict(mem <= memBudget)}`}; ` +
        `store growth ${(growth / MB).toFixed(2)} MB = ${(growth / d.bytes).toFixed(2)}x / 2x ${verdict(growth <= 2 * d.bytes)}`,
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function timed(n: number, fn: () => Promise<unknown>): Promise<{ median: number; min: number; max: number }> {
  for (let i = 0; i < 3; i++) await fn(); // warm up
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    xs.push(performance.now() - t0);
  }
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

/** Listing, the designer's catalog and action search with every definition and 1,000-operation connectors stored. */
async function catalogBudgets(defs: Definition[], dir: string): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'patchbay-bench-catalog-'));
  const platform = await openPlatform({ home });
  let closed = false;
  try {
    const { user: me } = await platform.users.ensureOwner({ email: OWNER.email, password: OWNER.password });
    const wide = join(dir, 'wide-1000.json');
    writeFileSync(wide, largeDefinition({ operations: 1000, title: 'Wide' }).text);
    let operations = 0;
    for (let i = 0; i < 10; i++)
      operations += (await platform.connectors.import(me, 'default', wide, { id: `wide-${i}` })).operations.length;
    for (const d of defs)
      operations += await platform.connectors.import(me, 'default', d.path).then(
        (c) => c.operations.length,
        () => 0, // reported by the import figures above
      );
    const stored = storeBytes(home);
    console.log(
      `catalog: ${10 + defs.length} imported connectors, ${operations} operations, ${(stored / MB).toFixed(1)} MB stored:`,
    );
    const list = await timed(20, () => platform.connectors.list(me, 'default'));
    console.log(
      `  connector list (platform call, repeated): median ${list.median.toFixed(1)} ms, max ${list.max.toFixed(1)} ms / 50 ms ${verdict(list.median <= 50)}`,
    );
    await platform.close();
    closed = true;
    // What the command does in a process of its own: the first call, nothing cached.
    const fresh = await openPlatform({ home });
    try {
      const { user: owner } = await fresh.users.ensureOwner({ email: OWNER.email, password: OWNER.password });
      const t0 = performance.now();
      await fresh.connectors.list(owner, 'default');
      const first = performance.now() - t0;
      console.log(
        `  connector list, first call in a new process: ${first.toFixed(1)} ms / 50 ms ${verdict(first <= 50)}`,
      );
    } finally {
      await fresh.close();
    }
    const whole = cli(home, ['connector', 'list']);
    console.log(`  (the whole connector list command, Node.js start included: ${whole.ms.toFixed(0)} ms)`);
    // The designer's catalog from a real server process on the same store.
    const port = await freePort();
    const server = spawn(process.execPath, [BIN, 'serve', '--port', String(port)], {
      env: { ...process.env, PATCHBAY_HOME: home },
      stdio: 'ignore',
    });
    try {
      const url = `http://127.0.0.1:${port}`;
      let login: Response | undefined;
      for (let i = 0; i < 100 && !login?.ok; i++) {
        login = await fetch(`${url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(OWNER),
        }).catch(() => undefined);
        if (!login?.ok) await new Promise((r) => setTimeout(r, 100));
      }
      if (!login?.ok) throw new Error('the server did not start');
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
      const get = async (path: string) => {
        const r = await fetch(`${url}${path}`, { headers: { cookie } });
        if (!r.ok) throw new Error(`${path}: ${r.status}`);
        return r.json();
      };
      const catalog = await timed(20, () => get('/api/envs/default/connectors'));
      console.log(
        `  designer catalog (GET /api/envs/default/connectors): median ${catalog.median.toFixed(1)} ms, best ${catalog.min.toFixed(1)} ms, max ${catalog.max.toFixed(1)} ms / 50 ms ${verdict(catalog.median <= 50)}`,
      );
      const [actions, connectors] = await Promise.all([get('/api/actions'), get('/api/envs/default/connectors')]);
      const bytes = Buffer.byteLength(JSON.stringify(connectors));
      console.log(`  (the catalog is ${(bytes / MB).toFixed(1)} MB of JSON)`);
      const build = await timed(10, async () => buildLibrary(actions, connectors));
      const pane = buildLibrary(actions, connectors);
      const query = 's42';
      const search = await timed(20, async () => searchLibrary(pane, query));
      const found = searchLibrary(pane, query);
      const hits = [...found.standard, ...found.connectors].reduce((n, g) => n + g.items.length + g.more.length, 0);
      console.log(
        `  action search ("${query}", ${hits} hits, in the actions pane built from the catalog): median ${search.median.toFixed(1)} ms, max ${search.max.toFixed(1)} ms / 50 ms ${verdict(search.median <= 50)}; building the pane once per catalog load: median ${build.median.toFixed(1)} ms`,
      );
    } finally {
      server.kill();
    }
  } finally {
    if (!closed) await platform.close();
    rmSync(home, { recursive: true, force: true });
  }
}

export async function largeConnectors(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'patchbay-bench-definitions-'));
  try {
    const defs = definitions(dir);
    importBudgets(defs);
    await catalogBudgets(defs, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
