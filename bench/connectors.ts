/**
 * `npm run bench:connectors`: first connectors at the size of the largest
 * real APIs against their budgets (`connectors-large.ts`; BENCH_PART=large
 * runs only that), then import time per Power Platform fixture (median
 * and max) and for HubSpot CRM V2; then a GET operation invoked 10,000 times
 * through the full connector path (plan, auth, policies, pool, response
 * parsing) beside the same requests sent with raw undici, sequentially and
 * 64 at a time. Target: the connector path within 15 % of raw undici.
 * BENCH_PART=gateway runs only the last part: a connector step in a flow,
 * in-process and through a runner and its connector gateway.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { closeConnectorPools, importConnector, invokeOperation, type Connector } from '@patchbay/connectors';
import type { ResolvedConnection } from '@patchbay/core';
import { largeConnectors } from './connectors-large.js';
import { Scrubber } from '../packages/platform/src/scrub.js';

const ROOT = '/work/shared/fixtures/power-platform-connectors';
const N = Number(process.env.BENCH_N ?? 10_000);
const CONCURRENCY = 64;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number): string => `${x.toFixed(1)} ms`;

async function importTimes(): Promise<void> {
  const folders = ['certified-connectors', 'custom-connectors', 'independent-publisher-connectors'].flatMap((g) =>
    readdirSync(join(ROOT, g)).map((n) => join(ROOT, g, n)),
  );
  const times: number[] = [];
  let failed = 0;
  for (const f of folders) {
    const t0 = performance.now();
    try {
      await importConnector(f);
      times.push(performance.now() - t0);
    } catch {
      failed++;
    }
  }
  console.log(
    `import: ${times.length} fixtures (${failed} with a clear error), median ${ms(median(times))}, max ${ms(Math.max(...times))}`,
  );
  const hub: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await importConnector(join(ROOT, 'independent-publisher-connectors', 'HubSpot CRM V2'));
    hub.push(performance.now() - t0);
  }
  console.log(`import HubSpot CRM V2 (5 runs): median ${ms(median(hub))}, max ${ms(Math.max(...hub))}`);
}

/** The server runs in its own process so it does not share the event loop with what is measured. */
async function startServer(): Promise<{ url: string; stop(): void }> {
  const code = `const body = JSON.stringify({ results: [{ id: '1', properties: { name: 'Acme' } }], paging: null });
require('node:http').createServer((q, s) => { q.resume(); q.on('end', () => { s.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); s.end(body); }); })
  .listen(0, '127.0.0.1', function () { console.log(this.address().port); }).keepAliveTimeout = 60000;`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) =>
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
  );
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

async function run(label: string, concurrency: number, once: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 2000; i++) await once(); // warm up: JIT, pool connections
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < N) await once();
    }),
  );
  const elapsed = performance.now() - t0;
  console.log(`  ${label.padEnd(16)} ${ms(elapsed).padStart(10)}  ${Math.round((N / elapsed) * 1000)} req/s`);
  return elapsed;
}

async function invokeBench(): Promise<void> {
  const server = await startServer();
  const connector: Connector = await importConnector(join(ROOT, 'independent-publisher-connectors', 'HubSpot CRM V2'));
  const op = connector.operations.find(
    (o) =>
      o.method === 'GET' &&
      o.usableAsAction &&
      o.inputs.every((i) => !i.required || i.default !== undefined || i.in === 'path'),
  )!;
  const params: Record<string, string> = {};
  for (const i of op.inputs) if (i.required && i.default === undefined) params[i.name] = 'v1';
  const connection: ResolvedConnection = {
    connectionId: 'bench',
    connectorId: connector.id,
    params: { api_key: 'bench-key-123456' },
    baseUrl: server.url,
  };
  const probe = await invokeOperation({ connector, operation: op.id, params, connection });
  console.log(
    `invoke: ${connector.id} ${op.id} -> ${probe.request.method} ${probe.request.url.replace(server.url, '')}, ${N} requests`,
  );

  // Raw undici: the same method, path and headers, built once, response parsed the same way.
  const url = new URL(probe.request.url);
  const headers: Record<string, string> = { ...probe.request.headers };
  for (const [k, v] of Object.entries(headers)) if (v === '***') headers[k] = String(connection.params.api_key);
  const pool = new Pool(url.origin, { connections: 128, keepAliveTimeout: 30_000 });
  const raw = async (): Promise<unknown> => {
    const res = await pool.request({ method: 'GET', path: `${url.pathname}${url.search}`, headers });
    return JSON.parse(Buffer.from(await res.body.arrayBuffer()).toString('utf8'));
  };
  const full = (): Promise<unknown> => invokeOperation({ connector, operation: op.id, params, connection });

  // BENCH_PART=gateway: only the connector step in a flow (in-process and through a runner).
  for (const c of process.env.BENCH_PART === 'gateway' ? [] : [1, CONCURRENCY]) {
    console.log(c === 1 ? 'sequential:' : `${c} concurrent:`);
    // Alternate five rounds each and keep the best, to damp noise from other processes on the machine.
    let rawT = Infinity;
    let fullT = Infinity;
    for (let round = 0; round < ROUNDS; round++) {
      rawT = Math.min(rawT, await run('raw undici', c, raw));
      fullT = Math.min(fullT, await run('connector path', c, full));
    }
    console.log(
      `  ratio connector/raw: ${(fullT / rawT).toFixed(3)} (target <= 1.15); connector path adds ${(((fullT - rawT) * 1000) / N).toFixed(1)} µs per request`,
    );
  }
  await gatewayBench({ connector, opId: op.id, params, connection, raw });
  await pool.close();
  await closeConnectorPools();
  server.stop();
}

