import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatchbayError, type ActionContext, type ConnectionResolver, type Host, type Value } from '@patchbay/core';
import { closeConnectorPools } from '../invoke/pool.js';
import { connector, input, json, operation, startServer, type TestServer } from '../invoke/testing.js';
import { createConnectorCatalog } from './catalog.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((q, res) =>
    q.path.endsWith('/fail') ? json(res, 503, { message: 'busy' }) : json(res, 200, { id: 7, echo: q.query.get('q') }),
  );
});
afterAll(async () => {
  await closeConnectorPools();
  await server.close();
});

const search = operation({
  id: 'Search-Items',
  method: 'GET',
  path: '/search',
  summary: 'Search items',
  inputs: [
    input('q', { in: 'query', required: true, displayName: 'Query' }),
    input('limit', { in: 'query', type: 'integer', visibility: 'advanced', enum: [10, 50] }),
    input('Accept', { in: 'header', visibility: 'internal', default: 'application/json' }),
    input('password', { in: 'header', format: 'password' }),
    input('list', {
      in: 'query',
      dynamicValues: {
        source: 'x-ms-dynamic-values',
        operationId: 'Lists',
        parameters: { kind: { value: 'all' } },
        itemsPath: 'value',
        valuePath: 'id',
        titlePath: 'name',
      },
    }),
  ],
});
const fail = operation({ id: 'Fail', method: 'GET', path: '/fail' });
const trigger = operation({
  id: 'OnNewItem',
  method: 'GET',
  path: '/trigger',
  isTrigger: true,
  usableAsAction: false,
  notUsableReason: 'polling trigger',
});
const c = connector({ id: 'items', displayName: 'Items', operations: [search, fail, trigger] });

function ctx(
  o: { ref?: string; connections?: ConnectionResolver; retry?: { count?: number; intervalMs?: number } } = {},
): ActionContext {
  const vars = new Map<string, Value>();
  const noop = (): void => undefined;
  return {
    host: {} as Host,
    logger: { debug: noop, info: noop, warn: noop, error: noop },
    clock: { now: () => new Date(), sleep: async () => undefined },
    signal: new AbortController().signal,
    connections: o.connections,
    step: { path: '/steps/0', action: 'items.Search-Items', connectionReference: o.ref, retry: o.retry },
    getVariable: (n) => vars.get(n),
    setVariable: (n, v) => void vars.set(n, v),
  };
}

const resolver: ConnectionResolver = {
  async resolve(ref, connectorId) {
    if (ref !== 'contoso_items') throw new PatchbayError('connection.unresolved', `Reference ${ref} is not bound.`);
    return { connectionId: 'conn-1', connectorId, params: {}, baseUrl: server.url };
  },
};

describe('createConnectorCatalog', () => {
  const catalog = createConnectorCatalog([c]);

  it('describes an operation as a connector action with typed params and produced variables', () => {
    const def = catalog.getOperation('items', 'Search-Items')!;
    expect(def.kind).toBe('connector');
    expect(def.group).toBe('Items');
    expect(def.displayName).toBe('Search items');
    const byName = Object.fromEntries(def.params.map((p) => [p.name, p]));
    expect(byName.q).toMatchObject({ type: 'text', required: true, in: 'query', displayName: 'Query' });
    expect(byName.limit).toMatchObject({ type: 'number', advanced: true, options: ['10', '50'] });
    expect(byName.Accept).toMatchObject({ internal: true, default: 'application/json', in: 'header' });
    expect(byName.password.sensitive).toBe(true);
    expect(byName.list.dynamicValues).toEqual({
      operationId: 'Lists',
      parameters: { kind: { value: 'all' } },
      valueCollection: 'value',
      valuePath: 'id',
      valueTitle: 'name',
    });
    expect(def.produces.map((p) => p.defaultName)).toEqual([
      'Search_ItemsResult',
      'Search_ItemsStatusCode',
      'Search_ItemsHeaders',
    ]);
    expect(catalog.getOperation('items', 'Nope')).toBeUndefined();
    expect(catalog.getOperation('other', 'Search-Items')).toBeUndefined();
  });

  it('runs through the connection reference and returns the body', async () => {
    const def = catalog.getOperation('items', 'Search-Items')!;
    const out = await def.run!(ctx({ ref: 'contoso_items', connections: resolver }), { q: 'lamp' });
    expect(out).toMatchObject({ body: { id: 7, echo: 'lamp' }, status: 200 });
    expect(server.received.at(-1)!.headers.accept).toBe('application/json');
  });

  it('uses the step retry policy and names the step in errors', async () => {
    const def = catalog.getOperation('items', 'Fail')!;
    const before = server.received.length;
    const err = await Promise.resolve(
      def.run!(ctx({ ref: 'contoso_items', connections: resolver, retry: { count: 1, intervalMs: 1 } }), {}),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'connector.http', status: 503, place: { stepPath: '/steps/0' } });
    expect(server.received.length - before).toBe(2);
  });

  it('fails clearly without a reference, without connections, with an unbound reference, and for triggers', async () => {
    const def = catalog.getOperation('items', 'Search-Items')!;
    await expect(Promise.resolve(def.run!(ctx({ connections: resolver }), { q: 'x' }))).rejects.toMatchObject({
      code: 'connection.unresolved',
      message: expect.stringContaining('no connection reference'),
    });
    await expect(Promise.resolve(def.run!(ctx({ ref: 'contoso_items' }), { q: 'x' }))).rejects.toMatchObject({
      code: 'connection.unresolved',
    });
    await expect(
      Promise.resolve(def.run!(ctx({ ref: 'other', connections: resolver }), { q: 'x' })),
    ).rejects.toMatchObject({ code: 'connection.unresolved' });
    const t = catalog.getOperation('items', 'OnNewItem')!;
    await expect(
      Promise.resolve(t.run!(ctx({ ref: 'contoso_items', connections: resolver }), {})),
    ).rejects.toMatchObject({ code: 'connector.unsupported', message: expect.stringContaining('trigger') });
  });

  it('accepts a lookup function', () => {
    const byFn = createConnectorCatalog((id) => (id === 'items' ? c : undefined));
    expect(byFn.getOperation('ITEMS', 'search-items')?.id).toBe('items.Search-Items');
  });
});
