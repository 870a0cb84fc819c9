/**
 * The dialects the store's one test suite runs over (STYLE.md §10): SQLite in
 * a temporary folder always, PostgreSQL at PATCHBAY_TEST_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test) in a schema of its own that is
 * dropped afterwards. When PostgreSQL is unreachable its cases are skipped,
 * except under CI, where that is a failure.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Store, type StoreOptions, openStore } from './store.js';

export interface TestDatabase {
  home: string;
  /** PostgreSQL: the schema this database lives in. */
  schema?: string;
  /** Opens a store on this database (same folder / schema every time). */
  open(extra?: Partial<StoreOptions>): Promise<Store>;
  /** Every byte the database holds, as text, for secret canary checks. */
  rawContent(): Promise<string>;
  dispose(): Promise<void>;
}

export interface TestDialect {
  name: 'sqlite' | 'postgres';
  available: boolean;
  /** A new, empty database of this dialect. */
  create(): TestDatabase;
}

export const PG_URL = process.env.PATCHBAY_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

async function pgReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (e) {
    if (process.env.CI)
      throw new Error(`PostgreSQL is required in CI but ${PG_URL} is unreachable: ${(e as Error).message}`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'patchbay-store-'));
}

const sqlite: TestDialect = {
  name: 'sqlite',
  available: true,
  create() {
    const home = tempHome();
    return {
      home,
      open: (extra = {}) => openStore({ home, databaseUrl: undefined, masterKey: undefined, ...extra }),
      async rawContent() {
        return ['patchbay.db', 'patchbay.db-wal']
          .map((f) => join(home, f))
          .filter((f) => existsSync(f))
          .map((f) => readFileSync(f).toString('latin1'))
          .join('\n');
      },
      async dispose() {
        rmSync(home, { recursive: true, force: true });
      },
    };
  },
};

export async function testDialects(): Promise<TestDialect[]> {
  const available = await pgReachable();
  const postgres: TestDialect = {
    name: 'postgres',
    available,
    create() {
      const home = tempHome();
      const schema = `pb_test_${randomBytes(6).toString('hex')}`;
      const admin = () => new pg.Client({ connectionString: PG_URL });
      return {
        home,
        schema,
        open: (extra = {}) => openStore({ home, databaseUrl: PG_URL, schema, masterKey: undefined, ...extra }),
        async rawContent() {
          const c = admin();
          await c.connect();
          try {
            const tables = await c.query<{ table_name: string }>(
              'select table_name from information_schema.tables where table_schema = $1',
              [schema],
            );
            const parts: string[] = [];
            for (const t of tables.rows) {
              const rows = await c.query<{ j: string }>(
                `select row_to_json(t)::text as j from ${schema}."${t.table_name}" t`,
              );
              parts.push(...rows.rows.map((r) => r.j));
            }
            return parts.join('\n');
          } finally {
            await c.end();
          }
        },
        async dispose() {
          const c = admin();
          await c.connect();
          try {
            await c.query(`drop schema if exists ${schema} cascade`);
          } finally {
            await c.end();
          }
          rmSync(home, { recursive: true, force: true });
        },
      };
    },
  };
  return [sqlite, postgres];
}

/** The PatchbayError-like rejection of `p` (fails when `p` resolves). */
export async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await p;
  } catch (e) {
    if (e && typeof e === 'object' && 'code' in e && 'message' in e)
      return e as { code: string; message: string; hint?: string };
    throw e;
  }
  throw new Error('expected the promise to reject');
}

let counter = 0;
/** A name unique within this test process (emails, environments, flows). */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${counter}${randomBytes(2).toString('hex')}`;
}
