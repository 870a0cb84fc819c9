import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatchbayError, type Logger, type ResolvedConnection } from '@patchbay/core';
import type { AuthScheme } from '../model.js';
import { invokeOperation } from './invoke.js';
import { closeConnectorPools } from './pool.js';
import { connector, input, json, operation, startServer, type Handler, type TestServer } from './testing.js';

const CANARY = 'CANARY-s3cr3t-7f2a9';
const apiKeyHeader: AuthScheme = {
  name: 'key',
  displayName: 'API key',
  type: 'apiKey',
  apiKey: { in: 'header', name: 'X-Api-Key', parameter: 'api_key' },
  parameters: [{ name: 'api_key', type: 'securestring', displayName: 'API key', required: true, secret: true }],
};
const apiKeyQuery: AuthScheme = {
  ...apiKeyHeader,
  name: 'keyq',
  apiKey: { in: 'query', name: 'key', parameter: 'api_key' },
};

let server: TestServer;
let handler: Handler = (_q, res) => json(res, 200, { ok: true });

beforeAll(async () => {
  server = await startServer((q, res, raw) => handler(q, res, raw));
});
afterAll(async () => {
  await closeConnectorPools();
  await server.close();
});

function conn(o: Partial<ResolvedConnection> = {}): ResolvedConnection {
  return { connectionId: 'c1', connectorId: 'test', params: { api_key: CANARY }, baseUrl: server.url, ...o };
}

function capturingLogger(lines: string[]): Logger {
  const log = (msg: string, data?: Record<string, unknown>): void => void lines.push(msg + JSON.stringify(data ?? {}));
  return { debug: log, info: log, warn: log, error: log };
}

const getItem = operation({
  id: 'GetItem',
  method: 'get',
  path: '/items/{id}',
  inputs: [
    input('id', { in: 'path', required: true, urlEncoding: 'double' }),
    input('tags', { in: 'query', type: 'array', collectionFormat: 'multi' }),
    input('fields', { in: 'query', type: 'array' }),
    input('top', { in: 'query', type: 'integer' }),
    input('X-Trace', { in: 'header' }),
    input('Accept', { in: 'header', visibility: 'internal', required: true, default: 'application/json' }),
  ],
});

