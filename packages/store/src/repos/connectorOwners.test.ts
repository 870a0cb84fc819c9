import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store, User } from '../index.js';
import { type TestDatabase, rejection, testDialects, unique } from '../testDialects.js';

const dialects = await testDialects();

const model = { id: 'ledger', baseUrl: 'https://ledger.example.com' };

describe.each(dialects)('connector owners, usage and re-authentication on $name', (dialect) => {
  let db: TestDatabase;
  let s: Store;
  let ada: User;
  let bob: User;
  let env: string;
  beforeAll(async () => {
    if (!dialect.available) return;
    db = dialect.create();
    s = await db.open();
    ada = await s.users.create({ email: 'ada@example.test' });
    bob = await s.users.create({ email: 'bob@example.test' });
  });
  afterAll(async () => {
    await s?.close();
    await db?.dispose();
  });
  const run = it.skipIf(!dialect.available);
  const upsert = (ownerId?: string, extra: Record<string, unknown> = {}) =>
    s.connectors.upsert({
      environment: env,
      id: 'ledger',
      displayName: 'Ledger',
      model: { ...model, ...extra },
      source: 'upload',
      custom: true,
      ...(ownerId ? { ownerId } : {}),
    });

  run('records the first importer as owner, keeps them on re-import, and adds and removes co-owners', async () => {
    env = unique('own');
    await s.environments.create({ name: env });
    await upsert(ada.id);
    await upsert(bob.id, { v: 2 }); // the caller decides who may re-import; the owner stays the first one
    expect((await s.connectors.owners(env, 'ledger')).map((o) => [o.email, o.role])).toEqual([
      ['ada@example.test', 'owner'],
    ]);
    await s.connectors.addCoOwner(env, 'ledger', bob.id);
    await s.connectors.addCoOwner(env, 'ledger', bob.id);
    await s.connectors.addCoOwner(env, 'ledger', ada.id); // already the owner: stays owner
    expect((await s.connectors.owners(env, 'ledger')).map((o) => [o.email, o.role])).toEqual([
      ['ada@example.test', 'owner'],
      ['bob@example.test', 'co-owner'],
    ]);
    await s.connectors.removeCoOwner(env, 'ledger', ada.id); // never the owner
    await s.connectors.removeCoOwner(env, 'ledger', bob.id);
    expect((await s.connectors.owners(env, 'ledger')).map((o) => o.email)).toEqual(['ada@example.test']);
    expect((await rejection(s.connectors.addCoOwner(env, 'nope', bob.id))).code).toBe('store.not_found');
    expect((await rejection(s.connectors.addCoOwner(env, 'ledger', 'user_missing'))).code).toBe('store.not_found');
  });

  run('forgets the owners with the connector, so a later import starts over', async () => {
    await s.connectors.delete(env, 'ledger');
    expect(await s.connectors.owners(env, 'ledger')).toEqual([]);
    await upsert(bob.id);
    expect((await s.connectors.owners(env, 'ledger')).map((o) => [o.email, o.role])).toEqual([
      ['bob@example.test', 'owner'],
    ]);
  });

  run('lists the flows that use a connector through references', async () => {
    const flow = await s.flows.create({
      environment: env,
      name: 'Report',
      ownerId: ada.id,
      definition: {
        schema: 'patchbay/flow@1',
        name: 'Report',
        steps: [{ connector: 'Ledger', operation: 'List', connectionReference: 'pb_ledger', params: {} }],
      },
    });
    expect(await s.connectors.usage(env, 'ledger')).toEqual([
      { flowId: flow.id, flowName: 'Report', logicalName: 'pb_ledger' },
    ]);
    expect(await s.connectors.usage(env, 'other')).toEqual([]);
    expect(await s.connectors.usage('default', 'ledger')).toEqual([]);
  });

  run("moves other users' connections of the connector to needs-reauth, naming the reason", async () => {
    const mine = await s.connections.create({
      environment: env,
      connectorId: 'ledger',
      displayName: 'A',
      ownerId: ada.id,
    });
    const theirs = await s.connections.create({
      environment: env,
      connectorId: 'ledger',
      displayName: 'B',
      ownerId: bob.id,
    });
    const elsewhere = await s.connections.create({
      environment: 'default',
      connectorId: 'ledger',
      displayName: 'C',
      ownerId: bob.id,
    });
    const moved = await s.connections.requireReauth({
      environment: env,
      connectorId: 'LEDGER',
      exceptOwnerId: ada.id,
      reason: 'the base URL changed',
    });
    expect(moved).toEqual([theirs.id]);
    expect(await s.connections.get(theirs.id)).toMatchObject({
      status: 'needs-reauth',
      statusReason: 'the base URL changed',
    });
    expect((await s.connections.get(mine.id)).status).toBe('connected');
    expect((await s.connections.get(elsewhere.id)).status).toBe('connected');
  });
});
