import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flow } from '@patchbay/core';
import type { Actor } from './actor.js';
import { dialects, freshPlatform, ledgerOpenApi, rejection, startService, type TestService } from './test-support.js';

const ledgerStep = { connector: 'ledger', operation: 'ListEntries', connectionReference: 'pb_ledger', params: {} };
const rssStep = {
  connector: 'rss',
  operation: 'ListFeedItems',
  connectionReference: 'pb_rss',
  params: { feedUrl: 'https://example.com/feed' },
};
const flow = (name: string, steps: unknown[], subflows?: Record<string, { steps: unknown[] }>): Flow =>
  ({ schema: 'patchbay/flow@1', name, steps, ...(subflows ? { subflows } : {}) }) as Flow;

describe.each(dialects)('data-loss-prevention policies on $name', (dialect) => {
  let env: Awaited<ReturnType<typeof freshPlatform>>;
  let ledger: TestService;
  let web: TestService;
  let me: Actor;
  let member: Actor;
  const dirs: string[] = [];
  beforeAll(async () => {
    if (!dialect.available) return;
    env = await freshPlatform(dialect);
    [ledger, web] = await Promise.all([startService('ledger'), startService('web')]);
    const p = env.platform;
    me = (await p.users.ensureOwner({ email: 'admin@example.com', password: 'correct horse battery' })).user;
    member = await p.users.createUser(me, { email: 'member@example.com', password: 'correct horse battery' });
    await p.connectors.import(me, 'default', { openapi: ledgerOpenApi(ledger.url) });
    const l = (
      await p.connections.create(me, 'default', { connectorId: 'ledger', displayName: 'L', secrets: { api_key: 'k' } })
    ).connection;
    const h = (await p.connections.create(me, 'default', { connectorId: 'http', displayName: 'Web', scheme: 'none' }))
      .connection;
    await p.references.create(me, 'default', { logicalName: 'pb_ledger', connectorId: 'ledger', connectionId: l.id });
    await p.references.create(me, 'default', { logicalName: 'pb_rss', connectorId: 'rss' });
    await p.references.create(me, 'default', { logicalName: 'pb_web', connectorId: 'http', connectionId: h.id });
  });
  afterAll(async () => {
    await Promise.all([ledger?.close(), web?.close()]);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await env?.close();
  });
  const run = it.skipIf(!dialect.available);

  run('a policy change suspends flows that now violate it, refuses their runs, and lifts them again', async () => {
    const p = env.platform;
    const mixed = await p.flows.save(
      me,
      'default',
      flow('Mixed', [ledgerStep, { action: 'If', params: { condition: true }, then: [rssStep] }]),
    );
    const clean = await p.flows.save(me, 'default', flow('Ledger only', [ledgerStep]));
    expect(mixed.suspendedReason).toBeNull();

    const applied = await p.policies.apply(me, {
      name: 'Production',
      environments: ['default'],
      connectors: { business: ['ledger'], nonBusiness: ['rss'], default: 'nonBusiness' },
    });
    expect(applied.created).toBe(true);
    expect(applied.suspended.map((f) => [f.name, f.violations.map((v) => [v.kind, v.stepPath])])).toEqual([
      [
        'Mixed',
        [
          ['mixedGroups', '/steps/0'],
          ['mixedGroups', '/steps/1/then/0'],
        ],
      ],
    ]);
    expect((await p.flows.get(me, clean.id)).suspendedReason).toBeNull();
    const suspended = await p.flows.get(me, mixed.id);
    expect(suspended.suspendedReason).toContain('policy "Production" at step /steps/0 (ledger/ListEntries)');
    expect(suspended.violations).toHaveLength(2);
    expect((await p.flows.list(me, 'default')).find((f) => f.id === mixed.id)?.suspendedReason).toBeTruthy();

    const refused = await rejection(p.runs.start(me, { flowId: mixed.id }));
    expect(refused.code).toBe('policy.violation');
    expect(refused.message).toContain(
      'policy "Production" at step /steps/0 (ledger/ListEntries), step /steps/1/then/0',
    );
    expect(refused.hint).toContain('before its first step');
    expect(await p.runs.list(me, { flowId: mixed.id })).toEqual([]);
    expect(ledger.received).toHaveLength(0);

    // Re-saved compliant, it runs again.
    const fixed = await p.flows.save(me, 'default', flow('Mixed', [ledgerStep]), { id: mixed.id });
    expect(fixed.suspendedReason).toBeNull();
    expect((await p.runs.runNow(me, { flowId: mixed.id })).run.status).toBe('succeeded');

    // Saving a violating version keeps it, suspended, with the step lines named.
    const again = await p.flows.save(me, 'default', flow('Mixed', [ledgerStep, rssStep]), { id: mixed.id });
    expect(again.version).toBe(3);
    expect(again.suspendedReason).toContain('step /steps/1 (rss/ListFeedItems)');
    expect(again.violations.map((v) => v.stepPath)).toEqual(['/steps/0', '/steps/1']);

    // A policy change that makes it comply lifts it.
    const changed = await p.policies.apply(me, {
      name: 'Production',
      environments: ['default'],
      connectors: { business: ['ledger', 'rss'] },
    });
    expect(changed.created).toBe(false);
    expect(changed.suspended).toEqual([]);
    expect(changed.lifted.map((f) => f.name)).toEqual(['Mixed']);
    expect((await p.flows.get(me, mixed.id)).suspendedReason).toBeNull();
    await p.policies.delete(me, 'Production');
    expect(await p.policies.list(me)).toEqual([]);
  });

  run('blocked connectors, modules and actions, in subflows too; only owners or admins manage policies', async () => {
    const p = env.platform;
    const policy = {
      name: 'Locked',
      environments: ['*'],
      connectors: { blocked: ['rss'], default: 'business' },
      desktopActions: { blockedModules: ['System', 'Scripting'], blockedActions: ['File.Delete'] },
    };
    const denied = await rejection(p.policies.apply(member, policy));
    expect(denied.code).toBe('auth.denied');
    expect(denied.message).toContain('every environment');
    expect(await p.policies.list(me)).toEqual([]);

    await p.policies.apply(me, policy);
    const f = await p.flows.save(
      me,
      'default',
      flow(
        'Host work',
        [
          rssStep,
          { action: 'File.Delete', params: { files: '/tmp/none' } },
          { action: 'CallSubflow', params: { subflow: 'Helper' } },
        ],
        {
          Helper: { steps: [{ action: 'System.RunCommand', params: { command: 'true' } }] },
        },
      ),
    );
    expect(f.violations.map((v) => [v.kind, v.stepPath])).toEqual([
      ['blockedConnector', '/steps/0'],
      ['blockedAction', '/steps/1'],
      ['blockedModule', '/subflows/Helper/steps/0'],
    ]);
    const events: unknown[] = [];
    const e = await rejection(
      p.runs.runNow(
        me,
        {
          environment: 'default',
          definition: flow('Ad hoc', [{ action: 'Scripting.RunJavaScript', params: { script: 'return 1' } }]),
        },
        { onEvent: (x) => events.push(x) },
      ),
    );
    expect(e.code).toBe('policy.violation');
    expect(e.message).toContain('Scripting.RunJavaScript');
    expect(events).toEqual([]);

    const check = await p.policies.check(
      member,
      'default',
      flow('Check', [{ action: 'System.RunCommand', params: { command: 'true' } }]),
    );
    expect(check.map((v) => [v.policy, v.kind])).toEqual([['Locked', 'blockedModule']]);
    expect((await rejection(p.policies.delete(member, 'Locked'))).code).toBe('auth.denied');
    const removed = await p.policies.delete(me, 'Locked');
    expect(removed.lifted.map((x) => x.name)).toContain('Host work');
  });

  run('endpoint rules refuse a URL computed at run time on the HTTP connector', async () => {
    const p = env.platform;
    await p.policies.apply(me, {
      name: 'Endpoints',
      environments: ['default'],
      endpoints: [{ connector: 'http', rules: [{ allow: `${web.url}/ok/*` }, { deny: '*' }] }],
    });
    const f = await p.flows.save(me, 'default', {
      ...flow('Call', [
        { action: 'Variables.Set', params: { name: 'Where', value: '%Path%' } },
        {
          connector: 'http',
          operation: 'SendRequest',
          connectionReference: 'pb_web',
          params: { method: 'GET', uri: `${web.url}/%Where%?token=t0k3n` },
        },
      ]),
      inputs: { Path: { type: 'text' } },
    });
    // The URL is put together at run time from an input: only the run can check it.
    const withPath = async (path: string) => (await p.runs.runNow(me, { flowId: f.id, inputs: { Path: path } })).run;
    const ok = await withPath('ok/data');
    expect(ok.status).toBe('succeeded');
    expect(web.received.at(-1)?.path).toBe('/ok/data?token=t0k3n');
    const before = web.received.length;
    const bad = await withPath('admin');
    expect(bad.status).toBe('failed');
    expect(bad.error?.code).toBe('policy.violation');
    expect(bad.error?.message).toContain(`may not call ${web.url}/admin`);
    expect(bad.error?.message).toContain('policy "Endpoints"');
    expect(bad.error?.message).toContain('endpoint rule 2 for connector "http": deny "*"');
    expect(bad.error?.message).not.toContain('t0k3n');
    expect(web.received.length).toBe(before);
    await p.policies.delete(me, 'Endpoints');
  });

  run('refuses a solution import with a violating flow, importing nothing', async () => {
    const p = env.platform;
    await p.environments.create(me, 'prod');
    const f = await p.flows.save(
      me,
      'default',
      flow('Runs commands', [{ action: 'System.RunCommand', params: { command: 'true' } }]),
    );
    await p.solutions.create(me, 'default', 'Ops', [f.id]);
    const dir = mkdtempSync(join(tmpdir(), 'pb-policy-'));
    dirs.push(dir);
    const out = await p.solutions.export(me, 'default', 'Ops', { dir: join(dir, 'Ops') });
    await p.policies.apply(me, {
      name: 'Prod',
      environments: ['prod'],
      desktopActions: { blockedModules: ['System'] },
    });
    const e = await rejection(p.solutions.import(me, out.dir, 'prod'));
    expect(e.code).toBe('policy.violation');
    expect(e.message).toContain('Runs commands');
    expect(e.message).toContain('policy "Prod" at step /steps/0 (System.RunCommand)');
    expect(e.hint).toContain('Nothing was imported');
    expect(await p.flows.list(me, 'prod')).toEqual([]);
    // The source environment is not covered by the policy.
    expect((await p.flows.get(me, f.id)).suspendedReason).toBeNull();
  });
});
