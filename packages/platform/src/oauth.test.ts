import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAuth2Server } from 'oauth2-mock-server';
import type { Clock } from '@patchbay/core';
import { nodeClock, RunnerPool, type ToRunner } from '@patchbay/runtime';
import { dialects, freshPlatform, rejection, startService, type TestService } from './test-support.js';

/** "Vault": OAuth2 authorization code (PKCE) against the test's authorization server; GET /me needs a live token. */
function vaultOpenApi(api: string, issuer: string): { openapi: string } {
  return {
    openapi: JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'Vault', version: '1.0.0' },
      servers: [{ url: api }],
      components: {
        securitySchemes: {
          oauth: {
            type: 'oauth2',
            flows: {
              authorizationCode: {
                authorizationUrl: `${issuer}/authorize`,
                tokenUrl: `${issuer}/token`,
                refreshUrl: `${issuer}/token`,
                scopes: { 'vault.read': 'Read' },
              },
            },
          },
        },
      },
      security: [{ oauth: ['vault.read'] }],
      paths: {
        '/me': {
          get: {
            operationId: 'Me',
            summary: 'Who am I',
            responses: {
              '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } },
            },
          },
        },
      },
    }),
  };
}

const meFlow = {
  schema: 'patchbay/flow@1' as const,
  name: 'Who am I',
  outputs: { Who: { type: 'text' as const } },
  steps: [
    { connector: 'vault', operation: 'Me', connectionReference: 'pb_vault', params: {}, produces: { body: 'Me' } },
    { action: 'Variables.Set', params: { name: 'Who', value: '%Me.user%' } },
  ],
};

