// Environments, connection references and flows through the command: `env`, `ref`, `flow save` and `run --env`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchbay, tempHome } from './cli.js';
import {
  basicUser,
  ledgerOpenApi,
  reasonLines,
  startService,
  syncFlow,
  tasksOpenApi,
  writeTemp,
  type TestService,
} from './services.js';

interface RefInfo {
  logicalName: string;
  connectorId: string;
  connection: { id: string } | null;
  usedBy: { flowId: string; flowName: string }[];
}

interface RunJson {
  status: string;
  outputs: Record<string, unknown>;
  error?: { message: string };
  steps: { stepPath: string; status: string }[];
}

describe('references and runs in an environment', () => {
  const home = tempHome();
  const keys = { ledger: 'dev-ledger-key-4e1b', ledgerOther: 'other-ledger-key-a9f2', tasks: 'dev-tasks-pw-c7d0' };
  let ledger: TestService;
  let otherLedger: TestService;
  let tasks: TestService;
  const ids: Record<string, string> = {};
  const flowFile = writeTemp('sync.flow.json', syncFlow());

  const pb = (args: string[], env?: Record<string, string>) => patchbay(args, { home, env });
  const ok = async (args: string[], env?: Record<string, string>) => {
    const r = await pb(args, env);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout.trim();
  };

  beforeAll(async () => {
    [ledger, otherLedger, tasks] = await Promise.all([
      startService('dev-ledger'),
      startService('other-ledger'),
      startService('dev-tasks'),
    ]);
    expect(await ok(['env', 'create', 'dev'])).toBe('dev');
    expect(await ok(['connector', 'import', writeTemp('ledger.json', ledgerOpenApi(ledger.url)), '--env', 'dev'])).toBe(
      'ledger',
    );
    expect(await ok(['connector', 'import', writeTemp('tasks.json', tasksOpenApi(tasks.url)), '--env', 'dev'])).toBe(
      'tasks',
    );
    ids.ledger = await ok(
      ['connection', 'create', 'ledger', '--env', 'dev', '--name', 'Ledger dev', '--secret-env', 'api_key=K'],
      { K: keys.ledger },
    );
    ids.ledgerOther = await ok(
      [
        'connection',
        'create',
        'ledger',
        '--env',
        'dev',
        '--name',
        'Ledger other',
        '--secret-env',
        'api_key=K',
        '--base-url',
        otherLedger.url,
      ],
      { K: keys.ledgerOther },
    );
    ids.tasks = await ok(
      [
        'connection',
        'create',
        'tasks',
        '--env',
        'dev',
        '--name',
        'Tasks dev',
        '--param',
        'username=dev-bot',
        '--secret-env',
        'password=P',
      ],
      { P: keys.tasks },
    );
  });
  afterAll(async () => {
    await Promise.all([ledger, otherLedger, tasks].map((s) => s?.close()));
  });

  it('lists environments with --json', async () => {
    const list = JSON.parse(await ok(['env', 'list', '--json'])) as { name: string }[];
    expect(list.map((e) => e.name).sort()).toEqual(['default', 'dev']);
  });

  it('creates and binds references, and refuses a connection of another connector', async () => {
    expect(
      await ok(['ref', 'create', 'pb_ledger', '--connector', 'ledger', '--display-name', 'Ledger', '--env', 'dev']),
    ).toBe('pb_ledger');
    expect(await ok(['ref', 'create', 'pb_tasks', '--connector', 'tasks', '--env', 'dev'])).toBe('pb_tasks');
    const wrong = await pb(['ref', 'bind', 'pb_ledger', ids.tasks, '--env', 'dev']);
    expect(wrong.code).not.toBe(0);
    expect(reasonLines(wrong.stderr)).toHaveLength(1);
    expect(wrong.stderr).toMatch(/tasks/);
    await ok(['ref', 'bind', 'pb_ledger', ids.ledger, '--env', 'dev']);
    await ok(['ref', 'bind', 'pb_tasks', ids.tasks, '--env', 'dev']);
    const refs = JSON.parse(await ok(['ref', 'list', '--env', 'dev', '--json'])) as RefInfo[];
    expect(refs.map((r) => [r.logicalName, r.connectorId, r.connection?.id])).toEqual([
      ['pb_ledger', 'ledger', ids.ledger],
      ['pb_tasks', 'tasks', ids.tasks],
    ]);
  });

  it('refuses a duplicate reference and a reference to an unknown connector', async () => {
    const dup = await pb(['ref', 'create', 'pb_ledger', '--connector', 'ledger', '--env', 'dev']);
    expect(dup.code).not.toBe(0);
    expect(reasonLines(dup.stderr)).toEqual([expect.stringMatching(/pb_ledger/)]);
    const unknown = await pb(['ref', 'create', 'pb_nothing', '--connector', 'nothing', '--env', 'dev']);
    expect(unknown.code).not.toBe(0);
    expect(reasonLines(unknown.stderr)).toEqual([expect.stringMatching(/nothing/)]);
  });

  it('saves a flow and lists it in ref usage and ref list', async () => {
    ids.flow = await ok(['flow', 'save', flowFile, '--env', 'dev']);
    expect(ids.flow).toMatch(/^flow_/);
    const usage = JSON.parse(await ok(['ref', 'usage', 'pb_ledger', '--env', 'dev', '--json'])) as {
      flowId: string;
      flowName: string;
    }[];
    expect(usage).toEqual([expect.objectContaining({ flowId: ids.flow, flowName: 'Sync ledger to tasks' })]);
    const text = await ok(['ref', 'usage', 'pb_tasks', '--env', 'dev']);
    expect(text).toContain('Sync ledger to tasks');
    const refs = JSON.parse(await ok(['ref', 'list', '--env', 'dev', '--json'])) as RefInfo[];
    expect(refs.every((r) => r.usedBy.some((u) => u.flowId === ids.flow))).toBe(true);
    const flows = JSON.parse(await ok(['flow', 'list', '--env', 'dev', '--json'])) as { id: string; name: string }[];
    expect(flows).toEqual([expect.objectContaining({ id: ids.flow, name: 'Sync ledger to tasks' })]);
  });

  it('refuses to save a flow naming a missing reference, naming the step', async () => {
    const flow = syncFlow('Broken');
    flow.steps[1] = { ...flow.steps[1], connectionReference: 'pb_taskz' };
    const r = await pb(['flow', 'save', writeTemp('broken.flow.json', flow), '--env', 'dev']);
    expect(r.code).not.toBe(0);
    const lines = reasonLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\/steps\/1/);
    expect(lines[0]).toMatch(/pb_taskz/);
    expect(lines[0]).toMatch(/patchbay ref create pb_taskz --connector tasks --env dev/);
  });

  it('runs the flow file in dev: each connector step hits its own service with its own key', async () => {
    const r = await pb(['run', flowFile, '--env', 'dev', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as RunJson;
    expect(out.status).toBe('succeeded');
    expect(out.outputs).toEqual({ Summary: 'dev-ledger dev-tasks' });
    expect(out.steps.map((s) => s.stepPath)).toEqual(['/steps/0', '/steps/1', '/steps/2']);
    expect(ledger.received.at(-1)?.headers['x-api-key']).toBe(keys.ledger);
    expect(basicUser(tasks.received.at(-1)?.headers ?? {})).toBe(`dev-bot:${keys.tasks}`);
    expect(JSON.parse(tasks.received.at(-1)?.body ?? '{}')).toEqual({ title: 'From dev-ledger' });
    expect(r.stdout).not.toContain(keys.ledger);
    expect(r.stdout).not.toContain(keys.tasks);
  });

  it('--connection REF=ID runs a reference with another connection, for that run only', async () => {
    const before = ledger.received.length;
    const r = await pb(['run', flowFile, '--env', 'dev', '--connection', `pb_ledger=${ids.ledgerOther}`, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as RunJson).outputs).toEqual({ Summary: 'other-ledger dev-tasks' });
    expect(otherLedger.received.at(-1)?.headers['x-api-key']).toBe(keys.ledgerOther);
    expect(ledger.received.length).toBe(before);

    const again = JSON.parse(await ok(['run', flowFile, '--env', 'dev', '--json'])) as RunJson;
    expect(again.outputs).toEqual({ Summary: 'dev-ledger dev-tasks' });
  });

  it('refuses --connection with a connection of another connector', async () => {
    const r = await pb(['run', flowFile, '--env', 'dev', '--connection', `pb_ledger=${ids.tasks}`, '--json']);
    expect(r.code).not.toBe(0);
    expect(ledger.received.at(-1)?.headers['x-api-key']).not.toBe(keys.tasks);
  });

  it('fails before the first step when a reference is unbound, naming it and how to bind it', async () => {
    await ok(['ref', 'unbind', 'pb_tasks', '--env', 'dev']);
    const before = ledger.received.length;
    const r = await pb(['run', flowFile, '--env', 'dev']);
    expect(r.code).not.toBe(0);
    const lines = reasonLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/pb_tasks/);
    expect(lines[0]).toMatch(/patchbay ref bind pb_tasks/);
    expect(ledger.received.length).toBe(before);
    await ok(['ref', 'bind', 'pb_tasks', ids.tasks, '--env', 'dev']);
  });

  it('refuses to delete a reference a flow uses, listing the flow', async () => {
    const r = await pb(['ref', 'delete', 'pb_ledger', '--env', 'dev']);
    expect(r.code).not.toBe(0);
    expect(reasonLines(r.stderr)).toEqual([expect.stringMatching(/Sync ledger to tasks/)]);
  });
});
