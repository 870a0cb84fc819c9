/**
 * Browser journey helpers: a Patchbay server on a temporary PATCHBAY_HOME
 * serving the built designer, headless Chromium (Debian's, never a
 * download), signing in through the form, the API through the signed-in
 * browser session, local services that record what reaches them, and
 * screenshots under `test-results/designer/`.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '@patchbay/server';
import { REPO, designerCopy } from './designer-build.js';

export const OWNER = { email: 'owner@journey.test', password: 'journey-owner-password-1' };

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface Designer {
  url: string;
  server: RunningServer;
  close(): Promise<void>;
}

/** A server with an empty store on a fresh PATCHBAY_HOME, its owner from PATCHBAY_OWNER_EMAIL / PATCHBAY_OWNER_PASSWORD. */
export async function startDesigner(): Promise<Designer> {
  const home = mkdtempSync(join(tmpdir(), 'patchbay-journey-'));
  const web = designerCopy();
  process.env.PATCHBAY_HOME = home;
  process.env.PATCHBAY_OWNER_EMAIL = OWNER.email;
  process.env.PATCHBAY_OWNER_PASSWORD = OWNER.password;
  const server = await startServer({ port: 0, home, webRoot: web.webRoot, log: false, print: () => undefined });
  return {
    url: server.url,
    server,
    async close() {
      await server.close({ graceMs: 2000 });
      web.remove();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Signs in through the designer's sign-in form and waits for the top bar. */
export async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** A fresh browser context and page, signed in. */
export async function signedInPage(browser: Browser, url: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  // Fail on the step that waits too long, well before the test's own timeout.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await signIn(page, url);
  return { context, page };
}

/** Calls the API with the browser context's session cookie and CSRF token (for setup the designer has no control for). */
export async function callApi<T>(
  context: BrowserContext,
  url: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const me = await context.request.get(`${url}/api/auth/me`);
  if (!me.ok()) throw new Error(`not signed in: ${me.status()}`);
  const { csrfToken } = (await me.json()) as { csrfToken: string };
  const res = await context.request.fetch(`${url}${path}`, {
    method,
    headers: { 'x-csrf-token': csrfToken },
    ...(body !== undefined ? { data: body } : {}),
  });
  const text = await res.text();
  if (!res.ok()) throw new Error(`${method} ${path} answered ${res.status()}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Saves a screenshot as a test artifact: test-results/designer/{journey}/{step}.png. */
export async function shot(page: Page, journey: string, step: string): Promise<void> {
  const dir = join(REPO, 'test-results/designer', journey);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${step}.png`), animations: 'disabled' });
}

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A local service on 127.0.0.1 that records every request and answers with `answer(request)`. */
export async function startService(
  answer: (r: Received) => { status: number; body: unknown },
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const r: Received = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
      received.push(r);
      const out = answer(r);
      res.writeHead(out.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/**
 * "Ledger", an OpenAPI 3 connector with an API key in a header: `CreateEntry`
 * (POST /entries, query `account`, JSON body memo + amount) and `GetBalance`
 * (GET /accounts/{account}/balance).
 */
export function ledgerOpenApi(baseUrl: string): string {
  const entry = {
    type: 'object',
    properties: {
      id: { type: 'string' },
      account: { type: 'string' },
      memo: { type: 'string' },
      amount: { type: 'number' },
    },
  };
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'Ledger', version: '1.0.0', description: 'A small bookkeeping API.' },
    servers: [{ url: baseUrl }],
    components: { securitySchemes: { api_key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } } },
    security: [{ api_key: [] }],
    paths: {
      '/entries': {
        post: {
          operationId: 'CreateEntry',
          summary: 'Create entry',
          description: 'Books one entry.',
          parameters: [
            { name: 'account', in: 'query', required: true, schema: { type: 'string' }, 'x-ms-summary': 'Account' },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['memo', 'amount'],
                  properties: {
                    memo: { type: 'string', 'x-ms-summary': 'Memo' },
                    amount: { type: 'number', 'x-ms-summary': 'Amount' },
                  },
                },
              },
            },
          },
          responses: { 200: { description: 'The entry', content: { 'application/json': { schema: entry } } } },
        },
      },
      '/accounts/{account}/balance': {
        get: {
          operationId: 'GetBalance',
          summary: 'Get balance',
          parameters: [
            { name: 'account', in: 'path', required: true, schema: { type: 'string' }, 'x-ms-summary': 'Account' },
          ],
          responses: {
            200: {
              description: 'The balance',
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { account: { type: 'string' }, balance: { type: 'number' } } },
                },
              },
            },
          },
        },
      },
    },
  });
}

/** Imports Ledger and creates an API-key connection to it through the API; returns the connection's id. */
export async function ledgerConnection(
  context: BrowserContext,
  url: string,
  opts: { name: string; key: string; baseUrl: string },
): Promise<string> {
  const { connection } = await callApi<{ connection: { id: string; status: string } }>(
    context,
    url,
    'POST',
    '/api/envs/default/connections',
    {
      connectorId: 'ledger',
      displayName: opts.name,
      scheme: 'api_key',
      secrets: { api_key: opts.key },
      baseUrl: opts.baseUrl,
    },
  );
  return connection.id;
}