describe.each(dialects)('OAuth2 connections on $name', (dialect) => {
  const auth = new OAuth2Server();
  /** Token requests the authorization server answered, by grant type. */
  const grants: string[] = [];
  const live = new Set<string>();
  const revoked = new Set<string>();
  /** Every token the authorization server issued. */
  const issued = new Set<string>();
  /** Runs go through runners; every message sent to one is kept. */
  const sent: ToRunner[] = [];
  const pool = new RunnerPool({ onSend: (m) => sent.push(m) });
  let api: TestService;
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs), sleep: nodeClock.sleep };
  let env: Awaited<ReturnType<typeof freshPlatform>>;

  beforeAll(async () => {
    if (!dialect.available) return;
    await auth.issuer.keys.generate('RS256');
    await auth.start(0, '127.0.0.1');
    auth.service.on(
      'beforeResponse',
      (res: { statusCode: number; body: Record<string, unknown> }, req: { body: Record<string, string> }) => {
        const b = req.body;
        grants.push(b.grant_type);
        if (b.grant_type === 'authorization_code' && !b.code_verifier) {
          res.statusCode = 400;
          res.body = { error: 'invalid_grant', error_description: 'PKCE code_verifier required.' };
        } else if (b.grant_type === 'refresh_token' && revoked.has(b.refresh_token)) {
          res.statusCode = 400;
          res.body = { error: 'invalid_grant', error_description: 'The refresh token was revoked.' };
        } else if (typeof res.body.access_token === 'string') live.add(res.body.access_token);
        for (const k of ['access_token', 'refresh_token', 'id_token'])
          if (typeof res.body[k] === 'string') issued.add(res.body[k] as string);
      },
    );
    api = await startService('vault-api', (r) => {
      const token = (r.headers.authorization ?? '').replace(/^Bearer /, '');
      return live.has(token)
        ? { status: 200, body: { user: 'johndoe' } }
        : { status: 401, body: { error: 'invalid_token' } };
    });
    env = await freshPlatform(dialect, { clock, executor: pool });
  });
  afterAll(async () => {
    await env?.close();
    await pool.close();
    await api?.close();
    if (dialect.available) await auth.stop();
  });

  it.skipIf(!dialect.available)(
    'signs in with code + PKCE through the loopback redirect, refreshes at expiry once for 50 concurrent actions, and again on a 401',
    async () => {
      const p = env.platform;
      const { user: me } = await p.users.ensureOwner({ email: 'oauth@example.com', password: 'correct horse battery' });
      await p.connectors.import(me, 'default', vaultOpenApi(api.url, auth.issuer.url as string));
      const { connection, authorizeUrl } = await p.connections.create(me, 'default', {
        connectorId: 'vault',
        displayName: 'Vault',
        params: { client_id: 'patchbay-test' },
        secrets: { client_secret: 'client-secret-1' },
      });
      expect(authorizeUrl).toBeUndefined();
      expect(connection.status).toBe('needs-reauth');

      let opened = '';
      const signedIn = await p.connections.signInWithLoopback(me, connection.id, {
        open: async (url) => {
          opened = url;
          // The browser: the provider redirects to the loopback listener, which finishes the sign-in.
          const res = await fetch(url, { redirect: 'manual' });
          void fetch(res.headers.get('location') as string).then((r) => r.text());
        },
      });
      const u = new URL(opened);
      expect(u.searchParams.get('code_challenge_method')).toBe('S256');
      expect(u.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      expect(signedIn.status).toBe('connected');
      expect(grants).toEqual(['authorization_code']);
      expect(JSON.stringify(signedIn)).not.toMatch(/access_token|refresh_token|client-secret-1/);
      expect((await p.connections.test(me, connection.id)).status).toBe('connected');

      await p.references.create(me, 'default', {
        logicalName: 'pb_vault',
        connectorId: 'vault',
        connectionId: connection.id,
      });
      const flow = await p.flows.save(me, 'default', meFlow);
      expect((await p.runs.runNow(me, { flowId: flow.id })).run.outputs).toEqual({ Who: 'johndoe' });
      expect(grants).toEqual(['authorization_code']);

      // At expiry: 50 concurrent actions cause one refresh — over two platforms on PostgreSQL. (Two SQLite
      // handles in one thread cannot share a write lock: better-sqlite3 waits synchronously, blocking the holder.)
      offsetMs += 3600_000;
      live.clear();
      const other = dialect.name === 'postgres' ? await env.open({ clock, executor: pool }) : p;
      const runs = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? other : p).runs.runNow(me, { flowId: flow.id })),
      );
      expect(runs.map((r) => r.run.status)).toEqual(Array(50).fill('succeeded'));
      expect(grants).toEqual(['authorization_code', 'refresh_token']);

      // A 401 from the service (the token was revoked there): one forced refresh, and the action succeeds.
      live.clear();
      expect((await p.runs.runNow(me, { flowId: flow.id })).run.status).toBe('succeeded');
      expect(grants).toEqual(['authorization_code', 'refresh_token', 'refresh_token']);

      // The runs ran in runners, refreshing through the gateway: no token or client secret reached one.
      expect(sent.filter((m) => m.type === 'gateway.result').length).toBeGreaterThanOrEqual(52);
      const all = JSON.stringify(sent);
      expect(issued.size).toBeGreaterThanOrEqual(4);
      for (const secret of [...issued, 'client-secret-1']) expect(all).not.toContain(secret);
    },
  );

  it.skipIf(!dialect.available)(
    "a revoked refresh token sets needs-reauth with the provider's reason and keeps the connection",
    async () => {
      const p = env.platform;
      const me = await p.users.owner();
      const [c] = await p.connections.list(me, 'default', { connectorId: 'vault' });
      // The provider revokes the refresh token the connection holds.
      const { refresh_token: refreshToken } = await p.store.connections.getSecrets(c.id);
      expect(refreshToken).toBeTruthy();
      revoked.add(refreshToken);
      offsetMs += 3600_000;
      live.clear();
      const flow = (await p.flows.list(me, 'default')).find((f) => f.name === 'Who am I');
      const { run } = await p.runs.runNow(me, { flowId: flow?.id as string });
      expect(run.status).toBe('failed');
      expect(run.error?.code).toBe('connection.needs_reauth');
      const after = await p.connections.get(me, c.id);
      expect(after.status).toBe('needs-reauth');
      expect(after.statusReason).toContain('The refresh token was revoked.');
      expect(after).toMatchObject({ displayName: 'Vault', params: { client_id: 'patchbay-test' }, hasSecrets: true });
      expect((await p.references.get(me, 'default', 'pb_vault')).connection?.id).toBe(c.id);
      const again = await rejection(
        p.runs.runNow(me, { flowId: flow?.id as string }).then((r) => {
          if (r.run.error) throw r.run.error;
        }),
      );
      expect(again.code).toBe('connection.needs_reauth');
    },
  );
});
