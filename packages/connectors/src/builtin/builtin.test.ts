import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedConnection } from '@patchbay/core';
import { invokeOperation } from '../invoke/invoke.js';
import { closeConnectorPools } from '../invoke/pool.js';
import { json, startServer, type Handler, type TestServer } from '../invoke/testing.js';
import { builtinConnectors } from './index.js';

const SECRET = 'tok-CANARY-55aa';
let api: TestServer;
let files: TestServer;
let handler: Handler = (_q, res) => json(res, 200, {});
beforeAll(async () => {
  api = await startServer((q, res, raw) => handler(q, res, raw));
  files = await startServer((_q, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(Buffer.from([7, 7, 7]));
  });
});
afterAll(async () => {
  await closeConnectorPools();
  await api.close();
  await files.close();
});

const byId = (id: string) => builtinConnectors().find((c) => c.id === id)!;
const oauth = (o: Partial<ResolvedConnection> = {}): ResolvedConnection => ({
  connectionId: 'c',
  connectorId: 'x',
  params: {},
  baseUrl: api.url,
  getAccessToken: async () => SECRET,
  ...o,
});

describe('built-in connectors', () => {
  it('lists http, rss, office365, onedrive, sharepoint, github and slack in the connector model', () => {
    expect(builtinConnectors().map((c) => c.id)).toEqual([
      'http',
      'rss',
      'office365',
      'onedrive',
      'sharepoint',
      'github',
      'slack',
    ]);
    for (const c of builtinConnectors()) {
      expect(c.source.kind).toBe('builtin');
      expect(c.authSchemes.length).toBeGreaterThan(0);
      expect(new Set(c.operations.map((o) => o.id)).size).toBe(c.operations.length);
    }
  });

  it('http: sends a request under its base URL with an API key header named by the connection', async () => {
    handler = (q, res) => json(res, 201, { got: JSON.parse(q.body.toString()) });
    const connection: ResolvedConnection = {
      connectionId: 'h',
      connectorId: 'http',
      scheme: 'apiKeyHeader',
      params: { key_name: 'X-Custom-Key', api_key: SECRET },
      baseUrl: api.url,
    };
    const r = await invokeOperation({
      connector: byId('http'),
      operation: 'SendRequest',
      connection,
      params: {
        method: 'PATCH',
        uri: `${api.url}/things/1?a=1`,
        headers: { 'X-Extra': 'yes' },
        queries: { b: '2' },
        body: { name: 'n' },
      },
    });
    const got = api.received.at(-1)!;
    expect(got.method).toBe('PATCH');
    expect(got.path).toBe('/things/1');
    expect(Object.fromEntries(got.query)).toEqual({ a: '1', b: '2' });
    expect(got.headers['x-custom-key']).toBe(SECRET);
    expect(got.headers['x-extra']).toBe('yes');
    expect(r).toMatchObject({ status: 201, body: { got: { name: 'n' } } });
    expect(JSON.stringify(r.request)).not.toContain(SECRET);
    await expect(
      invokeOperation({
        connector: byId('http'),
        operation: 'SendRequest',
        connection,
        params: { method: 'GET', uri: 'file:///etc/passwd' },
      }),
    ).rejects.toMatchObject({ code: 'action.param' });
    await expect(
      invokeOperation({
        connector: byId('http'),
        operation: 'SendRequest',
        connection: { ...connection, baseUrl: undefined },
        params: { method: 'GET', uri: '/relative' },
      }),
    ).rejects.toMatchObject({ code: 'connection.unresolved' });
  });

  it('rss: lists RSS 2.0 and Atom items, filtered by date and count', async () => {
    const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
      <item><title>One &amp; only</title><link>https://e.x/1</link><guid>g1</guid><pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate><description>First</description><category>news</category></item>
      <item><title>Two</title><link>https://e.x/2</link><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate></item></channel></rss>`;
    const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
      <entry><id>urn:1</id><title>Atom one</title><link rel="alternate" href="https://a.x/1"/><updated>2024-03-01T00:00:00Z</updated><summary>S</summary><author><name>Ada</name></author></entry></feed>`;
    handler = (q, res) => {
      res.writeHead(200, {
        'content-type':
          q.path === '/atom' ? 'application/atom+xml' : q.path === '/bad' ? 'application/xml' : 'application/rss+xml',
      });
      res.end(q.path === '/atom' ? atom : q.path === '/bad' ? '<rss><channel>' : rss);
    };
    const none: ResolvedConnection = { connectionId: 'r', connectorId: 'rss', params: {} };
    const r = await invokeOperation({
      connector: byId('rss'),
      operation: 'ListFeedItems',
      connection: none,
      params: { feedUrl: `${api.url}/rss` },
    });
    expect(r.body).toMatchObject({
      value: [
        {
          id: 'g1',
          title: 'One & only',
          primaryLink: 'https://e.x/1',
          publishDate: '2024-01-02T10:00:00.000Z',
          summary: 'First',
          categories: ['news'],
        },
        { title: 'Two', id: 'https://e.x/2' },
      ],
    });
    const since = await invokeOperation({
      connector: byId('rss'),
      operation: 'ListFeedItems',
      connection: none,
      params: { feedUrl: `${api.url}/rss`, since: '2024-01-01T12:00:00Z' },
    });
    expect((since.body as { value: unknown[] }).value).toHaveLength(1);
    const a = await invokeOperation({
      connector: byId('rss'),
      operation: 'ListFeedItems',
      connection: none,
      params: { feedUrl: `${api.url}/atom`, top: 5 },
    });
    expect(a.body).toEqual({
      value: [
        {
          id: 'urn:1',
          title: 'Atom one',
          primaryLink: 'https://a.x/1',
          links: ['https://a.x/1'],
          summary: 'S',
          publishDate: '2024-03-01T00:00:00.000Z',
          updatedOn: '2024-03-01T00:00:00.000Z',
          authors: ['Ada'],
          categories: [],
        },
      ],
    });
    await expect(
      invokeOperation({
        connector: byId('rss'),
        operation: 'ListFeedItems',
        connection: none,
        params: { feedUrl: `${api.url}/bad` },
      }),
    ).rejects.toMatchObject({ code: 'connector.http' });
  });

  it('office365: SendEmailV2 posts a Graph message to /me/sendMail with the OAuth token', async () => {
    handler = (_q, res) => {
      res.writeHead(202);
      res.end();
    };
    const r = await invokeOperation({
      connector: byId('office365'),
      operation: 'SendEmailV2',
      connection: oauth(),
      params: { To: 'ada@contoso.com; grace@contoso.com', Subject: 'Hi', Body: '<b>x</b>' },
    });
    const got = api.received.at(-1)!;
    expect(`${got.method} ${got.path}`).toBe('POST /v1.0/me/sendMail');
    expect(got.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(JSON.parse(got.body.toString())).toEqual({
      message: {
        subject: 'Hi',
        body: { contentType: 'HTML', content: '<b>x</b>' },
        toRecipients: [
          { emailAddress: { address: 'ada@contoso.com' } },
          { emailAddress: { address: 'grace@contoso.com' } },
        ],
        ccRecipients: [],
        bccRecipients: [],
        importance: 'normal',
      },
      saveToSentItems: true,
    });
    expect(r.status).toBe(202);
    expect(r.request.headers.authorization).toBe('***');
  });

  it('office365: lists messages page by page, and Top is the most messages returned, not a page size', async () => {
    const page = (token: number) => ({
      value: [{ id: `m${token}` }],
      '@odata.nextLink': `${api.url}/v1.0/me/mailFolders/inbox/messages?$skiptoken=${token + 1}`,
    });
    handler = (q, res) => json(res, 200, page(Number(q.query.get('$skiptoken') ?? 1)));
    const before = api.received.length;
    const r = await invokeOperation({
      connector: byId('office365'),
      operation: 'GetEmailsV3',
      connection: oauth(),
      params: { top: 2 },
    });
    expect(api.received.length - before).toBe(2);
    expect(api.received.at(-2)!.path).toBe('/v1.0/me/mailFolders/inbox/messages');
    expect(api.received.at(-2)!.query.get('$top')).toBe('2');
    expect(r.body).toEqual({ value: [{ id: 'm1' }, { id: 'm2' }] });
  });

  it('onedrive: lists a folder over every page, on Graph only', async () => {
    handler = (q, res) => {
      const n = Number(q.query.get('page') ?? 1);
      if (n === 1) return json(res, 200, { value: [{ name: 'a' }], '@odata.nextLink': `${api.url}/v1.0/next?page=2` });
      if (n === 2) return json(res, 200, { value: [{ name: 'b' }], '@odata.nextLink': `${files.url}/steal?page=3` });
      return json(res, 200, { value: [{ name: 'c' }] });
    };
    const lines: string[] = [];
    const seenByOther = files.received.length;
    const r = await invokeOperation({
      connector: byId('onedrive'),
      operation: 'ListFolder',
      connection: oauth(),
      params: { path: '/Docs' },
      maxItems: 100,
      logger: {
        debug: () => undefined,
        info: () => undefined,
        warn: (m) => void lines.push(m),
        error: (m) => void lines.push(m),
      },
    });
    expect(r.body).toEqual({ value: [{ name: 'a' }, { name: 'b' }] });
    expect(files.received.length).toBe(seenByOther);
    expect(lines.join('\n')).toContain('another host');
    expect(api.received.at(-1)!.headers.authorization).toMatch(/^Bearer /);
  });

  it('onedrive: uploads bytes by path and downloads through the redirect without sending the token on', async () => {
    handler = (q, res) =>
      q.method === 'PUT'
        ? json(res, 201, { id: 'f1', name: 'a b.txt' })
        : !q.path.endsWith('/content')
          ? json(res, 200, { value: [] })
          : void res.writeHead(302, { location: `${files.url}/signed/abc` }).end();
    await invokeOperation({
      connector: byId('onedrive'),
      operation: 'CreateFile',
      connection: oauth(),
      params: { path: '/Docs/a b.txt', content: new Uint8Array([1, 2]) },
    });
    const put = api.received.at(-1)!;
    expect(`${put.method} ${put.path}`).toBe('PUT /v1.0/me/drive/root:/Docs/a%20b.txt:/content');
    expect([...put.body]).toEqual([1, 2]);
    const d = await invokeOperation({
      connector: byId('onedrive'),
      operation: 'GetFileContentByPath',
      connection: oauth(),
      params: { path: '/Docs/a b.txt' },
    });
    expect([...(d.body as Uint8Array)]).toEqual([7, 7, 7]);
    expect(files.received.at(-1)!.headers.authorization).toBeUndefined();
    await invokeOperation({ connector: byId('onedrive'), operation: 'ListFolder', connection: oauth() });
    expect(api.received.at(-1)!.path).toBe('/v1.0/me/drive/root/children');
  });

  it('sharepoint: creates an item with fields and lists items with their fields', async () => {
    handler = (q, res) => json(res, q.method === 'POST' ? 201 : 200, q.method === 'POST' ? { id: '9' } : { value: [] });
    await invokeOperation({
      connector: byId('sharepoint'),
      operation: 'PostItem',
      connection: oauth(),
      params: { siteId: 'root', listId: 'Tasks', fields: { Title: 'New' } },
    });
    expect(api.received.at(-1)!.path).toBe('/v1.0/sites/root/lists/Tasks/items');
    expect(JSON.parse(api.received.at(-1)!.body.toString())).toEqual({ fields: { Title: 'New' } });
    await invokeOperation({
      connector: byId('sharepoint'),
      operation: 'GetItems',
      connection: oauth(),
      params: { siteId: 'root', listId: 'Tasks' },
    });
    expect(api.received.at(-1)!.query.get('$expand')).toBe('fields');
  });

  it('github: creates and lists issues with the headers GitHub requires', async () => {
    handler = (q, res) =>
      json(res, q.method === 'POST' ? 201 : 200, q.method === 'POST' ? { number: 5 } : [{ number: 5 }]);
    const pat: ResolvedConnection = {
      connectionId: 'g',
      connectorId: 'github',
      scheme: 'token',
      params: { token: SECRET },
      baseUrl: api.url,
    };
    const r = await invokeOperation({
      connector: byId('github'),
      operation: 'CreateIssue',
      connection: pat,
      params: { owner: 'octo', repo: 'hello', title: 'Bug', labels: ['bug'] },
    });
    const got = api.received.at(-1)!;
    expect(`${got.method} ${got.path}`).toBe('POST /repos/octo/hello/issues');
    expect(got.headers['user-agent']).toBe('Patchbay');
    expect(got.headers['x-github-api-version']).toBe('2022-11-28');
    expect(got.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(JSON.parse(got.body.toString())).toEqual({ title: 'Bug', labels: ['bug'] });
    expect(r.body).toEqual({ number: 5 });
    await invokeOperation({
      connector: byId('github'),
      operation: 'ListIssues',
      connection: pat,
      params: { owner: 'octo', repo: 'hello', labels: ['a', 'b'] },
    });
    expect(api.received.at(-1)!.query.get('labels')).toBe('a,b');
    expect(api.received.at(-1)!.query.get('state')).toBeNull();
  });

  it('slack: posts a message and turns ok:false into an error', async () => {
    handler = (q, res) =>
      json(
        res,
        200,
        JSON.parse(q.body.toString()).channel === 'C1'
          ? { ok: true, ts: '1.2' }
          : { ok: false, error: 'channel_not_found' },
      );
    const bot: ResolvedConnection = {
      connectionId: 's',
      connectorId: 'slack',
      scheme: 'botToken',
      params: { token: SECRET },
      baseUrl: api.url,
    };
    const r = await invokeOperation({
      connector: byId('slack'),
      operation: 'PostMessageV2',
      connection: bot,
      params: { channel: 'C1', text: 'hi' },
    });
    expect(api.received.at(-1)!.path).toBe('/api/chat.postMessage');
    expect(r.body).toEqual({ ok: true, ts: '1.2' });
    await expect(
      invokeOperation({
        connector: byId('slack'),
        operation: 'PostMessageV2',
        connection: bot,
        params: { channel: 'nope', text: 'hi' },
      }),
    ).rejects.toMatchObject({ code: 'connector.http', message: expect.stringContaining('channel_not_found') });
  });
});
