import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import { type TestDatabase, rejection, testDialects } from '../testDialects.js';

const dialects = await testDialects();

describe.each(dialects)('audit log on $name', (dialect) => {
  let db: TestDatabase;
  let s: Store;
  beforeAll(async () => {
    if (!dialect.available) return;
    db = dialect.create();
    s = await db.open();
  });
  afterAll(async () => {
    await s?.close();
    await db?.dispose();
  });
  const run = it.skipIf(!dialect.available);
  const ada = { id: 'usr_ada', email: 'ada@example.test' };

  run('commits an entry with the change it records, and rolls both back together', async () => {
    await s.transaction(async (tx) => {
      await tx.environments.create({ name: 'audited' });
      await tx.audit.append({
        actor: ada,
        environment: 'audited',
        action: 'environment.create',
        target: 'audited',
        outcome: 'ok',
      });
    });
    await expect(
      s.transaction(async (tx) => {
        await tx.environments.create({ name: 'rolledback' });
        await tx.audit.append({
          actor: ada,
          environment: 'rolledback',
          action: 'environment.create',
          target: 'rolledback',
          outcome: 'ok',
        });
        throw new Error('the change fails after the entry was written');
      }),
    ).rejects.toThrow('the change fails');
    const all = await s.audit.list({ action: 'environment.create' });
    expect(all.map((e) => e.target)).toEqual(['audited']);
    expect(all[0]).toMatchObject({ actor: ada, environment: 'audited', outcome: 'ok', detail: {} });
    await expect(s.environments.get('rolledback')).rejects.toThrow();
  });

  run('filters by environment, instance-wide entries, actor, action and time, newest first', async () => {
    const bob = { id: 'usr_bob', email: 'bob@example.test' };
    await s.audit.append({ actor: bob, environment: null, action: 'signin', outcome: 'ok' });
    await s.audit.append({
      actor: bob,
      environment: 'default',
      action: 'connection.share',
      target: 'conn_1',
      outcome: 'denied',
      detail: { with: 'eve@example.test', reason: 'not the owner\nforged line' },
    });
    const bobs = await s.audit.list({ actorEmail: 'BOB@example.test' });
    expect(bobs.map((e) => e.action)).toEqual(['connection.share', 'signin']);
    expect(bobs[0].detail).toEqual({ with: 'eve@example.test', reason: 'not the owner forged line' });
    expect((await s.audit.list({ environments: ['default'] })).map((e) => e.action)).toEqual(['connection.share']);
    expect((await s.audit.list({ environments: [null], actorEmail: bob.email })).map((e) => e.action)).toEqual([
      'signin',
    ]);
    expect(await s.audit.list({ environments: [] })).toEqual([]);
    expect(await s.audit.list({ since: '2999-01-01T00:00:00Z' })).toEqual([]);
    expect((await s.audit.list({ since: '2000-01-01T00:00:00Z', limit: 1 })).length).toBe(1);
    expect((await rejection(s.audit.list({ since: 'yesterday' }))).message).toContain('"yesterday" is not a time');
  });

  run('refuses malformed entries and prunes only entries older than the cut-off', async () => {
    const bad = await rejection(s.audit.append({ actor: ada, environment: null, action: 'Drop Table', outcome: 'ok' }));
    expect(bad.code).toBe('store.invalid');
    const obj = await rejection(
      s.audit.append({
        actor: ada,
        environment: null,
        action: 'token.create',
        outcome: 'ok',
        detail: { nested: { a: 1 } as unknown as string },
      }),
    );
    expect(obj.message).toContain('"nested"');
    const before = (await s.audit.list({ limit: 1000 })).length;
    expect(before).toBeGreaterThan(0);
    expect(await s.audit.prune('2000-01-01T00:00:00.000Z')).toBe(0);
    expect(await s.audit.prune('2999-01-01T00:00:00.000Z')).toBe(before);
    expect(await s.audit.list()).toEqual([]);
  });
});
