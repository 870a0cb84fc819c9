/**
 * The secret canary: every secret Patchbay holds (a connection's API key, an
 * OAuth-free client secret, a secret environment variable, a user's password,
 * an API token, a run's sensitive input) is a recognisable string; every GET route of the OpenAPI
 * document is called with real ids, and no answer may contain any of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OWNER,
  echoFlow,
  echoOpenApi,
  login,
  startEchoApi,
  testServer,
  waitForRun,
  type Caller,
  type TestServer,
} from '../test-support.js';
import { toPublic } from './public.js';

const CANARY = 'canary-7c41e0';
const secrets = {
  apiKey: `${CANARY}-api-key`,
  envVar: `${CANARY}-env-var`,
  password: `${CANARY}-password`,
  passphrase: `${CANARY}-sensitive-input`,
  token: '',
};
let s: TestServer;
let owner: Caller;
let api: Awaited<ReturnType<typeof startEchoApi>>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  s = await testServer();
  api = await startEchoApi();
  owner = await login(s.app, OWNER.email, OWNER.password);
  const ok = async (p: Promise<{ statusCode: number; body: string; json(): unknown }>) => {
    const r = await p;
    if (r.statusCode !== 200) throw new Error(r.body);
    return r.json() as Record<string, unknown>;
  };
  await ok(owner.call('POST', '/api/envs/default/connectors', { openapi: echoOpenApi(api.url) }));
  const c = await ok(
    owner.call('POST', '/api/envs/default/connections', {
      connectorId: 'echo',
      displayName: 'Echo',
      secrets: { api_key: secrets.apiKey },
    }),
  );
  ids.connection = (c.connection as { id: string }).id;
  await ok(
    owner.call('POST', '/api/envs/default/references', {
      logicalName: 'echo_main',
      displayName: 'Echo main',
      connectorId: 'echo',
      connectionId: ids.connection,
    }),
  );
  await ok(owner.call('PUT', '/api/envs/default/variables/pb_secret', { type: 'secret', value: secrets.envVar }));
  await ok(owner.call('PUT', '/api/envs/default/variables/pb_plain', { type: 'text', value: 'plain value' }));
  const member = await ok(
    owner.call('POST', '/api/users', { email: 'member@patchbay.test', password: secrets.password }),
  );
  ids.user = member.id as string;
  secrets.token = (await ok(owner.call('POST', '/api/auth/tokens', { name: 'canary' }))).apiToken as string;
  ids.token = '';
  const flow = await ok(
    owner.call('POST', '/api/envs/default/flows', {
      definition: {
        ...echoFlow(),
        inputs: { Passphrase: { type: 'text', sensitive: true } },
        outputs: { Reply: { type: 'object' }, Key: { type: 'text' }, Length: { type: 'number' } },
        steps: [
          ...(echoFlow().steps as unknown[]),
          { action: 'Variables.Set', params: { name: 'Key', value: '%Reply.receivedKey%' } },
          { action: 'Variables.Set', params: { name: 'Length', value: '%Passphrase.Length%' } },
        ],
      },
    }),
  );
  ids.flow = flow.id as string;
  ids.run = (
    await ok(owner.call('POST', `/api/flows/${ids.flow}/runs`, { inputs: { Passphrase: secrets.passphrase } }))
  ).runId as string;
  const done = await waitForRun(owner, ids.run);
  if (done.run.status !== 'succeeded') throw new Error(JSON.stringify(done.run));
  // The sensitive input reached the run (sealed in the run row, opened by the queue's worker).
  if ((done.run.outputs as Record<string, unknown>).Length !== secrets.passphrase.length)
    throw new Error(`the run did not see its sensitive input: ${JSON.stringify(done.run.outputs)}`);
  await ok(owner.call('POST', '/api/envs/default/solutions', { name: 'CanarySolution', flowIds: [ids.flow] }));
  // A policy by the same name, so /api/policies/{name} answers too (it blocks only a connector no flow here uses).
  await ok(
    owner.call('POST', '/api/policies', {
      name: 'CanarySolution',
      environments: ['default'],
      connectors: { blocked: ['rss'] },
    }),
  );
});
afterAll(async () => {
  await s.close();
  await api.close();
});

function fill(path: string): string {
  const noun = path.split('/')[2];
  return path
    .replace('{env}', 'default')
    .replace('{operationId}', 'GetEcho')
    .replace('{logicalName}', 'echo_main')
    .replace('{name}', 'CanarySolution')
    .replace('{userId}', ids.user)
    .replace(
      '{id}',
      noun === 'envs'
        ? 'echo'
        : noun === 'connections'
          ? ids.connection
          : noun === 'flows'
            ? ids.flow
            : noun === 'runs'
              ? ids.run
              : 'unknown',
    );
}

describe('secrets never leave the server', () => {
  it('the service really got the key (so the canary means something)', () => {
    expect(api.keys).toContain(secrets.apiKey);
  });

  it('no GET route answers any secret', async () => {
    const doc = (await s.app.inject({ method: 'GET', url: '/api/docs/json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const paths = Object.entries(doc.paths)
      .filter(([, ops]) => 'get' in ops)
      .map(([p]) => p)
      .filter((p) => !p.startsWith('/api/docs'));
    expect(paths.length).toBeGreaterThan(20);
    const checked: string[] = [];
    for (const p of paths) {
      const url = fill(p);
      expect(url).not.toContain('{');
      const r = await owner.call('GET', url);
      // The OAuth callback without a sign-in in progress answers its failure page (400).
      expect(r.statusCode, `${url}: ${r.body.slice(0, 200)}`).toBeLessThan(url === '/api/oauth/callback' ? 401 : 400);
      const body = r.rawPayload.toString('latin1');
      for (const secret of Object.values(secrets)) expect(body, url).not.toContain(secret);
      checked.push(url);
    }
    expect(checked).toEqual(
      expect.arrayContaining([
        `/api/runs/${ids.run}`,
        `/api/runs/${ids.run}/events`,
        '/api/envs/default/variables',
        '/api/envs/default/connections',
        '/api/envs/default/solutions/CanarySolution/export',
      ]),
    );
  });

  it('drops credential fields the mapper knows, wherever they sit, but leaves flow documents alone', () => {
    const out = toPublic({
      a: { secrets: { k: 1 }, accessToken: 'x', list: [{ passwordHash: 'h', ok: 1 }] },
      definition: { params: { password: '%P%' } },
      csrfToken: 't',
    });
    expect(out).toEqual({ a: { list: [{ ok: 1 }] }, definition: { params: { password: '%P%' } }, csrfToken: 't' });
  });
});
