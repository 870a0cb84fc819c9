// The ALM journey through the command: build in dev, export a solution, fill a deployment settings file, import into prod, run, rebind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { patchbay, tempHome } from './cli.js';
import {
  basicUser,
  ledgerOpenApi,
  readTree,
  reasonLines,
  startService,
  syncFlow,
  tasksOpenApi,
  tempDir,
  testDatabases,
  writeTemp,
  type TestDatabase,
  type TestService,
} from './services.js';

interface Settings {
  EnvironmentVariables: { SchemaName: string; Value: string }[];
  ConnectionReferences: { LogicalName: string; ConnectionId: string; ConnectorId: string }[];
}

describe.each(await testDatabases())('ALM through the command on $name', (database) => {
  const home = tempHome();
  let db: TestDatabase;
  const work = tempDir('patchbay-alm-');
  const solutionDir = join(work, 'LedgerSync');
  const settingsFile = join(work, 'settings.json');
  const flowFile = join(solutionDir, 'flows');
  const keys = {
    devLedger: 'dev-ledger-key-1f7c',
    devTasks: 'dev-tasks-pw-2b8d',
    prodLedger: 'prod-ledger-key-3c9e',
    prodTasks: 'prod-tasks-pw-4d0f',
    prodLedger2: 'prod-ledger-key-2-5e1a',
  };
  const s: Record<string, TestService> = {};
  const ids: Record<string, string> = {};

  const pb = (args: string[], env?: Record<string, string>) => patchbay(args, { home, env: { ...db.env, ...env } });
  const ok = async (args: string[], env?: Record<string, string>) => {
    const r = await pb(args, env);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout.trim();
  };
  const exportedFlow = () => join(flowFile, readdirSync(flowFile)[0]);

  beforeAll(async () => {
    db = await database.create();
    for (const name of ['dev-ledger', 'dev-tasks', 'prod-ledger', 'prod-tasks', 'prod-ledger-2'])
      s[name] = await startService(name);
    await ok(['env', 'create', 'dev']);
    await ok(['env', 'create', 'prod']);
    await ok(['connector', 'import', writeTemp('ledger.json', ledgerOpenApi(s['dev-ledger'].url)), '--env', 'dev']);
    await ok(['connector', 'import', writeTemp('tasks.json', tasksOpenApi(s['dev-tasks'].url)), '--env', 'dev']);
    ids.devLedger = await ok(
      ['connection', 'create', 'ledger', '--env', 'dev', '--name', 'Ledger dev', '--secret-env', 'api_key=K'],
      { K: keys.devLedger },
    );
    ids.devTasks = await ok(
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
        'password=K',
      ],
      { K: keys.devTasks },
    );
    await ok(['ref', 'create', 'pb_ledger', '--connector', 'ledger', '--env', 'dev']);
    await ok(['ref', 'create', 'pb_tasks', '--connector', 'tasks', '--env', 'dev']);
    await ok(['ref', 'bind', 'pb_ledger', ids.devLedger, '--env', 'dev']);
    await ok(['ref', 'bind', 'pb_tasks', ids.devTasks, '--env', 'dev']);
    ids.flow = await ok(['flow', 'save', writeTemp('sync.flow.json', syncFlow()), '--env', 'dev']);
  });
  afterAll(async () => {
    await Promise.all(Object.values(s).map((x) => x.close()));
    await db?.drop();
  });

  it('exports a solution to a folder and a zip with no connection ids or secrets', async () => {
    expect(await ok(['solution', 'create', 'LedgerSync', '--flow', ids.flow, '--env', 'dev'])).toBe('LedgerSync');
    await ok(['solution', 'export', 'LedgerSync', '--out', solutionDir, '--zip', '--env', 'dev']);
    const files = readTree(solutionDir);
    expect([...files.keys()].map((f) => f.slice(solutionDir.length + 1)).sort()).toEqual(
      expect.arrayContaining([
        'solution.json',
        'connectionReferences.json',
        expect.stringMatching(/^flows\/.+\.flow\.json$/),
        expect.stringMatching(/^connectors\/ledger\//),
      ]),
    );
    const zip = unzipSync(readFileSync(`${solutionDir}.zip`));
    expect(Object.keys(zip).length).toBe(files.size);
    const everything = [...files.values(), ...Object.values(zip).map((b) => Buffer.from(b).toString('utf8'))].join(
      '\n',
    );
    for (const secret of [ids.devLedger, ids.devTasks, ...Object.values(keys)])
      expect(everything).not.toContain(secret);
    expect(everything).toContain('pb_ledger');
  });

  it('writes the deployment settings template in the Power Platform format', async () => {
    await ok(['solution', 'create-settings', solutionDir, '--out', settingsFile]);
    const template = JSON.parse(readFileSync(settingsFile, 'utf8')) as Settings;
    expect(template).toEqual({
      EnvironmentVariables: [],
      ConnectionReferences: [
        {
          LogicalName: 'pb_ledger',
          ConnectionId: '',
          ConnectorId: '/providers/Microsoft.PowerApps/apis/shared_ledger',
        },
        { LogicalName: 'pb_tasks', ConnectionId: '', ConnectorId: '/providers/Microsoft.PowerApps/apis/shared_tasks' },
      ],
    });
    const fromZip = join(work, 'from-zip.json');
    await ok(['solution', 'create-settings', `${solutionDir}.zip`, '--out', fromZip]);
    expect(JSON.parse(readFileSync(fromZip, 'utf8'))).toEqual(template);
  });

  it('refuses a broken settings file in one line naming the place, and imports nothing', async () => {
    await ok(['env', 'create', 'test']);
    const broken = join(work, 'broken.json');
    writeFileSync(
      broken,
      JSON.stringify(
        {
          EnvironmentVariables: [],
          ConnectionReferences: [{ LogicalName: 'pb_ledger', ConnectionId: 7, ConnectorId: 'ledger' }],
        },
        null,
        2,
      ),
    );
    const r = await pb(['solution', 'import', solutionDir, '--env', 'test', '--settings', broken]);
    expect(r.code).not.toBe(0);
    const lines = reasonLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('broken.json');
    expect(lines[0]).toContain('/ConnectionReferences/0/ConnectionId');

    writeFileSync(broken, '{"ConnectionReferences": [\n  {"LogicalName": "pb_ledger",, }\n]}');
    const syntax = await pb(['solution', 'import', solutionDir, '--env', 'test', '--settings', broken]);
    expect(syntax.code).not.toBe(0);
    expect(reasonLines(syntax.stderr)).toEqual([expect.stringMatching(/broken\.json:2:\d+/)]);

    expect(JSON.parse(await ok(['flow', 'list', '--env', 'test', '--json']))).toEqual([]);
    expect(JSON.parse(await ok(['ref', 'list', '--env', 'test', '--json']))).toEqual([]);
    expect(
      (JSON.parse(await ok(['connector', 'list', '--env', 'test', '--json'])) as { id: string }[]).map((c) => c.id),
    ).not.toContain('ledger');
  });

  it('refuses settings naming a connection of another environment, and imports nothing', async () => {
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Settings;
    settings.ConnectionReferences[0].ConnectionId = ids.devLedger;
    const file = join(work, 'dev-connection.json');
    writeFileSync(file, JSON.stringify(settings));
    const r = await pb(['solution', 'import', solutionDir, '--env', 'prod', '--settings', file]);
    expect(r.code).not.toBe(0);
    expect(reasonLines(r.stderr)).toEqual([expect.stringMatching(/prod/)]);
    expect(JSON.parse(await ok(['flow', 'list', '--env', 'prod', '--json']))).toEqual([]);
  });

  it('imports into prod with prod connections and runs against the prod services with the prod keys', async () => {
    // The solution brings the connectors; a first import without bindings makes them available in prod.
    const first = await pb(['solution', 'import', solutionDir, '--env', 'prod', '--settings', settingsFile, '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      flows: [expect.objectContaining({ enabled: false })],
      unbound: [{ logicalName: 'pb_ledger' }, { logicalName: 'pb_tasks' }].map((u) => expect.objectContaining(u)),
    });

    ids.prodLedger = await ok(
      [
        'connection',
        'create',
        'ledger',
        '--env',
        'prod',
        '--name',
        'Ledger prod',
        '--secret-env',
        'api_key=K',
        '--base-url',
        s['prod-ledger'].url,
      ],
      { K: keys.prodLedger },
    );
    ids.prodTasks = await ok(
      [
        'connection',
        'create',
        'tasks',
        '--env',
        'prod',
        '--name',
        'Tasks prod',
        '--param',
        'username=prod-bot',
        '--secret-env',
        'password=K',
        '--base-url',
        s['prod-tasks'].url,
      ],
      { K: keys.prodTasks },
    );
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Settings;
    settings.ConnectionReferences[0].ConnectionId = ids.prodLedger;
    settings.ConnectionReferences[1].ConnectionId = ids.prodTasks;
    writeFileSync(settingsFile, JSON.stringify(settings, null, 2));

    const second = await pb([
      'solution',
      'import',
      `${solutionDir}.zip`,
      '--env',
      'prod',
      '--settings',
      settingsFile,
      '--json',
    ]);
    expect(second.code, second.stderr).toBe(0);
    const imported = JSON.parse(second.stdout) as { flows: { id: string; enabled: boolean }[]; unbound: unknown[] };
    expect(imported.unbound).toEqual([]);
    expect(imported.flows).toEqual([expect.objectContaining({ enabled: true })]);
    const refs = JSON.parse(await ok(['ref', 'list', '--env', 'prod', '--json'])) as {
      logicalName: string;
      connection: { id: string } | null;
    }[];
    expect(refs.map((r) => [r.logicalName, r.connection?.id])).toEqual([
      ['pb_ledger', ids.prodLedger],
      ['pb_tasks', ids.prodTasks],
    ]);

    const devCalls = s['dev-ledger'].received.length + s['dev-tasks'].received.length;
    const run = JSON.parse(await ok(['run', exportedFlow(), '--env', 'prod', '--json'])) as {
      status: string;
      outputs: unknown;
    };
    expect(run).toMatchObject({ status: 'succeeded', outputs: { Summary: 'prod-ledger prod-tasks' } });
    expect(s['prod-ledger'].received.at(-1)?.headers['x-api-key']).toBe(keys.prodLedger);
    expect(basicUser(s['prod-tasks'].received.at(-1)?.headers ?? {})).toBe(`prod-bot:${keys.prodTasks}`);
    expect(s['dev-ledger'].received.length + s['dev-tasks'].received.length).toBe(devCalls);

    // dev still runs against dev.
    const dev = JSON.parse(await ok(['run', exportedFlow(), '--env', 'dev', '--json'])) as { outputs: unknown };
    expect(dev.outputs).toEqual({ Summary: 'dev-ledger dev-tasks' });
    expect(s['dev-ledger'].received.at(-1)?.headers['x-api-key']).toBe(keys.devLedger);
  });

  it('follows a rebinding in prod on the next run, with no change to the flow', async () => {
    const flowText = readFileSync(exportedFlow(), 'utf8');
    const prodFlows = JSON.parse(await ok(['flow', 'list', '--env', 'prod', '--json'])) as {
      id: string;
      version: number;
    }[];
    ids.prodLedger2 = await ok(
      [
        'connection',
        'create',
        'ledger',
        '--env',
        'prod',
        '--name',
        'Ledger prod 2',
        '--secret-env',
        'api_key=K',
        '--base-url',
        s['prod-ledger-2'].url,
      ],
      { K: keys.prodLedger2 },
    );
    await ok(['ref', 'bind', 'pb_ledger', ids.prodLedger2, '--env', 'prod']);
    const run = JSON.parse(await ok(['run', exportedFlow(), '--env', 'prod', '--json'])) as { outputs: unknown };
    expect(run.outputs).toEqual({ Summary: 'prod-ledger-2 prod-tasks' });
    expect(s['prod-ledger-2'].received.at(-1)?.headers['x-api-key']).toBe(keys.prodLedger2);
    expect(readFileSync(exportedFlow(), 'utf8')).toBe(flowText);
    expect(JSON.parse(await ok(['flow', 'list', '--env', 'prod', '--json']))).toEqual(prodFlows);
    expect(existsSync(`${solutionDir}.zip`)).toBe(true);
  });
});