describe('invokeOperation: building the request', () => {
  it('fills path, query and header, keeps the base path, and applies an API key header', async () => {
    handler = (_q, res) => json(res, 200, { id: 'a b', name: 'Widget' });
    const c = connector({ authSchemes: [apiKeyHeader], operations: [getItem] });
    const r = await invokeOperation({
      connector: c,
      operation: 'GetItem',
      connection: conn(),
      params: { id: 'a b/c', tags: ['x', 'y'], fields: ['f1', 'f2'], top: 5, 'X-Trace': 't1' },
    });
    const got = server.received.at(-1)!;
    expect(got.method).toBe('GET');
    expect(got.path).toBe('/v1/items/a%2520b%252Fc');
    expect(got.query.getAll('tags')).toEqual(['x', 'y']);
    expect(got.query.get('fields')).toBe('f1,f2');
    expect(got.query.get('top')).toBe('5');
    expect(got.headers['x-trace']).toBe('t1');
    expect(got.headers.accept).toBe('application/json');
    expect(got.headers['x-api-key']).toBe(CANARY);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: 'a b', name: 'Widget' });
    expect(r.request.headers['x-api-key']).toBe('***');
    expect(JSON.stringify(r.request)).not.toContain(CANARY);
  });

  it('puts an API key in the query and redacts it in the request record', async () => {
    handler = (_q, res) => json(res, 200, []);
    const c = connector({ authSchemes: [apiKeyQuery], operations: [getItem] });
    const r = await invokeOperation({ connector: c, operation: 'GetItem', connection: conn(), params: { id: '1' } });
    expect(server.received.at(-1)!.query.get('key')).toBe(CANARY);
    expect(r.request.url).toContain('key=***');
    expect(r.request.url).not.toContain(CANARY);
  });

  it('rebuilds flattened JSON body fields into the body object', async () => {
    handler = (q, res) => json(res, 201, JSON.parse(q.body.toString()));
    const op = operation({
      id: 'CreateContact',
      method: 'POST',
      path: '/contacts',
      bodyKind: 'json',
      consumes: ['application/json'],
      inputs: [
        input('name', { in: 'body', bodyPath: ['name'], required: true }),
        input('city', { in: 'body', bodyPath: ['address', 'city'] }),
        input('tags', { in: 'body', bodyPath: ['tags'], type: 'array' }),
        input('kind', { in: 'body', bodyPath: ['kind'], visibility: 'internal', default: 'person', required: true }),
      ],
    });
    const c = connector({ operations: [op] });
    const r = await invokeOperation({
      connector: c,
      operation: 'CreateContact',
      connection: conn(),
      params: { name: 'Ada', city: 'London', tags: ['a'] },
    });
    const got = server.received.at(-1)!;
    expect(got.headers['content-type']).toBe('application/json');
    expect(JSON.parse(got.body.toString())).toEqual({
      name: 'Ada',
      address: { city: 'London' },
      tags: ['a'],
      kind: 'person',
    });
    expect(r.status).toBe(201);
  });

  it('sends form-urlencoded and multipart bodies, and binary up and down', async () => {
    handler = (q, res) => {
      if (q.path.endsWith('/download')) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(Buffer.from([0, 1, 2, 255]));
      } else json(res, 200, { got: q.headers['content-type'] });
    };
    const form = operation({
      id: 'Form',
      method: 'POST',
      path: '/form',
      bodyKind: 'form',
      inputs: [input('a', { in: 'formData' }), input('b', { in: 'formData' })],
    });
    const multi = operation({
      id: 'Multi',
      method: 'POST',
      path: '/multi',
      bodyKind: 'multipart',
      inputs: [input('file', { in: 'formData', type: 'file' }), input('note', { in: 'formData' })],
    });
    const upload = operation({
      id: 'Upload',
      method: 'PUT',
      path: '/upload',
      bodyKind: 'binary',
      consumes: ['application/octet-stream'],
      inputs: [input('content', { in: 'body', type: 'file', isWholeBody: true, required: true })],
    });
    const download = operation({
      id: 'Download',
      method: 'GET',
      path: '/download',
      produces: ['application/octet-stream'],
    });
    const c = connector({ operations: [form, multi, upload, download] });
    await invokeOperation({ connector: c, operation: 'Form', connection: conn(), params: { a: 'x y', b: '&' } });
    expect(server.received.at(-1)!.body.toString()).toBe('a=x+y&b=%26');
    expect(server.received.at(-1)!.headers['content-type']).toBe('application/x-www-form-urlencoded');

    await invokeOperation({
      connector: c,
      operation: 'Multi',
      connection: conn(),
      params: { file: new Uint8Array([9, 8, 7]), note: 'hello' },
    });
    const m = server.received.at(-1)!;
    expect(m.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(m.body.toString('latin1')).toContain('name="note"\r\n\r\nhello');
    expect(m.body.includes(Buffer.from([9, 8, 7]))).toBe(true);

    await invokeOperation({
      connector: c,
      operation: 'Upload',
      connection: conn(),
      params: { content: new Uint8Array([1, 2, 3]) },
    });
    expect([...server.received.at(-1)!.body]).toEqual([1, 2, 3]);
    expect(server.received.at(-1)!.headers['content-type']).toBe('application/octet-stream');

    const d = await invokeOperation({ connector: c, operation: 'Download', connection: conn() });
    expect(d.body).toBeInstanceOf(Uint8Array);
    expect([...(d.body as Uint8Array)]).toEqual([0, 1, 2, 255]);
  });

  it('names every missing required parameter and rejects unknown ones', async () => {
    const c = connector({ operations: [getItem] });
    await expect(
      invokeOperation({ connector: c, operation: 'GetItem', connection: conn(), params: {} }),
    ).rejects.toMatchObject({ code: 'action.param', place: { pointer: '/params/id' } });
    await expect(
      invokeOperation({ connector: c, operation: 'GetItem', connection: conn(), params: { id: '1', nope: 2 } }),
    ).rejects.toMatchObject({ code: 'action.param', message: expect.stringContaining('"nope"') });
    await expect(invokeOperation({ connector: c, operation: 'Missing', connection: conn() })).rejects.toMatchObject({
      code: 'connector.unknown',
    });
  });

  it("refuses operations that need the connector's custom code script", async () => {
    const c = connector({
      operations: [operation({ id: 'Scripted', method: 'GET', path: '/', needsCustomCode: true })],
    });
    await expect(invokeOperation({ connector: c, operation: 'Scripted', connection: conn() })).rejects.toMatchObject({
      code: 'connector.unsupported',
      message: expect.stringContaining('custom code'),
    });
  });
});

