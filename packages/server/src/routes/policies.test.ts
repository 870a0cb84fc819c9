import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER, login, newUser, testServer, type Caller, type TestServer } from '../test-support.js';

let s: TestServer;
let owner: Caller;
let member: Caller;

beforeAll(async () => {
  s = await testServer();
  owner = await login(s.app, OWNER.email, OWNER.password);
  member = await newUser(s.app, owner, 'member@patchbay.test');
});
afterAll(async () => s.close());

const commands = (name: string) => ({
  schema: 'patchbay/flow@1',
  name,
  steps: [{ action: 'System.RunCommand', params: { command: 'true' } }],
});
const policy = {
  name: 'NoHostActions',
  environments: ['*'],
  desktopActions: { blockedModules: ['System', 'Scripting'] },
};

describe('policies over HTTP', () => {
  it('refuses a member applying or deleting a policy, and changes nothing', async () => {
    const r = await member.call('POST', '/api/policies', policy);
    expect(r.statusCode).toBe(403);
    expect(r.json().error).toMatchObject({ code: 'auth.denied' });
    expect(r.json().error.message).toContain('every environment');
    expect((await member.call('GET', '/api/policies')).json()).toEqual([]);

    // Also for one environment, and for deleting an existing policy.
    expect((await member.call('POST', '/api/policies', { ...policy, environments: ['default'] })).statusCode).toBe(403);
    expect((await owner.call('POST', '/api/policies', policy)).statusCode).toBe(200);
    expect((await member.call('DELETE', '/api/policies/NoHostActions')).statusCode).toBe(403);
    expect((await member.call('GET', '/api/policies/NoHostActions')).json().policy).toEqual(policy);
    expect((await owner.call('DELETE', '/api/policies/NoHostActions')).statusCode).toBe(200);
  });

  it('answers a bad policy file with the JSON pointer and the fix', async () => {
    const r = await owner.call('POST', '/api/policies', { ...policy, desktopActions: { blockedModule: ['System'] } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'policy.invalid', pointer: '/desktopActions/blockedModule' });
    expect(r.json().error.hint).toContain('Remove it');
  });

  it("suspends a member's violating flow when the owner applies a policy, and refuses its run", async () => {
    const saved = await member.call('POST', '/api/envs/default/flows', { definition: commands('Shell') });
    expect(saved.statusCode).toBe(200);
    const flowId = saved.json().id as string;
    expect(saved.json().suspendedReason).toBeNull();

    const applied = await owner.call('POST', '/api/policies', policy);
    expect(applied.statusCode).toBe(200);
    expect(applied.json().suspended).toEqual([
      expect.objectContaining({
        id: flowId,
        name: 'Shell',
        violations: [expect.objectContaining({ stepPath: '/steps/0' })],
      }),
    ]);

    const flow = (await member.call('GET', `/api/flows/${flowId}`)).json();
    expect(flow.suspendedReason).toContain('NoHostActions');
    expect(flow.violations[0]).toMatchObject({
      kind: 'blockedModule',
      stepPath: '/steps/0',
      action: 'System.RunCommand',
    });

    const run = await member.call('POST', `/api/flows/${flowId}/runs`, {});
    expect(run.statusCode).toBe(409);
    expect(run.json().error).toMatchObject({ code: 'policy.violation', stepPath: '/steps/0' });
    expect(run.json().error.message).toContain('policy "NoHostActions" at step /steps/0 (System.RunCommand)');

    const check = await member.call('POST', '/api/policies/_check', { env: 'default', definition: commands('Other') });
    expect(check.json().violations).toHaveLength(1);
    const groups = await member.call('GET', '/api/policies/_connectors?env=default');
    expect(groups.json().policies).toEqual(['NoHostActions']);
    expect(groups.json().connectors.find((c: { id: string }) => c.id === 'http').groups).toEqual({
      NoHostActions: 'nonBusiness',
    });
  });
});
