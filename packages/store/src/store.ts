/**
 * Opening the store: pick the database (SQLite in PATCHBAY_HOME, or
 * PostgreSQL), migrate it, find the master keys without ever replacing ones
 * the data needs, and hand out the repositories.
 */
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { PatchbayError } from '@patchbay/core';
import { type RepoContext, atomic } from './context.js';
import {
  type DialectName,
  type OpenedDatabase,
  isPostgresUrl,
  openPostgres,
  openSqlite,
  privateFolder,
} from './dialect.js';
import { migrateToLatest } from './migrations.js';
import { type Repositories, makeRepositories } from './repositories.js';
import { sealContext as runSealContext } from './repos/runs.js';
import type { DB } from './schema.js';
import {
  KeyRing,
  type KeySource,
  SEALED_KEY_ID_LENGTH,
  SEALED_KEY_ID_START,
  Sealer,
  createKeyFile,
  findKeySource,
  keyIdOf,
  parseMasterKey,
  readKeyFile,
  writeKeyFile,
} from './secrets.js';

export interface StoreOptions {
  /** Data folder; default PATCHBAY_HOME, else `~/.patchbay`. Created with mode 0700. */
  home?: string;
  /** `postgres://…` or `postgresql://…` switches to PostgreSQL; default PATCHBAY_DATABASE_URL; unset means SQLite at `<home>/patchbay.db`. */
  databaseUrl?: string;
  /** PostgreSQL schema to keep every table in (created if missing); default: the server's search_path. */
  schema?: string;
  /** Master key(s), 64 hex digits or base64 of 32 bytes, comma-separated oldest first; default PATCHBAY_MASTER_KEY, else `<home>/master.key` (generated on first start). */
  masterKey?: string;
}

export interface RotationResult {
  /** Id of the new sealing key. */
  keyId: string;
  previousKeyIds: string[];
  /** Sealed values whose data keys were re-wrapped. */
  resealed: number;
  /** The key file the new key was written to, when keys come from one. */
  keyFile?: string;
  /**
   * The new key (base64), only when Patchbay generated it and keys come from
   * PATCHBAY_MASTER_KEY: the caller must show it once so it can be stored.
   */
  generatedKey?: string;
  /** True when the old keys were removed from the ring. */
  droppedOldKeys: boolean;
}

export interface Store extends Repositories {
  readonly dialect: DialectName;
  /** Where the data lives (file path or redacted URL), for messages. */
  readonly location: string;
  readonly home: string;
  /** Id of the master key that seals new secrets. */
  readonly masterKeyId: string;
  /** Runs `fn` in one transaction with repositories bound to it; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  /**
   * Adds a new master key (given, or generated) as the sealing key and
   * re-wraps every data key under it in one transaction. The old keys stay in
   * the ring until the commit (and after, unless `dropOldKeys`), so stored data
   * is readable at every moment, even if the process dies half-way.
   */
  rotateMasterKey(newKey?: string | Uint8Array, opts?: { dropOldKeys?: boolean }): Promise<RotationResult>;
  close(): Promise<void>;
}

export function defaultHome(): string {
  return process.env.PATCHBAY_HOME || join(homedir(), '.patchbay');
}

/** Distinct master key ids that sealed values in the database use. */
async function sealedKeyIds(db: Kysely<DB>): Promise<string[]> {
  const id = (col: string) => sql<string>`substr(${sql.ref(col)}, ${SEALED_KEY_ID_START}, ${SEALED_KEY_ID_LENGTH})`;
  const a = await db
    .selectFrom('connections')
    .select(id('sealed_secrets').as('k'))
    .where('sealedSecrets', 'is not', null)
    .distinct()
    .execute();
  const b = await db
    .selectFrom('envVarValues')
    .select(id('sealed_value').as('k'))
    .where('sealedValue', 'is not', null)
    .distinct()
    .execute();
  const c = await db
    .selectFrom('runs')
    .select(id('sealed_inputs').as('k'))
    .where('sealedInputs', 'is not', null)
    .distinct()
    .execute();
  return [...new Set([...a, ...b, ...c].map((r) => r.k))].sort();
}

function describeSource(s: KeySource): string {
  return s.kind === 'given' ? 'PATCHBAY_MASTER_KEY' : s.path;
}

async function loadKeys(
  db: Kysely<DB>,
  location: string,
  home: string,
  masterKey: string | undefined,
): Promise<{ ring: KeyRing; source: Exclude<KeySource, { kind: 'none' }> }> {
  const inUse = await sealedKeyIds(db);
  let source = findKeySource(home, masterKey);
  if (source.kind === 'none') {
    if (inUse.length) {
      throw new PatchbayError(
        'secrets.key',
        `The secrets in ${location} are sealed with master key ${inUse.join(', ')}, but PATCHBAY_MASTER_KEY is not set and ${source.path} does not exist.`,
        {
          hint: `Restore ${source.path} from a backup or set PATCHBAY_MASTER_KEY to the key with id ${inUse.join(', ')}. Patchbay will not create a new key over sealed data.`,
        },
      );
    }
    source = { kind: 'file', path: source.path, keys: createKeyFile(source.path) };
  }
  const path = source.kind === 'file' ? source.path : undefined;
  const reload = path
    ? () => {
        try {
          return readKeyFile(path);
        } catch {
          return null;
        }
      }
    : undefined;
  const ring = new KeyRing(source.keys, reload);
  const missing = inUse.filter((id) => !ring.ids().includes(id));
  if (missing.length) {
    throw new PatchbayError(
      'secrets.key',
      `The secrets in ${location} are sealed with master key ${missing.join(', ')}, but ${describeSource(source)} holds ${ring.ids().join(', ')}.`,
      {
        hint: `Use the key with id ${missing.join(', ')} (set PATCHBAY_MASTER_KEY, or restore the master.key file that holds it). Nothing was changed.`,
      },
    );
  }
  return { ring, source };
}

