/**
 * Power Platform OAuth flavours whose endpoints come from the connector's
 * templates, signed in and refreshed against a local authorization server:
 * Azure AD (`aad`: login URI, tenant and resource from `customParameters`)
 * and `oauth2generic` (URL templates filled from `token:` connection
 * parameters, written `{Region}` for `token:region` as Zoho and Tribal do).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAuth2Server } from 'oauth2-mock-server';
import type { Clock } from '@patchbay/core';
import { nodeClock } from '@patchbay/runtime';
import { dialects, freshPlatform, startService, type TestService } from './test-support.js';

/** A Swagger 2.0 definition with one operation, GET /me, on the local API. */
function definition(title: string, api: string): string {
  const u = new URL(api);
  return JSON.stringify({
    swagger: '2.0',
    info: { title, version: '1.0' },
    host: u.host,
    basePath: '/',
    schemes: ['http'],
    securityDefinitions: {
      oauth2_auth: {
        type: 'oauth2',
        flow: 'accessCode',
        authorizationUrl: 'https://login.windows.net/common/oauth2/authorize',
        tokenUrl: 'https://login.windows.net/common/oauth2/authorize',
        scopes: {},
      },
    },
    security: [{ oauth2_auth: [] }],
    paths: {
      '/me': {
        get: {
          operationId: 'Me',
          summary: 'Who am I',
          responses: {
            200: { description: 'ok', schema: { type: 'object', properties: { user: { type: 'string' } } } },
          },
        },
      },
    },
  });
}

/** apiProperties.json of an Azure AD connector, as Office 365 Users declares it, pointed at the local login URI. */
function aadProperties(loginUri: string): string {
  return JSON.stringify({
    properties: {
      connectionParameters: {
        token: {
          type: 'oauthSetting',
          oAuthSettings: {
            identityProvider: 'aad',
            clientId: 'patchbay-aad-client',
            scopes: [],
            redirectMode: 'Global',
            redirectUrl: 'https://global.consent.azure-apim.net/redirect',
            properties: { IsFirstParty: 'False', AzureActiveDirectoryResourceId: 'https://graph.contoso.test' },
            customParameters: {
              loginUri: { value: loginUri },
              tenantId: { value: 'contoso-tenant' },
              resourceUri: { value: 'https://graph.contoso.test' },
            },
          },
        },
      },
    },
  });
}

/** apiProperties.json of an oauth2generic connector whose URLs are templates over `token:` parameters (the Tribal and Zoho shape). */
function genericProperties(): string {
  const base = '{AuthHost}/{Region}/ids/{TenantId}/connect';
  return JSON.stringify({
    properties: {
      connectionParameters: {
        token: {
          type: 'oauthSetting',
          oAuthSettings: {
            identityProvider: 'oauth2generic',
            clientId: '<Enter Your Client ID>',
            scopes: ['profile.read'],
            redirectMode: 'Global',
            customParameters: {
              authorizationUrlTemplate: { value: `${base}/authorize` },
              tokenUrlTemplate: { value: `${base}/token` },
              refreshUrlTemplate: { value: `${base}/token` },
            },
          },
        },
        'token:authHost': {
          type: 'string',
          uiDefinition: { displayName: 'Identity server', constraints: { required: 'true' } },
        },
        'token:region': {
          type: 'string',
          uiDefinition: {
            displayName: 'Region',
            constraints: {
              required: 'true',
              allowedValues: [
                { text: 'Europe', value: 'eu' },
                { text: 'United States', value: 'us' },
              ],
            },
          },
        },
        'token:tenantId': {
          type: 'string',
          uiDefinition: { displayName: 'Tenant', constraints: { required: 'true' } },
        },
      },
    },
  });
}

interface Provider {
  server: OAuth2Server;
  /** Token requests: grant type and the `resource` sent, in order. */
  grants: { grant: string; resource?: string; path: string }[];
}

