/**
 * Store speed, on SQLite (a temporary PATCHBAY_HOME) and on PostgreSQL
 * (PATCHBAY_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test, in a
 * throw-away schema; skipped when unreachable):
 *
 * - run records written per second: a run with 10 step records, written the
 *   way a live run writes them (create, start, each step started then
 *   finished, finish: 23 writes) and batched (create, start, 10 steps in one
 *   insert, finish: 4 writes), one writer;
 * - the uncached cost (µs) of reading a connection's row, and of reading it
 *   and opening its sealed secrets, beside a plain in-memory Map lookup;
 * - (platform section, below) the cost per connector action of resolving
 *   reference → connection → decrypted credentials through the platform:
 *   uncached (first use), cached across runs, and cached within a run.
 *
 * Usage: npm run bench:store [-- RUNS]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Store, openStore } from '../packages/store/src/index.js';
import { openPlatform } from '../packages/platform/src/index.js';

const RUNS = Number(process.argv[2] ?? 300);
const LOOKUPS = 3000;
const STEPS = 10;

async function runRecords(s: Store, mode: 'live' | 'batched', runs: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) {
    const run = await s.runs.create({
      environment: 'default',
      adHocName: 'bench.flow.json',
      inputs: { Recipient: 'a@b.test', Rows: '***' },
    });
    await s.runs.start(run.id, { workerId: 'bench' });
    const at = new Date().toISOString();
    const step = (seq: number, status: 'running' | 'succeeded') => ({
      seq,
      stepPath: `/steps/${seq - 1}`,
      action: 'Variables.Set',
      status,
      startedAt: at,
      durationMs: status === 'running' ? null : 1,
      inputs: { name: 'Counter', value: seq },
      outputs: status === 'running' ? null : { Counter: seq },
    });
    if (mode === 'live') {
      for (let n = 1; n <= STEPS; n++) {
        await s.runs.recordSteps(run.id, [step(n, 'running')]);
        await s.runs.recordSteps(run.id, [step(n, 'succeeded')]);
      }
    } else {
      await s.runs.recordSteps(
        run.id,
        Array.from({ length: STEPS }, (_, n) => step(n + 1, 'succeeded')),
      );
    }
    await s.runs.finish(run.id, { status: 'succeeded', outputs: { Sent: STEPS } });
  }
  return runs / ((performance.now() - t0) / 1000);
}

async function perOp(n: number, fn: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < Math.min(200, n); i++) await fn(i); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return ((performance.now() - t0) * 1000) / n;
}

async function measure(s: Store) {
  const { user } = await s.users.ensureOwner({ password: 'bench password 123' });
  const ids: string[] = [];
  for (let i = 0; i < 100; i++) {
    ids.push(
      (
        await s.connections.create({
          environment: 'default',
          connectorId: 'ledger',
          displayName: `c${i}`,
          ownerId: user.id,
          scheme: 'apiKey',
          params: { region: 'eu' },
          secrets: { api_key: randomBytes(24).toString('base64') },
        })
      ).id,
    );
  }
  const map = new Map<string, unknown>();
  for (const id of ids) map.set(id, await s.connections.getWithSecrets(id));
  let sink = 0;
  const mapUs = await perOp(LOOKUPS * 100, (i) => {
    if (map.get(ids[i % ids.length])) sink++;
  });
  const rowUs = await perOp(LOOKUPS, (i) => s.connections.get(ids[i % ids.length]));
  const openUs = await perOp(LOOKUPS, (i) => s.connections.getWithSecrets(ids[i % ids.length]));
  const live = await runRecords(s, 'live', RUNS);
  const batched = await runRecords(s, 'batched', RUNS);
  if (sink === 0) throw new Error('map lookups found nothing');
  return { live, batched, mapUs, rowUs, openUs };
}

function report(name: string, r: Awaited<ReturnType<typeof measure>>): void {
  console.log(`\n${name}`);
  console.log(
    `  run records (1 run + ${STEPS} steps), live writes    ${r.live.toFixed(0).padStart(8)} runs/s  (${(r.live * (STEPS + 1)).toFixed(0)} records/s)`,
  );
  console.log(
    `  run records (1 run + ${STEPS} steps), batched steps  ${r.batched.toFixed(0).padStart(8)} runs/s  (${(r.batched * (STEPS + 1)).toFixed(0)} records/s)`,
  );
  console.log(`  connection row read, uncached                 ${r.rowUs.toFixed(1).padStart(8)} µs`);
  console.log(`  connection row + open sealed secrets, uncached ${r.openUs.toFixed(1).padStart(7)} µs`);
  console.log(`  plain in-memory Map lookup                    ${r.mapUs.toFixed(3).padStart(8)} µs`);
}

// ---------------------------------------------------------------------------
// Platform section: cached reference → connection → credentials resolution.
// ---------------------------------------------------------------------------

const REFS = 100;
const CONNECTOR = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'Ledger', version: '1.0.0' },
  servers: [{ url: 'http://127.0.0.1:9' }],
  components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } } },
  security: [{ key: [] }],
  paths: { '/entries': { get: { operationId: 'ListEntries', responses: { '200': { description: 'ok' } } } } },
});

async function resolution(s: Store): Promise<{ uncachedUs: number; acrossRunsUs: number; withinRunUs: number }> {
  const p = await openPlatform({ store: s });
  const me = (await p.users.ensureOwner({ password: 'bench password 123' })).user;
  await p.connectors.import(me, 'default', { openapi: CONNECTOR, id: 'bench-ledger' });
  const refs: string[] = [];
  for (let i = 0; i < REFS; i++) {
    const { connection } = await p.connections.create(me, 'default', {
      connectorId: 'bench-ledger',
      displayName: `bench ${i}`,
      secrets: { api_key: randomBytes(24).toString('base64') },
    });
    refs.push(
      (
        await p.references.create(me, 'default', {
          logicalName: `bench_ref_${i}`,
          connectorId: 'bench-ledger',
          connectionId: connection.id,
        })
      ).logicalName,
    );
  }
  const one = (name: string) => [{ logicalName: name, connectorId: 'bench-ledger' }];
  // First use of each reference: plan, permission check, row read, secrets opened.
  let t0 = performance.now();
  for (const r of refs)
    await (await p.runs.resolverFor(me, { environment: 'default', references: one(r) })).resolve(r, 'bench-ledger');
  const uncachedUs = ((performance.now() - t0) * 1000) / refs.length;
  // Later runs: the same work, but the decrypted secrets come from the cache (row unchanged).
  const acrossRunsUs = await perOp(LOOKUPS, async (i) =>
    (await p.runs.resolverFor(me, { environment: 'default', references: one(refs[i % REFS]) })).resolve(
      refs[i % REFS],
      'bench-ledger',
    ),
  );
  // Within a run: every further action on the same reference.
  const resolver = await p.runs.resolverFor(me, { environment: 'default', references: one(refs[0]) });
  t0 = performance.now();
  for (let i = 0; i < LOOKUPS * 100; i++) await resolver.resolve(refs[0], 'bench-ledger');
  const withinRunUs = ((performance.now() - t0) * 1000) / (LOOKUPS * 100);
  return { uncachedUs, acrossRunsUs, withinRunUs };
}

function reportResolution(r: Awaited<ReturnType<typeof resolution>>): void {
  console.log('  reference → connection → credentials, per connector action:');
  console.log(
    `    uncached (first use: plan, permission, row, open secrets) ${r.uncachedUs.toFixed(1).padStart(8)} µs`,
  );
  console.log(
    `    cached across runs (plan, permission, row; no decrypt)    ${r.acrossRunsUs.toFixed(1).padStart(8)} µs`,
  );
  console.log(
    `    cached within a run (memoised per reference)              ${r.withinRunUs.toFixed(3).padStart(8)} µs`,
  );
}

const home = mkdtempSync(join(tmpdir(), 'patchbay-bench-store-'));
try {
  const sqlite = await openStore({ home, databaseUrl: undefined, masterKey: randomBytes(32).toString('base64') });
  try {
    report(`SQLite (${sqlite.location})`, await measure(sqlite));
    reportResolution(await resolution(sqlite));
  } finally {
    await sqlite.close();
  }

  const url = process.env.PATCHBAY_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `pb_bench_${randomBytes(4).toString('hex')}`;
  let store: Store | undefined;
  try {
    store = await openStore({ home, databaseUrl: url, schema, masterKey: randomBytes(32).toString('base64') });
  } catch (e) {
    console.log(`\nPostgreSQL: skipped (${(e as Error).message})`);
  }
  if (store) {
    try {
      report(`PostgreSQL (${store.location})`, await measure(store));
      reportResolution(await resolution(store));
    } finally {
      await store.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    }
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
