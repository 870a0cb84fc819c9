/**
 * The one place where SQLite and PostgreSQL differ (STYLE.md §9). Everything
 * else in the store speaks Kysely and asks this seam for the few things that
 * are not portable: how a write transaction starts, how a row is locked across
 * processes, and how a constraint violation looks.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type SqliteDatabase from 'better-sqlite3';
import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDialectConfig } from 'kysely';
import { PatchbayError } from '@patchbay/core';
import type { DB } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Dialect {
  readonly name: DialectName;
  /** Where the data lives, for messages (never includes a password). */
  readonly location: string;
  /** Schema the migrator keeps its own tables in (PostgreSQL only). */
  readonly migrationSchema?: string;
  /**
   * Runs `fn` in a write transaction. SQLite takes the write lock up front
   * (`BEGIN IMMEDIATE`, waiting without blocking the event loop), so a
   * transaction never fails half-way on a lock upgrade; PostgreSQL uses an
   * ordinary transaction.
   */
  transaction<T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in a transaction whose commit does not wait for the disk
   * (PostgreSQL `synchronous_commit = off`: a crash may lose the last moment
   * of writes, never corrupts). For high-volume, low-value rows only — run
   * step records and heartbeats. SQLite in WAL mode with `synchronous =
   * NORMAL` already commits this way.
   */
  relaxedTransaction<T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T>;
  /** Inside a transaction: hold `table`'s row `id` until commit, across processes. */
  lockRow(trx: Kysely<DB>, table: 'connections', id: string): Promise<void>;
  isUniqueViolation(e: unknown): boolean;
  isForeignKeyViolation(e: unknown): boolean;
}

export interface OpenedDatabase {
  db: Kysely<DB>;
  dialect: Dialect;
}

const SQLITE_BUSY_TIMEOUT_MS = 5_000;
/** How long a transaction waits for another process's write lock before giving up. */
const LOCK_WAIT_MS = 30_000;

function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

function busyError(location: string): PatchbayError {
  return new PatchbayError(
    'store.conflict',
    `The database at ${location} stayed locked by another Patchbay process for ${LOCK_WAIT_MS / 1000} s.`,
    {
      retryable: true,
      hint: 'Try again; if it persists, look for a stuck Patchbay process using the same PATCHBAY_HOME.',
    },
  );
}

/** The data folder: created if needed, and (new or not) open to the server's OS user alone. */
export function privateFolder(home: string): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  try {
    chmodSync(home, 0o700);
  } catch {
    // A folder owned by someone else keeps its mode; its files are still 0600.
  }
}

const STATEMENTS_KEPT = 500;

/**
 * The database as Kysely's SQLite driver sees it, with each SQL text prepared once: a run makes the same
 * few dozen queries as the last, and preparing (parsing and planning) them again was much of their cost.
 * The driver only calls `all` and `run`, which finish before they return, so a kept statement is never busy.
 */
function preparedOnce(raw: SqliteDatabase.Database): SqliteDialectConfig['database'] {
  const kept = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => raw.close(),
    prepare(sqlText: string) {
      let statement = kept.get(sqlText);
      if (statement) return statement;
      statement = raw.prepare(sqlText);
      if (kept.size >= STATEMENTS_KEPT) kept.delete(kept.keys().next().value as string);
      kept.set(sqlText, statement);
      return statement;
    },
  };
}

/**
 * better-sqlite3 (CommonJS) through `require`, when a SQLite store opens: imported as ES module, Node.js scans
 * its files for exports at every start (about 20 ms of a `patchbay run`), and PostgreSQL never needs it.
 */
function sqliteDatabase(): typeof SqliteDatabase {
  return createRequire(import.meta.url)('better-sqlite3') as typeof SqliteDatabase;
}

export function openSqlite(home: string): OpenedDatabase {
  privateFolder(home);
  const file = join(home, 'patchbay.db');
  const Database = sqliteDatabase();
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  // Readable by the server's OS user alone (runners run as another user); SQLite gives -wal and -shm the same mode.
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
  raw.pragma('foreign_keys = ON');
  raw.pragma('synchronous = NORMAL');
  raw.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  const db = new Kysely<DB>({
    dialect: new SqliteDialect({ database: preparedOnce(raw) }),
    plugins: [new CamelCasePlugin()],
  });
  const dialect: Dialect = {
    name: 'sqlite',
    location: file,
    async transaction(outer, fn) {
      return outer.connection().execute(async (conn) => {
        // The busy handler would block the whole thread while it waits; wait
        // here instead, so another connection in this process can finish.
        await sql`PRAGMA busy_timeout = 0`.execute(conn);
        const deadline = Date.now() + LOCK_WAIT_MS;
        try {
          for (;;) {
            try {
              await sql`BEGIN IMMEDIATE`.execute(conn);
              break;
            } catch (e) {
              if (!errorCode(e)?.startsWith('SQLITE_BUSY')) throw e;
              if (Date.now() > deadline) throw busyError(file);
              await sleep(2 + Math.random() * 10);
            }
          }
        } finally {
          await sql.raw(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`).execute(conn);
        }
        try {
          const result = await fn(conn);
          await sql`COMMIT`.execute(conn);
          return result;
        } catch (e) {
          if (raw.inTransaction) await sql`ROLLBACK`.execute(conn);
          throw e;
        }
      });
    },
    // Single statements need no transaction, and WAL + synchronous=NORMAL does not sync each commit.
    relaxedTransaction: (outer, fn) => fn(outer),
    async lockRow() {
      // BEGIN IMMEDIATE already holds the database's single write lock.
    },
    isUniqueViolation: (e) =>
      errorCode(e) === 'SQLITE_CONSTRAINT_UNIQUE' || errorCode(e) === 'SQLITE_CONSTRAINT_PRIMARYKEY',
    isForeignKeyViolation: (e) => errorCode(e) === 'SQLITE_CONSTRAINT_FOREIGNKEY',
  };
  return { db, dialect };
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//i.test(url);
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

export async function openPostgres(url: string, schema?: string): Promise<OpenedDatabase> {
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new PatchbayError('store.invalid', `"${schema}" is not a usable PostgreSQL schema name.`, {
      hint: 'Use lower-case letters, digits and underscores, starting with a letter.',
    });
  }
  // pg loads only for PostgreSQL, so the embedded SQLite default starts fast.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its server must not crash the process.
  pool.on('error', () => undefined);
  if (schema) {
    try {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } catch (e) {
      await pool.end();
      throw new PatchbayError(
        'store.invalid',
        `Could not reach PostgreSQL at ${redactUrl(url)}: ${(e as Error).message}`,
        { cause: e, hint: 'Check PATCHBAY_DATABASE_URL and that the server is running.' },
      );
    }
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
  const dialect: Dialect = {
    name: 'postgres',
    location: redactUrl(url) + (schema ? ` (schema ${schema})` : ''),
    migrationSchema: schema,
    transaction: (outer, fn) => outer.transaction().execute(fn),
    relaxedTransaction: (outer, fn) =>
      outer.transaction().execute(async (trx) => {
        await sql`SET LOCAL synchronous_commit = off`.execute(trx);
        return fn(trx);
      }),
    async lockRow(trx, table, id) {
      await sql`SELECT id FROM ${sql.table(table)} WHERE id = ${id} FOR UPDATE`.execute(trx);
    },
    isUniqueViolation: (e) => errorCode(e) === '23505',
    isForeignKeyViolation: (e) => errorCode(e) === '23503',
  };
  return { db, dialect };
}
