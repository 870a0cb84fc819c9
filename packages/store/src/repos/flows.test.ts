import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store, User } from '../index.js';
import { type TestDatabase, rejection, testDialects, unique } from '../testDialects.js';

const dialects = await testDialects();

const definition = (name: string, ref = 'pb_ledger') => ({
  schema: 'patchbay/flow@1',
  name,
  steps: [{ connector: 'ledger', operation: 'ListEntries', connectionReference: ref, params: {} }],
});

describe.each(dialects)('flows, runs and solutions on $name', (dialect) => {
  let db: TestDatabase;
  let s: Store;
  let ada: User;
  let bob: User;
  beforeAll(async () => {
    if (!dialect.available) return;
    db = dialect.create();
    s = await db.open();
    ada = await s.users.create({ email: 'ada@example.test' });
    bob = await s.users.create({ email: 'bob@example.test' });
  });
  afterAll(async () => {
    await s?.close();
    await db?.dispose();
  });
  const run = it.skipIf(!dialect.available);

  run('saves flows with versions, names unique per environment', async () => {
    const name = unique('Flow ');
    const f = await s.flows.create({ environment: 'default', name, ownerId: ada.id, definition: definition(name) });
    expect(f).toMatchObject({ name, ownerId: ada.id, enabled: true, currentVersion: 1 });
    expect(
      (await rejection(s.flows.create({ environment: 'default', name, ownerId: ada.id, definition: {} }))).code,
    ).toBe('store.conflict');
    const v2 = await s.flows.saveVersion(f.id, { definition: { ...definition(name), steps: [] }, authorId: bob.id });
    expect(v2.currentVersion).toBe(2);
    expect((await s.flows.getVersion(f.id)).definition).toEqual({ ...definition(name), steps: [] });
    expect((await s.flows.getVersion(f.id, 1)).definition).toEqual(definition(name));
    expect((await s.flows.listVersions(f.id)).map((v) => [v.version, v.authorId])).toEqual([
      [2, bob.id],
      [1, ada.id],
    ]);
    expect((await rejection(s.flows.getVersion(f.id, 7))).code).toBe('store.not_found');
    expect((await s.flows.findByName('default', name))?.id).toBe(f.id);
    expect((await s.flows.setEnabled(f.id, false)).enabled).toBe(false);
    const renamed = unique('Renamed ');
    expect((await s.flows.rename(f.id, renamed)).name).toBe(renamed);
    expect(
      (await rejection(s.flows.create({ environment: 'default', name: 'x', ownerId: ada.id, definition: [] }))).code,
    ).toBe('store.invalid');
    expect(
      (await rejection(s.flows.create({ environment: 'nowhere', name: 'x', ownerId: ada.id, definition: {} }))).code,
    ).toBe('store.not_found');
  });

  run('shares flows with co-owners and run-only users', async () => {
    const f = await s.flows.create({
      environment: 'default',
      name: unique('Shared '),
      ownerId: ada.id,
      definition: definition('Shared'),
    });
    expect(await s.flows.roleOf(f.id, bob.id)).toBeUndefined();
    expect((await s.flows.list({ visibleTo: bob.id })).map((x) => x.id)).not.toContain(f.id);
    await s.flows.share(f.id, bob.id, 'run-only');
    expect(await s.flows.roleOf(f.id, bob.id)).toBe('run-only');
    await s.flows.share(f.id, bob.id, 'co-owner');
    expect(await s.flows.roleOf(f.id, bob.id)).toBe('co-owner');
    expect(await s.flows.roleOf(f.id, ada.id)).toBe('owner');
    expect((await s.flows.shares(f.id)).map((x) => [x.userId, x.role])).toEqual([[bob.id, 'co-owner']]);
    expect((await s.flows.list({ visibleTo: bob.id })).map((x) => x.id)).toContain(f.id);
    expect((await rejection(s.flows.share(f.id, bob.id, 'admin' as 'co-owner'))).code).toBe('store.invalid');
    await s.flows.unshare(f.id, bob.id);
    expect(await s.flows.roleOf(f.id, bob.id)).toBeUndefined();
  });

  run('embeds a connection for a reference the flow uses, of its connector', async () => {
    const f = await s.flows.create({
      environment: 'default',
      name: unique('Embed '),
      ownerId: ada.id,
      definition: definition('Embed'),
    });
    const ledger = await s.connections.create({
      environment: 'default',
      connectorId: 'ledger',
      displayName: 'mine',
      ownerId: bob.id,
    });
    const mail = await s.connections.create({
      environment: 'default',
      connectorId: 'office365',
      displayName: 'mail',
      ownerId: bob.id,
    });
    expect(
      (
        await rejection(
          s.flows.embedReference(f.id, { logicalName: 'pb_other', connectionId: ledger.id, embeddedBy: bob.id }),
        )
      ).code,
    ).toBe('store.invalid');
    expect(
      (
        await rejection(
          s.flows.embedReference(f.id, { logicalName: 'pb_ledger', connectionId: mail.id, embeddedBy: bob.id }),
        )
      ).code,
    ).toBe('store.invalid');
    await s.flows.embedReference(f.id, { logicalName: 'pb_ledger', connectionId: ledger.id, embeddedBy: bob.id });
    expect((await s.flows.embeddedReferences(f.id)).map((e) => [e.logicalName, e.connectionId, e.embeddedBy])).toEqual([
      ['pb_ledger', ledger.id, bob.id],
    ]);
    await s.connections.delete(ledger.id);
    expect(await s.flows.embeddedReferences(f.id)).toEqual([]);
  });

  run('records runs and their steps, replacing a step record when it finishes', async () => {
    const f = await s.flows.create({
      environment: 'default',
      name: unique('Runs '),
      ownerId: ada.id,
      definition: definition('Runs'),
    });
    const r = await s.runs.create({
      environment: 'default',
      flowId: f.id,
      flowVersion: 1,
      startedBy: ada.id,
      inputs: { Recipient: 'a@b.test' },
    });
    expect(r).toMatchObject({ status: 'queued', attempt: 0, inputs: { Recipient: 'a@b.test' }, outputs: null });
    const started = await s.runs.start(r.id, { workerId: 'w1' });
    expect(started.run).toMatchObject({ status: 'running', attempt: 1, workerId: 'w1' });
    expect(started.sensitiveInputs).toEqual({});
    expect((await rejection(s.runs.start(r.id))).code).toBe('store.conflict');
    const at = new Date().toISOString();
    await s.runs.recordSteps(r.id, [
      {
        seq: 1,
        stepPath: '/steps/0',
        action: 'ledger.ListEntries',
        status: 'running',
        startedAt: at,
        inputs: { top: 5, api_key: '***' },
      },
    ]);
    await s.runs.recordSteps(r.id, [
      {
        seq: 1,
        stepPath: '/steps/0',
        action: 'ledger.ListEntries',
        status: 'succeeded',
        startedAt: at,
        durationMs: 12,
        outputs: { count: 5 },
      },
    ]);
    await s.runs.recordSteps(r.id, [
      {
        seq: 2,
        stepPath: '/steps/1',
        action: 'If',
        status: 'failed',
        startedAt: at,
        durationMs: 1,
        error: { code: 'action.failed', message: 'boom', retryable: false },
      },
    ]);
    const steps = await s.runs.steps(r.id);
    expect(steps.map((x) => [x.seq, x.status, x.durationMs])).toEqual([
      [1, 'succeeded', 12],
      [2, 'failed', 1],
    ]);
    expect(steps[0]).toMatchObject({ inputs: { top: 5, api_key: '***' }, outputs: { count: 5 } });
    expect(steps[1].error?.code).toBe('action.failed');
    const done = await s.runs.finish(r.id, { status: 'succeeded', outputs: { Sent: 3 } });
    expect(done).toMatchObject({ status: 'succeeded', outputs: { Sent: 3 } });
    expect(done.finishedAt).not.toBeNull();
    expect((await rejection(s.runs.finish(r.id, { status: 'failed' }))).code).toBe('store.conflict');
    expect(
      (
        await rejection(
          s.runs.recordSteps('run_missing', [
            { seq: 1, stepPath: '/steps/0', action: 'x', status: 'running', startedAt: at },
          ]),
        )
      ).code,
    ).toBe('store.not_found');
    expect((await s.runs.list({ flowId: f.id })).map((x) => x.id)).toEqual([r.id]);
    expect((await rejection(s.runs.create({ environment: 'default' }))).code).toBe('store.invalid');
  });

  run("finds stale runs and marks a dead worker's runs interrupted", async () => {
    const worker = unique('worker-');
    const a = await s.runs.create({ environment: 'default', adHocName: 'a.flow.json' });
    const b = await s.runs.create({ environment: 'default', adHocName: 'b.flow.json' });
    await s.runs.start(a.id, { workerId: worker });
    await s.runs.start(b.id, { workerId: `${worker}-other` });
    await s.runs.heartbeat(a.id);
    expect((await s.runs.findStale(3_600_000)).map((x) => x.id)).not.toContain(a.id);
    // A cutoff in the future makes every running run stale.
    expect((await s.runs.findStale(-3_600_000)).map((x) => x.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(await s.runs.markInterrupted(worker)).toBe(1);
    const ra = await s.runs.get(a.id);
    expect(ra.status).toBe('interrupted');
    expect(ra.error?.code).toBe('run.stopped');
    expect((await s.runs.get(b.id)).status).toBe('running');
    expect((await rejection(s.runs.heartbeat(a.id))).code).toBe('store.conflict');
    expect((await s.runs.start(a.id, { workerId: 'w2' })).run.attempt).toBe(2);
    expect((await s.runs.list({ status: 'running' })).map((x) => x.id)).toEqual(expect.arrayContaining([a.id, b.id]));
  });

  run('keeps runs when their flow is deleted', async () => {
    const f = await s.flows.create({
      environment: 'default',
      name: unique('Gone '),
      ownerId: ada.id,
      definition: definition('Gone'),
    });
    const r = await s.runs.create({ environment: 'default', flowId: f.id, flowVersion: 1 });
    await s.flows.delete(f.id);
    expect((await s.runs.get(r.id)).flowId).toBeNull();
    expect((await rejection(s.flows.get(f.id))).code).toBe('store.not_found');
  });

  run('groups flows into solutions', async () => {
    const f1 = await s.flows.create({
      environment: 'default',
      name: unique('Sol A '),
      ownerId: ada.id,
      definition: definition('A'),
    });
    const f2 = await s.flows.create({
      environment: 'default',
      name: unique('Sol B '),
      ownerId: ada.id,
      definition: definition('B'),
    });
    const name = unique('Finance');
    const sol = await s.solutions.create({ environment: 'default', name, flowIds: [f1.id, f1.id] });
    expect(sol).toMatchObject({ name, version: '1.0.0.0', flowIds: [f1.id] });
    expect((await rejection(s.solutions.create({ environment: 'default', name, flowIds: [] }))).code).toBe(
      'store.conflict',
    );
    expect(
      (await rejection(s.solutions.create({ environment: 'default', name: unique('X'), flowIds: ['flow_missing'] })))
        .message,
    ).toContain('flow_missing');
    expect((await rejection(s.solutions.update('default', name, { version: 'one' }))).code).toBe('store.invalid');
    expect(await s.solutions.update('default', name, { flowIds: [f1.id, f2.id], version: '1.1.0.0' })).toMatchObject({
      flowIds: [f1.id, f2.id],
      version: '1.1.0.0',
    });
    expect((await s.solutions.list('default')).map((x) => x.name)).toContain(name);
    await s.solutions.delete('default', name);
    expect((await rejection(s.solutions.get('default', name))).code).toBe('store.not_found');
  });
});
