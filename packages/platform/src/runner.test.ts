import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunnerPool, type ToRunner } from '@patchbay/runtime';
import {
  dialects,
  freshPlatform,
  ledgerOpenApi,
  startService,
  syncFlow,
  tasksOpenApi,
  type TestService,
} from './test-support.js';

/** Every text inside a message, binary values included, for canary searches. */
function textOf(messages: unknown[]): string {
  return JSON.stringify(messages, (_k, v: unknown) =>
    v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
  );
}

/**
 * A runner that does what a compromised one could: on its run, it asks the
 * gateway to call the flow's operation through another reference, and
 * reports the gateway's answer as its run's error.
 */
const FORGING_RUNNER = `
let runId = '';
process.on('message', (m) => {
  if (m.type === 'run') {
    runId = m.runId;
    process.send({ type: 'gateway', runId, callId: 1, reference: 'pb_owner_ledger', connectorId: 'ledger',
      operationId: 'ListEntries', params: {}, step: { path: '/steps/0', action: 'ledger.ListEntries' } });
  } else if (m.type === 'gateway.result') {
    process.send({ type: 'done', runId, result: { status: 'failed', outputs: {}, steps: [], stepCount: 0,
      error: m.ok ? { code: 'internal', message: 'the gateway answered: ' + JSON.stringify(m.value), retryable: false } : m.error } });
  }
});
process.send({ type: 'ready', version: 1 });
`;

