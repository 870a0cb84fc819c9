/**
 * Test helpers: platforms over each store dialect (SQLite always, PostgreSQL
 * when reachable), real local HTTP services that record what they receive,
 * and two small OpenAPI connectors (API key and basic auth) to call them.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@patchbay/core';
import { type TestDatabase, testDialects } from '../../store/src/testDialects.js';
import { type Platform, type PlatformOptions, openPlatform } from './platform.js';

export { unique, rejection } from '../../store/src/testDialects.js';

export const dialects = await testDialects();

export interface Opened {
  db: TestDatabase;
  platforms: Platform[];
  /** Another platform over the same database (a second process, in effect). */
  open(extra?: Partial<PlatformOptions>): Promise<Platform>;
}

/** Creates a database and opens a platform on it; `close` disposes of everything. */
export async function freshPlatform(dialect: (typeof dialects)[number], extra: Partial<PlatformOptions> = {}): Promise<Opened & { platform: Platform; close(): Promise<void> }> {
  const db = dialect.create();
  const platforms: Platform[] = [];
  const open = async (more: Partial<PlatformOptions> = {}) => {
    const p = await openPlatform({ store: await db.open(), ...extra, ...more });
    platforms.push(p);
    return p;
  };
  const platform = await open();
  return {
    db, platforms, open, platform,
    async close() {
      for (const p of platforms) await p.close().catch(() => undefined);
      await db.dispose();
    },
  };
}

export interface Received { method: string; path: string; headers: IncomingHttpHeaders; body: string }

export interface TestService {
  name: string;
  url: string;
  received: Received[];
  server: Server;
  close(): Promise<void>;
}

/** A JSON service on 127.0.0.1 that records every request and answers `{service, path}` (or what `answer` says). */
export async function startService(name: string, answer?: (r: Received) => { status: number; body: unknown } | undefined): Promise<TestService> {
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
    name, url, received, server,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** "Ledger": API key in the `X-Api-Key` header; GET /entries (the test operation is ListEntries). */
export function ledgerOpenApi(baseUrl: string): string {
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'Ledger', version: '1.0.0' },
    servers: [{ url: baseUrl }],
    components: { securitySchemes: { apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } } },
    security: [{ apiKeyHeader: [] }],
    paths: {
      '/entries': { get: { operationId: 'ListEntries', summary: 'List entries', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } } },
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
          operationId: 'CreateTask', summary: 'Create a task',
          requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] } } } },
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
    },
  });
}

/** A flow calling both connectors through references `pb_ledger` and `pb_tasks`. */
export function syncFlow(name = 'Sync ledger to tasks') {
  return {
    schema: 'patchbay/flow@1' as const,
    name,
    outputs: { Summary: { type: 'text' as const } },
    steps: [
      { connector: 'ledger', operation: 'ListEntries', connectionReference: 'pb_ledger', params: {}, produces: { body: 'Entries' } },
      { connector: 'tasks', operation: 'CreateTask', connectionReference: 'pb_tasks', params: { title: 'From %Entries.service%' }, produces: { body: 'Task' } },
      { action: 'Variables.Set', params: { name: 'Summary', value: '%Entries.service% %Task.service%' } },
    ],
  };
}

/** A logger that keeps every line (for canary checks). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (msg: string, data?: Record<string, unknown>) => void lines.push(`${level} ${msg} ${data ? JSON.stringify(data) : ''}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export function basicUser(headers: IncomingHttpHeaders): string {
  const a = headers.authorization ?? '';
  return a.startsWith('Basic ') ? Buffer.from(a.slice(6), 'base64').toString() : '';
}
