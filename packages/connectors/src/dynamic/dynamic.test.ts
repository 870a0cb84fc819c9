import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedConnection } from '@patchbay/core';
import { closeConnectorPools } from '../invoke/pool.js';
import { connector, input, json, operation, startServer, type TestServer } from '../invoke/testing.js';
import { getDynamicSchema, getDynamicValues } from './dynamic.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((q, res) => {
    if (q.path.endsWith('/projects'))
      return json(res, 200, {
        data: {
          items: [
            { key: 'PB', info: { name: 'Patchbay' } },
            { key: 'XY', info: { name: 'Other' } },
          ],
        },
      });
    if (q.path.endsWith('/types')) return json(res, 200, [{ id: 1, label: 'Bug' }]);
    if (q.path.endsWith('/schema'))
      return json(res, 200, {
        schema: {
          type: 'object',
          required: ['title'],
          properties: {
            title: { type: 'string', 'x-ms-summary': 'Title' },
            meta: { type: 'object', properties: { due: { type: 'string', format: 'date' } } },
          },
        },
      });
    json(res, 404, { message: 'no' });
  });
});
afterAll(async () => {
  await closeConnectorPools();
  await server.close();
});

const listProjects = operation({
  id: 'ListProjects',
  method: 'GET',
  path: '/projects',
  visibility: 'internal',
  inputs: [input('kind', { in: 'query' })],
});
const listTypes = operation({
  id: 'ListTypes',
  method: 'GET',
  path: '/projects/{project}/types',
  inputs: [input('project', { in: 'path', required: true })],
});
const getSchema = operation({
  id: 'GetSchema',
  method: 'GET',
  path: '/projects/{project}/schema',
  inputs: [input('project', { in: 'path', required: true })],
});
const create = operation({
  id: 'CreateIssue',
  method: 'POST',
  path: '/issues',
  bodyKind: 'json',
  inputs: [
    input('projectKey', {
      in: 'query',
      dynamicValues: {
        source: 'x-ms-dynamic-values',
        operationId: 'ListProjects',
        parameters: { kind: { value: 'software' } },
        itemsPath: 'data/items',
        valuePath: 'key',
        titlePath: 'info/name',
      },
    }),
    input('type', {
      in: 'query',
      type: 'integer',
      dynamicValues: {
        source: 'x-ms-dynamic-list',
        operationId: 'ListTypes',
        parameters: { project: { parameter: 'projectKey' } },
        valuePath: 'id',
        titlePath: 'label',
      },
    }),
    input('fields', {
      in: 'body',
      type: 'object',
      isWholeBody: true,
      dynamicSchema: {
        source: 'x-ms-dynamic-schema',
        operationId: 'GetSchema',
        parameters: { project: { parameter: 'projectKey' } },
        valuePath: 'schema',
      },
    }),
  ],
});
const c = connector({ operations: [listProjects, listTypes, getSchema, create] });
const conn = (): ResolvedConnection => ({ connectionId: 'c', connectorId: 'test', params: {}, baseUrl: server.url });

describe('dynamic values and schemas', () => {
  it('lists options from value-collection, value-path and value-title, passing literal parameters', async () => {
    const options = await getDynamicValues({
      connector: c,
      operation: 'CreateIssue',
      parameter: 'projectKey',
      connection: conn(),
    });
    expect(options).toEqual([
      { value: 'PB', title: 'Patchbay' },
      { value: 'XY', title: 'Other' },
    ]);
    expect(server.received.at(-1)!.query.get('kind')).toBe('software');
  });

  it('passes references to parameters already chosen, and asks for them when missing', async () => {
    expect(
      await getDynamicValues({
        connector: c,
        operation: 'CreateIssue',
        parameter: 'type',
        connection: conn(),
        params: { projectKey: 'PB' },
      }),
    ).toEqual([{ value: 1, title: 'Bug' }]);
    expect(server.received.at(-1)!.path).toBe('/v1/projects/PB/types');
    await expect(
      getDynamicValues({ connector: c, operation: 'CreateIssue', parameter: 'type', connection: conn() }),
    ).rejects.toMatchObject({ code: 'action.param', message: expect.stringContaining('projectKey') });
    await expect(
      getDynamicValues({ connector: c, operation: 'CreateIssue', parameter: 'fields', connection: conn() }),
    ).rejects.toMatchObject({ code: 'action.param' });
  });

  it('resolves a dynamic schema into fields', async () => {
    const { fields } = await getDynamicSchema({
      connector: c,
      operation: 'CreateIssue',
      parameter: 'fields',
      connection: conn(),
      params: { projectKey: 'PB' },
    });
    expect(fields).toEqual([
      {
        name: 'title',
        key: 'body/title',
        path: ['title'],
        displayName: 'Title',
        type: 'string',
        required: true,
        visibility: 'none',
      },
      {
        name: 'meta/due',
        key: 'body/meta/due',
        path: ['meta', 'due'],
        displayName: 'due',
        type: 'string',
        format: 'date',
        required: false,
        visibility: 'none',
      },
    ]);
  });
});