describe.each(dialects)('the connector gateway on $name', (dialect) => {
  let env: Awaited<ReturnType<typeof freshPlatform>>;
  const sent: ToRunner[] = [];
  const channels = new Set<string>();
  const pool = new RunnerPool({
    onSend: (m, channel) => {
      sent.push(m);
      channels.add(`${m.type} ${channel}`);
    },
  });
  const services: TestService[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'pb-gateway-'));
  beforeAll(async () => {
    if (dialect.available) env = await freshPlatform(dialect, { executor: pool });
  });
  afterAll(async () => {
    await env?.close();
    await pool.close();
    await Promise.all(services.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!dialect.available)(
    'connector steps in a runner call through the parent; no message to the runner holds a credential',
    async () => {
      const apiKey = `canary-key-${randomBytes(10).toString('hex')}`;
      const password = `canary-pw-${randomBytes(10).toString('hex')}`;
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
        email: 'gateway@example.com',
        password: 'correct horse battery',
      });
      await p.connectors.import(me, 'default', { openapi: ledgerOpenApi(ledger.url) });
      await p.connectors.import(me, 'default', { openapi: tasksOpenApi(tasks.url) });
      const l = await p.connections.create(me, 'default', {
        connectorId: 'ledger',
        displayName: 'L',
        secrets: { api_key: apiKey },
      });
      const t = await p.connections.create(me, 'default', {
        connectorId: 'tasks',
        displayName: 'T',
        params: { username: 'bot' },
        secrets: { password },
      });
      await p.references.create(me, 'default', {
        logicalName: 'pb_ledger',
        connectorId: 'ledger',
        connectionId: l.connection.id,
      });
      await p.references.create(me, 'default', {
        logicalName: 'pb_tasks',
        connectorId: 'tasks',
        connectionId: t.connection.id,
      });
      const flow = await p.flows.save(me, 'default', syncFlow());
      const { run, result } = await p.runs.runNow(me, { flowId: flow.id });
      expect(run.status).toBe('succeeded');
      expect(run.outputs).toEqual({ Summary: 'ledger tasks' });
      // The services got the credentials (the gateway injected them)…
      expect(ledger.received[0].headers['x-api-key']).toBe(apiKey);
      // …the run record shows them redacted, and no message to the runner carried one.
      expect(JSON.stringify(result)).not.toContain(apiKey);
      const types = new Set(sent.map((m) => m.type));
      expect(types).toEqual(new Set(['run', 'gateway.result']));
      // Gateway results went on the gateway pipe, and every message on either channel was seen here.
      expect(channels).toEqual(new Set(['run ipc', 'gateway.result pipe']));
      const all = textOf(sent);
      expect(all).toContain('***');
      for (const secret of [apiKey, password, Buffer.from(`bot:${password}`).toString('base64')])
        expect(all).not.toContain(secret);
    },
  );

  it.skipIf(!dialect.available)('a runner cannot call a reference its run did not resolve', async () => {
    const p = env.platform;
    const me = (await p.users.ensureOwner({ email: 'gateway@example.com', password: 'correct horse battery' })).user;
    const ledger = services[0];
    const before = ledger.received.length;
    const owners = await p.connections.create(me, 'default', {
      connectorId: 'ledger',
      displayName: 'Owner ledger',
      secrets: { api_key: 'owner-ledger-key' },
    });
    await p.references.create(me, 'default', {
      logicalName: 'pb_owner_ledger',
      connectorId: 'ledger',
      connectionId: owners.connection.id,
    });
    const file = join(dir, 'forging-runner.mjs');
    writeFileSync(file, FORGING_RUNNER);
    chmodSync(dir, 0o755); // readable by the runner user
    chmodSync(file, 0o644);
    const forging = new RunnerPool({ entry: file });
    const other = await env.open({ executor: forging });
    try {
      const flow = {
        schema: 'patchbay/flow@1' as const,
        name: 'Only pb_ledger',
        steps: [{ connector: 'ledger', operation: 'ListEntries', connectionReference: 'pb_ledger', params: {} }],
      };
      const { run } = await other.runs.runNow(me, { environment: 'default', definition: flow });
      expect(run.status).toBe('failed');
      expect(run.error?.code, run.error?.message).toBe('connection.unresolved');
      expect(run.error?.message).toContain('"pb_owner_ledger" is not one this run resolved');
      expect(ledger.received.length).toBe(before);
    } finally {
      await forging.close();
    }
  });

  it.skipIf(!dialect.available)(
    'without a runner user to drop to, host actions run for the instance owner only, refused before any step',
    async () => {
      const cannotDrop = new RunnerPool({ user: 'patchbay-no-such-user' });
      const p = await env.open({ executor: cannotDrop });
      try {
        expect(cannotDrop.dropsPrivileges()).toBe(false);
        const owner = (await p.users.ensureOwner({ email: 'gateway@example.com', password: 'correct horse battery' }))
          .user;
        const member = await p.store.users.create({ email: `m-${randomBytes(4).toString('hex')}@example.com` });
        const flow = {
          schema: 'patchbay/flow@1' as const,
          name: 'Host',
          outputs: { Out: { type: 'text' as const } },
          steps: [
            { action: 'Variables.Set', params: { name: 'Out', value: 'first step' } },
            { action: 'System.RunCommand', params: { command: 'echo hi' }, produces: { stdout: 'Out' } },
          ],
        };
        const events: unknown[] = [];
        const refused = await p.runs.runNow(
          member,
          { environment: 'default', definition: flow },
          { onEvent: (e) => events.push(e) },
        );
        expect(refused.run.status).toBe('failed');
        expect(refused.run.error?.code).toBe('auth.denied');
        expect(refused.run.error?.message).toContain('cannot run System actions for you');
        expect(refused.run.error?.hint).toContain('PATCHBAY_RUNNER_USER');
        expect(events).toEqual([]);
        const ok = await p.runs.runNow(owner, { environment: 'default', definition: flow });
        expect(ok.run.status).toBe('succeeded');
        expect(String(ok.run.outputs?.Out).trim()).toBe('hi');
        // Flows without host actions run for everyone.
        const plain = await p.runs.runNow(member, {
          environment: 'default',
          definition: { ...flow, steps: [flow.steps[0]] },
        });
        expect(plain.run.status).toBe('succeeded');
      } finally {
        await cannotDrop.close();
      }
    },
  );
});
