import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

const KEYS = ['audit-canary-key-1f7a', 'audit-canary-key-2b8c', 'audit-canary-key-3d9e'];
const WRONG_PASSWORD = 'audit-canary-password-4e0f';
let s: TestServer;
let owner: Caller;
let member: Caller;
let api: Awaited<ReturnType<typeof startEchoApi>>;
const canaries = [...KEYS, WRONG_PASSWORD];

interface Entry {
  action: string;
  outcome: string;
  environment: string | null;
  target: string | null;
  actor: { id: string | null; email: string | null };
  detail: Record<string, unknown>;
}

beforeAll(async () => {
  s = await testServer();
  api = await startEchoApi();
});
afterAll(async () => {
  await s.close();
  await api.close();
});

describe('audit log through the HTTP API', () => {
  it('records every security event with actor, environment, target and outcome, and no secret', async () => {
    const failed = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: OWNER.email, password: WRONG_PASSWORD },
    });
    expect(failed.statusCode).toBe(403);
    owner = await login(s.app, OWNER.email, OWNER.password);
    member = await newUser(s.app, owner, 'member@patchbay.test');

    const token = await owner.call('POST', '/api/auth/tokens', { name: 'ci' });
    const { id: tokenId, apiToken } = token.json() as { id: string; apiToken: string };
    canaries.push(apiToken);
    expect((await owner.call('DELETE', `/api/auth/tokens/${tokenId}`)).statusCode).toBe(200);

    expect(
      (await owner.call('POST', '/api/envs/default/connectors', { openapi: echoOpenApi(api.url) })).statusCode,
    ).toBe(200);
    const created = await owner.call('POST', '/api/envs/default/connections', {
      connectorId: 'echo',
      displayName: 'Owner echo',
      secrets: { api_key: KEYS[0] },
    });
    const connectionId = created.json().connection.id as string;
    expect(
      (await owner.call('PATCH', `/api/connections/${connectionId}`, { secrets: { api_key: KEYS[1] } })).statusCode,
    ).toBe(200);
    expect((await owner.call('POST', `/api/connections/${connectionId}/test`)).statusCode).toBe(200);
    expect(
      (await owner.call('POST', `/api/connections/${connectionId}/shares`, { email: 'member@patchbay.test' }))
        .statusCode,
    ).toBe(200);
    // The member may use it, not delete it: refused, and the refusal is recorded.
    expect((await member.call('DELETE', `/api/connections/${connectionId}`)).statusCode).toBe(403);
    expect(
      (await owner.call('POST', `/api/connections/${connectionId}/reconnect`, { secrets: { api_key: KEYS[2] } }))
        .statusCode,
    ).toBe(200);

    const ref = { logicalName: 'echo_main', displayName: 'Echo', connectorId: 'echo' };
    expect((await owner.call('POST', '/api/envs/default/references', ref)).statusCode).toBe(200);
    expect(
      (await owner.call('PUT', '/api/envs/default/references/echo_main/binding', { connectionId })).statusCode,
    ).toBe(200);
    const flowId = (await owner.call('POST', '/api/envs/default/flows', { definition: echoFlow('Shared echo') })).json()
      .id as string;
    expect(
      (await owner.call('POST', `/api/flows/${flowId}/shares`, { email: 'member@patchbay.test', role: 'run-only' }))
        .statusCode,
    ).toBe(200);
    // A shared flow's run is recorded; the owner's own run is not.
    const runId = (await member.call('POST', `/api/flows/${flowId}/runs`, {})).json().runId as string;
    expect((await waitForRun(member, runId)).run.status).toBe('succeeded');
    const ownRun = (await owner.call('POST', `/api/flows/${flowId}/runs`, {})).json().runId as string;
    await waitForRun(owner, ownRun);

    expect((await owner.call('DELETE', '/api/envs/default/references/echo_main/binding')).statusCode).toBe(200);
    expect(
      (await owner.call('POST', '/api/envs/default/references', { ...ref, logicalName: 'spare' })).statusCode,
    ).toBe(200);
    expect((await owner.call('DELETE', '/api/envs/default/references/spare')).statusCode).toBe(200);
    // A change that fails records nothing.
    expect((await owner.call('DELETE', '/api/envs/default/references/never_made')).statusCode).toBe(404);
    expect((await owner.call('DELETE', `/api/connections/${connectionId}/shares/${member.user.id}`)).statusCode).toBe(
      200,
    );
    expect((await owner.call('DELETE', `/api/connections/${connectionId}?force=true`)).statusCode).toBe(200);

    // A machine's token is a secret too: registered and revoked, it appears in no entry.
    const machine = await owner.call('POST', '/api/machines', { name: 'audit-box', group: 'audited' });
    expect(machine.statusCode).toBe(201);
    canaries.push(machine.json().token as string);
    expect((await member.call('DELETE', '/api/machines/audit-box')).statusCode).toBe(403);
    expect((await owner.call('DELETE', '/api/machines/audit-box')).statusCode).toBe(200);

    const res = await owner.call('GET', '/api/audit?limit=1000');
    expect(res.statusCode).toBe(200);
    const entries = res.json() as Entry[];
    const seen = (action: string, outcome = 'ok') =>
      entries.filter((e) => e.action === action && e.outcome === outcome);
    for (const action of [
      'signin',
      'token.create',
      'token.revoke',
      'connector.import',
      'connection.create',
      'connection.update',
      'connection.test',
      'connection.share',
      'connection.reconnect',
      'connection.unshare',
      'connection.delete',
      'reference.create',
      'reference.bind',
      'reference.unbind',
      'reference.delete',
      'run.start',
      'machine.register',
      'machine.revoke',
    ])
      expect(seen(action).length, action).toBeGreaterThan(0);
    expect(seen('machine.revoke', 'denied')).toEqual([
      expect.objectContaining({ actor: { id: member.user.id, email: 'member@patchbay.test' }, target: 'audit-box' }),
    ]);
    expect(seen('machine.register')[0]).toMatchObject({ target: 'audit-box', detail: { group: 'audited' } });
    expect(seen('signin.failed', 'failed')).toEqual([
      expect.objectContaining({ actor: { id: null, email: null }, target: OWNER.email }),
    ]);
    expect(seen('connection.delete', 'denied')).toEqual([
      expect.objectContaining({
        actor: { id: member.user.id, email: 'member@patchbay.test' },
        environment: 'default',
        target: connectionId,
      }),
    ]);
    expect(seen('connection.create')[0]).toMatchObject({
      actor: { id: owner.user.id, email: OWNER.email },
      environment: 'default',
      target: connectionId,
      detail: { connectorId: 'echo' },
    });
    expect(seen('run.start')).toEqual([
      expect.objectContaining({ actor: { id: member.user.id, email: 'member@patchbay.test' }, target: flowId }),
    ]);
    expect(seen('reference.delete').map((e) => e.target)).toEqual(['spare']);
    // No secret in any entry, as answered or as stored.
    const stored =
      JSON.stringify(await s.platform.store.audit.list({ limit: 1000 })) +
      ['patchbay.db', 'patchbay.db-wal']
        .map((f) => join(s.home, f))
        .filter((f) => existsSync(f))
        .map((f) => readFileSync(f).toString('latin1'))
        .join('\n');
    for (const c of canaries) {
      expect(res.body).not.toContain(c);
      expect(stored).not.toContain(c);
    }
  });

  it('answers only the owner (and environment admins), with filters', async () => {
    const mine = (await owner.call('GET', '/api/audit?actor=MEMBER@patchbay.test')).json() as Entry[];
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine.map((e) => e.actor.email))).toEqual(new Set(['member@patchbay.test']));
    expect(
      (await owner.call('GET', '/api/audit?env=default')).json().every((e: Entry) => e.environment === 'default'),
    ).toBe(true);
    expect((await owner.call('GET', '/api/audit?since=2999-01-01T00:00:00Z')).json()).toEqual([]);
    const bad = await owner.call('GET', '/api/audit?since=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('"yesterday" is not a time');
    expect((await owner.call('GET', '/api/audit?env=nowhere')).statusCode).toBe(404);

    for (const url of ['/api/audit', '/api/audit?env=default']) {
      const r = await member.call('GET', url);
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('auth.denied');
    }
    expect((await s.app.inject({ method: 'GET', url: '/api/audit' })).statusCode).toBe(401);
  });
});
