import { OAuth2Server } from 'oauth2-mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER, login, newUser, testServer, type Caller, type TestServer } from '../test-support.js';

const CLIENT_SECRET = 'canary-client-secret-93e1';

function vaultOpenApi(issuer: string): string {
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'Vault', version: '1.0.0' },
    servers: [{ url: 'http://127.0.0.1:9/' }],
    components: {
      securitySchemes: {
        oauth: {
          type: 'oauth2',
          flows: {
            authorizationCode: {
              authorizationUrl: `${issuer}/authorize`,
              tokenUrl: `${issuer}/token`,
              scopes: { 'vault.read': 'Read' },
            },
          },
        },
      },
    },
    security: [{ oauth: ['vault.read'] }],
    paths: { '/me': { get: { operationId: 'Me', summary: 'Who am I', responses: { 200: { description: 'ok' } } } } },
  });
}

let s: TestServer;
let owner: Caller;
const auth = new OAuth2Server();
const tokens: string[] = [];

beforeAll(async () => {
  await auth.issuer.keys.generate('RS256');
  await auth.start(0, '127.0.0.1');
  auth.service.on('beforeResponse', (res: { body: Record<string, unknown> }) => {
    for (const k of ['access_token', 'refresh_token'])
      if (typeof res.body[k] === 'string') tokens.push(res.body[k] as string);
  });
  s = await testServer({ publicUrl: 'http://127.0.0.1:5170' });
  owner = await login(s.app, OWNER.email, OWNER.password);
  expect(
    (await owner.call('POST', '/api/envs/default/connectors', { openapi: vaultOpenApi(auth.issuer.url as string) }))
      .statusCode,
  ).toBe(200);
});
afterAll(async () => {
  await s.close();
  await auth.stop();
});

/** The browser's part: open the authorize URL; the provider redirects to our callback. */
async function providerRedirect(authorizeUrl: string): Promise<URL> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') as string);
}

describe('OAuth2 callback', () => {
  it('finishes a sign-in started in the designer and tells the opener window', async () => {
    const created = await owner.call('POST', '/api/envs/default/connections', {
      connectorId: 'vault',
      displayName: 'Vault',
      params: { client_id: 'patchbay-test' },
      secrets: { client_secret: CLIENT_SECRET },
    });
    expect(created.statusCode).toBe(200);
    const { connection, authorizeUrl } = created.json() as {
      connection: { id: string; status: string };
      authorizeUrl: string;
    };
    expect(connection.status).toBe('needs-reauth');
    const authorize = new URL(authorizeUrl);
    expect(authorize.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:5170/api/oauth/callback');
    expect(authorize.searchParams.get('code_challenge')).toBeTruthy();

    const back = await providerRedirect(authorizeUrl);
    expect(back.pathname).toBe('/api/oauth/callback');
    // The provider's redirect comes back to the browser that started it, with its session cookie.
    const page = await owner.call('GET', `${back.pathname}${back.search}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('"type":"patchbay:oauth"');
    expect(page.body).toContain(`"connectionId":"${connection.id}"`);
    expect(page.body).toContain('"ok":true');
    expect(page.body).toContain('postMessage(m,"http://127.0.0.1:5170")');
    expect(tokens.length).toBeGreaterThan(0);
    for (const t of [...tokens, CLIENT_SECRET]) expect(page.body).not.toContain(t);

    const now = (await owner.call('GET', `/api/connections/${connection.id}`)).json();
    expect(now.status).toBe('connected');
    expect(JSON.stringify(now)).not.toContain(tokens[0]);
  });

  it('answers a failure page for a replayed or forged state, and for a provider error', async () => {
    const created = await owner.call('POST', '/api/envs/default/connections', {
      connectorId: 'vault',
      displayName: 'Vault 2',
      params: { client_id: 'patchbay-test' },
      secrets: { client_secret: CLIENT_SECRET },
    });
    const back = await providerRedirect(created.json().authorizeUrl as string);
    expect((await owner.call('GET', `${back.pathname}${back.search}`)).statusCode).toBe(200);
    const replay = await owner.call('GET', `${back.pathname}${back.search}`);
    expect(replay.statusCode).toBe(400);
    expect(replay.body).toContain('"ok":false');
    const forged = await s.app.inject({ method: 'GET', url: '/api/oauth/callback?state=forged&code=abc' });
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toContain('"ok":false');
    const denied = await s.app.inject({
      method: 'GET',
      url: '/api/oauth/callback?error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    });
    expect(denied.statusCode).toBe(400);
    expect(denied.body).not.toContain('<script>alert(1)');
  });

  it('refuses a callback from another account or another session, keeps no token, and lets the starter finish', async () => {
    const created = await owner.call('POST', '/api/envs/default/connections', {
      connectorId: 'vault',
      displayName: 'Vault (bound to its session)',
      params: { client_id: 'patchbay-test' },
      secrets: { client_secret: CLIENT_SECRET },
    });
    const { connection, authorizeUrl } = created.json() as { connection: { id: string }; authorizeUrl: string };
    const back = await providerRedirect(authorizeUrl);
    const url = `${back.pathname}${back.search}`;
    const before = tokens.length;
    const hasToken = async () =>
      'access_token' in (await s.platform.store.connections.getSecrets(connection.id)) ||
      (await s.platform.store.connections.get(connection.id)).status === 'connected';

    // A second account's session completes the owner's state: refused, nothing exchanged, no token kept.
    const mallory = await newUser(s.app, owner, 'mallory@patchbay.test');
    const stolen = await mallory.call('GET', url);
    expect(stolen.statusCode).toBe(400);
    expect(stolen.body).toContain('"ok":false');
    expect(stolen.body).toContain('another user or in another session');
    // No session at all, and the owner's account in another session: refused too.
    expect((await s.app.inject({ method: 'GET', url })).statusCode).toBe(400);
    const otherSession = await login(s.app, OWNER.email, OWNER.password);
    expect((await otherSession.call('GET', url)).statusCode).toBe(400);
    expect(tokens.length).toBe(before);
    expect(await hasToken()).toBe(false);

    // The refusals are in the audit log, attributed to whoever tried.
    const entries = await s.platform.audit.list(s.owner, { action: 'connection.authorize' });
    const denied = entries.filter((e) => e.target === connection.id && e.outcome === 'denied');
    expect(denied.map((e) => e.actor.email ?? null).sort()).toEqual(
      [null, 'mallory@patchbay.test', OWNER.email].sort(),
    );

    // The session that started it still can.
    const page = await owner.call('GET', url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('"ok":true');
    expect(await hasToken()).toBe(true);
  });

  it('starts a new sign-in on reconnect', async () => {
    const list = (await owner.call('GET', '/api/envs/default/connections?connectorId=vault')).json() as {
      id: string;
    }[];
    const r = await owner.call('POST', `/api/connections/${list[0].id}/reconnect`, {});
    expect(r.statusCode).toBe(200);
    expect(new URL(r.json().authorizeUrl).searchParams.get('redirect_uri')).toBe(
      'http://127.0.0.1:5170/api/oauth/callback',
    );
  });
});
