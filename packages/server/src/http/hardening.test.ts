import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { OAuth2Server } from 'oauth2-mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../start.js';
import { OWNER, countingFlow, login, testServer, type Caller, type TestServer } from '../test-support.js';

let s: TestServer;
let owner: Caller;

beforeAll(async () => {
  s = await testServer();
  owner = await login(s.app, OWNER.email, OWNER.password);
});
afterAll(async () => {
  await s.close();
});

describe('hardening of the HTTP API', () => {
  it('answers a malformed flow definition with 400 and the JSON pointer of the problem, never 500', async () => {
    const base = countingFlow('Malformed');
    const cases: [unknown, string][] = [
      [{ ...base, steps: 'not a list' }, '/steps'],
      [{ ...base, steps: [null] }, '/steps/0'],
      [{ ...base, steps: [{ action: 'If', params: { condition: '%true%' }, then: 'x' }] }, '/steps/0/then'],
      [{ ...base, subflows: 'x' }, '/subflows'],
      [{ ...base, subflows: { Cleanup: null } }, '/subflows/Cleanup'],
    ];
    const created = (await owner.call('POST', '/api/envs/default/flows', { definition: base })).json();
    for (const [definition, pointer] of cases) {
      for (const [method, url, body] of [
        ['POST', '/api/envs/default/flows', { definition }],
        ['PUT', `/api/flows/${created.id}`, { baseVersion: created.version, definition }],
      ] as const) {
        const r = await owner.call(method, url, body);
        expect(r.statusCode, `${method} ${JSON.stringify(definition)}`).toBe(400);
        expect(r.json().error).toMatchObject({ code: 'flow.invalid', pointer });
      }
    }
    // Whatever JSON comes as a definition, the answer is never a server error.
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.dictionary(fc.string(), fc.jsonValue()),
          fc.record({ schema: fc.constant('patchbay/flow@1'), name: fc.string(), steps: fc.array(fc.jsonValue()) }),
          fc.dictionary(fc.string(), fc.jsonValue()).map((subflows) => ({ ...base, subflows })),
        ),
        async (definition) => {
          const r = await owner.call('POST', '/api/envs/default/flows/validate', { definition });
          expect(r.statusCode).toBeLessThan(500);
          const saved = await owner.call('POST', '/api/envs/default/flows', { definition });
          expect([200, 400, 409]).toContain(saved.statusCode);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('answers a body over the limit with 413', async () => {
    const big = { logicalName: 'big', displayName: 'x'.repeat(3 * 1024 * 1024), connectorId: 'http' };
    const r = await owner.call('POST', '/api/envs/default/references', big);
    expect(r.statusCode).toBe(413);
    expect(r.json().error.message).toContain('too large');
    const flow = await owner.call('POST', '/api/envs/default/flows', {
      definition: { ...countingFlow('Huge'), description: 'x'.repeat(17 * 1024 * 1024) },
    });
    expect(flow.statusCode).toBe(413);
  });

  it('forbids framing and limits where the designer loads from', async () => {
    for (const url of ['/', '/flows', '/api/health', '/api/docs/static/index.html']) {
      const r = await s.app.inject({ method: 'GET', url });
      const csp = String(r.headers['content-security-policy']);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
    // The OAuth callback page runs its one inline script by nonce, and may not be framed either.
    const cb = await s.app.inject({ method: 'GET', url: '/api/oauth/callback?state=x.y&code=z' });
    const csp = String(cb.headers['content-security-policy']);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(cb.body).toContain(`<script nonce="${nonce}">`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
  });

  it('refuses a logout without the CSRF token, and logs out with it', async () => {
    const me = await login(s.app, OWNER.email, OWNER.password);
    const forged = await s.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: me.cookie } });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.message).toContain('CSRF');
    expect((await me.call('GET', '/api/auth/me')).statusCode).toBe(200);
    const out = await me.call('POST', '/api/auth/logout');
    expect(out.statusCode).toBe(200);
    expect((await me.call('GET', '/api/auth/me')).statusCode).toBe(401);
    // Without a live session there is nothing to protect: the cookie is cleared.
    expect((await s.app.inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(200);
  });
});

describe('OAuth query values in the log', () => {
  const auth = new OAuth2Server();
  const lines: string[] = [];
  let server: RunningServer;
  let home: string;
  beforeAll(async () => {
    await auth.issuer.keys.generate('RS256');
    await auth.start(0, '127.0.0.1');
    home = mkdtempSync(join(tmpdir(), 'patchbay-log-'));
    server = await startServer({
      port: 0,
      home,
      ownerEmail: OWNER.email,
      ownerPassword: OWNER.password,
      log: 'trace',
      logDestination: new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
      webRoot: join(home, 'no-web'),
      print: () => undefined,
    });
  });
  afterAll(async () => {
    await server.close();
    await auth.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('never logs the code or the state, at any level', async () => {
    const base = server.url;
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const signedIn = await post('/api/auth/login', OWNER);
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0];
    const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
    const headers = { cookie, 'x-csrf-token': csrfToken };
    const issuer = auth.issuer.url as string;
    const openapi = JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'Vault', version: '1.0.0' },
      servers: [{ url: 'http://127.0.0.1:9/' }],
      components: {
        securitySchemes: {
          oauth: {
            type: 'oauth2',
            flows: {
              authorizationCode: { authorizationUrl: `${issuer}/authorize`, tokenUrl: `${issuer}/token`, scopes: {} },
            },
          },
        },
      },
      security: [{ oauth: [] }],
      paths: { '/me': { get: { operationId: 'Me', responses: { 200: { description: 'ok' } } } } },
    });
    expect((await post('/api/envs/default/connectors', { openapi }, headers)).status).toBe(200);
    const created = await post(
      '/api/envs/default/connections',
      { connectorId: 'vault', displayName: 'Vault', params: { client_id: 'c' }, secrets: { client_secret: 's' } },
      headers,
    );
    const { authorizeUrl } = (await created.json()) as { authorizeUrl: string };
    const redirect = await fetch(authorizeUrl, { redirect: 'manual' });
    const back = new URL(redirect.headers.get('location') as string);
    const code = back.searchParams.get('code') as string;
    const state = back.searchParams.get('state') as string;
    expect(code && state).toBeTruthy();
    const page = await fetch(`${base}${back.pathname}${back.search}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    // And a failing one (replayed), which takes the error path.
    expect((await fetch(`${base}${back.pathname}${back.search}`, { headers: { cookie } })).status).toBe(400);

    const log = lines.join('');
    expect(log).toContain('/api/oauth/callback');
    for (const value of [code, state, encodeURIComponent(state), state.split('.')[1]]) expect(log).not.toContain(value);
  });
});
