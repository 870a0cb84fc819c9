/**
 * Test helpers shared by the platform's tests and the command's end-to-end
 * tests: real JSON services on 127.0.0.1 that record what they receive, and
 * two small OpenAPI connectors (API key and basic auth) that call them.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Flow } from '@patchbay/core';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface TestService {
  name: string;
  url: string;
  received: Received[];
  server: Server;
  close(): Promise<void>;
}

/** A JSON service on 127.0.0.1 that records every request and answers `{service, path}` (or what `answer` says). */
export async function startService(
  name: string,
  answer?: (r: Received) => { status: number; body: unknown } | undefined,
): Promise<TestService> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const r: Received = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
      received.push(r);
      const a = answer?.(r) ?? { status: 200, body: { service: name, path: r.path } };
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    name,
    url,
    received,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const okJson = { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } };

/**
 * "Ledger": an API key in the `X-Api-Key` header. GET /entries (a query
 * `since`), GET /entries/{id}; ListEntries is its test operation.
 */
export function ledgerOpenApi(baseUrl: string, title = 'Ledger'): string {
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title, version: '1.0.0' },
    servers: [{ url: baseUrl }],
    components: { securitySchemes: { apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } } },
    security: [{ apiKeyHeader: [] }],
    paths: {
      '/entries': {
        get: {
          operationId: 'ListEntries',
          summary: 'List entries',
          parameters: [{ name: 'since', in: 'query', schema: { type: 'string' } }],
          responses: okJson,
        },
      },
      '/entries/{id}': {
        get: {
          operationId: 'GetEntry',
          summary: 'Get an entry',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: okJson,
        },
      },
    },
  });
}

/** "Tasks": basic auth; POST /tasks with a title. */
export function tasksOpenApi(baseUrl: string): string {
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'Tasks', version: '1.0.0' },
    servers: [{ url: baseUrl }],
    components: { securitySchemes: { basicAuth: { type: 'http', scheme: 'basic' } } },
    security: [{ basicAuth: [] }],
    paths: {
      '/tasks': {
        post: {
          operationId: 'CreateTask',
          summary: 'Create a task',
          requestBody: {
            content: {
              'application/json': {
                schema: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] },
              },
            },
          },
          responses: okJson,
        },
      },
    },
  });
}

/** A flow calling both connectors through references `pb_ledger` and `pb_tasks`. */
export function syncFlow(name = 'Sync ledger to tasks'): Flow {
  return {
    schema: 'patchbay/flow@1' as const,
    name,
    outputs: { Summary: { type: 'text' as const } },
    steps: [
      {
        connector: 'ledger',
        operation: 'ListEntries',
        connectionReference: 'pb_ledger',
        params: {},
        produces: { body: 'Entries' },
      },
      {
        connector: 'tasks',
        operation: 'CreateTask',
        connectionReference: 'pb_tasks',
        params: { title: 'From %Entries.service%' },
        produces: { body: 'Task' },
      },
      { action: 'Variables.Set', params: { name: 'Summary', value: '%Entries.service% %Task.service%' } },
    ],
  };
}

/** The `user:password` of a basic Authorization header. */
export function basicUser(headers: IncomingHttpHeaders): string {
  const a = headers.authorization ?? '';
  return a.startsWith('Basic ') ? Buffer.from(a.slice(6), 'base64').toString() : '';
}
