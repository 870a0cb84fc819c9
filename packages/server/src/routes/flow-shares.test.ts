import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OWNER,
  echoFlow,
  echoOpenApi,
  login,
  newUser,
  startEchoApi,
  testServer,
  waitForRun,
  type Caller,
  type TestServer,
} from '../test-support.js';

const KEY = 'embedded-key-8c2e41d7';
let s: TestServer;
let owner: Caller;
let runner: Caller;
let coOwner: Caller;
let api: Awaited<ReturnType<typeof startEchoApi>>;
let flowId: string;
let connectionId: string;

beforeAll(async () => {
  s = await testServer();
  api = await startEchoApi();
  owner = await login(s.app, OWNER.email, OWNER.password);
  runner = await newUser(s.app, owner, 'runner@patchbay.test');
  coOwner = await newUser(s.app, owner, 'coowner@patchbay.test');
  expect((await owner.call('POST', '/api/envs/default/connectors', { openapi: echoOpenApi(api.url) })).statusCode).toBe(
    200,
  );
  const c = await owner.call('POST', '/api/envs/default/connections', {
    connectorId: 'echo',
    displayName: 'Owner echo',
    secrets: { api_key: KEY },
  });
  connectionId = c.json().connection.id;
  // The reference stays unbound: only the embedded connection lets others run the flow.
  expect(
    (
      await owner.call('POST', '/api/envs/default/references', {
        logicalName: 'echo_main',
        displayName: 'Echo',
        connectorId: 'echo',
      })
    ).statusCode,
  ).toBe(200);
  flowId = (await owner.call('POST', '/api/envs/default/flows', { definition: echoFlow('Shared echo') })).json().id;
});
afterAll(async () => {
  await s.close();
  await api.close();
});

describe('flow sharing and embedded references, as the designer reads them', () => {
  it('lists shares with emails and roles to owners and co-owners, not to run-only users or strangers', async () => {
    expect(
      (await owner.call('POST', `/api/flows/${flowId}/shares`, { email: 'runner@patchbay.test', role: 'run-only' }))
        .statusCode,
    ).toBe(200);
    expect(
      (await owner.call('POST', `/api/flows/${flowId}/shares`, { email: 'coowner@patchbay.test', role: 'co-owner' }))
        .statusCode,
    ).toBe(200);
    const list = await owner.call('GET', `/api/flows/${flowId}/shares`);
    expect(list.statusCode).toBe(200);
    expect(
      list
        .json()
        .map((x: { user: { email: string }; role: string }) => [x.user.email, x.role])
        .sort(),
    ).toEqual([
      ['coowner@patchbay.test', 'co-owner'],
      ['runner@patchbay.test', 'run-only'],
    ]);
    expect((await coOwner.call('GET', `/api/flows/${flowId}/shares`)).statusCode).toBe(200);
    const denied = await runner.call('GET', `/api/flows/${flowId}/shares`);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('auth.denied');
    const stranger = await newUser(s.app, owner, 'stranger@patchbay.test');
    expect((await stranger.call('GET', `/api/flows/${flowId}/shares`)).statusCode).toBe(404);
    expect((await stranger.call('GET', `/api/flows/${flowId}/embedded-references`)).statusCode).toBe(404);
  });

  it('shows the embedded connection (never its secret) to a run-only user, who then runs with it', async () => {
    expect((await runner.call('GET', `/api/flows/${flowId}/embedded-references`)).json()).toEqual([]);
    expect(
      (await owner.call('POST', `/api/flows/${flowId}/embedded-references`, { logicalName: 'echo_main', connectionId }))
        .statusCode,
    ).toBe(200);
    const r = await runner.call('GET', `/api/flows/${flowId}/embedded-references`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual([
      {
        logicalName: 'echo_main',
        embeddedBy: { id: owner.user.id, email: OWNER.email },
        connection: { id: connectionId, displayName: 'Owner echo', connectorId: 'echo', status: expect.any(String) },
      },
    ]);
    expect(r.body).not.toContain(KEY);
    const runId = (await runner.call('POST', `/api/flows/${flowId}/runs`, {})).json().runId as string;
    expect((await waitForRun(runner, runId)).run.status).toBe('succeeded');
    expect(api.keys).toContain(KEY);
    expect((await owner.call('DELETE', `/api/flows/${flowId}/embedded-references/echo_main`)).statusCode).toBe(200);
    expect((await runner.call('GET', `/api/flows/${flowId}/embedded-references`)).json()).toEqual([]);
  });
});
