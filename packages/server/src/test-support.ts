/**
 * Test helpers for the API tests: a platform on a temporary home (SQLite), an
 * owner with a known password, the app built with the in-process queue, and
 * signed-in callers (cookie + CSRF, or an API token) for `app.inject`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { openPlatform, type Platform, type PlatformOptions } from '@patchbay/platform';
import type { User } from '@patchbay/store';
import { buildServer, type BuildServerOptions } from './app.js';
import { InProcessQueue } from './queue/in-process.js';
import type { RunQueue } from './queue/types.js';

export const OWNER = { email: 'owner@patchbay.test', password: 'owner-password-123' };

export interface TestServer {
  app: FastifyInstance;
  platform: Platform;
  queue: RunQueue;
  home: string;
  owner: User;
  close(): Promise<void>;
}

export async function testServer(
  opts: Partial<Omit<BuildServerOptions, 'platform' | 'queue'>> & {
    queue?: (p: Platform) => Promise<RunQueue>;
    /** Platform options (a PostgreSQL store, say); default: SQLite in a temporary home. */
    platformOptions?: Partial<PlatformOptions>;
  } = {},
): Promise<TestServer> {
  const home = mkdtempSync(join(tmpdir(), 'patchbay-server-'));
  const platform = await openPlatform({ home, ...opts.platformOptions });
  const { user: owner } = await platform.users.ensureOwner(OWNER);
  const queue = opts.queue
    ? await opts.queue(platform)
    : await (async () => {
        const q = new InProcessQueue({ platform, concurrency: 4 });
        await q.start();
        return q;
      })();
  const { queue: _q, platformOptions: _p, ...rest } = opts;
  const app = await buildServer({ platform, queue, webRoot: join(home, 'no-web'), ...rest });
  await app.ready();
  return {
    app,
    platform,
    queue,
    home,
    owner,
    async close() {
      await app.close();
      await queue.close({ graceMs: 5000 });
      await platform.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A signed-in caller: its cookie and CSRF token are sent with every request. */
export interface Caller {
  cookie: string;
  csrfToken: string;
  user: { id: string; email: string };
  call(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

export async function login(app: FastifyInstance, email: string, password: string): Promise<Caller> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.cookies.find((c) => c.name === 'patchbay_session');
  if (!setCookie) throw new Error('no session cookie');
  const cookie = `patchbay_session=${setCookie.value}`;
  const { csrfToken, user } = res.json() as { csrfToken: string; user: { id: string; email: string } };
  return {
    cookie,
    csrfToken,
    user,
    call: (method, url, body, headers = {}) =>
      app.inject({
        method,
        url,
        headers: { cookie, 'x-csrf-token': csrfToken, ...headers },
        ...(body !== undefined ? { payload: body as InjectOptions['payload'] } : {}),
      }),
  };
}

/** A second user, created by the owner through the API, signed in. */
export async function newUser(app: FastifyInstance, owner: Caller, email: string): Promise<Caller> {
  const password = `pw-${email}-secret`;
  const r = await owner.call('POST', '/api/users', { email, password, role: 'member' });
  if (r.statusCode !== 200) throw new Error(`user create failed: ${r.body}`);
  return login(app, email, password);
}

/** A three-step offline flow: sets, increases and outputs a number. */
export function countingFlow(name = 'Counting'): Record<string, unknown> {
  return {
    schema: 'patchbay/flow@1',
    name,
    inputs: { Start: { type: 'number' } },
    outputs: { Total: { type: 'number' } },
    steps: [
      { action: 'Variables.Set', params: { name: 'Total', value: '%Start + 1%' } },
      { action: 'Variables.Increase', params: { name: 'Total', by: '%10%' } },
      { action: 'Variables.Increase', params: { name: 'Total', by: '%100%' } },
    ],
  };
}

/** A local API that answers every GET /echo with what it received (the API key header included). */
export async function startEchoApi(): Promise<{ url: string; keys: string[]; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const keys: string[] = [];
  const server = createServer((req, res) => {
    const key = String(req.headers['x-api-key'] ?? '');
    keys.push(key);
    res.writeHead(req.url?.startsWith('/echo') ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ receivedKey: key, path: req.url }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, keys, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** An OpenAPI 3 file for the echo API with an API key in a header. */
export function echoOpenApi(url: string): string {
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'Echo', version: '1.0.0' },
    servers: [{ url }],
    components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } } },
    security: [{ apiKey: [] }],
    paths: {
      '/echo': {
        get: {
          operationId: 'GetEcho',
          summary: 'Echo',
          responses: {
            200: {
              description: 'ok',
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { receivedKey: { type: 'string' }, path: { type: 'string' } } },
                },
              },
            },
          },
        },
      },
    },
  });
}

/** A flow calling the echo connector through a reference. */
export function echoFlow(name = 'Echo call', reference = 'echo_main'): Record<string, unknown> {
  return {
    schema: 'patchbay/flow@1',
    name,
    outputs: { Reply: { type: 'object' } },
    steps: [
      {
        connector: 'echo',
        operation: 'GetEcho',
        connectionReference: reference,
        params: {},
        produces: { body: 'Reply' },
      },
    ],
  };
}

/** Waits for a run to reach a final status through the API. */
export async function waitForRun(
  caller: Caller,
  runId: string,
  timeoutMs = 20_000,
): Promise<{ run: Record<string, unknown>; steps: Record<string, unknown>[] }> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await caller.call('GET', `/api/runs/${runId}`);
    const body = r.json() as { run: Record<string, unknown>; steps: Record<string, unknown>[] };
    if (['succeeded', 'failed', 'cancelled', 'interrupted'].includes(String(body.run?.status))) return body;
    if (Date.now() > end) throw new Error(`run ${runId} still ${String(body.run?.status)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}
