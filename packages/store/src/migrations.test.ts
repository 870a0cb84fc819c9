import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import { PatchbayError } from '@patchbay/core';
import { openPostgres, openSqlite, type OpenedDatabase } from './dialect.js';
import { migrateDownAll, migrateToLatest, migrations } from './migrations.js';
import { openStore } from './store.js';
import { PG_URL, testDialects } from './testDialects.js';

const dialects = await testDialects();

async function tables(o: OpenedDatabase): Promise<string[]> {
  const rows =
    o.dialect.name === 'sqlite'
      ? await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`.execute(
          o.db,
        )
      : await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_name not like 'kysely_%'`.execute(
          o.db,
        );
  return rows.rows.map((r) => r.name).sort();
}

describe.each(dialects)('migrations on $name', (dialect) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });

  it.skipIf(!dialect.available)('apply in order, undo completely, and apply again', async () => {
    const t = dialect.create();
    const store = await t.open(); // creates the folder or schema and migrates
    await store.close();
    const o = dialect.name === 'sqlite' ? openSqlite(t.home) : await openPostgres(PG_URL, t.schema);
    cleanup.push(async () => {
      await o.db.destroy();
      await t.dispose();
    });
    expect(await migrateToLatest(o.db, o.dialect)).toEqual([]); // already current
    expect(await tables(o)).toContain('connection_references');
    await migrateDownAll(o.db, o.dialect);
    expect(await tables(o)).toEqual([]);
    expect(await migrateToLatest(o.db, o.dialect)).toEqual(Object.keys(migrations));
    expect(await tables(o)).toContain('connector_owners');
    expect(await tables(o)).toContain('audit_log');
    expect(await tables(o)).toContain('machines');
    expect(await tables(o)).toContain('environment_roles');
    expect(await tables(o)).toContain('connector_operations');
    expect(await tables(o)).toContain('connector_components');
    expect(await tables(o)).toHaveLength(26);
  });

  it.skipIf(!dialect.available)('split a connector stored whole into a summary and one row per operation', async () => {
    const t = dialect.create();
    const store = await t.open();
    await store.close();
    const o = dialect.name === 'sqlite' ? openSqlite(t.home) : await openPostgres(PG_URL, t.schema);
    cleanup.push(async () => {
      await o.db.destroy();
      await t.dispose();
    });
    const names = Object.keys(migrations);
    const before = names[names.indexOf('0014_connector_parts') - 1];
    const migrator = new Migrator({
      db: o.db,
      provider: { getMigrations: async () => migrations },
      ...(o.dialect.migrationSchema ? { migrationTableSchema: o.dialect.migrationSchema } : {}),
    });
    expect((await migrator.migrateTo(before)).error).toBeUndefined();
    const model = {
      id: 'ledger',
      displayName: 'Ledger',
      description: 'Books',
      brandColor: '#007ee5',
      authSchemes: [{ name: 'key', type: 'apiKey', parameters: [] }],
      operations: [
        { id: 'ListEntries', summary: 'List entries', inputs: [], outputs: { fields: [] } },
        { id: 'OnEntry', summary: 'When an entry is added', isTrigger: true, usableAsAction: false },
      ],
    };
    const at = new Date().toISOString();
    await sql`insert into environments (name, display_name, created_at) values ('old', 'Old', ${at})`.execute(o.db);
    await sql`insert into connectors (environment, id, display_name, model, source, custom, created_at, updated_at)
      values ('old', 'ledger', 'Ledger', ${JSON.stringify(model)}, 'upload', 1, ${at}, ${at})`.execute(o.db);
    expect(await migrateToLatest(o.db, o.dialect)).toContain('0014_connector_parts');
    const s = await t.open();
    try {
      const [listed] = await s.connectors.list('old');
      expect(listed.summary.counts).toEqual({ operations: 2, actions: 1, triggers: 1 });
      expect(listed.summary.authKinds).toEqual(['apiKey']);
      expect(listed.summary.operations.map((op) => op.id)).toEqual(['ListEntries', 'OnEntry']);
      expect((await s.connectors.find('old', 'ledger'))?.model).toEqual(model);
      const one = await s.connectors.withOperations<typeof model>('old', 'ledger', ['OnEntry']);
      expect(one?.model.operations).toEqual([model.operations[1]]);
    } finally {
      await s.close();
    }
    await migrateDownAll(o.db, o.dialect);
  });

  it.skipIf(!dialect.available)(
    'refuse a database a newer Patchbay migrated, though every known migration is applied',
    async () => {
      const t = dialect.create();
      const store = await t.open();
      await store.close();
      const o = dialect.name === 'sqlite' ? openSqlite(t.home) : await openPostgres(PG_URL, t.schema);
      cleanup.push(async () => {
        await o.db.destroy();
        await t.dispose();
      });
      const table = o.dialect.migrationSchema ? `${o.dialect.migrationSchema}.kysely_migration` : 'kysely_migration';
      await sql`insert into ${sql.table(table)} (name, timestamp) values ('9999_from_the_future', ${new Date().toISOString()})`.execute(
        o.db,
      );
      const error = await migrateToLatest(o.db, o.dialect).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PatchbayError);
      expect((error as PatchbayError).code).toBe('store.invalid');
    },
  );
});

describe('opening a database that is not there', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'patchbay-open-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('says which PostgreSQL it could not reach, without the password', async () => {
    try {
      await openStore({ home, databaseUrl: 'postgres://pb:hunter22@127.0.0.1:1/none', schema: 'pb_unreachable' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PatchbayError);
      expect((e as PatchbayError).code).toBe('store.invalid');
      expect((e as PatchbayError).message).toContain('127.0.0.1:1');
      expect((e as PatchbayError).message).not.toContain('hunter22');
    }
  });

  it('refuses a schema name that is not an identifier', async () => {
    await expect(openStore({ home, databaseUrl: PG_URL, schema: 'x; drop table users' })).rejects.toMatchObject({
      code: 'store.invalid',
    });
  });
});
