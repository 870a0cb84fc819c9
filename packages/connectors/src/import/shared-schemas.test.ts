/**
 * Schemas kept as shared components: generated definitions the size of the
 * largest real APIs (deep anyOf/$ref graphs, cycles), request bodies built
 * through components, and cyclic schemas that resolve without hanging.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectorCatalog } from '../catalog/catalog.js';
import { invokeOperation } from '../invoke/invoke.js';
import { json, startServer, type TestServer } from '../invoke/testing.js';
import { resolveOperation } from '../resolve-operation.js';
import { componentName, schemaView } from '../schemas.js';
import { largeDefinition } from '../testing/large-definition.js';
import { importConnectorFromText } from './load.js';

describe.each([1, 5, 10])('a generated %i MB definition', (mb) => {
  const generated = largeDefinition({ bytes: mb * 1024 * 1024, title: `Generated ${mb}` });
  const c = importConnectorFromText(generated.text, { fileName: `generated-${mb}.json` });

  it('imports every operation and every schema once, in a model no larger than twice the source', () => {
    expect(c.operations).toHaveLength(generated.operations);
    expect(new Set(c.operations.map((o) => o.id)).size).toBe(generated.operations);
    expect(Object.keys(c.components ?? {})).toHaveLength(generated.schemas);
    expect(c.warnings).toEqual([]);
    expect(JSON.stringify(c).length).toBeLessThan(2 * generated.text.length);
  });

  it('types the outputs and inputs of operations deep in the graph', () => {
    const last = generated.operations / 2 - 1;
    const list = resolveOperation(
      c,
      c.operations.find((o) => o.id === `ListS${last}`)!,
    );
    const fields = new Map(list.outputs.fields.map((f) => [f.key, f]));
    expect(fields.get('body')?.type).toBe('object');
    expect(fields.get('body/data')?.type).toBe('array');
    expect(fields.get('body/has_more')?.type).toBe('boolean');
    expect(fields.get('body/data/id')).toMatchObject({ type: 'string', inArray: true });
    expect(fields.get('body/data/amount')).toMatchObject({ type: 'integer', format: 'int64', inArray: true });
    expect(fields.get('body/data/parent/parent/id')).toMatchObject({ type: 'string', inArray: true });
    const create = resolveOperation(
      c,
      c.operations.find((o) => o.id === `CreateS${last}`)!,
    );
    expect(create.bodyKind).toBe('json');
    expect(create.inputs.find((i) => i.key === 'body/id')).toMatchObject({ type: 'string', required: true });
    expect(create.inputs.find((i) => i.key === 'body/parent/amount')).toMatchObject({ type: 'integer' });
    expect(create.inputs.find((i) => i.key === 'body/children')).toMatchObject({ type: 'array' });
    const action = createConnectorCatalog([c]).getOperation(c.id, `CreateS${last}`);
    expect(action?.produces?.find((p) => p.key === 'body')?.type).toBe('object');
    expect(action?.params.map((p) => p.name)).toContain('amount');
  });
});

describe('request bodies through shared components', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((q, res) => json(res, 200, JSON.parse(q.body.toString() || '{}')));
  });
  afterAll(() => server.close());

  it('rebuilds a body whose parts are components (allOf, nested $refs) from flattened inputs', async () => {
    const definition = {
      openapi: '3.0.3',
      info: { title: 'Orders', version: '1' },
      servers: [{ url: 'https://orders.example.test' }],
      components: {
        schemas: {
          Address: { type: 'object', properties: { city: { type: 'string' }, zip: { type: 'string' } } },
          Customer: {
            type: 'object',
            properties: { name: { type: 'string' }, address: { $ref: '#/components/schemas/Address' } },
            required: ['name'],
          },
          Base: { type: 'object', properties: { reference: { type: 'string' } } },
          Order: {
            allOf: [
              { $ref: '#/components/schemas/Base' },
              {
                type: 'object',
                properties: {
                  customer: { $ref: '#/components/schemas/Customer' },
                  quantity: { type: 'integer' },
                  billing: { $ref: '#/components/schemas/Address', description: 'Where the invoice goes.' },
                },
              },
            ],
          },
        },
      },
      paths: {
        '/orders': {
          post: {
            operationId: 'CreateOrder',
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } },
            },
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } },
              },
            },
          },
        },
      },
    };
    const c = importConnectorFromText(JSON.stringify(definition), { fileName: 'orders.json' });
    expect(c.operations[0].inputs).toHaveLength(1);
    expect(componentName(c.operations[0].inputs[0].schema)).toBe('Order');
    const op = resolveOperation(c, c.operations[0]);
    expect(op.inputs.map((i) => i.key)).toEqual([
      'body/reference',
      'body/customer/name',
      'body/customer/address/city',
      'body/customer/address/zip',
      'body/quantity',
      'body/billing/city',
      'body/billing/zip',
    ]);
    expect(op.inputs.find((i) => i.key === 'body/customer/name')?.required).toBe(true);
    const r = await invokeOperation({
      connector: c,
      operation: 'CreateOrder',
      connection: { connectionId: 'c1', connectorId: 'orders', params: {}, baseUrl: server.url },
      params: { reference: 'R-1', name: 'Ada', 'customer.address.city': 'Paris', quantity: 3, 'billing.zip': '75001' },
    });
    expect(r.status).toBe(200);
    expect(JSON.parse(server.received.at(-1)!.body.toString())).toEqual({
      reference: 'R-1',
      customer: { name: 'Ada', address: { city: 'Paris' } },
      quantity: 3,
      billing: { zip: '75001' },
    });
  });
});

describe('cyclic schemas', () => {
  const definition = {
    swagger: '2.0',
    info: { title: 'Cycles', version: '1' },
    host: 'cycles.example.test',
    definitions: {
      Node: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          next: { $ref: '#/definitions/Node' },
          edges: { type: 'array', items: { $ref: '#/definitions/Edge' } },
          either: { anyOf: [{ type: 'string' }, { $ref: '#/definitions/Edge' }] },
        },
      },
      Edge: { type: 'object', properties: { to: { $ref: '#/definitions/Node' }, weight: { type: 'number' } } },
      Loop: { $ref: '#/definitions/Alias' },
      Alias: { $ref: '#/definitions/Loop' },
      Self: { allOf: [{ $ref: '#/definitions/Self' }, { type: 'object', properties: { id: { type: 'string' } } }] },
    },
    paths: {
      '/nodes': {
        post: {
          operationId: 'PutNode',
          parameters: [{ name: 'body', in: 'body', schema: { $ref: '#/definitions/Node' } }],
          responses: { 200: { description: 'ok', schema: { $ref: '#/definitions/Node' } } },
        },
      },
      '/loops': { get: { operationId: 'GetLoop', responses: { 200: { schema: { $ref: '#/definitions/Loop' } } } } },
      '/selves': { get: { operationId: 'GetSelf', responses: { 200: { schema: { $ref: '#/definitions/Self' } } } } },
    },
  };

  it('keeps cycles as references and resolves them without hanging', () => {
    const c = importConnectorFromText(JSON.stringify(definition), { fileName: 'cycles.json' });
    expect(Object.keys(c.components ?? {}).sort()).toEqual(['Alias', 'Edge', 'Loop', 'Node', 'Self']);
    const view = schemaView(c);
    const put = resolveOperation(
      c,
      c.operations.find((o) => o.id === 'PutNode')!,
    );
    const keys = put.outputs.fields.map((f) => f.key);
    expect(keys).toContain('body/next');
    expect(keys).toContain('body/edges/weight');
    expect(keys.filter((k) => k.startsWith('body/next/'))).toEqual([]);
    expect(put.inputs.map((i) => i.key)).toEqual(['body/name', 'body/next', 'body/edges', 'body/either']);
    const expanded = JSON.stringify(view.expand(put.outputs.schema));
    expect(expanded).toContain('"x-patchbay-cycle":"Node"');

    const loop = resolveOperation(
      c,
      c.operations.find((o) => o.id === 'GetLoop')!,
    );
    expect(view.at(loop.outputs.schema)).toEqual({});
    expect(loop.outputs.fields).toEqual([
      { key: 'body', path: [], displayName: 'Body', type: 'any', visibility: 'none' },
    ]);

    const self = resolveOperation(
      c,
      c.operations.find((o) => o.id === 'GetSelf')!,
    );
    expect(self.outputs.fields.map((f) => f.key)).toEqual(['body', 'body/id']);
    expect(view.expand(self.outputs.schema)).toMatchObject({ type: 'object', properties: { id: { type: 'string' } } });
  });
});
