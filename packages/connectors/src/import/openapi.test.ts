import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { importConnector, importConnectorFromObjects, importConnectorFromText } from './load.js';
import { describeConnector } from './describe.js';
import type { Connector, Operation } from '../model.js';
import { schemaView } from '../schemas.js';
import { resolveOperation } from '../resolve-operation.js';

const testdata = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));
const op = (c: Connector, id: string): Operation => {
  const found = c.operations.find((o) => o.id === id);
  if (!found) throw new Error(`no operation ${id} in ${c.operations.map((o) => o.id).join(', ')}`);
  return resolveOperation(c, found);
};

describe('OpenAPI 3.0 (YAML)', async () => {
  const file = testdata('ledger.openapi30.yaml');
  const source = parseYaml(readFileSync(file, 'utf8')) as {
    components: { securitySchemes: Record<string, unknown> };
    paths: Record<string, Record<string, unknown>>;
  };
  const c = await importConnector(file);

  it('takes id, metadata and the server URL with its variable defaults', () => {
    expect(c.id).toBe('ledger');
    expect(c.displayName).toBe('Ledger');
    expect(c.version).toBe('1.4.0');
    expect(c.publisher).toBe('Ledger Team');
    expect(c.baseUrl).toBe('https://eu.ledger.example.com/v1');
    expect(c.source).toMatchObject({ kind: 'openapi', specVersion: '3.0.3', path: file });
  });

  it('keeps every security scheme with Power Platform parameter names', () => {
    expect(c.authSchemes.map((s) => s.name)).toEqual(Object.keys(source.components.securitySchemes));
    const byName = Object.fromEntries(c.authSchemes.map((s) => [s.name, s]));
    expect(byName.apiKeyHeader).toMatchObject({
      type: 'apiKey',
      apiKey: { in: 'header', name: 'X-Ledger-Key', parameter: 'api_key' },
    });
    expect(byName.apiKeyHeader.parameters.map((p) => [p.name, p.secret])).toEqual([['api_key', true]]);
    expect(byName.basicAuth.parameters.map((p) => p.name)).toEqual(['username', 'password']);
    expect(byName.bearerAuth).toMatchObject({ type: 'bearer', parameters: [{ name: 'token', secret: true }] });
    expect(byName.oauth.type).toBe('oauth2');
    expect(byName.oauth.oauth2).toMatchObject({
      flow: 'authorizationCode',
      grantTypes: ['authorizationCode', 'clientCredentials'],
      authorizationUrl: 'https://auth.ledger.example.com/authorize',
      tokenUrl: 'https://auth.ledger.example.com/token',
      refreshUrl: 'https://auth.ledger.example.com/refresh',
      pkce: true,
    });
    expect(byName.oauth.oauth2?.scopes.sort()).toEqual(['entries.read', 'entries.write', 'service']);
    expect(byName.oauth.parameters.map((p) => p.name)).toEqual(['client_id', 'client_secret']);
  });

  it('imports every operation with its method and path', () => {
    const expected = Object.entries(source.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((k) => k !== 'parameters')
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(c.operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual(expected.sort());
  });

  it('merges path-level $ref parameters and reads OpenAPI 3 parameter schemas', () => {
    const list = op(c, 'ListEntries');
    expect(list.inputs.map((i) => [i.name, i.in, i.type, i.required])).toEqual([
      ['book', 'query', 'string', true],
      ['tags', 'query', 'array', false],
      ['limit', 'query', 'integer', false],
    ]);
    expect(list.inputs.find((i) => i.name === 'tags')?.collectionFormat).toBe('multi');
    expect(list.inputs.find((i) => i.name === 'limit')?.default).toBe(50);
    expect(list.tags).toEqual(['Entries']);
  });

  it('flattens an allOf body with nested objects and cuts the recursive one', () => {
    const create = op(c, 'CreateEntry');
    expect(create.bodyKind).toBe('json');
    const body = create.inputs.filter((i) => i.in === 'body');
    expect(body.map((i) => i.key)).toEqual([
      'body/date',
      'body/memo',
      'body/amount',
      'body/counterparty/name',
      'body/counterparty/address/city',
      'body/counterparty/address/country',
      'body/counterparty/parent',
    ]);
    expect(body.find((i) => i.key === 'body/counterparty/address/city')).toMatchObject({
      name: 'counterparty.address.city',
      bodyPath: ['counterparty', 'address', 'city'],
      type: 'string',
    });
    expect(
      body
        .filter((i) => i.required)
        .map((i) => i.name)
        .sort(),
    ).toEqual(['amount', 'date']);
    expect(body.find((i) => i.name === 'date')?.format).toBe('date');
    expect(JSON.stringify(c).length).toBeGreaterThan(0);
  });

  it('applies operation security: one scheme, or none at all', () => {
    expect(op(c, 'CreateEntry').authSchemes).toEqual(['basicAuth']);
    expect(op(c, 'DownloadAttachment').authSchemes).toEqual([]);
    expect(op(c, 'ListEntries').authSchemes).toEqual(['apiKeyHeader', 'oauth']);
  });

  it('reads binary uploads, binary downloads and multipart forms', () => {
    const upload = op(c, 'UploadAttachment');
    expect(upload.bodyKind).toBe('binary');
    expect(upload.inputs.find((i) => i.in === 'body')).toMatchObject({ isWholeBody: true, type: 'file' });
    const download = op(c, 'DownloadAttachment');
    expect(download.outputs.binary).toBe(true);
    expect(download.outputs.fields).toEqual([expect.objectContaining({ key: 'body', type: 'file' })]);
    const imp = op(c, 'ImportStatement');
    expect(imp.bodyKind).toBe('multipart');
    expect(imp.inputs.map((i) => [i.name, i.in, i.type, i.required])).toEqual([
      ['file', 'formData', 'file', true],
      ['note', 'formData', 'string', false],
    ]);
  });

  it('types output fields, including array items', () => {
    const keys = op(c, 'ListEntries').outputs.fields.map((f) => [f.key, f.type, f.inArray ?? false]);
    expect(keys).toEqual([
      ['body', 'object', false],
      ['body/value', 'array', false],
      ['body/value/date', 'string', true],
      ['body/value/memo', 'string', true],
      ['body/value/id', 'string', true],
      ['body/value/amount', 'number', true],
      ['body/nextLink', 'string', false],
    ]);
    expect(op(c, 'CreateEntry').outputs.status).toBe('201');
  });

  it('describes itself for inspect without raw schemas', () => {
    const d = describeConnector(c);
    expect(d.authSchemes).toHaveLength(4);
    expect(d.operations.find((o) => o.id === 'CreateEntry')?.inputs.map((i) => i.key)).toContain(
      'body/counterparty/address/city',
    );
    expect(JSON.stringify(d)).not.toContain('"schema"');
  });
});

describe('OpenAPI 3.1 (YAML)', async () => {
  const c = await importConnector(testdata('tasks.openapi31.yaml'));

  it('names operations without ids and renames duplicate ids, with warnings', () => {
    expect(c.operations.map((o) => o.id)).toEqual(['POST /boards/{boardId}/tasks', 'GetTask', 'GetTask_2']);
    expect(c.warnings.some((w) => w.includes('GetTask') && w.includes('more than once'))).toBe(true);
  });

  it('adds undeclared path parameters and says so', () => {
    expect(op(c, 'GetTask').inputs.map((i) => [i.name, i.in, i.required])).toEqual([
      ['boardId', 'path', true],
      ['taskId', 'path', true],
    ]);
    expect(c.warnings.some((w) => w.includes('"taskId" is not declared'))).toBe(true);
  });

  it('reads form bodies and type lists with null', () => {
    const add = op(c, 'POST /boards/{boardId}/tasks');
    expect(add.bodyKind).toBe('form');
    expect(add.inputs.find((i) => i.name === 'due')).toMatchObject({
      in: 'formData',
      type: 'string',
      format: 'date-time',
    });
  });

  it('keeps both schemes and strips the trailing slash of the server', () => {
    expect(c.authSchemes.map((s) => [s.name, s.type])).toEqual([
      ['token', 'bearer'],
      ['key', 'apiKey'],
    ]);
    expect(c.authSchemes[1].apiKey).toEqual({ in: 'query', name: 'key', parameter: 'api_key' });
    expect(c.baseUrl).toBe('https://tasks.example.org/api');
  });

  it('keeps recursive response schemas as shared components, cut where a view meets the cycle', () => {
    const fields = op(c, 'GetTask').outputs.fields.map((f) => f.key);
    expect(fields).toEqual(['body', 'body/id', 'body/title', 'body/subtasks']);
    expect(op(c, 'GetTask').outputs.schema).toEqual({ $ref: '#/components/Task' });
    const expanded = schemaView(c).expand(op(c, 'GetTask').outputs.schema);
    const subtasks = (expanded.properties as Record<string, { items: Record<string, unknown> }>).subtasks;
    expect(subtasks.items).toEqual({ 'x-patchbay-cycle': 'Task', type: 'object' });
    expect(() => JSON.stringify(c)).not.toThrow();
  });
});

describe('Swagger 2.0 files', () => {
  const definition = {
    swagger: '2.0',
    info: { title: 'Petstore Lite', version: '1' },
    host: 'pets.example.com',
    basePath: '/v2/',
    schemes: ['http', 'https'],
    consumes: ['application/json'],
    securityDefinitions: {
      key: { type: 'apiKey', in: 'header', name: 'api_key' },
      login: { type: 'basic' },
      code: {
        type: 'oauth2',
        flow: 'accessCode',
        authorizationUrl: 'https://pets.example.com/auth',
        tokenUrl: 'https://pets.example.com/token',
        scopes: { 'pets:read': 'read' },
      },
    },
    parameters: { petId: { name: 'petId', in: 'path', required: true, type: 'integer' } },
    definitions: {
      Pet: {
        type: 'object',
        required: ['name'],
        properties: {
          name: { type: 'string', 'x-ms-summary': 'Pet name' },
          tags: { type: 'array', items: { type: 'string' } },
          owner: { $ref: '#/definitions/Missing' },
        },
      },
    },
    paths: {
      '/pets/{petId}': {
        parameters: [{ $ref: '#/parameters/petId' }],
        get: {
          operationId: 'getPet',
          'x-ms-visibility': 'important',
          responses: { 200: { description: 'ok', schema: { $ref: '#/definitions/Pet' } } },
        },
        post: {
          operationId: 'updatePet',
          parameters: [
            { name: 'pet', in: 'body', schema: { $ref: '#/definitions/Pet' } },
            { name: 'mode', in: 'query', 'x-ms-url-encoding': 'double' },
          ],
          responses: {},
        },
        patch: { operationId: 'rawPatch', parameters: [{ name: 'body', in: 'body' }], responses: {} },
      },
    },
  };
  const c = importConnectorFromObjects({ definition });

  it('builds the base URL from https, host and basePath', () => {
    expect(c.baseUrl).toBe('https://pets.example.com/v2');
    expect(c.id).toBe('petstore-lite');
  });

  it('keeps all three security definitions', () => {
    expect(c.authSchemes.map((s) => `${s.name}:${s.type}`)).toEqual(['key:apiKey', 'login:basic', 'code:oauth2']);
  });

  it('flattens body fields under the body parameter name and tolerates a dangling ref and a missing type', () => {
    const update = op(c, 'updatePet');
    expect(update.inputs.map((i) => i.key)).toEqual(['petId', 'pet/name', 'pet/tags', 'pet/owner', 'mode']);
    expect(update.inputs.find((i) => i.key === 'pet/name')).toMatchObject({
      name: 'name',
      displayName: 'Pet name',
      required: true,
    });
    expect(update.inputs.find((i) => i.key === 'mode')).toMatchObject({ type: 'string', urlEncoding: 'double' });
    expect(c.warnings.some((w) => w.includes('#/definitions/Missing'))).toBe(true);
    expect(op(c, 'rawPatch').inputs.find((i) => i.in === 'body')).toMatchObject({ isWholeBody: true, type: 'any' });
    expect(op(c, 'getPet').visibility).toBe('important');
  });

  it('imports the same definition from JSON text with an id override', () => {
    const fromText = importConnectorFromText(JSON.stringify(definition), { fileName: 'pets.json', id: 'My Pets' });
    expect(fromText.id).toBe('my-pets');
    expect(fromText.operations.length).toBe(c.operations.length);
  });
});

describe('webhooks, callbacks and YAML anchors', () => {
  const yaml = `
openapi: 3.1.0
info: { title: Orders, version: '1' }
servers: [{ url: 'https://orders.example.com' }]
x-shared:
  order: &order
    type: object
    properties:
      id: { type: string }
      total: { type: number }
paths:
  /orders:
    post:
      operationId: CreateOrder
      requestBody:
        content:
          application/json:
            schema: *order
      responses:
        '200':
          description: The order
          content: { application/json: { schema: *order } }
      callbacks:
        shipped:
          '{$request.body#/callbackUrl}':
            post:
              summary: The order shipped
              requestBody: { content: { application/json: { schema: *order } } }
              responses: { '200': { description: ok } }
webhooks:
  orderPaid:
    post:
      operationId: OrderPaid
      summary: An order was paid
      requestBody: { content: { application/json: { schema: *order } } }
      responses: { '200': { description: ok } }
`;

  it('keeps webhooks and callbacks in the model and names them in a warning', () => {
    const c = importConnectorFromText(yaml, { fileName: 'orders.yaml' });
    expect(c.operations.map((o) => o.id)).toEqual(['CreateOrder']);
    expect(c.events).toEqual([
      { kind: 'webhook', name: 'orderPaid', method: 'POST', operationId: 'OrderPaid', summary: 'An order was paid' },
      {
        kind: 'callback',
        name: 'shipped',
        expression: '{$request.body#/callbackUrl}',
        parentOperationId: 'CreateOrder',
        method: 'POST',
        summary: 'The order shipped',
      },
    ]);
    const warning = c.warnings.find((w) => w.includes('webhook'));
    expect(warning).toContain('1 webhook (orderPaid)');
    expect(warning).toContain('1 callback (CreateOrder/shipped)');
  });

  it('reads YAML anchors and aliases as the schemas they stand for', () => {
    const c = importConnectorFromText(yaml, { fileName: 'orders.yaml' });
    const op = resolveOperation(c, c.operations[0]);
    expect(op.inputs.map((i) => i.name).sort()).toEqual(['id', 'total']);
    expect(JSON.stringify(op.outputs.schema)).toContain('"total"');
  });
});
