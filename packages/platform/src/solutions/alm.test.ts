import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  basicUser,
  dialects,
  freshPlatform,
  ledgerOpenApi,
  rejection,
  startService,
  syncFlow,
  tasksOpenApi,
  type TestService,
} from '../test-support.js';

describe.each(dialects)('ALM journey on $name', (dialect) => {
  const services: TestService[] = [];
  const dirs: string[] = [];
  let env: Awaited<ReturnType<typeof freshPlatform>>;
  beforeAll(async () => {
    if (dialect.available) env = await freshPlatform(dialect);
  });
  afterAll(async () => {
    await Promise.all(services.map((s) => s.close()));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await env?.close();
  });

  it.skipIf(!dialect.available)(
    'builds in dev, exports, imports into prod with other connections, runs in both, and follows a rebinding',
    async () => {
      const p = env.platform;
      const { user: me } = await p.users.ensureOwner({ email: 'ops@example.com', password: 'correct horse battery' });
      const [devLedger, devTasks, prodLedger, prodTasks, prodLedger2] = await Promise.all(
        ['dev-ledger', 'dev-tasks', 'prod-ledger', 'prod-tasks', 'prod-ledger-2'].map((n) => startService(n)),
      );
      services.push(devLedger, devTasks, prodLedger, prodTasks, prodLedger2);
      await p.environments.create(me, 'dev');
      await p.environments.create(me, 'prod');

      // dev: connectors, connections, references, the flow.
      await p.connectors.import(me, 'dev', { openapi: ledgerOpenApi(devLedger.url) });
      await p.connectors.import(me, 'dev', { openapi: tasksOpenApi(devTasks.url) });
      const dl = (
        await p.connections.create(me, 'dev', {
          connectorId: 'ledger',
          displayName: 'Ledger dev',
          secrets: { api_key: 'dev-ledger-key' },
        })
      ).connection;
      const dt = (
        await p.connections.create(me, 'dev', {
          connectorId: 'tasks',
          displayName: 'Tasks dev',
          params: { username: 'dev-bot' },
          secrets: { password: 'dev-tasks-pw' },
        })
      ).connection;
      await p.references.create(me, 'dev', {
        logicalName: 'pb_ledger',
        connectorId: 'ledger',
        displayName: 'Ledger',
        connectionId: dl.id,
      });
      await p.references.create(me, 'dev', {
        logicalName: 'pb_tasks',
        connectorId: 'tasks',
        displayName: 'Tasks',
        connectionId: dt.id,
      });
      const flow = await p.flows.save(me, 'dev', syncFlow());
      expect((await p.references.usage(me, 'dev', 'pb_ledger')).map((u) => u.flowId)).toEqual([flow.id]);

      const devRun = await p.runs.runNow(me, { flowId: flow.id });
      expect(devRun.run.status).toBe('succeeded');
      expect(devRun.run.outputs).toEqual({ Summary: 'dev-ledger dev-tasks' });
      expect(devLedger.received.at(-1)?.headers['x-api-key']).toBe('dev-ledger-key');
      expect(basicUser(devTasks.received.at(-1)?.headers ?? {})).toBe('dev-bot:dev-tasks-pw');

      // Export, template, settings naming prod connections.
      await p.solutions.create(me, 'dev', 'LedgerSync', [flow.id]);
      const dir = mkdtempSync(join(tmpdir(), 'pb-solution-'));
      dirs.push(dir);
      const out = await p.solutions.export(me, 'dev', 'LedgerSync', { dir: join(dir, 'LedgerSync'), zip: true });
      const exported = out.files.map((f) => readFileSync(f, 'utf8')).join('\n');
      expect(exported).not.toContain(dl.id);
      expect(exported).not.toContain('dev-ledger-key');
      const template = await p.solutions.createSettings(out.zipPath as string);
      expect(template.ConnectionReferences).toEqual([
        {
          LogicalName: 'pb_ledger',
          ConnectionId: '',
          ConnectorId: '/providers/Microsoft.PowerApps/apis/shared_ledger',
        },
        { LogicalName: 'pb_tasks', ConnectionId: '', ConnectorId: '/providers/Microsoft.PowerApps/apis/shared_tasks' },
      ]);

      // prod has no Ledger connector until the solution brings it.
      const noConnector = await rejection(
        p.connections.create(me, 'prod', {
          connectorId: 'ledger',
          displayName: 'Ledger prod',
          secrets: { api_key: 'prod-ledger-key' },
        }),
      );
      expect(noConnector.code).toBe('connector.unknown');
      const first = await p.solutions.import(me, out.dir, 'prod', template);
      expect(first.flows).toEqual([expect.objectContaining({ name: flow.name, enabled: false, created: true })]);
      expect(first.unbound.map((u) => u.logicalName)).toEqual(['pb_ledger', 'pb_tasks']);
      const notYet = await rejection(p.runs.start(me, { flowId: first.flows[0].id }));
      expect(notYet.code).toBe('store.conflict');

      const prodL = (
        await p.connections.create(me, 'prod', {
          connectorId: 'ledger',
          displayName: 'Ledger prod',
          secrets: { api_key: 'prod-ledger-key' },
          baseUrl: prodLedger.url,
        })
      ).connection;
      const prodT = (
        await p.connections.create(me, 'prod', {
          connectorId: 'tasks',
          displayName: 'Tasks prod',
          params: { username: 'prod-bot' },
          secrets: { password: 'prod-tasks-pw' },
          baseUrl: prodTasks.url,
        })
      ).connection;
      const settings = JSON.stringify({
        EnvironmentVariables: [],
        ConnectionReferences: [
          {
            LogicalName: 'pb_ledger',
            ConnectionId: prodL.id,
            ConnectorId: '/providers/Microsoft.PowerApps/apis/shared_ledger',
          },
          {
            LogicalName: 'pb_tasks',
            ConnectionId: prodT.id,
            ConnectorId: '/providers/Microsoft.PowerApps/apis/shared_tasks',
          },
        ],
      });
      const second = await p.solutions.import(me, out.zipPath as string, 'prod', settings, {
        settingsFile: 'prod.settings.json',
      });
      expect(second.unbound).toEqual([]);
      expect(second.flows).toEqual([expect.objectContaining({ id: first.flows[0].id, enabled: true, created: false })]);

      const before = { devLedger: devLedger.received.length, devTasks: devTasks.received.length };
      const prodRun = await p.runs.runNow(me, { flowId: second.flows[0].id });
      expect(prodRun.run.status).toBe('succeeded');
      expect(prodRun.run.outputs).toEqual({ Summary: 'prod-ledger prod-tasks' });
      expect(prodLedger.received.at(-1)?.headers['x-api-key']).toBe('prod-ledger-key');
      expect(basicUser(prodTasks.received.at(-1)?.headers ?? {})).toBe('prod-bot:prod-tasks-pw');
      expect({ devLedger: devLedger.received.length, devTasks: devTasks.received.length }).toEqual(before);

      // dev still runs against dev.
      expect((await p.runs.runNow(me, { flowId: flow.id })).run.outputs).toEqual({ Summary: 'dev-ledger dev-tasks' });

      // Rebinding in prod redirects the next run, with no flow edit.
      const prodL2 = (
        await p.connections.create(me, 'prod', {
          connectorId: 'ledger',
          displayName: 'Ledger prod 2',
          secrets: { api_key: 'prod-ledger-key-2' },
          baseUrl: prodLedger2.url,
        })
      ).connection;
      const version = (await p.flows.get(me, second.flows[0].id)).version;
      await p.references.bind(me, 'prod', 'pb_ledger', prodL2.id);
      const rebound = await p.runs.runNow(me, { flowId: second.flows[0].id });
      expect(rebound.run.outputs).toEqual({ Summary: 'prod-ledger-2 prod-tasks' });
      expect(prodLedger2.received.at(-1)?.headers['x-api-key']).toBe('prod-ledger-key-2');
      expect((await p.flows.get(me, second.flows[0].id)).version).toBe(version);
    },
  );

  it.skipIf(!dialect.available)('refuses a broken settings file, naming the place and changing nothing', async () => {
    const p = env.platform;
    const me = await p.users.owner();
    const dir = (await p.solutions.export(me, 'dev', 'LedgerSync', { dir: join(dirs[0], 'again') })).dir;
    const before = await p.references.list(me, 'prod');
    const broken = await rejection(
      p.solutions.import(
        me,
        dir,
        'prod',
        '{"ConnectionReferences": [ {"LogicalName": "pb_ledger", "ConnectionId": 7, "ConnectorId": ""} ]}',
        { settingsFile: 'prod.json' },
      ),
    );
    expect(broken).toMatchObject({
      code: 'store.invalid',
      place: { file: 'prod.json', pointer: '/ConnectionReferences/0/ConnectionId' },
    });
    const syntax = await rejection(
      p.solutions.import(me, dir, 'prod', '{"ConnectionReferences": [\n  {"LogicalName": "pb_ledger",, }\n]}'),
    );
    expect(syntax).toMatchObject({ code: 'store.invalid', place: { line: 2 } });
    const devConn = (await p.connections.list(me, 'dev', { connectorId: 'ledger' }))[0];
    const wrongEnv = await rejection(
      p.solutions.import(me, dir, 'prod', {
        EnvironmentVariables: [],
        ConnectionReferences: [{ LogicalName: 'pb_ledger', ConnectionId: devConn.id, ConnectorId: 'ledger' }],
      }),
    );
    expect(wrongEnv.message).toContain('does not exist in environment "prod"');
    const wrongConnector = await rejection(
      p.solutions.import(me, dir, 'prod', {
        EnvironmentVariables: [],
        ConnectionReferences: [
          {
            LogicalName: 'pb_ledger',
            ConnectionId: '',
            ConnectorId: '/providers/Microsoft.PowerApps/apis/shared_tasks',
          },
        ],
      }),
    );
    expect(wrongConnector).toMatchObject({ place: { pointer: '/ConnectionReferences/0/ConnectorId' } });
    expect(await p.references.list(me, 'prod')).toEqual(before);
  });
});
