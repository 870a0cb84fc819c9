import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Store, type User, isMachineOnline } from '../index.js';
import { type TestDatabase, rejection, testDialects } from '../testDialects.js';

const dialects = await testDialects();

describe.each(dialects)('machines on $name', (dialect) => {
  let db: TestDatabase;
  let s: Store;
  let ada: User;
  beforeAll(async () => {
    if (!dialect.available) return;
    db = dialect.create();
    s = await db.open();
    ada = await s.users.create({ email: 'ada@example.test' });
  });
  afterAll(async () => {
    await s?.close();
    await db?.dispose();
  });
  const run = it.skipIf(!dialect.available);

  run('registers a machine with a token kept only as a hash, authenticates it, and revokes it', async () => {
    const { machine, token } = await s.machines.register({
      name: 'build-01',
      group: 'builders',
      environment: 'default',
      createdBy: ada.id,
    });
    expect(token).toMatch(/^pbm_[A-Za-z0-9_-]{40,}$/);
    expect(machine).toMatchObject({ name: 'build-01', group: 'builders', status: 'active', lastSeenAt: null });
    expect(JSON.stringify(await s.machines.list())).not.toContain(token);
    expect((await s.machines.authenticate(token))?.name).toBe('build-01');
    expect(await s.machines.authenticate(`${token}x`)).toBeUndefined();
    expect(await s.machines.authenticate('not a token')).toBeUndefined();
    expect(isMachineOnline(await s.machines.get('build-01'))).toBe(false);
    await s.machines.setConnected('build-01', true);
    expect(isMachineOnline(await s.machines.get('build-01'))).toBe(true);
    await s.machines.touch('build-01');
    expect(isMachineOnline(await s.machines.get('build-01'), Date.now() + 60_000)).toBe(false);
    await s.machines.setConnected('build-01', false);
    expect(isMachineOnline(await s.machines.get('build-01'))).toBe(false);
    expect((await s.machines.get('build-01')).lastSeenAt).not.toBeNull();

    expect(
      (
        await rejection(
          s.machines.register({ name: 'build-01', group: 'g', environment: 'default', createdBy: ada.id }),
        )
      ).code,
    ).toBe('store.conflict');
    expect((await s.machines.revoke('build-01')).status).toBe('revoked');
    expect(await s.machines.authenticate(token)).toBeUndefined();
    const again = await s.machines.register({
      name: 'build-01',
      group: 'g2',
      environment: 'default',
      createdBy: ada.id,
    });
    expect(again.token).not.toBe(token);
    expect((await s.machines.authenticate(again.token))?.group).toBe('g2');
    expect((await rejection(s.machines.revoke('nobody'))).code).toBe('store.not_found');
    expect(
      (await rejection(s.machines.register({ name: 'x', group: 'g', environment: 'nowhere', createdBy: ada.id }))).code,
    ).toBe('store.not_found');
    expect(
      (
        await rejection(
          s.machines.register({ name: 'bad name', group: 'g', environment: 'default', createdBy: ada.id }),
        )
      ).code,
    ).toBe('store.invalid');
  });

  run('a run and a flow target a machine group; queued runs of a group come oldest first', async () => {
    const flow = await s.flows.create({
      environment: 'default',
      name: 'Remote',
      ownerId: ada.id,
      definition: { schema: 'patchbay/flow@1', name: 'Remote', steps: [] },
    });
    expect(flow.machineGroup).toBeNull();
    expect((await s.flows.setMachineGroup(flow.id, 'builders')).machineGroup).toBe('builders');
    const a = await s.runs.create({
      environment: 'default',
      flowId: flow.id,
      flowVersion: 1,
      machineGroup: 'builders',
    });
    const b = await s.runs.create({
      environment: 'default',
      flowId: flow.id,
      flowVersion: 1,
      machineGroup: 'builders',
    });
    const local = await s.runs.create({ environment: 'default', flowId: flow.id, flowVersion: 1 });
    expect(a.machineGroup).toBe('builders');
    expect(local.machineGroup).toBeNull();
    const queued = await s.runs.queuedForMachines('default', 'builders');
    expect(queued.map((r) => r.id)).toEqual([a.id, b.id]);
    expect((await s.runs.queuedForMachines('default', 'other')).length).toBe(0);
    expect((await s.runs.list({ status: 'queued', machineGroup: null })).map((r) => r.id)).toEqual([local.id]);
    await s.runs.start(a.id, { workerId: 'm' });
    expect((await s.runs.queuedForMachines('default', 'builders')).map((r) => r.id)).toEqual([b.id]);
    await s.flows.setMachineGroup(flow.id, null);
    expect((await s.flows.get(flow.id)).machineGroup).toBeNull();
  });
});
