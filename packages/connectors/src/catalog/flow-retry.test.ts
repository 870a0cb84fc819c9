/**
 * Step retries against invoker retries, through the real engine: a connector
 * step is retried by one layer only. `onError.retry` retries the whole step
 * (the connector sends each attempt once, and the wait honours the service's
 * `Retry-After`); `retry` alone lets the connector retry within one attempt.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blockActions,
  createActionRegistry,
  parseFlowText,
  runFlow,
  standardActions,
  type Clock,
  type StepEvent,
} from '@patchbay/core';
import { createNodeHost } from '@patchbay/runtime';
import { importConnectorFromText } from '../import/index.js';
import type { Connector } from '../model.js';
import { closeConnectorPools } from '../invoke/pool.js';
import { json, startServer, type TestServer } from '../invoke/testing.js';
import { createConnectorCatalog } from './catalog.js';

let server: TestServer;
let ledger: Connector;

beforeAll(async () => {
  // Each book answers differently: "busy" always 503, "limited" 429 with Retry-After, "flaky" 503 once then 200.
  const seen = new Map<string, number>();
  server = await startServer((q, res) => {
    const book = q.query.get('book') ?? '';
    const n = (seen.get(book) ?? 0) + 1;
    seen.set(book, n);
    if (book === 'busy') return json(res, 503, { message: 'busy' });
    if (book === 'limited') return json(res, 429, { message: 'slow down' }, { 'retry-after': '3' });
    if (book === 'flaky' && n === 1) return json(res, 503, { message: 'warming up' });
    json(res, 200, { value: [{ id: 'e1' }] });
  });
  ledger = importConnectorFromText(
    readFileSync(fileURLToPath(new URL('../import/testdata/ledger.openapi30.yaml', import.meta.url)), 'utf8'),
    { fileName: 'ledger.openapi30.yaml' },
  );
});
afterAll(async () => {
  await closeConnectorPools();
  await server.close();
});

/** Runs one Ledger ListEntries step; the clock notes each wait the engine asks for and returns at once. */
async function runStep(book: string, extra: Record<string, unknown>) {
  const waits: number[] = [];
  const clock: Clock = { now: () => new Date(), sleep: async (ms) => void waits.push(ms) };
  const events: StepEvent[] = [];
  const text = JSON.stringify({
    schema: 'patchbay/flow@1',
    name: 'Retry rule',
    steps: [
      {
        connector: 'ledger',
        operation: 'ListEntries',
        connectionReference: 'contoso_ledger',
        params: { book },
        ...extra,
      },
    ],
  });
  const before = server.received.length;
  const result = await runFlow(parseFlowText(text), {
    resources: {
      actions: createActionRegistry([...blockActions, ...standardActions]),
      // The catalog's own default would retry too: the rule must hold against it.
      connectors: createConnectorCatalog([ledger], { retry: { count: 4, intervalMs: 1, minMs: 0, maxMs: 1 } }),
      connections: {
        resolve: async (_ref, connectorId) => ({
          connectionId: 'c',
          connectorId,
          scheme: 'apiKeyHeader',
          params: { api_key: 'k' },
          baseUrl: server.url,
        }),
      },
      host: createNodeHost(),
      clock,
      logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      onEvent: (e) => events.push(e),
    },
  });
  const failures = events.flatMap((e) => (e.type === 'step.failed' ? [e.willRetry] : []));
  return { result, requests: server.received.length - before, waits, failures };
}

describe('connector step retries', () => {
  it('onError.retry retries the whole step and the connector sends each attempt once', async () => {
    const r = await runStep('busy', { onError: { retry: 2, retryIntervalSeconds: 0.25, then: 'continue' } });
    expect(r.result.status).toBe('succeeded');
    expect(r.requests).toBe(3);
    expect(r.failures).toEqual([true, true, false]);
    expect(r.waits).toEqual([250, 250]);
  });

  it('retry alone lets the connector retry within one step attempt', async () => {
    const r = await runStep('busy', { retry: { count: 2, intervalSeconds: 0 } });
    expect(r.result.status).toBe('failed');
    expect(r.result.error).toMatchObject({ code: 'connector.http', status: 503, stepPath: '/steps/0' });
    expect(r.requests).toBe(3);
    expect(r.failures).toEqual([false]);
  });

  it('with neither, the catalog default retries transient failures inside the step', async () => {
    const r = await runStep('flaky', {});
    expect(r.result.status).toBe('succeeded');
    expect(r.requests).toBe(2);
    expect(r.failures).toEqual([]);
  });

  it("the wait between step attempts is the service's Retry-After when it is longer than the interval", async () => {
    const r = await runStep('limited', { onError: { retry: 1, retryIntervalSeconds: 0.5 } });
    expect(r.result.status).toBe('failed');
    expect(r.result.error).toMatchObject({ code: 'connector.http', status: 429, retryAfterMs: 3000 });
    expect(r.requests).toBe(2);
    expect(r.waits).toEqual([3000]);
  });

  it('a step with both keeps to the step retries (validation refuses the pair)', async () => {
    const r = await runStep('busy', {
      retry: { count: 3, intervalSeconds: 0 },
      onError: { retry: 1, retryIntervalSeconds: 0, then: 'continue' },
    });
    expect(r.requests).toBe(2);
  });
});