async function startProvider(paths: { authorize: string; token: string }, live: Set<string>): Promise<Provider> {
  const server = new OAuth2Server(undefined, undefined, { endpoints: paths });
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  const grants: Provider['grants'] = [];
  server.service.on(
    'beforeResponse',
    (
      res: { statusCode: number; body: Record<string, unknown> },
      req: { body: Record<string, string>; path?: string; url?: string },
    ) => {
      grants.push({
        grant: req.body.grant_type,
        path: req.path ?? req.url ?? '',
        ...(req.body.resource ? { resource: req.body.resource } : {}),
      });
      if (req.body.grant_type === 'authorization_code' && !req.body.code_verifier) {
        res.statusCode = 400;
        res.body = { error: 'invalid_grant', error_description: 'PKCE code_verifier required.' };
      } else if (typeof res.body.access_token === 'string') live.add(res.body.access_token);
    },
  );
  return { server, grants };
}

const meFlow = (connector: string, reference: string) => ({
  schema: 'patchbay/flow@1' as const,
  name: `Who am I (${connector})`,
  outputs: { Who: { type: 'text' as const } },
  steps: [
    { connector, operation: 'Me', connectionReference: reference, params: {}, produces: { body: 'Me' } },
    { action: 'Variables.Set', params: { name: 'Who', value: '%Me.user%' } },
  ],
});

/** The browser's part of a loopback sign-in: follow the provider's redirect to the listener; returns the authorize URL. */
async function browse(url: string): Promise<void> {
  const res = await fetch(url, { redirect: 'manual' });
  void fetch(res.headers.get('location') as string).then((r) => r.text());
}

