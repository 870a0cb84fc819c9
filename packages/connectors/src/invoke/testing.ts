/**
 * For tests: a real HTTP server on 127.0.0.1 (port 0) that records every
 * request it receives and answers with a handler, plus a small operation
 * builder so tests can write connectors by hand.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connector, Operation, OperationInput } from '../model.js';

export interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type Handler = (req: Received, res: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export interface TestServer {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

export async function startServer(handler: Handler = (_q, res) => json(res, 200, { ok: true })): Promise<TestServer> {
  const received: Received[] = [];
  const server = createServer((raw, res) => {
    const chunks: Buffer[] = [];
    raw.on('data', (c: Buffer) => chunks.push(c));
    raw.on('end', () => {
      const u = new URL(raw.url ?? '/', 'http://127.0.0.1');
      const rec: Received = {
        method: raw.method ?? '',
        path: u.pathname,
        query: u.searchParams,
        headers: raw.headers,
        body: Buffer.concat(chunks),
      };
      received.push(rec);
      Promise.resolve(handler(rec, res, raw)).catch((e: unknown) => {
        if (!res.headersSent) json(res, 599, { message: String(e) });
      });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function input(name: string, o: Partial<OperationInput> = {}): OperationInput {
  const where = o.in ?? 'query';
  return {
    name,
    key: where === 'body' ? `body/${(o.bodyPath ?? [name]).join('/')}` : name,
    in: where,
    wireName: name,
    displayName: name,
    type: 'string',
    required: false,
    visibility: 'none',
    urlEncoding: 'single',
    ...o,
  };
}

export function operation(o: Partial<Operation> & Pick<Operation, 'id' | 'method' | 'path'>): Operation {
  return {
    summary: o.id,
    description: '',
    visibility: 'none',
    deprecated: false,
    isTrigger: false,
    usableAsAction: true,
    inputs: [],
    bodyKind: 'none',
    consumes: [],
    produces: ['application/json'],
    outputs: { fields: [] },
    policies: [],
    ...o,
  };
}

export function connector(o: Partial<Connector> & Pick<Connector, 'operations'>): Connector {
  return {
    id: 'test',
    displayName: 'Test',
    description: '',
    brandColor: '#007ee5',
    baseUrl: 'https://api.example.com/v1',
    authSchemes: [{ name: 'none', displayName: 'None', type: 'none', parameters: [] }],
    policies: [],
    source: { kind: 'builtin' },
    warnings: [],
    ...o,
  };
}
