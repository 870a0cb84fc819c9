/**
 * Connections: one user's authenticated link to one connector in one
 * environment. Secret parameters are sealed here, inside the repository, so
 * plaintext never reaches the database; `getSecrets` opens them for the
 * invoker only. Sharing is for use only — nothing here hands secrets to a
 * user, that decision belongs to the caller (the platform's permission check).
 */
import type { Selectable } from 'kysely';
import {
  type RepoContext,
  atomic,
  checkName,
  checkText,
  conflict,
  invalid,
  newId,
  notFound,
  now,
  referencing,
} from '../context.js';
import type { ConnectionsTable } from '../schema.js';

export type ConnectionStatus = 'connected' | 'error' | 'needs-reauth';
export const CONNECTION_STATUSES: readonly ConnectionStatus[] = ['connected', 'error', 'needs-reauth'];

export interface Connection {
  id: string;
  environment: string;
  connectorId: string;
  displayName: string;
  ownerId: string;
  /** The connector's auth scheme (parameter set) this connection uses. */
  scheme: string | null;
  /** Non-secret parameters. */
  params: Record<string, unknown>;
  hasSecrets: boolean;
  baseUrl: string | null;
  status: ConnectionStatus;
  statusReason: string | null;
  statusAt: string;
  /** OAuth2: when the access token expires (ISO time). */
  tokenExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type Secrets = Record<string, string>;

/** What decides whether a run may still use a connection it planned (`connections.usability`). */
export interface ConnectionUsability {
  status: ConnectionStatus;
  ownerId: string;
  /** Whether the connection is shared with the user asked about. */
  shared: boolean;
  /** The reference asked about: whether it still exists, and the connection it is bound to now. */
  reference?: { found: boolean; connectionId: string | null };
}

export interface NewConnection {
  environment: string;
  connectorId: string;
  displayName: string;
  ownerId: string;
  scheme?: string;
  params?: Record<string, unknown>;
  secrets?: Secrets;
  baseUrl?: string;
  status?: ConnectionStatus;
  statusReason?: string;
  tokenExpiresAt?: string;
}

export interface ReferenceBinding {
  environment: string;
  logicalName: string;
}

/** What `lockForRefresh` hands its callback: the row as it is now, its secrets, and the repositories bound to the lock's transaction. */
export interface LockedConnection<R> {
  connection: Connection;
  secrets: Secrets;
  tx: R;
}

function toConnection(r: Selectable<ConnectionsTable>): Connection {
  return {
    id: r.id,
    environment: r.environment,
    connectorId: r.connectorId,
    displayName: r.displayName,
    ownerId: r.ownerId,
    scheme: r.scheme,
    params: JSON.parse(r.params) as Record<string, unknown>,
    hasSecrets: r.sealedSecrets !== null,
    baseUrl: r.baseUrl,
    status: r.status as ConnectionStatus,
    statusReason: r.statusReason,
    statusAt: r.statusAt,
    tokenExpiresAt: r.tokenExpiresAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function checkSecrets(secrets: unknown): Secrets {
  if (typeof secrets !== 'object' || secrets === null || Array.isArray(secrets))
    throw invalid('Connection secrets must be an object of names to text values.');
  for (const [k, v] of Object.entries(secrets)) {
    if (typeof v !== 'string') throw invalid(`Secret parameter "${k}" must be text.`);
  }
  return secrets as Secrets;
}

function checkParams(params: unknown): Record<string, unknown> {
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    throw invalid('Connection parameters must be an object of names to values.');
  return params as Record<string, unknown>;
}

function checkUrl(url: string | null | undefined): string | null {
  if (url === undefined || url === null || url === '') return null;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw invalid(`Base URL "${url}" is not an http(s) URL.`, 'Give a full URL such as https://api.example.com/v2.');
  }
  return url;
}

function checkStatus(status: string): ConnectionStatus {
  if (!CONNECTION_STATUSES.includes(status as ConnectionStatus))
    throw invalid(`Status "${status}" is not one of ${CONNECTION_STATUSES.join(', ')}.`);
  return status as ConnectionStatus;
}

/** A status reason comes from a provider's error: kept short and storable rather than refused, so recording a failure never fails. */
function reasonText(reason: string | null | undefined): string | null {
  if (reason === undefined || reason === null) return null;
  const t = String(reason).replace(/\u0000/g, '');
  return t.length > 1000 ? `${t.slice(0, 999)}…` : t;
}

/** Token expiry as ISO UTC text (so it compares as text on both databases). */
function expiryText(at: string | null | undefined): string | null {
  if (at === undefined || at === null) return null;
  const d = new Date(at);
  if (typeof at !== 'string' || Number.isNaN(d.getTime()))
    throw invalid(
      `Token expiry "${String(at)}" is not a date and time.`,
      'Give an ISO 8601 time such as 2030-01-01T00:00:00Z.',
    );
  return d.toISOString();
}

const context = (id: string) => `connection:${id}`;

export function connectionsRepository<R>(ctx: RepoContext, bind: (tx: RepoContext) => R) {
  const { db, sealer } = ctx;

  async function row(id: string): Promise<Selectable<ConnectionsTable>> {
    const r = await db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound(`Connection ${id}`, 'List connections with `patchbay connection list`.');
    return r;
  }

  const openSecrets = (r: Selectable<ConnectionsTable>): Secrets =>
    r.sealedSecrets === null ? {} : (JSON.parse(sealer.open(r.sealedSecrets, context(r.id))) as Secrets);
  const seal = (id: string, secrets: Secrets): string | null =>
    Object.keys(secrets).length ? sealer.seal(JSON.stringify(secrets), context(id)) : null;

  async function bindings(id: string): Promise<ReferenceBinding[]> {
    return db
      .selectFrom('connectionReferences')
      .select(['environment', 'logicalName'])
      .where('connectionId', '=', id)
      .orderBy('environment')
      .orderBy('logicalName')
      .execute();
  }

  return {
    async create(input: NewConnection): Promise<Connection> {
      const id = newId('conn');
      const t = now();
      const secrets = checkSecrets(input.secrets ?? {});
      const r: Selectable<ConnectionsTable> = {
        id,
        environment: input.environment,
        connectorId: checkName('Connector id', input.connectorId),
        displayName: checkText('A display name', input.displayName),
        ownerId: input.ownerId,
        scheme: input.scheme === undefined ? null : checkName('Auth scheme', input.scheme),
        params: JSON.stringify(checkParams(input.params ?? {})),
        sealedSecrets: seal(id, secrets),
        baseUrl: checkUrl(input.baseUrl),
        status: checkStatus(input.status ?? 'connected'),
        statusReason: reasonText(input.statusReason),
        statusAt: t,
        tokenExpiresAt: expiryText(input.tokenExpiresAt),
        createdAt: t,
        updatedAt: t,
      };
      await referencing(
        ctx,
        () => notFound(`Environment "${input.environment}" or user ${input.ownerId}`),
        () => db.insertInto('connections').values(r).execute(),
      );
      return toConnection(r);
    },

    async get(id: string): Promise<Connection> {
      return toConnection(await row(id));
    },

    async find(id: string): Promise<Connection | undefined> {
      const r = await db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toConnection(r) : undefined;
    },

    /** Connections, filtered. `usableBy` keeps those the user owns or that are shared with them. */
    async list(
      filter: { environment?: string; connectorId?: string; ownerId?: string; usableBy?: string } = {},
    ): Promise<Connection[]> {
      let q = db.selectFrom('connections').selectAll();
      if (filter.environment !== undefined) q = q.where('environment', '=', filter.environment);
      if (filter.connectorId !== undefined) q = q.where('connectorId', '=', filter.connectorId);
      if (filter.ownerId !== undefined) q = q.where('ownerId', '=', filter.ownerId);
      const user = filter.usableBy;
      if (user !== undefined) {
        q = q.where((eb) =>
          eb.or([
            eb('ownerId', '=', user),
            eb('id', 'in', eb.selectFrom('connectionShares').select('connectionId').where('userId', '=', user)),
          ]),
        );
      }
      return (await q.orderBy('createdAt').orderBy('id').execute()).map(toConnection);
    },

    async update(
      id: string,
      patch: {
        displayName?: string;
        scheme?: string | null;
        params?: Record<string, unknown>;
        baseUrl?: string | null;
      },
    ): Promise<Connection> {
      const set: Partial<Selectable<ConnectionsTable>> = { updatedAt: now() };
      if (patch.displayName !== undefined) set.displayName = checkText('A display name', patch.displayName);
      if (patch.scheme !== undefined)
        set.scheme = patch.scheme === null ? null : checkName('Auth scheme', patch.scheme);
      if (patch.params !== undefined) set.params = JSON.stringify(checkParams(patch.params));
      if (patch.baseUrl !== undefined) set.baseUrl = checkUrl(patch.baseUrl);
      const r = await db.updateTable('connections').set(set).where('id', '=', id).executeTakeFirst();
      if (r.numUpdatedRows === 0n) throw notFound(`Connection ${id}`);
      return toConnection(await row(id));
    },

    /** The decrypted secret parameters. For the invoker and refresh only: never put them in a response. */
    async getSecrets(id: string): Promise<Secrets> {
      return openSecrets(await row(id));
    },

    /** The connection and its decrypted secrets in one read (what resolving a reference needs). */
    async getWithSecrets(id: string): Promise<{ connection: Connection; secrets: Secrets }> {
      const r = await row(id);
      return { connection: toConnection(r), secrets: openSecrets(r) };
    },

    /**
     * Replaces the secrets (`merge: true` keeps the ones not named; a value of
     * `''` with merge removes one). `tokenExpiresAt` records an OAuth token's expiry.
     */
    async setSecrets(
      id: string,
      secrets: Secrets,
      opts: { merge?: boolean; tokenExpiresAt?: string | null } = {},
    ): Promise<Connection> {
      checkSecrets(secrets);
      return atomic(ctx, async (tx) => {
        const r = await tx.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
        if (!r) throw notFound(`Connection ${id}`);
        let next: Secrets = secrets;
        if (opts.merge) {
          next = { ...openSecrets(r), ...secrets };
          for (const [k, v] of Object.entries(secrets)) if (v === '') delete next[k];
        }
        const set: Partial<Selectable<ConnectionsTable>> = { sealedSecrets: seal(id, next), updatedAt: now() };
        if (opts.tokenExpiresAt !== undefined) set.tokenExpiresAt = expiryText(opts.tokenExpiresAt);
        await tx.db.updateTable('connections').set(set).where('id', '=', id).execute();
        return toConnection({ ...r, ...set });
      });
    },

    async setStatus(id: string, status: ConnectionStatus, reason?: string | null): Promise<Connection> {
      const t = now();
      const r = await db
        .updateTable('connections')
        .set({ status: checkStatus(status), statusReason: reasonText(reason), statusAt: t, updatedAt: t })
        .where('id', '=', id)
        .executeTakeFirst();
      if (r.numUpdatedRows === 0n) throw notFound(`Connection ${id}`);
      return toConnection(await row(id));
    },

    /**
     * Moves every connection of a connector in an environment, except those
     * owned by `exceptOwnerId`, to `needs-reauth` with `reason`; returns the
     * ids it moved. Used when the connector now sends credentials elsewhere.
     */
    async requireReauth(input: {
      environment: string;
      connectorId: string;
      exceptOwnerId?: string;
      reason: string;
    }): Promise<string[]> {
      let q = db
        .selectFrom('connections')
        .select('id')
        .where('environment', '=', input.environment)
        .where((eb) => eb(eb.fn('lower', ['connectorId']), '=', input.connectorId.toLowerCase()));
      if (input.exceptOwnerId !== undefined) q = q.where('ownerId', '<>', input.exceptOwnerId);
      const ids = (await q.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      const t = now();
      await db
        .updateTable('connections')
        .set({ status: 'needs-reauth', statusReason: reasonText(input.reason), statusAt: t, updatedAt: t })
        .where('id', 'in', ids)
        .execute();
      return ids;
    },

    /** Shares for use (never for reading secrets). Sharing again is a no-op. */
    async share(id: string, userId: string): Promise<void> {
      const c = await row(id);
      if (c.ownerId === userId) return;
      await referencing(
        ctx,
        () => notFound(`User ${userId}`),
        () =>
          db
            .insertInto('connectionShares')
            .values({ connectionId: id, userId, permission: 'use', createdAt: now() })
            .onConflict((oc) => oc.columns(['connectionId', 'userId']).doNothing())
            .execute(),
      );
    },

    async unshare(id: string, userId: string): Promise<void> {
      await row(id);
      await db.deleteFrom('connectionShares').where('connectionId', '=', id).where('userId', '=', userId).execute();
    },

    async shares(id: string): Promise<{ userId: string; permission: 'use'; createdAt: string }[]> {
      await row(id);
      const rows = await db
        .selectFrom('connectionShares')
        .select(['userId', 'createdAt'])
        .where('connectionId', '=', id)
        .orderBy('createdAt')
        .execute();
      return rows.map((r) => ({ ...r, permission: 'use' as const }));
    },

    /** True when `userId` owns the connection or it is shared with them. */
    async canUse(id: string, userId: string): Promise<boolean> {
      const c = await row(id);
      if (c.ownerId === userId) return true;
      return !!(await db
        .selectFrom('connectionShares')
        .select('userId')
        .where('connectionId', '=', id)
        .where('userId', '=', userId)
        .executeTakeFirst());
    },

    /**
     * Whether a run may still use a connection it planned, read in one statement: the connection's status and
     * owner, whether it is shared with `usableBy`, and (with `reference`) which connection that reference is
     * bound to now. Undefined when the connection no longer exists.
     */
    async usability(
      id: string,
      usableBy: string,
      reference?: { environment: string; logicalName: string },
    ): Promise<ConnectionUsability | undefined> {
      const r = await db
        .selectFrom('connections as c')
        // (environment, logical name) is unique: at most one reference joins, none when none was asked about.
        .leftJoin('connectionReferences as r', (join) =>
          join
            .on('r.environment', '=', reference?.environment ?? '')
            .on('r.logicalName', '=', reference?.logicalName ?? ''),
        )
        .select((eb) => [
          'c.status',
          'c.ownerId',
          eb
            .exists(
              eb
                .selectFrom('connectionShares as s')
                .select('s.userId')
                .whereRef('s.connectionId', '=', 'c.id')
                .where('s.userId', '=', usableBy),
            )
            .as('shared'),
          'r.id as referenceId',
          'r.connectionId as boundTo',
        ])
        .where('c.id', '=', id)
        .executeTakeFirst();
      if (!r) return undefined;
      return {
        status: r.status as ConnectionStatus,
        ownerId: r.ownerId,
        // SQLite answers EXISTS with 0 or 1, PostgreSQL with a boolean.
        shared: Boolean(r.shared),
        ...(reference ? { reference: { found: r.referenceId != null, connectionId: r.boundTo ?? null } } : {}),
      };
    },

    /** The references bound to this connection. */
    bindings,

    /**
     * Deletes a connection. Refused (`store.conflict`, listing them) while
     * references are bound to it, unless `force`, which unbinds them and
     * returns what it unbound. Flows that embed it lose the embedding.
     */
    async delete(id: string, opts: { force?: boolean } = {}): Promise<{ unbound: ReferenceBinding[] }> {
      return atomic(ctx, async (tx) => {
        await tx.db
          .selectFrom('connections')
          .select('id')
          .where('id', '=', id)
          .executeTakeFirst()
          .then((r) => {
            if (!r) throw notFound(`Connection ${id}`);
          });
        const bound = await tx.db
          .selectFrom('connectionReferences')
          .select(['environment', 'logicalName'])
          .where('connectionId', '=', id)
          .orderBy('environment')
          .orderBy('logicalName')
          .execute();
        if (bound.length && !opts.force) {
          throw conflict(
            `Connection ${id} is bound to ${bound.map((b) => `${b.logicalName} (${b.environment})`).join(', ')}.`,
            'Bind those references to another connection first, or delete with --force to unbind them.',
          );
        }
        await tx.db
          .updateTable('connectionReferences')
          .set({ connectionId: null, boundAt: null, boundBy: null, updatedAt: now() })
          .where('connectionId', '=', id)
          .execute();
        await tx.db.deleteFrom('connections').where('id', '=', id).execute();
        return { unbound: bound };
      });
    },

    /**
     * Runs `fn` holding a lock on the connection that other processes respect
     * (`SELECT … FOR UPDATE` on PostgreSQL, `BEGIN IMMEDIATE` on SQLite), with
     * the row and secrets read inside the lock. Use it for OAuth refresh:
     * re-check the expiry inside, refresh only if still needed, and write the
     * new tokens through `tx` (the repositories bound to the lock's
     * transaction — on SQLite the plain store would wait for this very lock).
     * Keep `fn` short: on SQLite it holds the database's write lock.
     */
    async lockForRefresh<T>(id: string, fn: (locked: LockedConnection<R>) => Promise<T>): Promise<T> {
      return atomic(ctx, async (tx) => {
        await tx.dialect.lockRow(tx.db, 'connections', id);
        const r = await tx.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
        if (!r) throw notFound(`Connection ${id}`);
        return fn({ connection: toConnection(r), secrets: openSecrets(r), tx: bind(tx) });
      });
    },
  };
}

export type ConnectionsRepository<R = unknown> = ReturnType<typeof connectionsRepository<R>>;
