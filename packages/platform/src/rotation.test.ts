/**
 * `secrets.rotateKey` with live connections: after rotating the master key
 * (and dropping the old one), every connection still resolves and runs — in
 * a platform that was already open (another process that only learns the new
 * key from the key file) and in one opened afterwards on the same home.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  basicUser,
  dialects,
  freshPlatform,
  ledgerOpenApi,
  startService,
  syncFlow,
  tasksOpenApi,
  type TestService,
} from './test-support.js';

describe.each(dialects)('master key rotation with live connections on $name', (dialect) => {
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
    'every connection, secret variable and queued sensitive input opens after rotation, in this and another process',
    async () => {
      const [ledger, tasks] = await Promise.all([startService('ledger'), startService('tasks')]);
      services.push(ledger, tasks);
      const p = env.platform;
      const { user: me } = await p.users.ensureOwner({
        email: 'rotate@example.com',
        password: 'correct horse battery',
      });
      await p.connectors.import(me, 'default', { openapi: ledgerOpenApi(ledger.url) });
      await p.connectors.import(me, 'default', { openapi: tasksOpenApi(tasks.url) });
      const apiKey = `key-${randomBytes(8).toString('hex')}`;
      const password = `pw-${randomBytes(8).toString('hex')}`;
      const l = (
        await p.connections.create(me, 'default', {
          connectorId: 'ledger',
          displayName: 'Ledger',
          secrets: { api_key: apiKey },
        })
      ).connection;
      const t = (
        await p.connections.create(me, 'default', {
          connectorId: 'tasks',
          displayName: 'Tasks',
          params: { username: 'bot' },
          secrets: { password },
        })
      ).connection;
      await p.references.create(me, 'default', { logicalName: 'pb_ledger', connectorId: 'ledger', connectionId: l.id });
      await p.references.create(me, 'default', { logicalName: 'pb_tasks', connectorId: 'tasks', connectionId: t.id });
      await p.envVars.define(me, { schemaName: 'pb_signing_secret', type: 'secret' });
      await p.envVars.setValue(me, 'default', 'pb_signing_secret', 'variable-secret-value');
      const flow = await p.flows.save(me, 'default', syncFlow());
      const sensitive = await p.flows.save(me, 'default', {
        schema: 'patchbay/flow@1',
        name: 'Sensitive',
        inputs: { Passphrase: { type: 'text', required: true, sensitive: true } },
        outputs: { Length: { type: 'number' } },
        steps: [{ action: 'Variables.Set', params: { name: 'Length', value: '%Passphrase.Length%' } }],
      });
      expect((await p.runs.runNow(me, { flowId: flow.id })).run.status).toBe('succeeded');
      const queued = await p.runs.start(me, { flowId: sensitive.id, inputs: { Passphrase: 'twelve chars' } });

      // Another process, already running, that has not used anything yet.
      const running = await env.open();
      const before = p.store.masterKeyId;
      const rotated = await p.secrets.rotateKey(me);
      expect(rotated.previousKeyIds).toEqual([before]);
      expect(rotated.resealed).toBe(4); // two connections, one secret variable, one queued run's inputs
      const dropped = await p.secrets.rotateKey(me, { dropOldKeys: true });
      expect(dropped.droppedOldKeys).toBe(true);
      const keyFile = readFileSync(join(env.db.home, 'master.key'), 'utf8');
      expect(keyFile.split('\n').filter((line) => line.trim() && !line.startsWith('#'))).toHaveLength(1);

      const ledgerCalls = ledger.received.length;
      expect((await running.runs.runNow(me, { flowId: flow.id })).run).toMatchObject({
        status: 'succeeded',
        outputs: { Summary: 'ledger tasks' },
      });
      expect(ledger.received.at(-1)?.headers['x-api-key']).toBe(apiKey);
      expect(basicUser(tasks.received.at(-1)?.headers ?? {})).toBe(`bot:${password}`);

      // A process opened after the rotation, on the same home, with only the new key.
      const later = await env.open();
      expect(later.store.masterKeyId).toBe(dropped.keyId);
      expect((await later.runs.runNow(me, { flowId: flow.id })).run.status).toBe('succeeded');
      expect(ledger.received.slice(ledgerCalls).map((r) => r.headers['x-api-key'])).toEqual([apiKey, apiKey]);
      expect((await later.connections.test(me, l.id)).status).toBe('connected');
      expect((await later.store.envVars.resolve('default')).values.pb_signing_secret).toBe('variable-secret-value');
      expect((await later.runs.execute(queued.id)).run).toMatchObject({ status: 'succeeded', outputs: { Length: 12 } });
    },
  );
});
