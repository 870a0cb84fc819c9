/**
 * Connectors stored per environment: imported (custom) connectors and the
 * built-in ones an environment uses. The normalised model is whatever
 * `@patchbay/connectors` produces; the store keeps it as JSON and does not
 * interpret it.
 */
import type { Selectable } from 'kysely';
import { type RepoContext, atomic, checkName, checkText, invalid, notFound, now, referencing } from '../context.js';
import type { ConnectorsTable } from '../schema.js';

export interface StoredConnector<M = unknown> {
  environment: string;
  id: string;
  displayName: string;
  model: M;
  /** Where it came from: a folder or file path, a URL, or `builtin`. */
  source: string;
  custom: boolean;
  createdAt: string;
  updatedAt: string;
}

export type ConnectorOwnerRole = 'owner' | 'co-owner';

/** One owner or co-owner of an imported connector. */
export interface ConnectorOwner {
  userId: string;
  email: string;
  role: ConnectorOwnerRole;
  createdAt: string;
}

/** A flow that uses a connector (through a connection reference). */
export interface ConnectorUsage {
  flowId: string;
  flowName: string;
  logicalName: string;
}

function toConnector<M>(r: Selectable<ConnectorsTable>): StoredConnector<M> {
  return {
    environment: r.environment,
    id: r.id,
    displayName: r.displayName,
    model: JSON.parse(r.model) as M,
    source: r.source,
    custom: r.custom === 1,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export function connectorsRepository(ctx: RepoContext) {
  const { db } = ctx;

  async function get<M = unknown>(environment: string, id: string): Promise<StoredConnector<M>> {
    const r = await db
      .selectFrom('connectors')
      .selectAll()
      .where('environment', '=', environment)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!r)
      throw notFound(
        `Connector "${id}" in environment "${environment}"`,
        'Import it with `patchbay connector import PATH`.',
      );
    return toConnector<M>(r);
  }

  return {
    get,
    async find<M = unknown>(environment: string, id: string): Promise<StoredConnector<M> | undefined> {
      const r = await db
        .selectFrom('connectors')
        .selectAll()
        .where('environment', '=', environment)
        .where('id', '=', id)
        .executeTakeFirst();
      return r ? toConnector<M>(r) : undefined;
    },

    async list<M = unknown>(environment: string): Promise<StoredConnector<M>[]> {
      return (
        await db.selectFrom('connectors').selectAll().where('environment', '=', environment).orderBy('id').execute()
      ).map((r) => toConnector<M>(r));
    },

    /**
     * Creates or replaces a connector (re-importing updates the model and keeps
     * `createdAt`). `ownerId` makes that user its owner when it has none yet
     * (a first import, or a connector from before owners were recorded).
     * Who may replace it is the caller's decision (`owners`).
     */
    async upsert<M>(input: {
      environment: string;
      id: string;
      displayName: string;
      model: M;
      source: string;
      custom: boolean;
      ownerId?: string;
    }): Promise<StoredConnector<M>> {
      checkName('Connector id', input.id);
      if (input.model === undefined) throw invalid(`Connector "${input.id}" has no model.`);
      const t = now();
      const row = {
        environment: input.environment,
        id: input.id,
        displayName: checkText('A display name', input.displayName),
        model: JSON.stringify(input.model),
        source: checkText('A connector source', input.source, 4000),
        custom: input.custom ? 1 : 0,
        createdAt: t,
        updatedAt: t,
      };
      await atomic(ctx, async (tx) => {
        await referencing(
          ctx,
          () => notFound(`Environment "${input.environment}"`),
          () =>
            tx.db
              .insertInto('connectors')
              .values(row)
              .onConflict((oc) =>
                oc.columns(['environment', 'id']).doUpdateSet({
                  displayName: row.displayName,
                  model: row.model,
                  source: row.source,
                  custom: row.custom,
                  updatedAt: t,
                }),
              )
              .execute(),
        );
        if (input.ownerId === undefined) return;
        const owner = await tx.db
          .selectFrom('connectorOwners')
          .select('userId')
          .where('environment', '=', input.environment)
          .where('connectorId', '=', input.id)
          .where('role', '=', 'owner')
          .executeTakeFirst();
        if (owner) return;
        await referencing(
          ctx,
          () => notFound(`User ${input.ownerId}`),
          () =>
            tx.db
              .insertInto('connectorOwners')
              .values({
                environment: input.environment,
                connectorId: input.id,
                userId: input.ownerId as string,
                role: 'owner',
                createdAt: t,
              })
              .onConflict((oc) => oc.columns(['environment', 'connectorId', 'userId']).doUpdateSet({ role: 'owner' }))
              .execute(),
        );
      });
      return get<M>(input.environment, input.id);
    },

    /** The owner and co-owners of an imported connector (owner first); empty for one imported before owners were kept. */
    async owners(environment: string, id: string): Promise<ConnectorOwner[]> {
      const rows = await db
        .selectFrom('connectorOwners')
        .innerJoin('users', 'users.id', 'connectorOwners.userId')
        .select([
          'connectorOwners.userId as userId',
          'users.email as email',
          'connectorOwners.role as role',
          'connectorOwners.createdAt as createdAt',
        ])
        .where('connectorOwners.environment', '=', environment)
        .where('connectorOwners.connectorId', '=', id)
        .execute();
      return rows
        .map((r) => ({ ...r, role: r.role as ConnectorOwnerRole }))
        .sort((a, b) =>
          a.role === b.role
            ? a.createdAt.localeCompare(b.createdAt) || a.email.localeCompare(b.email)
            : a.role === 'owner'
              ? -1
              : 1,
        );
    },

    /** Makes a user a co-owner (a no-op when they already own or co-own it). */
    async addCoOwner(environment: string, id: string, userId: string): Promise<void> {
      await get(environment, id);
      await referencing(
        ctx,
        () => notFound(`User ${userId}`),
        () =>
          db
            .insertInto('connectorOwners')
            .values({ environment, connectorId: id, userId, role: 'co-owner', createdAt: now() })
            .onConflict((oc) => oc.columns(['environment', 'connectorId', 'userId']).doNothing())
            .execute(),
      );
    },

    /** Removes a co-owner (never the owner). */
    async removeCoOwner(environment: string, id: string, userId: string): Promise<void> {
      await db
        .deleteFrom('connectorOwners')
        .where('environment', '=', environment)
        .where('connectorId', '=', id)
        .where('userId', '=', userId)
        .where('role', '=', 'co-owner')
        .execute();
    },

    /** Flows of the environment that use the connector through a connection reference. */
    async usage(environment: string, id: string): Promise<ConnectorUsage[]> {
      const rows = await db
        .selectFrom('flowReferenceUsage')
        .innerJoin('flows', 'flows.id', 'flowReferenceUsage.flowId')
        .select(['flows.id as flowId', 'flows.name as flowName', 'flowReferenceUsage.logicalName as logicalName'])
        .where('flowReferenceUsage.environment', '=', environment)
        .where((eb) => eb(eb.fn('lower', ['flowReferenceUsage.connectorId']), '=', id.toLowerCase()))
        .orderBy('flows.name')
        .orderBy('flowReferenceUsage.logicalName')
        .execute();
      return rows;
    },

    async delete(environment: string, id: string): Promise<void> {
      const r = await db
        .deleteFrom('connectors')
        .where('environment', '=', environment)
        .where('id', '=', id)
        .executeTakeFirst();
      if (r.numDeletedRows === 0n) throw notFound(`Connector "${id}" in environment "${environment}"`);
    },
  };
}

export type ConnectorsRepository = ReturnType<typeof connectorsRepository>;
