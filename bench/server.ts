/**
 * Server speed: runs per second through the HTTP API for a three-step flow
 * (POST /api/flows/:id/runs, then waiting for every run to finish), with the
 * in-process queue and with BullMQ on Redis (two workers beside the server,
 * each with its own store connection and runners), on SQLite and on
 * PostgreSQL (a schema of its own, dropped after), and the server's idle
 * memory (RSS after start and a full GC; target under 150 MB). Targets:
 * 1,000 runs/s in-process on SQLite, 300 runs/s through BullMQ.
 *
 * Usage: npm run bench:server [-- RUNS]   (Redis at PATCHBAY_REDIS_URL or redis://127.0.0.1:6379, PostgreSQL at
 * PATCHBAY_TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test; each skipped when unreachable)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { openPlatform } from '../packages/platform/src/index.js';
import { startServer, startWorker, type RunWorker } from '../packages/server/src/index.js';

const RUNS = Number(process.argv[2] ?? 300);
const PARALLEL = 16;
const REDIS_URL = process.env.PATCHBAY_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_URL = process.env.PATCHBAY_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const WORKERS = 2;

async function pgUp(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}
const OWNER = { email: 'bench@patchbay.test', password: 'bench-password-123' };
const FLOW = {
  schema: 'patchbay/flow@1',
  name: 'Bench three steps',
  outputs: { Total: { type: 'number' } },
  steps: [
    { action: 'Variables.Set', params: { name: 'Total', value: '%1%' } },
    { action: 'Variables.Increase', params: { name: 'Total', by: '%10%' } },
    { action: 'Variables.Increase', params: { name: 'Total', by: '%100%' } },
  ],
};

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

async function redisUp(): Promise<boolean> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

async function client(url: string) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(OWNER),
  });
  if (!res.ok) throw new Error(`login: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
}

async function throughput(
  label: string,
  opts: { redisUrl?: string; prefix?: string; postgres?: boolean; idleMemory?: boolean },
): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'patchbay-bench-server-'));
  const schema = opts.postgres ? `pb_bench_${randomBytes(5).toString('hex')}` : undefined;
  const database = schema ? { databaseUrl: PG_URL, schema } : {};
  const platform = await openPlatform({ home, ...database });
  await platform.users.ensureOwner({ email: OWNER.email, password: OWNER.password });
  const server = await startServer({
    port: 0,
    home,
    platform,
    log: false,
    print: () => undefined,
    concurrency: 8,
    ...(opts.redisUrl ? { redisUrl: opts.redisUrl, worker: false, prefix: opts.prefix } : {}),
  });
  const workers: RunWorker[] = [];
  if (opts.redisUrl)
    for (let i = 0; i < WORKERS; i++)
      workers.push(
        await startWorker({ home, ...database, redisUrl: opts.redisUrl, prefix: opts.prefix, concurrency: 4 }),
      );
  try {
    if (opts.idleMemory) {
      gc?.();
      await new Promise((r) => setTimeout(r, 200));
      gc?.();
      console.log(
        `idle server memory: RSS ${mb(process.memoryUsage().rss)}, heap used ${mb(process.memoryUsage().heapUsed)}${gc ? '' : ' (no --expose-gc: not collected first)'}`,
      );
    }
    const call = await client(server.url);
    const flow = await call('POST', '/api/envs/default/flows', { definition: FLOW });
    const flowId = flow.id as string;
    // Warm up.
    await call('POST', `/api/flows/${flowId}/runs`, {});
    const t0 = performance.now();
    let next = 0;
    const ids: string[] = [];
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < RUNS) {
          next++;
          ids.push((await call('POST', `/api/flows/${flowId}/runs`, {})).runId as string);
        }
      }),
    );
    const tQueued = performance.now();
    const store = server.platform.store;
    for (;;) {
      const open =
        (await store.runs.list({ flowId, status: 'queued', limit: 1 })).length +
        (await store.runs.list({ flowId, status: 'running', limit: 1 })).length;
      if (open === 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const t1 = performance.now();
    const ok = (await store.runs.list({ flowId, status: 'succeeded', limit: 1000 })).length;
    console.log(
      `${label}: ${RUNS} runs in ${((t1 - t0) / 1000).toFixed(2)} s = ${(RUNS / ((t1 - t0) / 1000)).toFixed(0)} runs/s (${(RUNS / ((tQueued - t0) / 1000)).toFixed(0)} starts/s accepted; ${ok - 1} of ${RUNS} succeeded)`,
    );
  } finally {
    for (const w of workers) await w.close({ graceMs: 5000 });
    await server.close({ graceMs: 5000 });
    if (schema) {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    }
    rmSync(home, { recursive: true, force: true });
  }
}

const postgres = await pgUp();
const redis = await redisUp();
for (const db of ['SQLite', 'PostgreSQL'] as const) {
  if (db === 'PostgreSQL' && !postgres) {
    console.log(`PostgreSQL: skipped (no PostgreSQL at ${PG_URL})`);
    continue;
  }
  const onPg = db === 'PostgreSQL';
  await throughput(`${db}, in-process queue`, { postgres: onPg, idleMemory: !onPg });
  if (!redis) {
    console.log(`${db}, BullMQ queue: skipped (no Redis at ${REDIS_URL})`);
    continue;
  }
  const prefix = `pbbench${randomBytes(3).toString('hex')}`;
  try {
    await throughput(`${db}, BullMQ queue (${WORKERS} workers)`, { redisUrl: REDIS_URL, prefix, postgres: onPg });
  } finally {
    const r = new Redis(REDIS_URL);
    const keys = await r.keys(`${prefix}:*`);
    if (keys.length) await r.del(...keys);
    r.disconnect();
  }
}
