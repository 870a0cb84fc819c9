/**
 * Paging and multipart file parts through flows: the built-in GitHub
 * connector follows `Link: rel="next"` headers, a Power Platform fixture
 * (JIRA) follows `x-ms-pageable` next links, both up to the catalog's page
 * limit; a multipart upload sends its file part with the name and type the
 * step gives.
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
  validateFlow,
  type ResolvedConnection,
} from '@patchbay/core';
import { createNodeHost, nodeClock } from '@patchbay/runtime';
import { builtinConnectors } from '../builtin/index.js';
import { importConnector, importConnectorFromText } from '../import/index.js';
import type { Connector } from '../model.js';
import { closeConnectorPools } from '../invoke/pool.js';
import { json, startServer, type TestServer } from '../invoke/testing.js';
import { nextFromLinkHeader } from '../invoke/paging.js';
import { createConnectorCatalog } from './catalog.js';

const FIXTURES = fileURLToPath(new URL('../../../../fixtures/power-platform-connectors', import.meta.url));
const PAGES = 4;
const MESSAGES = 23;
const MAIL_API = {
  openapi: '3.0.3',
  info: { title: 'Mail', version: '1' },
  servers: [{ url: 'https://mail.example.com' }],
  paths: {
    '/mail/messages': {
      get: {
        operationId: 'ListMessages',
        'x-ms-pageable': { nextLinkName: '@odata.nextLink', itemName: 'value' },
        parameters: [{ name: '$top', in: 'query', schema: { type: 'integer' } }],
        responses: {
          '200': { description: 'Messages', content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
    },
    '/mail/messages/{id}': {
      get: {
        operationId: 'GetMessage',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'A message' } },
      },
    },
  },
};
let server: TestServer;
let other: TestServer;
let connectors: Connector[];

beforeAll(async () => {
  other = await startServer();
  server = await startServer(async (q, res) => {
    const page = Number(q.query.get('page') ?? 1);
    if (q.path === '/repos/contoso/app/issues') {
      const link = (p: number, rel: string) =>
        `<${server.url}/repos/contoso/app/issues?state=open&page=${p}>; rel="${rel}"`;
      const links = [page < PAGES ? link(page + 1, 'next') : '', link(PAGES, 'last')].filter(Boolean).join(', ');
      return json(res, 200, [{ number: page * 10 + 1 }, { number: page * 10 + 2 }], { link: links });
    }
    if (q.path === '/repos/contoso/elsewhere/issues')
      return json(res, 200, [{ number: 1 }], {
        link: `<${other.url}/repos/contoso/elsewhere/issues?page=2>; rel="next"`,
      });
    if (q.path === '/rest/api/2/project/search') {
      const start = Number(q.query.get('startAt') ?? 0);
      return json(res, 200, {
        value: [{ id: start + 1 }, { id: start + 2 }],
        nextLink: start + 2 < PAGES * 2 ? `${server.url}/rest/api/2/project/search?startAt=${start + 2}` : undefined,
      });
    }
    if (q.path === '/mail/messages') {
      // As Microsoft Graph does: $top is the page size, and the next link carries it on.
      const top = Number(q.query.get('$top') ?? 5);
      const skip = Number(q.query.get('skip') ?? 0);
      const value = Array.from({ length: Math.max(0, Math.min(top, MESSAGES - skip)) }, (_, i) => ({
        n: skip + i + 1,
      }));
      const next = skip + top < MESSAGES ? `${server.url}/mail/messages?$top=${top}&skip=${skip + top}` : undefined;
      return json(res, 200, { value, ...(next ? { '@odata.nextLink': next } : {}) });
    }
    if (q.path === '/v1/imports') {
      const form = await new Request('http://127.0.0.1/', {
        method: 'POST',
        headers: { 'content-type': String(q.headers['content-type']) },
        body: new Uint8Array(q.body),
      }).formData();
      const file = form.get('file') as File;
      return json(res, 202, { name: file.name, type: file.type, text: await file.text(), note: form.get('note') });
    }
    json(res, 404, { message: `no route ${q.path}` });
  });
  const ledger = importConnectorFromText(
    readFileSync(fileURLToPath(new URL('../import/testdata/ledger.openapi30.yaml', import.meta.url)), 'utf8'),
    { fileName: 'ledger.openapi30.yaml' },
  );
  const jira = await importConnector(`${FIXTURES}/certified-connectors/JIRA`);
  const mail = importConnectorFromText(JSON.stringify(MAIL_API), { fileName: 'mail.openapi.json' });
  connectors = [...builtinConnectors().filter((c) => c.id === 'github'), jira, ledger, mail];
});
afterAll(async () => {
  await closeConnectorPools();
  await Promise.all([server.close(), other.close()]);
});

const connections = {
  async resolve(ref: string, connectorId: string): Promise<ResolvedConnection> {
    if (connectorId === 'github')
      return { connectionId: 'gh', connectorId, scheme: 'token', params: { token: 'ghp_test' }, baseUrl: server.url };
    if (connectorId === 'mail') return { connectionId: 'ml', connectorId, params: {}, baseUrl: server.url };
    if (connectorId === 'ledger')
      return { connectionId: 'lg', connectorId, scheme: 'apiKeyHeader', params: { api_key: 'k' }, baseUrl: server.url };
    return {
      connectionId: ref,
      connectorId,
      params: { jirainstance: 'contoso', username: 'ada@example.com', password: 'jira-token' },
      baseUrl: server.url,
    };
  },
};

const actions = createActionRegistry([...blockActions, ...standardActions]);

async function runOne(
  step: Record<string, unknown>,
  maxPages: number,
  inputs: Record<string, unknown> = {},
  declared: Record<string, unknown> = {},
) {
  const text = JSON.stringify({
    schema: 'patchbay/flow@1',
    name: 'One step',
    inputs: declared,
    outputs: { Out: { type: 'any' }, Head: { type: 'any' } },
    steps: [{ ...step, produces: { body: 'Out', headers: 'Head' } }],
  });
  const flow = parseFlowText(text);
  const catalog = createConnectorCatalog(connectors, { maxPages, retry: { count: 0 } });
  expect(validateFlow(flow, { actions, connectors: catalog }).filter((d) => d.severity === 'error')).toEqual([]);
  const before = server.received.length;
  const warnings: string[] = [];
  const result = await runFlow(flow, {
    inputs,
    resources: {
      actions,
      connectors: catalog,
      connections,
      host: createNodeHost(),
      clock: nodeClock,
      logger: {
        debug: () => undefined,
        info: () => undefined,
        warn: (m) => void warnings.push(m),
        error: () => undefined,
      },
    },
  });
  return { result, sent: server.received.slice(before), warnings };
}

const listIssues = {
  connector: 'github',
  operation: 'ListIssues',
  connectionReference: 'contoso_github',
  params: { owner: 'contoso', repo: 'app' },
  pagination: { threshold: 5000 },
};

describe('GitHub paging by Link header', () => {
  it('reads every page into one list when the limit allows', async () => {
    const { result, sent } = await runOne(listIssues, 10);
    expect(result.status).toBe('succeeded');
    expect((result.outputs.Out as { number: number }[]).map((i) => i.number)).toEqual([11, 12, 21, 22, 31, 32, 41, 42]);
    expect(sent.map((r) => r.query.get('page'))).toEqual([null, '2', '3', '4']);
    expect(
      sent.every((r) => r.headers.authorization === 'Bearer ghp_test' && r.headers['user-agent'] === 'Patchbay'),
    ).toBe(true);
    expect((result.outputs.Head as Record<string, string>).link).toBeUndefined();
  });

  it('stops at the page limit and keeps the Link header that says where to go on', async () => {
    const { result, sent } = await runOne(listIssues, 2);
    expect((result.outputs.Out as unknown[]).length).toBe(4);
    expect(sent).toHaveLength(2);
    expect(nextFromLinkHeader((result.outputs.Head as Record<string, string>).link)).toBe(
      `${server.url}/repos/contoso/app/issues?state=open&page=3`,
    );
  });

  it('never follows a next link to another origin', async () => {
    const { result, warnings } = await runOne({ ...listIssues, params: { owner: 'contoso', repo: 'elsewhere' } }, 10);
    expect(result.outputs.Out).toEqual([{ number: 1 }]);
    expect(other.received).toHaveLength(0);
    expect(warnings.join('\n')).toContain('another host');
  });

  it('reads Link headers as RFC 8288 writes them', () => {
    expect(
      nextFromLinkHeader('<https://a.example/x?page=1>; rel="prev", <https://a.example/x?page=3>; rel="next"'),
    ).toBe('https://a.example/x?page=3');
    expect(nextFromLinkHeader('<https://a.example/x?a=1,2>; title="n"; rel=next')).toBe('https://a.example/x?a=1,2');
    expect(nextFromLinkHeader('<https://a.example/x>; rel="last"')).toBeUndefined();
    expect(nextFromLinkHeader(undefined)).toBeUndefined();
  });
});

describe('x-ms-pageable through a flow (JIRA)', () => {
  const search = {
    connector: 'jira',
    operation: 'ListProjects_V2',
    connectionReference: 'contoso_jira',
    params: {},
    pagination: { threshold: 5000 },
  };

  it('follows nextLink up to the page limit and keeps the next link', async () => {
    const { result, sent } = await runOne(search, 3);
    expect(result.error).toBeUndefined();
    expect(result.outputs.Out).toEqual({
      value: [1, 2, 3, 4, 5, 6].map((id) => ({ id })),
      nextLink: `${server.url}/rest/api/2/project/search?startAt=6`,
    });
    expect(sent).toHaveLength(3);
    const basic = `Basic ${Buffer.from('ada@example.com:jira-token').toString('base64')}`;
    expect(sent.every((r) => r.headers.authorization === basic)).toBe(true);
  });

  it('reads to the end when the limit allows, and only the first page with a limit of 1', async () => {
    expect((await runOne(search, 20)).result.outputs.Out).toEqual({
      value: [1, 2, 3, 4, 5, 6, 7, 8].map((id) => ({ id })),
    });
    const one = await runOne(search, 1);
    expect(one.sent).toHaveLength(1);
    expect(one.result.outputs.Out).toMatchObject({
      value: [{ id: 1 }, { id: 2 }],
      nextLink: `${server.url}/rest/api/2/project/search?startAt=2`,
    });
  });
});

describe('pagination as Power Platform does it', () => {
  const messages = {
    connector: 'mail',
    operation: 'ListMessages',
    connectionReference: 'contoso_mail',
    params: {},
  };

  it('reads only the first page while the step leaves pagination off', async () => {
    const { result, sent } = await runOne(messages, 50);
    expect(sent).toHaveLength(1);
    const out = result.outputs.Out as { value: { n: number }[]; '@odata.nextLink'?: string };
    expect(out.value.map((m) => m.n)).toEqual([1, 2, 3, 4, 5]);
    expect(out['@odata.nextLink']).toContain('skip=5');
  });

  it('gathers pages up to the threshold, cutting the last page, and drops the next link', async () => {
    const { result, sent } = await runOne({ ...messages, pagination: { threshold: 12 } }, 50);
    const out = result.outputs.Out as { value: { n: number }[]; '@odata.nextLink'?: string };
    expect(out.value.map((m) => m.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(out['@odata.nextLink']).toBeUndefined();
    expect(sent).toHaveLength(3);
  });

  it('reads to the end when the threshold is above the total', async () => {
    const { result, sent } = await runOne({ ...messages, pagination: { threshold: 1000 } }, 50);
    expect((result.outputs.Out as { value: unknown[] }).value).toHaveLength(23);
    expect(sent).toHaveLength(5);
  });

  it('treats $top as the most items wanted, not as a page size', async () => {
    const { result, sent } = await runOne({ ...messages, params: { $top: 3 }, pagination: { threshold: 1000 } }, 50);
    expect((result.outputs.Out as { value: { n: number }[] }).value.map((m) => m.n)).toEqual([1, 2, 3]);
    expect(sent).toHaveLength(1);
    expect(sent[0].query.get('$top')).toBe('3');
  });

  it('warns when pagination is set on an operation that does not page, and refuses it on a standard action', () => {
    const flow = parseFlowText(
      JSON.stringify({
        schema: 'patchbay/flow@1',
        name: 'Pagination where it does not apply',
        steps: [
          { ...messages, operation: 'GetMessage', params: { id: '1' }, pagination: { threshold: 10 } },
          { action: 'Variables.Set', params: { name: 'X', value: 1 }, pagination: { threshold: 10 } },
        ],
      }),
    );
    const catalog = createConnectorCatalog(connectors);
    const found = validateFlow(flow, { actions, connectors: catalog });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ severity: 'warning', pointer: '/steps/0/pagination' }),
        expect.objectContaining({ severity: 'error', pointer: '/steps/1/pagination' }),
      ]),
    );
  });
});

describe('multipart file parts', () => {
  const upload = { connector: 'ledger', operation: 'ImportStatement', connectionReference: 'contoso_ledger' };

  it('send the file name and content type the step gives', async () => {
    const { result } = await runOne(
      {
        ...upload,
        params: { file: '%Statement%', 'file.fileName': 'march.csv', 'file.contentType': 'text/csv', note: 'March' },
      },
      1,
      { Statement: Buffer.from('date,amount\n2024-03-01,12\n').toString('base64') },
      { Statement: { type: 'binary' } },
    );
    expect(result.error).toBeUndefined();
    expect(result.outputs.Out).toEqual({
      name: 'march.csv',
      type: 'text/csv',
      text: 'date,amount\n2024-03-01,12\n',
      note: 'March',
    });
  });

  it('name the part after its field when the step gives no file name, and refuse a name with a line break', async () => {
    const plain = await runOne(
      { ...upload, params: { file: '%Statement%' } },
      1,
      { Statement: Buffer.from('x').toString('base64') },
      { Statement: { type: 'binary' } },
    );
    expect(plain.result.outputs.Out).toMatchObject({ name: 'file', type: 'application/octet-stream', text: 'x' });
    const bad = await runOne(
      { ...upload, params: { file: '%Statement%', 'file.fileName': '%Name%' } },
      1,
      { Statement: Buffer.from('x').toString('base64'), Name: 'a\r\nb.csv' },
      { Statement: { type: 'binary' }, Name: { type: 'text' } },
    );
    expect(bad.result.error).toMatchObject({
      code: 'action.param',
      stepPath: '/steps/0',
      message: expect.stringContaining('file.fileName'),
    });
  });
});
