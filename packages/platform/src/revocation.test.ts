import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunnerPool } from '@patchbay/runtime';
import type { Actor } from './actor.js';
import { dialects, freshPlatform, ledgerOpenApi } from './test-support.js';

/**
 * A ledger service that, on its second request, lets the test change something (revoke a share, delete the
 * connection, rebind the reference) before it answers: the change happens while the run is waiting on that
 * call, so the run's next call is the first one after it.
 */
async function ledgerThatActsOnSecondCall() {
  const received: IncomingHttpHeaders[] = [];
  let act: () => Promise<unknown> = () => Promise.resolve();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(req.headers);
      void (received.length === 2 ? act() : Promise.resolve()).then(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"entries":[]}'),
        (e: unknown) => res.writeHead(500).end(String(e)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    onSecondCall: (f: () => Promise<unknown>) => {
      act = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const loopFlow = (reference: string) => ({
  schema: 'patchbay/flow@1' as const,
  name: 'Ledger loop',
  steps: [
    {
      action: 'Loop',
      params: { from: 1, to: 5 },
      do: [{ connector: 'ledger', operation: 'ListEntries', connectionReference: reference, params: {} }],
    },
  ],
});

describe.each(dialects)('a connection withdrawn in the middle of a run, on $name', (dialect) => {
  let env: Awaited<ReturnType<typeof freshPlatform>>;
  let ledger: Awaited<ReturnType<typeof ledgerThatActsOnSecondCall>>;
  let owner: Actor;
  let member: Actor;
  const pool = new RunnerPool();
  beforeAll(async () => {
    if (!dialect.available) return;
    env = await freshPlatform(dialect, { executor: pool });
    ledger = await ledgerThatActsOnSecondCall();
    const p = env.platform;
    owner = (await p.users.ensureOwner({ email: 'owner@revoke.test', password: 'owner password 1' })).user;
    member = await p.users.createUser(owner, { email: 'member@revoke.test', password: 'member password 1' });
    await p.connectors.import(owner, 'default', { openapi: ledgerOpenApi(ledger.url) });
  });
  afterAll(async () => {
    await env?.close();
    await pool.close();
    await ledger?.close();
  });

  /** A fresh connection of the owner's with its own key, bound to a fresh reference. */
  async function bound(name: string) {
    const p = env.platform;
    const key = `key-${randomBytes(6).toString('hex')}`;
    const { connection } = await p.connections.create(owner, 'default', {
      connectorId: 'ledger',
      displayName: name,
      secrets: { api_key: key },
    });
    await p.references.create(owner, 'default', {
      logicalName: name,
      connectorId: 'ledger',
      connectionId: connection.id,
    });
    ledger.received.length = 0;
    return { id: connection.id, key };
  }

  it.skipIf(!dialect.available)(
    "the owner withdrawing a share stops the member's run at its next call, and no request goes out",
    async () => {
      const p = env.platform;
      const c = await bound('pb_shared');
      await p.connections.share(owner, c.id, 'member@revoke.test');
      ledger.onSecondCall(() => p.connections.unshare(owner, c.id, 'member@revoke.test'));
      const { run } = await p.runs.runNow(member, { environment: 'default', definition: loopFlow('pb_shared') });
      expect(run.status).toBe('failed');
      expect(run.error?.code, run.error?.message).toBe('connection.denied');
      expect(run.error?.message).toContain('Connection reference "pb_shared" can no longer be used');
      expect(run.error?.message).toContain('revoked');
      expect(ledger.received.length).toBe(2);
      expect(ledger.received.every((h) => h['x-api-key'] === c.key)).toBe(true);
      // The owner's own runs still use it.
      ledger.onSecondCall(() => Promise.resolve());
      ledger.received.length = 0;
      const mine = await p.runs.runNow(owner, { environment: 'default', definition: loopFlow('pb_shared') });
      expect(mine.run.status, mine.run.error?.message).toBe('succeeded');
      expect(ledger.received.length).toBe(5);
    },
  );

  it.skipIf(!dialect.available)('a connection deleted mid-run is not used again', async () => {
    const p = env.platform;
    const c = await bound('pb_deleted');
    ledger.onSecondCall(() => p.connections.delete(owner, c.id, { force: true }));
    const { run } = await p.runs.runNow(owner, { environment: 'default', definition: loopFlow('pb_deleted') });
    expect(run.status).toBe('failed');
    expect(run.error?.message).toContain('Connection reference "pb_deleted" can no longer be used');
    expect(run.error?.message).toContain('its connection was deleted');
    expect(ledger.received.length).toBe(2);
  });

  it.skipIf(!dialect.available)(
    'a reference rebound mid-run uses neither connection for the rest of the run',
    async () => {
      const p = env.platform;
      const c = await bound('pb_rebound');
      const other = await p.connections.create(owner, 'default', {
        connectorId: 'ledger',
        displayName: 'Other',
        secrets: { api_key: 'other-key' },
      });
      ledger.onSecondCall(() => p.references.bind(owner, 'default', 'pb_rebound', other.connection.id));
      const { run } = await p.runs.runNow(owner, { environment: 'default', definition: loopFlow('pb_rebound') });
      expect(run.status).toBe('failed');
      expect(run.error?.message).toContain('the reference was bound to another connection');
      expect(ledger.received.map((h) => h['x-api-key'])).toEqual([c.key, c.key]);
    },
  );
});
