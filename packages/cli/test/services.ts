/**
 * Helpers for the command's end-to-end tests: real JSON services on
 * 127.0.0.1 that record what they receive, small OpenAPI connectors that call
 * them, and files in temporary folders.
 */
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

export {
  basicUser,
  ledgerOpenApi,
  startService,
  syncFlow,
  tasksOpenApi,
  type Received,
  type TestService,
} from '../../platform/src/test-services.js';

/** The Power Platform connector fixtures in the repository. */
export const FIXTURES = fileURLToPath(new URL('../../../fixtures/power-platform-connectors/', import.meta.url));

export function tempDir(prefix = 'patchbay-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `content` (JSON unless a string) to `name` in a new temporary folder; returns the path. */
export function writeTemp(name: string, content: unknown): string {
  const file = join(tempDir(), name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

/** The lines of a failed command's stderr that carry its reason. */
export function reasonLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('patchbay:'));
}

/** Every file under `dir`, with its text. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) for (const [k, v] of readTree(path)) out.set(k, v);
    else out.set(path, readFileSync(path, 'utf8'));
  }
  return out;
}

/** Where the command keeps its data in a test: SQLite in PATCHBAY_HOME, or a PostgreSQL database of its own. */
export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  /** Environment variables that point the command at it. */
  env: Record<string, string>;
  /** Every byte it holds, as text (SQLite: the database files; PostgreSQL: every row as JSON). */
  rawContent(home: string): Promise<string>;
  drop(): Promise<void>;
}

const PG_ADMIN_URL = process.env.PATCHBAY_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export const sqliteDatabase = async (): Promise<TestDatabase> => ({
  name: 'sqlite',
  env: {},
  rawContent: async (home) =>
    readdirSync(home)
      .filter((f) => f.startsWith('patchbay.db'))
      .map((f) => readFileSync(join(home, f)).toString('latin1'))
      .join('\n'),
  drop: async () => undefined,
});

/** Whether PostgreSQL answers (outside CI its tests are skipped when it does not; in CI that is a failure). */
export async function postgresReachable(): Promise<boolean> {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return true;
  } catch (e) {
    if (process.env.CI)
      throw new Error(`PostgreSQL is required in CI but ${PG_ADMIN_URL} is unreachable: ${(e as Error).message}`);
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** The databases to run a test file over: SQLite always, PostgreSQL when it answers. */
export async function testDatabases(): Promise<{ name: 'sqlite' | 'postgres'; create: () => Promise<TestDatabase> }[]> {
  return [
    { name: 'sqlite' as const, create: sqliteDatabase },
    ...((await postgresReachable()) ? [{ name: 'postgres' as const, create: postgresDatabase }] : []),
  ];
}

/** A new PostgreSQL database, dropped by `drop()`. */
export async function postgresDatabase(): Promise<TestDatabase> {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  await admin.connect();
  const name = `pb_cli_${randomBytes(6).toString('hex')}`;
  await admin.query(`create database ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name: 'postgres',
    env: { PATCHBAY_DATABASE_URL: url.toString() },
    async rawContent() {
      const c = new pg.Client({ connectionString: url.toString() });
      await c.connect();
      try {
        const tables = await c.query<{ table_name: string }>(
          "select table_name from information_schema.tables where table_schema = 'public'",
        );
        const parts: string[] = [];
        for (const t of tables.rows)
          parts.push(
            ...(
              await c.query<{ j: string }>(`select row_to_json(t)::text as j from public."${t.table_name}" t`)
            ).rows.map((r) => r.j),
          );
        return parts.join('\n');
      } finally {
        await c.end();
      }
    },
    async drop() {
      try {
        await admin.query(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}