describe('invokeOperation: policies', () => {
  it('applies setheader, setqueryparameter and routerequesttoendpoint with expressions, and warns about unknown templates', async () => {
    handler = (_q, res) => json(res, 200, {});
    const op = operation({
      id: 'Route',
      method: 'GET',
      path: '/old/{service}',
      inputs: [input('service', { in: 'path', required: true }), input('filter', { in: 'query' })],
      policies: [
        {
          templateId: 'setheader',
          title: 'tenant',
          parameters: {
            'x-ms-apimTemplateParameter.name': 'tenantId',
            'x-ms-apimTemplateParameter.value': "@connectionParameters('token:tenantId')",
          },
        },
        {
          templateId: 'setqueryparameter',
          title: 'q',
          parameters: {
            'x-ms-apimTemplateParameter.name': 'criteria',
            'x-ms-apimTemplateParameter.value': "[@queryParameters('filter')]",
          },
        },
        {
          templateId: 'routerequesttoendpoint',
          title: 'r',
          parameters: {
            'x-ms-apimTemplateParameter.newPath': "/t/@connectionParameters('token:tenantId')/{service}",
            'x-ms-apimTemplateParameter.httpMethod': '@Request.OriginalHTTPMethod',
          },
        },
        { templateId: 'somethingnew', title: 'x', parameters: {} },
      ],
    });
    const c = connector({ operations: [op] });
    const lines: string[] = [];
    await invokeOperation({
      connector: c,
      operation: 'Route',
      connection: conn({ params: { tenantId: 'T9' } }),
      params: { service: 'mail', filter: 'a' },
      logger: capturingLogger(lines),
    });
    const got = server.received.at(-1)!;
    expect(got.path).toBe('/v1/t/T9/mail');
    expect(got.headers.tenantid).toBe('T9');
    expect(got.query.get('criteria')).toBe('[a]');
    expect(lines.join('\n')).toContain('somethingnew');
  });

  it('takes the host from a dynamichosturl policy and keeps the base path', async () => {
    handler = (_q, res) => json(res, 200, {});
    const op = operation({ id: 'Ping', method: 'GET', path: '/ping' });
    const c = connector({
      baseUrl: 'https://placeholder.example.com/api/v2',
      operations: [
        {
          ...op,
          policies: [
            {
              templateId: 'dynamichosturl',
              title: 'host',
              parameters: { 'x-ms-apimTemplateParameter.urlTemplate': "@connectionParameters('instanceUrl')" },
            },
          ],
        },
      ],
    });
    const r = await invokeOperation({
      connector: c,
      operation: 'Ping',
      connection: conn({ baseUrl: undefined, params: { instanceUrl: server.url } }),
    });
    expect(server.received.at(-1)!.path).toBe('/api/v2/ping');
    expect(r.request.url).toBe(`${server.url}/api/v2/ping`);
    await expect(
      invokeOperation({ connector: c, operation: 'Ping', connection: conn({ baseUrl: undefined, params: {} }) }),
    ).rejects.toMatchObject({
      code: 'connection.unresolved',
      message: expect.stringContaining("connectionParameters('instanceUrl')"),
    });
  });

  it('sets a response property with setproperty so paging can follow it', async () => {
    let n = 0;
    handler = (_q, res) => {
      n++;
      json(res, 200, n === 1 ? { items: [1, 2], next: `${server.url}/v1/rooms?page=2` } : { items: [3] });
    };
    const op = operation({
      id: 'ListRooms',
      method: 'GET',
      path: '/rooms',
      pageable: { nextLinkName: 'nextLink', itemsName: 'items' },
      policies: [
        {
          templateId: 'setproperty',
          title: 'next',
          parameters: {
            'x-ms-apimTemplateParameter.newPropertyParentPathTemplate': '@body()',
            'x-ms-apimTemplateParameter.newPropertySubPathTemplate': 'nextLink',
            'x-ms-apimTemplateParameter.propertyValuePathTemplate': '{@body().next}',
            'x-ms-apimTemplate-policySection': 'Response',
          },
        },
      ],
    });
    const r = await invokeOperation({
      connector: connector({ operations: [op] }),
      operation: 'ListRooms',
      connection: conn(),
    });
    expect(r.body).toMatchObject({ items: [1, 2, 3] });
    expect(server.received.at(-1)!.query.get('page')).toBe('2');
  });
});

