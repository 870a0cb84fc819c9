import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { PatchbayError } from '@patchbay/core';
import { keyIdOf, readKeyFile } from './secrets.js';
import type { Store } from './store.js';
import { type TestDatabase, testDialects } from './testDialects.js';

const dialects = await testDialects();

async function rejection(p: Promise<unknown>): Promise<PatchbayError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PatchbayError) return e;
    throw e;
  }
  throw new Error('expected the promise to reject');
}

describe.each(dialects)('store on $name', (dialect) => {
  const open: { db: TestDatabase; stores: Store[] }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      for (const s of o.stores) await s.close().catch(() => undefined);
      await o.db.dispose();
    }
  });
  function fresh() {
    const db = dialect.create();
    const entry = { db, stores: [] as Store[] };
    open.push(entry);
    return {
      db,
      async open(extra: Parameters<TestDatabase['open']>[0] = {}) {
        const s = await db.open(extra);
        entry.stores.push(s);
        return s;
      },
    };
  }
  async function seedConnection(s: Store, secret: string) {
    const { user } = await s.users.ensureOwner({ password: 'a long enough password' });
    return s.connections.create({
      environment: 'default',
      connectorId: 'ledger',
      displayName: 'Ledger',
      ownerId: user.id,
      scheme: 'apiKey',
      params: { region: 'eu' },
      secrets: { api_key: secret },
    });
  }

  it.skipIf(!dialect.available)('migrates an empty database, then reopens it with its data', async () => {
    const t = fresh();
    const s1 = await t.open();
    expect(s1.dialect).toBe(dialect.name);
    expect((await s1.environments.list()).map((e) => e.name)).toEqual(['default']);
    await s1.environments.create({ name: 'prod' });
    await s1.close();
    const s2 = await t.open();
    expect((await s2.environments.list()).map((e) => e.name)).toEqual(['default', 'prod']);
  });

  it.skipIf(!dialect.available)('keeps secrets out of the raw database (canary)', async () => {
    const t = fresh();
    const s = await t.open();
    const canary = `canary-${randomBytes(8).toString('hex')}`;
    const marker = `visible-${randomBytes(8).toString('hex')}`;
    const c = await seedConnection(s, canary);
    await s.connections.update(c.id, { params: { region: marker } });
    await s.connections.setSecrets(c.id, { refresh_token: `${canary}-refresh` }, { merge: true });
    await s.envVars.define({ schemaName: 'pb_password', type: 'secret' });
    await s.envVars.setValue('default', 'pb_password', `${canary}-var`);
    expect(await s.connections.getSecrets(c.id)).toEqual({ api_key: canary, refresh_token: `${canary}-refresh` });
    expect((await s.envVars.resolve('default')).values.pb_password).toBe(`${canary}-var`);
    const raw = await t.db.rawContent();
    expect(raw.includes(marker)).toBe(true); // the grep does see stored values
    expect(raw.includes(canary)).toBe(false);
    expect(JSON.stringify(await s.connections.list())).not.toContain(canary);
    expect(JSON.stringify(await s.envVars.list('default'))).not.toContain(canary);
  });

  it.skipIf(!dialect.available)('refuses a wrong master key, names the key it needs, and loses nothing', async () => {
    const t = fresh();
    const right = randomBytes(32).toString('base64');
    const s = await t.open({ masterKey: right });
    const c = await seedConnection(s, 's3cret-value');
    await s.close();
    const e = await rejection(t.open({ masterKey: randomBytes(32).toString('hex') }));
    expect(e.code).toBe('secrets.key');
    expect(e.message).toContain(keyIdOf(Buffer.from(right, 'base64')));
    expect(e.message).not.toContain(right);
    const again = await t.open({ masterKey: right });
    expect(await again.connections.getSecrets(c.id)).toEqual({ api_key: 's3cret-value' });
  });

  it.skipIf(!dialect.available)(
    'never writes a new key file over sealed data when the key file is missing',
    async () => {
      const t = fresh();
      const s = await t.open();
      const c = await seedConnection(s, 's3cret-value');
      const keyFile = join(t.db.home, 'master.key');
      const original = readFileSync(keyFile, 'utf8');
      await s.close();
      renameSync(keyFile, `${keyFile}.moved`);
      const e = await rejection(t.open());
      expect(e.code).toBe('secrets.key');
      expect(e.message).toContain(keyIdOf(readKeyFile(`${keyFile}.moved`)[0]));
      expect(existsSync(keyFile)).toBe(false);
      renameSync(`${keyFile}.moved`, keyFile);
      const back = await t.open();
      expect(await back.connections.getSecrets(c.id)).toEqual({ api_key: 's3cret-value' });
      expect(readFileSync(keyFile, 'utf8')).toBe(original);
    },
  );

  it.skipIf(!dialect.available)('rotates the master key with live data, readable at every moment', async () => {
    const t = fresh();
    const s = await t.open();
    const oldId = s.masterKeyId;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await seedConnection(s, `secret-${i}`)).id);
    await s.envVars.define({ schemaName: 'pb_token', type: 'secret' });
    await s.envVars.setValue('default', 'pb_token', 'var-secret');

    // Another process keeps reading while this one rotates.
    const reader = await t.open();
    let rotating = true;
    let reads = 0;
    const readLoop = (async () => {
      while (rotating) {
        for (const [i, id] of ids.entries())
          expect(await reader.connections.getSecrets(id)).toEqual({ api_key: `secret-${i}` });
        reads++;
      }
    })();
    const result = await s.rotateMasterKey();
    rotating = false;
    await readLoop;
    expect(reads).toBeGreaterThan(0);

    expect(result).toMatchObject({
      previousKeyIds: [oldId],
      resealed: 6,
      keyFile: join(t.db.home, 'master.key'),
      droppedOldKeys: false,
    });
    expect(result.keyId).not.toBe(oldId);
    expect(s.masterKeyId).toBe(result.keyId);
    expect((await t.db.rawContent()).includes(`pbs1:${result.keyId}:`)).toBe(true);
    // The reader picked the new key up from the key file.
    expect(await reader.connections.getSecrets(ids[0])).toEqual({ api_key: 'secret-0' });
    expect((await reader.envVars.resolve('default')).values.pb_token).toBe('var-secret');

    // Every sealed value now needs only the new key (opening checks each one's key id); the old key alone is refused.
    const newKeyOnly = readKeyFile(join(t.db.home, 'master.key')).find((k) => keyIdOf(k) === result.keyId)!;
    const oldKeyOnly = readKeyFile(join(t.db.home, 'master.key')).find((k) => keyIdOf(k) === oldId)!;
    const withNew = await t.open({ masterKey: newKeyOnly.toString('base64') });
    expect(await withNew.connections.getSecrets(ids[4])).toEqual({ api_key: 'secret-4' });
    expect((await rejection(t.open({ masterKey: oldKeyOnly.toString('hex') }))).code).toBe('secrets.key');

    const second = await s.rotateMasterKey(undefined, { dropOldKeys: true });
    expect(second.droppedOldKeys).toBe(true);
    expect(readKeyFile(join(t.db.home, 'master.key')).map(keyIdOf)).toEqual([second.keyId]);
    expect(await s.connections.getSecrets(ids[2])).toEqual({ api_key: 'secret-2' });
  });

  it.skipIf(!dialect.available)('rotates with PATCHBAY_MASTER_KEY and hands back the generated key', async () => {
    const t = fresh();
    const first = randomBytes(32).toString('hex');
    const s = await t.open({ masterKey: first });
    const c = await seedConnection(s, 'kept');
    const r = await s.rotateMasterKey();
    expect(r.keyFile).toBeUndefined();
    expect(r.generatedKey).toBeDefined();
    await s.close();
    const reopened = await t.open({ masterKey: r.generatedKey });
    expect(await reopened.connections.getSecrets(c.id)).toEqual({ api_key: 'kept' });
    expect(existsSync(join(t.db.home, 'master.key'))).toBe(false);
  });

  it.skipIf(!dialect.available)(
    'lets one process at a time hold the refresh lock, so a token refreshes once',
    async () => {
      const t = fresh();
      const a = await t.open();
      const b = await t.open(); // a second process on the same database
      const c = await seedConnection(a, 'client-secret');
      await a.connections.setSecrets(
        c.id,
        { access_token: 'old' },
        { merge: true, tokenExpiresAt: new Date(Date.now() - 60_000).toISOString() },
      );
      let active = 0;
      let maxActive = 0;
      let refreshes = 0;
      const refresh = (s: Store) =>
        s.connections.lockForRefresh(c.id, async ({ connection, secrets, tx }) => {
          active++;
          maxActive = Math.max(maxActive, active);
          try {
            if (connection.tokenExpiresAt && connection.tokenExpiresAt > new Date().toISOString())
              return secrets.access_token;
            await sleep(50); // the token endpoint
            refreshes++;
            await tx.connections.setSecrets(
              c.id,
              { access_token: 'new' },
              { merge: true, tokenExpiresAt: new Date(Date.now() + 3_600_000).toISOString() },
            );
            return 'new';
          } finally {
            active--;
          }
        });
      const tokens = await Promise.all([refresh(a), refresh(b), refresh(a), refresh(b), refresh(b)]);
      expect(tokens).toEqual(['new', 'new', 'new', 'new', 'new']);
      expect(refreshes).toBe(1);
      expect(maxActive).toBe(1);
      expect(await b.connections.getSecrets(c.id)).toEqual({ api_key: 'client-secret', access_token: 'new' });
    },
  );

  it.skipIf(!dialect.available)('rolls a transaction back as a whole', async () => {
    const t = fresh();
    const s = await t.open();
    const e = await rejection(
      s.transaction(async (tx) => {
        await tx.environments.create({ name: 'staging' });
        await tx.environments.create({ name: 'staging' });
      }),
    );
    expect(e.code).toBe('store.conflict');
    expect((await s.environments.list()).map((x) => x.name)).toEqual(['default']);
    const committed = await s.transaction(async (tx) => (await tx.environments.create({ name: 'qa' })).name);
    expect(committed).toBe('qa');
    expect((await s.environments.get('qa')).name).toBe('qa');
  });

  it('refuses a database URL that is not PostgreSQL', async () => {
    const t = fresh();
    expect((await rejection(t.open({ databaseUrl: 'mysql://localhost/x' }))).code).toBe('store.invalid');
  });
});