/**
 * A connector step in a flow, as a run makes it: in this process's engine, and through a runner, where the
 * step asks the parent's connector gateway to make the call (the credential never crosses). Each is a loop of
 * the same step, beside raw undici making the same requests one after another. The gateway scrubs its answers
 * of the connection's secret, as in a run of the platform. Target: through the gateway within 1.3x raw undici.
 */
async function gatewayBench(b: {
  connector: Connector;
  opId: string;
  params: Record<string, string>;
  connection: ResolvedConnection;
  raw: () => Promise<unknown>;
}): Promise<void> {
  const { RunnerPool } = await import('@patchbay/runtime');
  const { blockActions, createActionRegistry, parseFlowText, runFlow, standardActions } =
    await import('@patchbay/core');
  const { createConnectorCatalog } = await import('@patchbay/connectors');
  const { createNodeHost, nodeClock } = await import('@patchbay/runtime');
  const STEPS = Math.min(N, 2000);
  const flow = parseFlowText(
    JSON.stringify({
      schema: 'patchbay/flow@1',
      name: 'Gateway bench',
      steps: [
        {
          action: 'Loop',
          params: { from: 1, to: STEPS },
          do: [
            {
              connector: b.connector.id,
              operation: b.opId,
              connectionReference: 'crm',
              params: Object.fromEntries(Object.entries(b.params).map(([k, v]) => [k, v])),
            },
          ],
        },
      ],
    }),
  );
  const silent = (): void => undefined;
  const resources = () => ({
    actions: createActionRegistry([...blockActions, ...standardActions]),
    connectors: createConnectorCatalog([b.connector]),
    connections: { resolve: () => Promise.resolve(b.connection) },
    host: createNodeHost(),
    clock: nodeClock,
    logger: { debug: silent, info: silent, warn: silent, error: silent },
    onEvent: silent,
  });
  const runner = new RunnerPool();
  const inProcess = async (): Promise<number> => {
    const t0 = performance.now();
    const r = await runFlow(flow, { resources: resources() });
    if (r.status !== 'succeeded') throw new Error(`gateway bench flow failed: ${JSON.stringify(r.error)}`);
    return performance.now() - t0;
  };
  const through = async (): Promise<number> => {
    // As in a real run: every secret the resolver hands out is scrubbed from the gateway's answers.
    const scrubber = new Scrubber();
    scrubber.add(String(b.connection.params.api_key));
    const t0 = performance.now();
    const r = await runner.run(flow, {
      resources: resources(),
      references: ['crm'],
      scrub: (v) => scrubber.clean(v),
      reduce: { mode: 'summary', head: 1000, tail: 100 },
    });
    if (r.status !== 'succeeded') throw new Error(`gateway bench flow failed in a runner: ${JSON.stringify(r.error)}`);
    return performance.now() - t0;
  };
  const rawLoop = async (): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < STEPS; i++) await b.raw();
    return performance.now() - t0;
  };
  try {
    await inProcess();
    await through();
    await rawLoop();
    let rawT = Infinity;
    let inT = Infinity;
    let gwT = Infinity;
    for (let round = 0; round < ROUNDS; round++) {
      rawT = Math.min(rawT, await rawLoop());
      inT = Math.min(inT, await inProcess());
      gwT = Math.min(gwT, await through());
    }
    const us = (t: number) => `${((t * 1000) / STEPS).toFixed(0)} µs/request`;
    console.log(`a connector step in a flow, ${STEPS} in a loop, best of ${ROUNDS}:`);
    console.log(`  raw undici, one after another      ${us(rawT)}`);
    console.log(`  in-process engine                  ${us(inT)}  ${(inT / rawT).toFixed(2)}x raw`);
    console.log(`  through a runner and the gateway   ${us(gwT)}  ${(gwT / rawT).toFixed(2)}x raw (target <= 1.3x)`);
  } finally {
    await runner.close();
  }
}

// BENCH_PART=large: only the large definitions; BENCH_PART=gateway: only the connector step in a flow.
if (process.env.BENCH_PART !== 'gateway') await largeConnectors();
if (process.env.BENCH_PART !== 'large') {
  if (process.env.BENCH_PART !== 'gateway') await importTimes();
  await invokeBench();
}
