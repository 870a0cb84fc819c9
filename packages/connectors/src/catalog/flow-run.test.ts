/**
 * Connector steps through the real engine: a flow file with a step of an
 * imported OpenAPI connector (Ledger) and a step of a Power Platform fixture
 * (Zenler) runs with `runFlow`, `createConnectorCatalog` and a connection
 * resolver fed directly, against a local HTTP server.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blockActions,
  createActionRegistry,
  parseFlowText,
  PatchbayError,
  runFlow,
  standardActions,
  type ConnectionResolver,
  type StepEvent,
} from '@patchbay/core';
import { createNodeHost, nodeClock } from '@patchbay/runtime';
import { importConnector, importConnectorFromText } from '../import/index.js';
import type { Connector } from '../model.js';
import { closeConnectorPools } from '../invoke/pool.js';
import { json, startServer, type TestServer } from '../invoke/testing.js';
import { createConnectorCatalog } from './catalog.js';

const FIXTURES = fileURLToPath(new URL('../../../../fixtures/power-platform-connectors', import.meta.url));
const LEDGER_KEY = 'ledger-secret-5b7e';
const ZENLER_KEY = 'zenler-secret-91ac';

let server: TestServer;
let ledger: Connector;
let zenler: Connector;

beforeAll(async () => {
  server = await startServer((q, res) => {
    if (q.path === '/v1/entries')
      return json(res, 200, {
        value: [
          { id: 'e1', memo: 'Ada', amount: 120 },
          { id: 'e2', memo: 'Grace', amount: 80 },
        ],
      });
    if (q.path === '/api/v1/users' && q.method === 'POST')
      return json(res, 201, {
        response_code: 201,
        message: 'created',
        data: { id: 'u-42', ...(JSON.parse(q.body.toString('utf8')) as object) },
      });
    json(res, 404, { message: `no route ${q.method} ${q.path}` });
  });
  ledger = importConnectorFromText(
    readFileSync(fileURLToPath(new URL('../import/testdata/ledger.openapi30.yaml', import.meta.url)), 'utf8'),
    { fileName: 'ledger.openapi30.yaml' },
  );
  zenler = await importConnector(`${FIXTURES}/independent-publisher-connectors/Zenler`);
});
afterAll(async () => {
  await closeConnectorPools();
  await server.close();
});

const resolver = (): ConnectionResolver => ({
  async resolve(ref, connectorId) {
    if (ref === 'contoso_ledger' && connectorId === 'ledger')
      return {
        connectionId: 'c-ledger',
        connectorId,
        scheme: 'apiKeyHeader',
        params: { api_key: LEDGER_KEY },
        baseUrl: server.url,
      };
    if (ref === 'contoso_zenler' && connectorId === 'zenler')
      return {
        connectionId: 'c-zenler',
        connectorId,
        params: { api_key: ZENLER_KEY, account_name: 'contoso' },
        baseUrl: server.url,
      };
    throw new PatchbayError(
      'connection.unresolved',
      `The connection reference "${ref}" is not bound for ${connectorId}.`,
    );
  },
});

const flowText = JSON.stringify(
  {
    schema: 'patchbay/flow@1',
    name: 'Ledger payees to Zenler',
    inputs: { Book: { type: 'text', required: true } },
    outputs: { NewUserId: { type: 'text' }, Status: { type: 'number' } },
    steps: [
      {
        connector: 'ledger',
        operation: 'ListEntries',
        connectionReference: 'contoso_ledger',
        params: { book: '%Book%', tags: ['rent', 'q1'], limit: 2 },
        produces: { body: 'Entries' },
      },
      {
        connector: 'zenler',
        operation: 'UserPost',
        connectionReference: 'contoso_zenler',
        params: {
          first_name: '%Entries.value[0].memo%',
          last_name: 'Lovelace',
          email: 'ada@example.com',
          password: 'pw',
          commission: '%Entries.value.Count * 5%',
          roles: 'student',
        },
        produces: { body: 'Created', status: 'Status' },
      },
      { action: 'Variables.Set', params: { name: 'NewUserId', value: '%Created.data.id%' } },
    ],
  },
  null,
  2,
);

describe('connector steps in a flow', () => {
  it('run through runFlow: the service receives each request, and the produced variables carry the responses', async () => {
    const events: StepEvent[] = [];
    const before = server.received.length;
    const result = await runFlow(parseFlowText(flowText), {
      inputs: { Book: 'household' },
      resources: {
        actions: createActionRegistry([...blockActions, ...standardActions]),
        connectors: createConnectorCatalog([ledger, zenler], { retry: { count: 0 } }),
        connections: resolver(),
        host: createNodeHost(),
        clock: nodeClock,
        logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
        onEvent: (e) => events.push(e),
      },
    });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('succeeded');
    expect(result.outputs).toEqual({ NewUserId: 'u-42', Status: 201 });

    const [list, post] = server.received.slice(before);
    expect(list.method).toBe('GET');
    expect(list.query.get('book')).toBe('household');
    expect(list.query.getAll('tags')).toEqual(['rent', 'q1']);
    expect(list.query.get('limit')).toBe('2');
    expect(list.headers['x-ledger-key']).toBe(LEDGER_KEY);

    expect(post.method).toBe('POST');
    expect(post.path).toBe('/api/v1/users');
    expect(post.headers['x-api-key']).toBe(ZENLER_KEY);
    expect(post.headers['x-account-name']).toBe('contoso');
    expect(JSON.parse(post.body.toString('utf8'))).toEqual({
      first_name: 'Ada',
      last_name: 'Lovelace',
      email: 'ada@example.com',
      password: 'pw',
      commission: 10,
      roles: 'student',
    });

    const finished = events.filter((e) => e.type === 'step.finished').map((e) => e.action);
    expect(finished).toEqual(['ledger/ListEntries', 'zenler/UserPost', 'Variables.Set']);
    const shown = JSON.stringify([events, result.steps]);
    expect(shown).not.toContain(LEDGER_KEY);
    expect(shown).not.toContain(ZENLER_KEY);
  });

  it('stop at an unbound reference, naming the step and the reference', async () => {
    const text = flowText.replace('contoso_zenler', 'fabrikam_zenler');
    const result = await runFlow(parseFlowText(text), {
      inputs: { Book: 'household' },
      resources: {
        actions: createActionRegistry([...blockActions, ...standardActions]),
        connectors: createConnectorCatalog([ledger, zenler], { retry: { count: 0 } }),
        connections: resolver(),
        host: createNodeHost(),
        clock: nodeClock,
        logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      },
    });
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({
      code: 'connection.unresolved',
      stepPath: '/steps/1',
      action: 'zenler/UserPost',
      message: expect.stringContaining('fabrikam_zenler'),
    });
  });
});