function toKey(k: string | Uint8Array): Buffer {
  if (typeof k === 'string') return parseMasterKey(k, 'the new master key');
  if (k.length !== 32) throw new PatchbayError('secrets.key', 'The new master key must be 32 bytes.');
  return Buffer.from(k);
}

export async function openStore(opts: StoreOptions = {}): Promise<Store> {
  const home = resolve(opts.home ?? defaultHome());
  privateFolder(home);
  const url = opts.databaseUrl ?? (process.env.PATCHBAY_DATABASE_URL || undefined);
  if (url !== undefined && !isPostgresUrl(url)) {
    throw new PatchbayError('store.invalid', 'PATCHBAY_DATABASE_URL must start with postgres:// or postgresql://.', {
      hint: 'Leave it unset to use SQLite in PATCHBAY_HOME.',
    });
  }
  const opened: OpenedDatabase = url ? await openPostgres(url, opts.schema) : openSqlite(home);
  const { db, dialect } = opened;
  let keys: Awaited<ReturnType<typeof loadKeys>>;
  try {
    await migrateToLatest(db, dialect);
    keys = await loadKeys(db, dialect.location, home, opts.masterKey ?? (process.env.PATCHBAY_MASTER_KEY || undefined));
  } catch (e) {
    await db.destroy();
    throw e;
  }
  const { ring, source } = keys;
  const ctx: RepoContext = { db, dialect, sealer: new Sealer(ring), inTransaction: false };
  const repos = makeRepositories(ctx);

  async function rotateMasterKey(
    newKey?: string | Uint8Array,
    o: { dropOldKeys?: boolean } = {},
  ): Promise<RotationResult> {
    const key = newKey === undefined ? randomBytes(32) : toKey(newKey);
    const keyId = keyIdOf(key);
    const previousKeyIds = ring.ids().filter((id) => id !== keyId);
    if (ring.currentId === keyId)
      throw new PatchbayError('store.invalid', `Master key ${keyId} already seals new secrets.`, {
        hint: 'Give a different key, or none to generate one.',
      });
    const ringKeys = [...ring.all().filter((k) => keyIdOf(k) !== keyId), key];
    // 1. The ring (and key file) gain the new key before any data uses it.
    if (source.kind === 'file') writeKeyFile(source.path, ringKeys);
    ring.replace(ringKeys);
    // 2. Every data key is re-wrapped in one transaction.
    const resealed = await atomic(ctx, async (tx) => {
      let n = 0;
      for (const r of await tx.db
        .selectFrom('connections')
        .select(['id', 'sealedSecrets'])
        .where('sealedSecrets', 'is not', null)
        .execute()) {
        await tx.db
          .updateTable('connections')
          .set({ sealedSecrets: tx.sealer.rewrap(r.sealedSecrets as string, `connection:${r.id}`) })
          .where('id', '=', r.id)
          .execute();
        n++;
      }
      for (const r of await tx.db
        .selectFrom('envVarValues')
        .select(['environment', 'schemaName', 'sealedValue'])
        .where('sealedValue', 'is not', null)
        .execute()) {
        await tx.db
          .updateTable('envVarValues')
          .set({ sealedValue: tx.sealer.rewrap(r.sealedValue as string, `envvar:${r.environment}:${r.schemaName}`) })
          .where('environment', '=', r.environment)
          .where('schemaName', '=', r.schemaName)
          .execute();
        n++;
      }
      for (const r of await tx.db
        .selectFrom('runs')
        .select(['id', 'sealedInputs'])
        .where('sealedInputs', 'is not', null)
        .execute()) {
        await tx.db
          .updateTable('runs')
          .set({ sealedInputs: tx.sealer.rewrap(r.sealedInputs as string, runSealContext(r.id)) })
          .where('id', '=', r.id)
          .execute();
        n++;
      }
      return n;
    });
    // 3. Old keys leave the ring only when asked and when nothing uses them any more.
    let droppedOldKeys = false;
    if (o.dropOldKeys && (await sealedKeyIds(db)).every((id) => id === keyId)) {
      if (source.kind === 'file') writeKeyFile(source.path, [key]);
      ring.replace([key]);
      droppedOldKeys = true;
    }
    const result: RotationResult = { keyId, previousKeyIds, resealed, droppedOldKeys };
    if (source.kind === 'file') result.keyFile = source.path;
    else if (newKey === undefined) result.generatedKey = key.toString('base64');
    return result;
  }

  return {
    ...repos,
    dialect: dialect.name,
    location: dialect.location,
    home,
    get masterKeyId() {
      return ring.currentId;
    },
    transaction: (fn) => atomic(ctx, (tx) => fn(makeRepositories(tx))),
    rotateMasterKey,
    close: () => db.destroy(),
  };
}
