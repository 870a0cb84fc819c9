/**
 * The scale-out queue for real: PostgreSQL, Redis, and two worker processes
 * (the `patchbay worker` code, bundled and spawned with node). 500 runs are
 * queued; one worker is killed with SIGKILL half-way. Every run must end in a
 * final state, none may execute twice, and the runs the killed worker held
 * must be closed as interrupted. Then a SIGTERM shows the graceful stop.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlatform, type Platform } from '@patchbay/platform';
import type { User } from '@patchbay/store';
import { BullRunQueue } from './bullmq.js';
import type { RunQueueEvent } from './types.js';

const REDIS_URL = process.env.PATCHBAY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_URL = process.env.PATCHBAY_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const RUNS = 500;
const FINAL = ['succeeded', 'failed', 'cancelled', 'interrupted'];
const serverDir = fileURLToPath(new URL('../..', import.meta.url));

async function reachable(): Promise<boolean> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await r.connect();
    await r.ping();
    await c.connect();
    return true;
  } catch (e) {
    if (process.env.CI) throw e;
    return false;
  } finally {
    r.disconnect();
    await c.end().catch(() => undefined);
  }
}

const available = await reachable();
const prefix = `pbtest${randomBytes(4).toString('hex')}`;
const schema = `pb_queue_${randomBytes(5).toString('hex')}`;
const masterKey = randomBytes(32).toString('hex');
let home: string;
let entry: string;
let platform: Platform;
let owner: User;
let queue: BullRunQueue;
const workers: { child: ChildProcess; id: string; output: string[] }[] = [];

async function spawnWorker(): Promise<{ child: ChildProcess; id: string; output: string[] }> {
  const child = spawn(process.execPath, [entry], {
    cwd: serverDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PATCHBAY_REDIS_URL: REDIS_URL,
      PATCHBAY_DATABASE_URL: PG_URL,
      PATCHBAY_DATABASE_SCHEMA: schema,
      PATCHBAY_HOME: home,
      PATCHBAY_MASTER_KEY: masterKey,
      PATCHBAY_QUEUE_PREFIX: prefix,
      PATCHBAY_WORKER_CONCURRENCY: '4',
      PATCHBAY_WORKER_LOCK_MS: '2000',
      PATCHBAY_WORKER_GRACE_MS: '20000',
    },
  });
  const output: string[] = [];
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const id = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${output.join('')}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      const text = d.toString();
      output.push(text);
      const m = /ready (\S+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`worker exited (${code}): ${output.join('')}`)));
  });
  const w = { child, id, output };
  workers.push(w);
  return w;
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((r) => child.once('exit', (code) => r(code)));
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const flow = {
  schema: 'patchbay/flow@1',
  name: 'Queued work',
  outputs: { Total: { type: 'number' } },
  steps: [
    { action: 'Variables.Set', params: { name: 'Total', value: '%1%' } },
    { action: 'Wait', params: { seconds: 0.04 } },
    { action: 'Variables.Increase', params: { name: 'Total', by: '%1%' } },
  ],
};

describe.skipIf(!available)('BullMQ queue with worker processes', () => {
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'patchbay-queue-'));
    const outDir = join(serverDir, 'node_modules', '.cache');
    mkdirSync(outDir, { recursive: true });
    entry = join(outDir, `worker-${prefix}.mjs`);
    await build({
      entryPoints: [join(serverDir, 'src/queue/worker-process.ts')],
      outfile: entry,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['source'],
      logLevel: 'warning',
      plugins: [
        {
          name: 'external',
          setup: (b) =>
            b.onResolve({ filter: /^[^./]/ }, (a) =>
              a.path.startsWith('@patchbay/') ? undefined : { path: a.path, external: true },
            ),
        },
      ],
      banner: {
        js: "import { createRequire as __pbRequire } from 'node:module'; const require = __pbRequire(import.meta.url);",
      },
    });
    platform = await openPlatform({ home, databaseUrl: PG_URL, schema, masterKey });
    owner = (await platform.users.ensureOwner({ email: 'owner@patchbay.test', password: 'owner-password-123' })).user;
    queue = await BullRunQueue.open({ redisUrl: REDIS_URL, prefix });
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await queue?.close();
    await platform?.close();
    const r = new Redis(REDIS_URL);
    const keys = await r.keys(`${prefix}:*`);
    if (keys.length) await r.del(...keys);
    r.disconnect();
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
    rmSync(home, { recursive: true, force: true });
    rmSync(entry, { force: true });
  }, 60_000);

  it('finishes every one of 500 runs once, with one of two workers killed half-way', async () => {
    const saved = await platform.flows.save(owner, 'default', JSON.stringify(flow));
    const finishedEvents = new Map<string, number>();
    const stepStarts = new Map<string, number>();
    queue.onEvent((e: RunQueueEvent) => {
      if (e.kind === 'done' && e.status === 'succeeded')
        finishedEvents.set(e.runId, (finishedEvents.get(e.runId) ?? 0) + 1);
      if (e.kind === 'step' && e.event.type === 'step.started' && e.event.runStep === 1)
        stepStarts.set(e.runId, (stepStarts.get(e.runId) ?? 0) + 1);
    });
    const ids: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await platform.runs.start(owner, { flowId: saved.id });
      ids.push(run.id);
      await queue.enqueue(run.id);
    }
    const [victim] = await Promise.all([spawnWorker(), spawnWorker()]);

    const finalCount = async () =>
      (
        await Promise.all(
          FINAL.map((status) => platform.store.runs.list({ status: status as 'succeeded', limit: 1000 })),
        )
      ).reduce((n, l) => n + l.length, 0);
    // Half-way, and while the victim holds runs: kill it outright.
    const held = await until('the victim to hold runs half-way', async () => {
      if ((await finalCount()) < RUNS / 2) return undefined;
      const running = (await platform.store.runs.list({ status: 'running', limit: 1000 })).filter(
        (r) => r.workerId === victim.id,
      );
      return running.length ? running.map((r) => r.id) : undefined;
    });
    victim.child.kill('SIGKILL');
    await exited(victim.child);

    await until(
      'every run to reach a final state',
      async () => ((await finalCount()) === RUNS ? true : undefined),
      180_000,
    );
    const runs = await Promise.all(ids.map((id) => platform.store.runs.get(id)));
    const byStatus = runs.reduce<Record<string, number>>((m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {});
    expect(runs.every((r) => FINAL.includes(r.status))).toBe(true);
    expect((byStatus.succeeded ?? 0) + (byStatus.interrupted ?? 0)).toBe(RUNS);
    // Executed once: one start each, three step records for each success, and no run reported done twice.
    expect(runs.every((r) => r.attempt === 1)).toBe(true);
    for (const r of runs.filter((x) => x.status === 'succeeded').slice(0, 50))
      expect(await platform.store.runs.steps(r.id)).toHaveLength(3);
    expect([...finishedEvents.values()].every((n) => n === 1)).toBe(true);
    expect([...stepStarts.values()].every((n) => n === 1)).toBe(true);
    // What the killed worker held is interrupted, not lost and not left running.
    const heldNow = runs.filter((r) => held.includes(r.id));
    expect(heldNow.length).toBeGreaterThan(0);
    for (const r of heldNow)
      expect(r.status === 'interrupted' || (r.status === 'succeeded' && r.workerId === victim.id)).toBe(true);
    expect(heldNow.some((r) => r.status === 'interrupted')).toBe(true);
    expect(runs.filter((r) => r.status === 'interrupted').every((r) => r.workerId === victim.id)).toBe(true);
    expect(byStatus.interrupted ?? 0).toBeLessThanOrEqual(4);
  }, 240_000);

  it('stops gracefully on SIGTERM: running runs finish, no new ones start', async () => {
    const survivor = workers.find((w) => w.child.exitCode === null && w.child.signalCode === null);
    expect(survivor).toBeDefined();
    const slow = await platform.flows.save(
      owner,
      'default',
      JSON.stringify({ ...flow, name: 'Slow work', steps: [{ action: 'Wait', params: { seconds: 1 } }] }),
    );
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const run = await platform.runs.start(owner, { flowId: slow.id });
      ids.push(run.id);
      await queue.enqueue(run.id);
    }
    await until(
      'the survivor to take runs',
      async () => ((await platform.store.runs.list({ status: 'running', limit: 100 })).length ? true : undefined),
      30_000,
    );
    survivor?.child.kill('SIGTERM');
    expect(await exited(survivor!.child)).toBe(0);
    const runs = await Promise.all(ids.map((id) => platform.store.runs.get(id)));
    const started = runs.filter((r) => r.status !== 'queued');
    expect(started.length).toBeGreaterThan(0);
    expect(started.every((r) => r.status === 'succeeded')).toBe(true);
    // The rest were never taken: still queued for the next worker.
    expect(runs.filter((r) => r.status === 'queued').length).toBe(ids.length - started.length);
    expect(ids.length - started.length).toBeGreaterThan(0);
  }, 60_000);
});