describe('invokeOperation: responses, paging and errors', () => {
  const list = operation({
    id: 'List',
    method: 'GET',
    path: '/list',
    pageable: { nextLinkName: '@odata.nextLink', itemsName: 'value' },
  });
  const c = connector({ authSchemes: [apiKeyHeader], operations: [list] });

  it('follows next links up to the page limit, concatenating items', async () => {
    handler = (q, res) => {
      const page = Number(q.query.get('page') ?? 1);
      json(res, 200, {
        value: [page * 10, page * 10 + 1],
        '@odata.nextLink': page < 4 ? `${server.url}/v1/list?page=${page + 1}` : undefined,
      });
    };
    const all = await invokeOperation({ connector: c, operation: 'List', connection: conn() });
    expect(all.body).toEqual({ value: [10, 11, 20, 21, 30, 31, 40, 41] });
    expect(server.received.at(-1)!.headers['x-api-key']).toBe(CANARY);
    const some = await invokeOperation({ connector: c, operation: 'List', connection: conn(), maxPages: 2 });
    expect(some.body).toEqual({ value: [10, 11, 20, 21], '@odata.nextLink': `${server.url}/v1/list?page=3` });
  });

  it('turns a 5xx into connector.http with the status and the service message, without the secret', async () => {
    handler = (_q, res) => json(res, 502, { error: { code: 'Bad', message: `Upstream broke for key ${CANARY}` } });
    const lines: string[] = [];
    const err = await invokeOperation({
      connector: c,
      operation: 'List',
      connection: conn(),
      retry: { count: 1, intervalMs: 1, minMs: 1, maxMs: 2 },
      logger: capturingLogger(lines),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PatchbayError);
    expect(err).toMatchObject({ code: 'connector.http', status: 502, retryable: true });
    expect((err as Error).message).toContain('Upstream broke for key ***');
    expect((err as Error).message).not.toContain(CANARY);
    expect(lines.join('\n')).not.toContain(CANARY);
    expect(lines.length).toBeGreaterThan(0);
  });

  it('reads error_description and plain-text errors', async () => {
    handler = (_q, res) => json(res, 400, { error: 'invalid_request', error_description: 'The id is malformed' });
    await expect(invokeOperation({ connector: c, operation: 'List', connection: conn() })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('invalid_request: The id is malformed'),
    });
    handler = (_q, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('No such list');
    };
    await expect(invokeOperation({ connector: c, operation: 'List', connection: conn() })).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('No such list'),
    });
  });

  it('retries 429 and 503, honouring Retry-After in seconds and as a date', async () => {
    const answers = [
      (res: Parameters<Handler>[1]) => json(res, 429, { message: 'slow down' }, { 'retry-after': '0' }),
      (res: Parameters<Handler>[1]) =>
        json(res, 503, { message: 'busy' }, { 'retry-after': new Date(Date.now() - 1000).toUTCString() }),
      (res: Parameters<Handler>[1]) => json(res, 200, { value: ['done'] }),
    ];
    let i = 0;
    handler = (_q, res) => answers[Math.min(i++, 2)](res);
    const before = server.received.length;
    // Minimum wait of 10 minutes: only Retry-After can let this finish within the test timeout.
    const r = await invokeOperation({
      connector: c,
      operation: 'List',
      connection: conn(),
      retry: { count: 4, intervalMs: 600_000, minMs: 600_000, maxMs: 600_000 },
    });
    expect(r.body).toEqual({ value: ['done'] });
    expect(server.received.length - before).toBe(3);
  });

  it('gives up after the retry count', async () => {
    handler = (_q, res) => json(res, 500, { message: 'down' });
    const before = server.received.length;
    await expect(
      invokeOperation({
        connector: c,
        operation: 'List',
        connection: conn(),
        retry: { count: 2, intervalMs: 1, minMs: 1, maxMs: 1 },
      }),
    ).rejects.toMatchObject({ status: 500 });
    expect(server.received.length - before).toBe(3);
  });

  it('times out a request the service never answers', async () => {
    handler = () => undefined;
    await expect(
      invokeOperation({ connector: c, operation: 'List', connection: conn(), timeoutMs: 100, retry: { count: 0 } }),
    ).rejects.toMatchObject({ code: 'connector.timeout' });
  });

  it('cancels mid-request and during a retry wait', async () => {
    const ac = new AbortController();
    handler = () => void ac.abort();
    await expect(
      invokeOperation({ connector: c, operation: 'List', connection: conn(), signal: ac.signal }),
    ).rejects.toMatchObject({ code: 'run.cancelled' });
    const ac2 = new AbortController();
    handler = (_q, res) => {
      json(res, 503, {});
      setTimeout(() => ac2.abort(), 20);
    };
    await expect(
      invokeOperation({
        connector: c,
        operation: 'List',
        connection: conn(),
        signal: ac2.signal,
        retry: { count: 3, intervalMs: 600_000, minMs: 600_000 },
      }),
    ).rejects.toMatchObject({ code: 'run.cancelled' });
  });
});

