import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store, User } from '../index.js';
import { type TestDatabase, rejection, testDialects, unique } from '../testDialects.js';

const dialects = await testDialects();

describe.each(dialects)('policies and suspended flows on $name', (dialect) => {
  let db: TestDatabase;
  let s: Store;
  let ada: User;
  beforeAll(async () => {
    if (!dialect.available) return;
    db = dialect.create();
    s = await db.open();
    ada = await s.users.create({ email: 'ada@example.test' });
  });
  afterAll(async () => {
    await s?.close();
    await db?.dispose();
  });
  const run = it.skipIf(!dialect.available);

  run('creates, replaces, lists and deletes policies', async () => {
    const doc = { name: 'Production', environments: ['prod'], connectors: { blocked: ['slack'] } };
    const first = await s.policies.put({ name: 'Production', document: doc, updatedBy: ada.id });
    expect(first.created).toBe(true);
    const changed = { ...doc, connectors: { blocked: ['slack', 'rss'] } };
    const second = await s.policies.put({ name: 'Production', document: changed, updatedBy: ada.id });
    expect(second.created).toBe(false);
    expect((await s.policies.get('Production')).document).toEqual(changed);
    await s.policies.put({ name: 'All', document: { name: 'All', environments: ['*'] }, updatedBy: ada.id });
    expect((await s.policies.list()).map((p) => p.name)).toEqual(['All', 'Production']);
    await s.policies.delete('All');
    expect(await s.policies.find('All')).toBeUndefined();
    expect((await rejection(s.policies.delete('All'))).code).toBe('store.not_found');
    expect((await rejection(s.policies.put({ name: 'bad name!', document: {}, updatedBy: ada.id }))).code).toBe(
      'store.invalid',
    );
  });

  run('marks a flow suspended with its reason and lifts it', async () => {
    const name = unique('Flow ');
    const f = await s.flows.create({
      environment: 'default',
      name,
      ownerId: ada.id,
      definition: { schema: 'patchbay/flow@1', name, steps: [] },
    });
    expect(f.suspendedReason).toBeNull();
    const reason = 'Flow violates data-loss-prevention policy "Production" at step /steps/0 (slack/Post).';
    expect((await s.flows.setSuspended(f.id, reason)).suspendedReason).toBe(reason);
    expect((await s.flows.get(f.id)).suspendedReason).toBe(reason);
    expect((await s.flows.list({ environment: 'default' })).find((x) => x.id === f.id)?.suspendedReason).toBe(reason);
    expect((await s.flows.setSuspended(f.id, null)).suspendedReason).toBeNull();
    expect((await rejection(s.flows.setSuspended('flow_missing', null))).code).toBe('store.not_found');
  });
});
