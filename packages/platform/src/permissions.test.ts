import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, freshPlatform, ledgerOpenApi, rejection, startService, type TestService } from './test-support.js';

const ledgerFlow = {
  schema: 'patchbay/flow@1' as const,
  name: 'Entries',
  steps: [{ connector: 'ledger', operation: 'ListEntries', connectionReference: 'pb_ledger', params: {} }],
};

describe.each(dialects)('permissions on $name', (dialect) => {
  let env: Awaited<ReturnType<typeof freshPlatform>>;
  let service: TestService;
  beforeAll(async () => {
    if (!dialect.available) return;
    service = await startService('ledger');
    env = await freshPlatform(dialect);
  });
  afterAll(async () => {
    await env?.close();
    await service?.close();
  });

  it.skipIf(!dialect.available)(
    'another user cannot list, use, bind or test a connection until it is shared, and never reads its secrets',
    async () => {
      const p = env.platform;
      const { user: owner } = await p.users.ensureOwner({
        email: 'ada@example.com',
        password: 'correct horse battery',
      });
      const bob = await p.users.createUser(owner, { email: 'bob@example.com', password: 'bob password 1' });
      expect((await rejection(p.users.createUser(bob, { email: 'eve@example.com' }))).code).toBe('auth.denied');
      await p.connectors.import(owner, 'default', { openapi: ledgerOpenApi(service.url) });
      const { connection } = await p.connections.create(owner, 'default', {
        connectorId: 'ledger',
        displayName: 'Ada ledger',
        secrets: { api_key: 'ada-secret-key' },
      });
      await p.references.create(owner, 'default', { logicalName: 'pb_ledger', connectorId: 'ledger' });
      const flow = await p.flows.save(owner, 'default', ledgerFlow);

      expect(await p.connections.list(bob, 'default')).toEqual([]);
      expect((await rejection(p.connections.get(bob, connection.id))).code).toBe('store.not_found');
      expect((await rejection(p.connections.test(bob, connection.id))).code).toBe('store.not_found');
      expect((await rejection(p.references.bind(bob, 'default', 'pb_ledger', connection.id))).code).toBe(
        'connection.denied',
      );
      // Bob's flow uses a reference of his own: the owner's reference is not his to rebind.
      await p.references.create(bob, 'default', { logicalName: 'pb_bob', connectorId: 'ledger' });
      const bobFlow = await p.flows.save(bob, 'default', {
        ...ledgerFlow,
        name: 'Bob entries',
        steps: [{ ...ledgerFlow.steps[0], connectionReference: 'pb_bob' }],
      });
      expect(
        (await rejection(p.runs.start(bob, { flowId: bobFlow.id, connections: { pb_bob: connection.id } }))).code,
      ).toBe('connection.denied');
      expect(service.received).toEqual([]);

      await p.connections.share(owner, connection.id, 'bob@example.com');
      const seen = await p.connections.list(bob, 'default');
      expect(seen).toEqual([
        expect.objectContaining({
          id: connection.id,
          sharedWithMe: true,
          canManage: false,
          owner: expect.objectContaining({ email: 'ada@example.com' }),
        }),
      ]);
      expect(JSON.stringify(seen)).not.toContain('ada-secret-key');
      expect((await p.connections.test(bob, connection.id)).status).toBe('connected');
      expect((await rejection(p.references.bind(bob, 'default', 'pb_ledger', connection.id))).code).toBe('auth.denied');
      await p.references.bind(bob, 'default', 'pb_bob', connection.id);
      expect((await p.runs.runNow(bob, { flowId: bobFlow.id })).run.status).toBe('succeeded');
      expect(service.received.at(-1)?.headers['x-api-key']).toBe('ada-secret-key');
      // Shared for use only: no managing, no re-sharing, no reading.
      expect((await rejection(p.connections.delete(bob, connection.id))).code).toBe('auth.denied');
      expect((await rejection(p.connections.share(bob, connection.id, 'bob@example.com'))).code).toBe('auth.denied');
      expect((await rejection(p.connections.update(bob, connection.id, { secrets: { api_key: 'stolen' } }))).code).toBe(
        'auth.denied',
      );

      await p.connections.unshare(owner, connection.id, 'bob@example.com');
      const after = await p.runs.runNow(bob, { flowId: bobFlow.id }).catch((e: unknown) => e);
      expect(after).toMatchObject({ code: 'connection.unresolved' });
      expect(String((after as Error).message)).toContain('not allowed to use');
      expect(flow.role).toBe('owner');
    },
  );

  it.skipIf(!dialect.available)(
    'a run-only user runs a flow but cannot edit, enable, rename, share or delete it',
    async () => {
      const p = env.platform;
      const owner = await p.users.owner();
      const carol = await p.users.createUser(owner, { email: 'carol@example.com', password: 'carol password 1' });
      const flow = (await p.flows.list(owner, 'default')).find((f) => f.name === 'Entries');
      const id = flow?.id as string;
      await p.flows.share(owner, id, 'carol@example.com', 'run-only');
      expect((await p.flows.get(carol, id)).role).toBe('run-only');
      for (const attempt of [
        () => p.flows.save(carol, 'default', { ...ledgerFlow, steps: [] }, { id }),
        () => p.flows.applyEdits(carol, id, 1, []),
        () => p.flows.setEnabled(carol, id, false),
        () => p.flows.rename(carol, id, 'Mine now'),
        () => p.flows.share(carol, id, 'carol@example.com', 'co-owner'),
        () => p.flows.delete(carol, id),
        () => p.flows.embedReference(carol, id, 'pb_ledger', 'conn_x'),
      ])
        expect((await rejection(attempt())).code).toBe('auth.denied');
      // She brings her own connection for the reference (the binding's connection is not hers).
      const mine = (
        await p.connections.create(carol, 'default', {
          connectorId: 'ledger',
          displayName: 'Carol ledger',
          secrets: { api_key: 'carol-key' },
        })
      ).connection;
      const { run } = await p.runs.runNow(carol, { flowId: id, connections: { pb_ledger: mine.id } });
      expect(run.status).toBe('succeeded');
      expect(service.received.at(-1)?.headers['x-api-key']).toBe('carol-key');
      // A co-owner embeds their own connection: run-only users then run with it.
      const dan = await p.users.createUser(owner, { email: 'dan@example.com', password: 'dan password 1' });
      await p.flows.share(owner, id, 'dan@example.com', 'co-owner');
      const dans = (
        await p.connections.create(dan, 'default', {
          connectorId: 'ledger',
          displayName: 'Dan ledger',
          secrets: { api_key: 'dan-key' },
        })
      ).connection;
      await p.flows.embedReference(dan, id, 'pb_ledger', dans.id);
      expect((await p.runs.runNow(carol, { flowId: id })).run.status).toBe('succeeded');
      expect(service.received.at(-1)?.headers['x-api-key']).toBe('dan-key');
    },
  );
});
