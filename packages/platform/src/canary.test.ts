import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dialects,
  freshPlatform,
  ledgerOpenApi,
  memoryLogger,
  startService,
  syncFlow,
  tasksOpenApi,
  type TestService,
} from './test-support.js';

describe.each(dialects)('secrets on $name', (dialect) => {
  let env: Awaited<ReturnType<typeof freshPlatform>>;
  const logger = memoryLogger();
  const services: TestService[] = [];
  let dir = '';
  beforeAll(async () => {
    if (!dialect.available) return;
    env = await freshPlatform(dialect, { logger });
    dir = mkdtempSync(join(tmpdir(), 'pb-canary-'));
  });
  afterAll(async () => {
    await env?.close();
    await Promise.all(services.map((s) => s.close()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!dialect.available)(
    'a canary secret appears in no output, log, run record, export or database byte',
    async () => {
      const canary = `canary-${randomBytes(12).toString('hex')}`;
      const password = `pw-${randomBytes(12).toString('hex')}`;
      // The services echo the credentials they receive, as a careless API might.
      const echo = (name: string) =>
        startService(name, (r) => ({
          status: 200,
          body: {
            service: name,
            echoedKey: r.headers['x-api-key'] ?? null,
            echoedAuth: r.headers.authorization ?? null,
          },
        }));
      const [ledger, tasks] = await Promise.all([echo('ledger'), echo('tasks')]);
      services.push(ledger, tasks);
      const p = env.platform;
      const { user: me } = await p.users.ensureOwner({
        email: 'canary@example.com',
        password: 'correct horse battery',
      });
      await p.connectors.import(me, 'default', { openapi: ledgerOpenApi(ledger.url) });
      await p.connectors.import(me, 'default', { openapi: tasksOpenApi(tasks.url) });
      const outputs: unknown[] = [];
      const keep = <T>(v: T): T => {
        outputs.push(v);
        return v;
      };
      const l = keep(
        await p.connections.create(me, 'default', {
          connectorId: 'ledger',
          displayName: 'Ledger',
          secrets: { api_key: canary },
        }),
      ).connection;
      const t = keep(
        await p.connections.create(me, 'default', {
          connectorId: 'tasks',
          displayName: 'Tasks',
          params: { username: 'bot' },
          secrets: { password },
        }),
      ).connection;
      keep(
        await p.references.create(me, 'default', {
          logicalName: 'pb_ledger',
          connectorId: 'ledger',
          connectionId: l.id,
        }),
      );
      keep(
        await p.references.create(me, 'default', { logicalName: 'pb_tasks', connectorId: 'tasks', connectionId: t.id }),
      );
      const flow = keep(await p.flows.save(me, 'default', syncFlow()));
      const events: unknown[] = [];
      const { run } = keep(await p.runs.runNow(me, { flowId: flow.id }, { onEvent: (e) => events.push(e) }));
      expect(run.status).toBe('succeeded');
      expect(ledger.received.at(-1)?.headers['x-api-key']).toBe(canary);
      keep(events);
      keep(await p.runs.get(me, run.id));
      keep(await p.runs.list(me, {}));
      keep(await p.connections.list(me, 'default'));
      keep(await p.connections.get(me, l.id));
      keep(await p.connections.test(me, l.id));
      keep(await p.connections.update(me, l.id, { displayName: 'Ledger main' }));
      keep(await p.references.list(me, 'default'));
      keep(await p.flows.list(me, 'default'));
      keep(await p.connectors.list(me, 'default'));
      keep(await p.envVars.list(me, 'default'));
      await p.solutions.create(me, 'default', 'Canary', [flow.id]);
      const exported = await p.solutions.export(me, 'default', 'Canary', { dir: join(dir, 'Canary'), zip: true });
      keep(exported.files.map((f) => readFileSync(f, 'latin1')));
      keep(readFileSync(exported.zipPath as string, 'latin1'));
      keep(await p.solutions.createSettings(exported.dir));
      // A failing call whose error could carry the key.
      await p.connections.update(me, l.id, { baseUrl: 'http://127.0.0.1:1' });
      keep(await p.connections.test(me, l.id));
      // A sensitive flow input: queued here, executed by another process on the same database.
      const passphrase = `passphrase-${randomBytes(12).toString('hex')}`;
      const sensitiveFlow = keep(
        await p.flows.save(me, 'default', {
          schema: 'patchbay/flow@1',
          name: 'Sensitive input',
          inputs: { Passphrase: { type: 'text', required: true, sensitive: true } },
          outputs: { Length: { type: 'number' } },
          steps: [
            { action: 'Log.Message', params: { message: 'Using %Passphrase%' } },
            { action: 'Variables.Set', params: { name: 'Length', value: '%Passphrase.Length%' } },
          ],
        }),
      );
      const queued = keep(await p.runs.start(me, { flowId: sensitiveFlow.id, inputs: { Passphrase: passphrase } }));
      expect(queued.inputs).toEqual({ Passphrase: '***' });
      keep(await env.db.rawContent());
      const worker = await env.open({ logger });
      const workerEvents: unknown[] = [];
      const executed = keep(await worker.runs.execute(queued.id, { onEvent: (e) => workerEvents.push(e) }));
      keep(workerEvents);
      expect(executed.run).toMatchObject({
        status: 'succeeded',
        outputs: { Length: passphrase.length },
        inputs: { Passphrase: '***' },
      });
      keep(await p.runs.get(me, queued.id));
      expect(logger.lines.some((l) => l.includes('Using ***'))).toBe(true);

      const text = JSON.stringify(outputs) + logger.lines.join('\n') + (await env.db.rawContent());
      for (const secret of [canary, password, Buffer.from(`bot:${password}`).toString('base64'), passphrase])
        expect(text).not.toContain(secret);
      // The echoed credentials were scrubbed, not dropped: the record still shows the response.
      const steps = (await p.runs.get(me, run.id)).steps;
      expect(steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      expect(steps[0].outputs).toMatchObject({ Entries: { service: 'ledger', echoedKey: '***' } });
    },
  );
});