describe('invokeOperation: OAuth2', () => {
  const oauth: AuthScheme = {
    name: 'oauth',
    displayName: 'OAuth',
    type: 'oauth2',
    oauth2: { identityProvider: 'oauth2', flow: 'authorizationCode', grantTypes: ['authorizationCode'], scopes: [] },
    parameters: [],
  };
  const me = operation({ id: 'Me', method: 'GET', path: '/me' });

  it('refreshes the token once after a 401 and retries', async () => {
    handler = (q, res) =>
      q.headers.authorization === 'Bearer fresh-token-2'
        ? json(res, 200, { me: 1 })
        : json(res, 401, { error: { message: 'expired' } });
    const calls: (boolean | undefined)[] = [];
    const connection = conn({
      params: {},
      getAccessToken: async (o) => (calls.push(o?.forceRefresh), o?.forceRefresh ? 'fresh-token-2' : 'stale-token-1'),
    });
    const r = await invokeOperation({
      connector: connector({ authSchemes: [oauth], operations: [me] }),
      operation: 'Me',
      connection,
    });
    expect(r.body).toEqual({ me: 1 });
    expect(calls).toEqual([undefined, true]);
    expect(r.request.headers.authorization).toBe('***');
  });

  it('fails with the 401 when the refreshed token is refused too', async () => {
    handler = (_q, res) => json(res, 401, { error: { message: 'nope' } });
    const connection = conn({ params: {}, getAccessToken: async () => 'tok-abcdef' });
    const err = await invokeOperation({
      connector: connector({ authSchemes: [oauth], operations: [me] }),
      operation: 'Me',
      connection,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'connector.http', status: 401 });
    expect((err as Error).message).not.toContain('tok-abcdef');
  });
});
