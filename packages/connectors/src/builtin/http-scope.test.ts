import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedConnection } from '@patchbay/core';
import { invokeOperation } from '../invoke/invoke.js';
import { closeConnectorPools } from '../invoke/pool.js';
import { json, startServer, type TestServer } from '../invoke/testing.js';
import { authScopeOf, inAuthScope, scopedUrl } from './http-scope.js';
import { builtinConnectors } from './index.js';

const CANARY = 'canary-http-scope-7d41c0';
let api: TestServer; // the connection's own service
let other: TestServer; // a server the credentials must never reach
beforeAll(async () => {
  other = await startServer((_q, res) => json(res, 200, { other: true }));
  api = await startServer((q, res) => {
    if (q.path === '/v1/hop-out') return json(res, 302, {}, { location: `${other.url}/stolen` });
    if (q.path === '/v1/hop-up') return json(res, 302, {}, { location: '/admin' });
    return json(res, 200, { path: q.path });
  });
});
afterAll(async () => {
  await closeConnectorPools();
  await api.close();
  await other.close();
});

const http = builtinConnectors().find((c) => c.id === 'http')!;
const connection = (o: Partial<ResolvedConnection> = {}): ResolvedConnection => ({
  connectionId: 'h',
  connectorId: 'http',
  scheme: 'bearer',
  params: { token: CANARY },
  baseUrl: `${api.url}/v1`,
  ...o,
});
const send = (uri: string, c = connection()) =>
  invokeOperation({ connector: http, operation: 'SendRequest', connection: c, params: { method: 'GET', uri } });
const leaked = (s: TestServer) => JSON.stringify(s.received.map((r) => [r.headers, [...r.query]])).includes(CANARY);

describe('the HTTP connector sends credentials only under the connection base URL', () => {
  it('sends to the base URL, to paths under it and to relative paths', async () => {
    expect((await send(`${api.url}/v1`)).body).toEqual({ path: '/v1' });
    expect((await send(`${api.url}/v1/items?x=1`)).body).toEqual({ path: '/v1/items' });
    expect((await send('items/2')).body).toEqual({ path: '/v1/items/2' });
    expect(api.received.at(-1)?.headers.authorization).toBe(`Bearer ${CANARY}`);
  });

  it.each([
    ['another server', () => `${other.url}/v1/items`],
    ['the same host on another port', () => `http://127.0.0.1:${Number(new URL(api.url).port) + 1}/v1`],
    [
      'a user name that looks like the host',
      () => other.url.replace('//', `//127.0.0.1:${new URL(api.url).port}@`) + '/v1',
    ],
    ['a path next to the base path', () => `${api.url}/v10/items`],
    ['a path above the base path', () => `${api.url}/admin`],
    ['a dot-dot segment', () => `${api.url}/v1/../admin`],
    ['an encoded dot-dot segment', () => `${api.url}/v1/%2e%2e/admin`],
    ['an encoded slash', () => `${api.url}/v1%2F..%2Fadmin`],
    ['a relative dot-dot path', () => '../admin'],
    ['https instead of http', () => `${api.url.replace('http:', 'https:')}/v1`],
  ])('refuses %s before sending anything', async (_label, url) => {
    const before = api.received.length + other.received.length;
    await expect(send(url())).rejects.toMatchObject({
      code: 'connection.denied',
      message: expect.stringContaining("does not send this connection's credentials"),
    });
    expect(api.received.length + other.received.length).toBe(before);
  });

  it('refuses every absolute URL when the connection has no base URL and no allowed origins', async () => {
    const err = await send(`${api.url}/v1/items`, connection({ baseUrl: undefined })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'connection.denied', message: expect.stringContaining('nowhere') });
  });

  it('sends to an origin listed in allowed_origins, and nowhere else', async () => {
    const c = connection({
      baseUrl: undefined,
      params: { token: CANARY, allowed_origins: `https://x.test, ${other.url}` },
    });
    expect((await send(`${other.url}/anything`, c)).body).toEqual({ other: true });
    expect(other.received.at(-1)?.headers.authorization).toBe(`Bearer ${CANARY}`);
    other.received.length = 0;
    await expect(send(`${api.url}/v1`, c)).rejects.toMatchObject({ code: 'connection.denied' });
    await expect(
      send(`${api.url}/v1`, connection({ params: { token: CANARY, allowed_origins: 'https://x.test/path' } })),
    ).rejects.toMatchObject({ code: 'connection.denied', message: expect.stringContaining('allowed_origins') });
  });

  it('drops the credentials on a redirect out of the scope, also on the same origin', async () => {
    other.received.length = 0;
    await send(`${api.url}/v1/hop-out`);
    expect(other.received).toHaveLength(1);
    expect(leaked(other)).toBe(false);
    const before = api.received.length;
    await send(`${api.url}/v1/hop-up`);
    const hop = api.received.slice(before).find((r) => r.path === '/admin');
    expect(hop?.headers.authorization).toBeUndefined();
  });

  it('sends any URL without credentials when the connection has none', async () => {
    const c = connection({ scheme: 'none', params: {}, baseUrl: undefined });
    expect((await send(`${other.url}/open`, c)).body).toEqual({ other: true });
  });

  it('keeps the API key in the query out of other servers too', async () => {
    const c = connection({ scheme: 'apiKeyQuery', params: { key_name: 'key', api_key: CANARY } });
    other.received.length = 0;
    await expect(send(`${other.url}/v1`, c)).rejects.toMatchObject({ code: 'connection.denied' });
    expect(other.received).toHaveLength(0);
  });
});

describe('inAuthScope', () => {
  const scope = authScopeOf({ baseUrl: 'https://api.example.com/v1/', params: {} });
  it.each([
    ['https://api.example.com/v1', true],
    ['https://api.example.com/v1/', true],
    ['https://API.example.com:443/v1/x', true],
    ['https://api.example.com/v1x', false],
    ['https://api.example.com.evil.test/v1', false],
    ['https://evil.test/v1?https://api.example.com/v1', false],
    ['https://api.example.com@evil.test/v1', false],
    ['https://u:p@api.example.com/v1', false],
    ['http://api.example.com/v1', false],
    ['https://api.example.com:8443/v1', false],
    ['https://api.example.com/v1/a%2Fb', false],
    ['https://api.example.com/v1/a%5c..%5cb', false],
  ])('%s → %s', (url, ok) => {
    expect(inAuthScope(scope, new URL(url))).toBe(ok);
  });

  it('resolves relative paths under the base URL and refuses ones that climb out', () => {
    expect(scopedUrl(scope, 'items').href).toBe('https://api.example.com/v1/items');
    expect(scopedUrl(scope, '/items').href).toBe('https://api.example.com/v1/items');
    expect(() => scopedUrl(scope, '../../admin')).toThrow(/does not send/);
    expect(() => scopedUrl(scope, 'file:///etc/passwd')).toThrow(/not an http\(s\) URL/);
  });
});
