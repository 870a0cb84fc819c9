import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dialects,
  freshPlatform,
  ledgerOpenApi,
  rejection,
  startService,
  syncFlow,
  tasksOpenApi,
  type TestService,
} from './test-support.js';

describe.each(dialects)('runs on $name', (dialect) => {
  let env: Awaited<ReturnType<typeof freshPlatform>>;
  const services: TestService[] = [];
  beforeAll(async () => {
    if (dialect.available) env = await freshPlatform(dialect);
  });
  afterAll(async () => {
    await env?.close();
    await Promise.all(services.map((s) => s.close()));
  });

  it.skipIf(!dialect.available)(
    'fails before the first step when references do not resolve, naming each and how to bind it',
    async () => {
      const [ledger, tasks] = await Promise.all([startService('ledger'), startService('tasks')]);
      services.push(ledger, tasks);
      const p = env.platform;
      const { user: me } = await p.users.ensureOwner({ email: 'runs@example.com', password: 'correct horse battery' });
      await p.connectors.import(me, 'default', { openapi: ledgerOpenApi(ledger.url) });
      await p.connectors.import(me, 'default', { openapi: tasksOpenApi(tasks.url) });
      await p.references.create(me, 'default', { logicalName: 'pb_ledger', connectorId: 'ledger' });
      await p.references.create(me, 'default', { logicalName: 'pb_tasks', connectorId: 'tasks' });
      const flow = await p.flows.save(me, 'default', syncFlow());
      const events: unknown[] = [];
      const e = await rejection(p.runs.runNow(me, { flowId: flow.id }, { onEvent: (ev) => events.push(ev) }));
      expect(e.code).toBe('connection.unresolved');
      expect(e.message).toContain('"pb_ledger" (ledger): not bound');
      expect(e.message).toContain('"pb_tasks" (tasks): not bound');
      expect(e.hint).toContain('patchbay ref bind pb_ledger CONNECTION_ID --env default');
      expect(e.hint).toContain('patchbay ref bind pb_tasks CONNECTION_ID --env default');
      expect(events).toEqual([]);
      expect(ledger.received.length + tasks.received.length).toBe(0);
      expect(await p.runs.list(me, { flowId: flow.id })).toEqual([]);

      // The same for a flow file run without saving it, and a reference that does not exist at all.
      const adHoc = await rejection(
        p.runs.runNow(me, {
          environment: 'default',
          definition: JSON.stringify({
            ...syncFlow('Ad hoc'),
            steps: [{ connector: 'ledger', operation: 'ListEntries', connectionReference: 'pb_nowhere', params: {} }],
          }),
        }),
      );
      expect(adHoc.message).toContain('"pb_nowhere" (ledger): no such reference');

      // Bound, it runs; a queued run is recorded first and executed after.
      const l = (
        await p.connections.create(me, 'default', {
          connectorId: 'ledger',
          displayName: 'L',
          secrets: { api_key: 'k1' },
        })
      ).connection;
      const t = (
        await p.connections.create(me, 'default', {
          connectorId: 'tasks',
          displayName: 'T',
          params: { username: 'u' },
          secrets: { password: 'p1' },
        })
      ).connection;
      await p.references.bind(me, 'default', 'pb_ledger', l.id);
      await p.references.bind(me, 'default', 'pb_tasks', t.id);
      const queued = await p.runs.start(me, { flowId: flow.id });
      expect(queued.status).toBe('queued');
      expect(queued.inputs).toEqual({});
      const done = await p.runs.execute(queued.id);
      expect(done.run).toMatchObject({ status: 'succeeded', outputs: { Summary: 'ledger tasks' } });
      expect((await p.runs.get(me, queued.id)).steps.map((s) => [s.stepPath, s.status])).toEqual([
        ['/steps/0', 'succeeded'],
        ['/steps/1', 'succeeded'],
        ['/steps/2', 'succeeded'],
      ]);
    },
  );

  it.skipIf(!dialect.available)(
    'refuses to save a flow whose connector step names a missing reference or one of another connector, naming the step',
    async () => {
      const p = env.platform;
      const me = await p.users.owner();
      const missing = await rejection(
        p.flows.save(me, 'default', {
          ...syncFlow('Broken'),
          steps: [{ connector: 'ledger', operation: 'ListEntries', connectionReference: 'pb_missing', params: {} }],
        }),
      );
      expect(missing).toMatchObject({ code: 'flow.invalid', place: { stepPath: '/steps/0' } });
      expect(missing.hint).toContain('patchbay ref create pb_missing --connector ledger');
      const wrong = await rejection(
        p.flows.save(me, 'default', {
          ...syncFlow('Broken'),
          steps: [{ connector: 'ledger', operation: 'ListEntries', connectionReference: 'pb_tasks', params: {} }],
        }),
      );
      expect(wrong).toMatchObject({ code: 'flow.invalid', place: { stepPath: '/steps/0' } });
      expect(wrong.message).toContain('which is for connector "tasks"');
      const used = await rejection(p.references.delete(me, 'default', 'pb_ledger'));
      expect(used.code).toBe('store.conflict');
      expect(used.message).toContain('Sync ledger to tasks');
    },
  );

  it.skipIf(!dialect.available)(
    'runs the version a run was started with: a queued run keeps it, a run started after an edit takes the new one',
    async () => {
      const p = env.platform;
      const me = await p.users.owner();
      const version = (total: string) => ({
        schema: 'patchbay/flow@1' as const,
        name: 'Versioned',
        outputs: { Total: { type: 'number' as const } },
        steps: [{ action: 'Variables.Set', params: { name: 'Total', value: total } }],
      });
      const flow = await p.flows.save(me, 'default', version('%1%'));
      expect((await p.runs.runNow(me, { flowId: flow.id })).run.outputs).toEqual({ Total: 1 });
      const queued = await p.runs.start(me, { flowId: flow.id });
      await p.flows.save(me, 'default', version('%2%'), { id: flow.id });
      expect((await p.runs.execute(queued.id)).run.outputs).toEqual({ Total: 1 });
      expect((await p.runs.runNow(me, { flowId: flow.id })).run.outputs).toEqual({ Total: 2 });
      expect((await p.runs.runNow(me, { flowId: flow.id })).run.outputs).toEqual({ Total: 2 });
    },
  );
});