describe.each(dialects)('templated OAuth2 providers on $name', (dialect) => {
  const live = new Set<string>();
  let aad: Provider;
  let generic: Provider;
  let api: TestService;
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs), sleep: nodeClock.sleep };
  let env: Awaited<ReturnType<typeof freshPlatform>>;

  beforeAll(async () => {
    if (!dialect.available) return;
    aad = await startProvider(
      { authorize: '/contoso-tenant/oauth2/authorize', token: '/contoso-tenant/oauth2/token' },
      live,
    );
    generic = await startProvider(
      { authorize: '/eu/ids/contoso/connect/authorize', token: '/eu/ids/contoso/connect/token' },
      live,
    );
    api = await startService('profile-api', (r) =>
      live.has((r.headers.authorization ?? '').replace(/^Bearer /, ''))
        ? { status: 200, body: { user: 'adele' } }
        : { status: 401, body: { error: 'invalid_token' } },
    );
    env = await freshPlatform(dialect, { clock });
  });
  afterAll(async () => {
    await env?.close();
    await api?.close();
    if (dialect.available) await Promise.all([aad.server.stop(), generic.server.stop()]);
  });
  const run = it.skipIf(!dialect.available);

  run("aad: signs in at the tenant's endpoints with the resource, runs, and refreshes at expiry", async () => {
    const p = env.platform;
    const { user: me } = await p.users.ensureOwner({ email: 'aad@example.com', password: 'correct horse battery' });
    const loginUri = (aad.server.issuer.url as string).replace(/\/+$/, '');
    const connector = await p.connectors.import(me, 'default', {
      files: {
        'apiDefinition.swagger.json': definition('Contoso Directory', api.url),
        'apiProperties.json': aadProperties(loginUri),
      },
    });
    const { connection } = await p.connections.create(me, 'default', {
      connectorId: connector.id,
      displayName: 'Directory',
      secrets: { client_secret: 'aad-client-secret' },
    });
    let opened = '';
    const signedIn = await p.connections.signInWithLoopback(me, connection.id, {
      open: async (url) => {
        opened = url;
        await browse(url);
      },
    });
    const u = new URL(opened);
    expect(`${u.origin}${u.pathname}`).toBe(`${loginUri}/contoso-tenant/oauth2/authorize`);
    expect(u.searchParams.get('resource')).toBe('https://graph.contoso.test');
    expect(u.searchParams.get('client_id')).toBe('patchbay-aad-client');
    expect(signedIn.status).toBe('connected');
    expect(aad.grants).toEqual([
      { grant: 'authorization_code', resource: 'https://graph.contoso.test', path: '/contoso-tenant/oauth2/token' },
    ]);

    await p.references.create(me, 'default', {
      logicalName: 'pb_directory',
      connectorId: connector.id,
      connectionId: connection.id,
    });
    const flow = await p.flows.save(me, 'default', meFlow(connector.id, 'pb_directory'));
    expect((await p.runs.runNow(me, { flowId: flow.id })).run.outputs).toEqual({ Who: 'adele' });

    offsetMs += 3600_000;
    live.clear();
    expect((await p.runs.runNow(me, { flowId: flow.id })).run).toMatchObject({
      status: 'succeeded',
      outputs: { Who: 'adele' },
    });
    expect(aad.grants.map((g) => [g.grant, g.resource, g.path])).toEqual([
      ['authorization_code', 'https://graph.contoso.test', '/contoso-tenant/oauth2/token'],
      ['refresh_token', 'https://graph.contoso.test', '/contoso-tenant/oauth2/token'],
    ]);
  });

  run(
    'oauth2generic: fills the URL templates from token: parameters, signs in, runs, and refreshes at expiry',
    async () => {
      const p = env.platform;
      const me = await p.users.owner();
      const host = (generic.server.issuer.url as string).replace(/\/+$/, '');
      const connector = await p.connectors.import(me, 'default', {
        files: {
          'apiDefinition.swagger.json': definition('Tribal Profiles', api.url),
          'apiProperties.json': genericProperties(),
        },
      });
      const params = {
        'token:authHost': host,
        'token:region': 'eu',
        'token:tenantId': 'contoso',
        client_id: 'patchbay-generic-client',
      };
      // Without the parameters its templates need, the connection cannot sign in, and says which one is missing.
      const bare = await p.connections
        .create(me, 'default', {
          connectorId: connector.id,
          displayName: 'Incomplete',
          params: { client_id: 'patchbay-generic-client' },
        })
        .catch((e: { code: string; message: string }) => e);
      expect(bare).toMatchObject({ code: 'store.invalid' });
      expect((bare as { message: string }).message).toMatch(/authHost|region|tenantId/i);

      const { connection } = await p.connections.create(me, 'default', {
        connectorId: connector.id,
        displayName: 'Profiles',
        params,
        secrets: { client_secret: 'generic-client-secret' },
      });
      let opened = '';
      const signedIn = await p.connections.signInWithLoopback(me, connection.id, {
        open: async (url) => {
          opened = url;
          await browse(url);
        },
      });
      const u = new URL(opened);
      expect(`${u.origin}${u.pathname}`).toBe(`${host}/eu/ids/contoso/connect/authorize`);
      expect(u.searchParams.get('scope')).toBe('profile.read');
      expect(signedIn.status).toBe('connected');
      expect(JSON.stringify(signedIn)).not.toContain('generic-client-secret');

      await p.references.create(me, 'default', {
        logicalName: 'pb_profiles',
        connectorId: connector.id,
        connectionId: connection.id,
      });
      const flow = await p.flows.save(me, 'default', meFlow(connector.id, 'pb_profiles'));
      expect((await p.runs.runNow(me, { flowId: flow.id })).run.outputs).toEqual({ Who: 'adele' });

      offsetMs += 3600_000;
      live.clear();
      expect((await p.runs.runNow(me, { flowId: flow.id })).run.status).toBe('succeeded');
      expect(generic.grants.map((g) => [g.grant, g.path])).toEqual([
        ['authorization_code', '/eu/ids/contoso/connect/token'],
        ['refresh_token', '/eu/ids/contoso/connect/token'],
      ]);
    },
  );
});
