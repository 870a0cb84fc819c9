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

const KEY = 'canary-key-5f1d9a0b7c';
let s: TestServer;
let owner: Caller;
let member: Caller;
let api: Awaited<ReturnType<typeof startEchoApi>>;
let connectionId: string;

beforeAll(async () => {
  s = await testServer();
  api = await startEchoApi();
  owner = await login(s.app, OWNER.email, OWNER.password);
  member = await newUser(s.app, owner, 'member@patchbay.test');
});
afterAll(async () => {
  await s.close();
  await api.close();
});

describe('connectors, connections and references', () => {
  it('imports an OpenAPI connector and lists it with its auth scheme and operations', async () => {
    const r = await owner.call('POST', '/api/envs/default/connectors', { openapi: echoOpenApi(api.url) });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ id: 'echo', builtin: false });
    expect(r.json().authSchemes[0].parameters.find((p: { name: string }) => p.name === 'api_key')).toMatchObject({
      secret: true,
    });
    const list = await owner.call('GET', '/api/envs/default/connectors');
    expect(list.json().map((c: { id: string }) => c.id)).toContain('echo');
    const action = await owner.call('GET', '/api/envs/default/connectors/echo/operations/GetEcho/action');
    expect(action.json()).toMatchObject({ id: 'echo.GetEcho', kind: 'connector' });
    expect(action.json().produces.map((p: { key: string }) => p.key)).toContain('body');
    expect((await owner.call('GET', '/api/envs/default/connectors/echo/operations/Nope/action')).statusCode).toBe(404);
  });

  it('answers 400 with the place for a broken connector file', async () => {
    const r = await owner.call('POST', '/api/envs/default/connectors', { openapi: '{"openapi": "3.0.0", "info": ' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('connector.invalid');
  });

  it('creates a connection whose secret never comes back', async () => {
    const r = await owner.call('POST', '/api/envs/default/connections', {
      connectorId: 'echo',
      displayName: 'Echo (owner)',
      secrets: { api_key: KEY },
    });
    expect(r.statusCode).toBe(200);
    expect(r.body).not.toContain(KEY);
    const c = r.json().connection;
    expect(c).toMatchObject({
      connectorId: 'echo',
      status: 'connected',
      canManage: true,
      sharedWithMe: false,
      owner: { email: OWNER.email },
    });
    connectionId = c.id;
  });

  it('hides a connection from another user until it is shared, then lets them use but not manage it', async () => {
    expect((await member.call('GET', '/api/envs/default/connections')).json()).toEqual([]);
    expect((await member.call('GET', `/api/connections/${connectionId}`)).statusCode).toBe(404);
    expect(
      (await member.call('POST', `/api/connections/${connectionId}/shares`, { email: member.user.email })).statusCode,
    ).toBe(404);
    expect(
      (await owner.call('POST', `/api/connections/${connectionId}/shares`, { email: member.user.email })).statusCode,
    ).toBe(200);
    const seen = (await member.call('GET', '/api/envs/default/connections')).json();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ id: connectionId, sharedWithMe: true, canManage: false });
    expect((await member.call('DELETE', `/api/connections/${connectionId}`)).statusCode).toBe(403);
    expect((await owner.call('DELETE', `/api/connections/${connectionId}/shares/${member.user.id}`)).statusCode).toBe(
      200,
    );
    expect((await member.call('GET', '/api/envs/default/connections')).json()).toEqual([]);
  });

  it('tests a connection against the service', async () => {
    const r = await owner.call('POST', `/api/connections/${connectionId}/test`);
    expect(r.statusCode).toBe(200);
    expect(['connected', 'error']).toContain(r.json().status);
  });

  it('creates a reference, binds it, and reports the flows that use it', async () => {
    const ref = await owner.call('POST', '/api/envs/default/references', {
      logicalName: 'echo_main',
      displayName: 'Echo main',
      connectorId: 'echo',
    });
    expect(ref.statusCode).toBe(200);
    expect(ref.json()).toMatchObject({ logicalName: 'echo_main', connection: null, usedBy: [] });
    const bound = await owner.call('PUT', '/api/envs/default/references/echo_main/binding', { connectionId });
    expect(bound.json().connection).toMatchObject({
      id: connectionId,
      status: 'connected',
      owner: { email: OWNER.email },
    });
    // Someone who may not use the connection cannot bind it.
    await member.call('POST', '/api/envs/default/references', {
      logicalName: 'echo_member',
      displayName: 'Echo member',
      connectorId: 'echo',
    });
    const refused = await member.call('PUT', '/api/envs/default/references/echo_member/binding', { connectionId });
    expect([403, 404]).toContain(refused.statusCode);
    expect(refused.body).not.toContain(KEY);
    const flow = await owner.call('POST', '/api/envs/default/flows', { definition: echoFlow() });
    expect(flow.statusCode).toBe(200);
    const list = (await owner.call('GET', '/api/envs/default/references')).json();
    expect(list.find((r: { logicalName: string }) => r.logicalName === 'echo_main').usedBy).toEqual([
      { flowId: flow.json().id, flowName: 'Echo call' },
    ]);
  });

  it('runs a flow through the reference: the key reaches the service, never the run record', async () => {
    const flowId = (await owner.call('GET', '/api/envs/default/flows'))
      .json()
      .find((f: { name: string }) => f.name === 'Echo call').id;
    const start = await owner.call('POST', `/api/flows/${flowId}/runs`, {});
    expect(start.statusCode).toBe(200);
    const { run, steps } = await waitForRun(owner, start.json().runId);
    expect(run.status).toBe('succeeded');
    expect(api.keys).toContain(KEY);
    expect(steps).toHaveLength(1);
    expect(JSON.stringify({ run, steps })).not.toContain(KEY);
  });

  it('refuses to delete a bound connection without force, and lists what it unbinds with force', async () => {
    const r = await owner.call('DELETE', `/api/connections/${connectionId}`);
    expect(r.statusCode).toBe(409);
    const forced = await owner.call('DELETE', `/api/connections/${connectionId}?force=true`);
    expect(forced.statusCode).toBe(200);
    expect(forced.json().unbound).toEqual([{ environment: 'default', logicalName: 'echo_main' }]);
  });
});
