/**
 * Connection references: named sockets, unique per environment, each bound in
 * its environment to at most one connection of the same connector. The
 * binding is a column of the reference row, so rebinding is one update and
 * every flow naming the reference follows it with no flow edit.
 */
import type { Selectable } from 'kysely';
import {
  type RepoContext,
  atomic,
  checkName,
  checkOptionalText,
  checkText,
  conflict,
  invalid,
  newId,
  notFound,
  now,
  referencing,
  uniquely,
} from '../context.js';
import type { ConnectionReferencesTable } from '../schema.js';

export interface ConnectionReference {
  id: string;
  environment: string;
  logicalName: string;
  displayName: string;
  connectorId: string;
  description: string | null;
  /** The connection bound in this environment, or null. */
  connectionId: string | null;
  boundAt: string | null;
  boundBy: string | null;
  /** Who created it; null for references created before creators were recorded. */
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ReferenceUsage {
  flowId: string;
  flowName: string;
  connectorId: string;
}

export interface NewReference {
  environment: string;
  logicalName: string;
  connectorId: string;
  displayName?: string;
  description?: string;
  /** The user creating it. */
  createdBy?: string;
}

const toReference = (r: Selectable<ConnectionReferencesTable>): ConnectionReference => ({ ...r });

export function referencesRepository(ctx: RepoContext) {
  const { db } = ctx;
  const what = (environment: string, logicalName: string) =>
    `Connection reference "${logicalName}" in environment "${environment}"`;

  async function find(environment: string, logicalName: string): Promise<ConnectionReference | undefined> {
    const r = await db
      .selectFrom('connectionReferences')
      .selectAll()
      .where('environment', '=', environment)
      .where('logicalName', '=', logicalName)
      .executeTakeFirst();
    return r ? toReference(r) : undefined;
  }

  async function get(environment: string, logicalName: string): Promise<ConnectionReference> {
    const r = await find(environment, logicalName);
    if (!r)
      throw notFound(
        what(environment, logicalName),
        `Create it with \`patchbay ref create ${logicalName} --connector ID --env ${environment}\`.`,
      );
    return r;
  }

  async function usage(environment: string, logicalName: string): Promise<ReferenceUsage[]> {
    return db
      .selectFrom('flowReferenceUsage')
      .innerJoin('flows', 'flows.id', 'flowReferenceUsage.flowId')
      .select(['flows.id as flowId', 'flows.name as flowName', 'flowReferenceUsage.connectorId'])
      .where('flowReferenceUsage.environment', '=', environment)
      .where('flowReferenceUsage.logicalName', '=', logicalName)
      .orderBy('flows.name')
      .execute();
  }

  async function create(input: NewReference): Promise<ConnectionReference> {
    const t = now();
    const r: Selectable<ConnectionReferencesTable> = {
      id: newId('ref'),
      environment: input.environment,
      logicalName: checkName('Logical name', input.logicalName),
      displayName: input.displayName ? checkText('A display name', input.displayName) : input.logicalName,
      connectorId: checkName('Connector id', input.connectorId),
      description: checkOptionalText('A description', input.description),
      connectionId: null,
      boundAt: null,
      boundBy: null,
      createdBy: input.createdBy ?? null,
      createdAt: t,
      updatedAt: t,
    };
    await referencing(
      ctx,
      () => notFound(`Environment "${input.environment}"`),
      () =>
        uniquely(
          ctx,
          `${what(input.environment, input.logicalName)} already exists.`,
          'Logical names are unique per environment; pick another or bind the existing one.',
          () => db.insertInto('connectionReferences').values(r).execute(),
        ),
    );
    return toReference(r);
  }

  return {
    create,
    get,
    find,
    usage,

    async list(environment: string, filter: { connectorId?: string } = {}): Promise<ConnectionReference[]> {
      let q = db.selectFrom('connectionReferences').selectAll().where('environment', '=', environment);
      if (filter.connectorId !== undefined) q = q.where('connectorId', '=', filter.connectorId);
      return (await q.orderBy('logicalName').execute()).map(toReference);
    },

    async update(
      environment: string,
      logicalName: string,
      patch: { displayName?: string; description?: string | null },
    ): Promise<ConnectionReference> {
      const set: Partial<Selectable<ConnectionReferencesTable>> = { updatedAt: now() };
      if (patch.displayName !== undefined) set.displayName = checkText('A display name', patch.displayName);
      if (patch.description !== undefined) set.description = checkOptionalText('A description', patch.description);
      const r = await db
        .updateTable('connectionReferences')
        .set(set)
        .where('environment', '=', environment)
        .where('logicalName', '=', logicalName)
        .executeTakeFirst();
      if (r.numUpdatedRows === 0n) throw notFound(what(environment, logicalName));
      return get(environment, logicalName);
    },

    /** Creates the reference, or updates its display name and description; a different connector is a conflict. */
    async upsert(input: NewReference): Promise<{ reference: ConnectionReference; created: boolean }> {
      const existing = await find(input.environment, input.logicalName);
      if (!existing) return { reference: await create(input), created: true };
      if (existing.connectorId !== input.connectorId) {
        throw conflict(
          `${what(input.environment, input.logicalName)} is for connector "${existing.connectorId}", not "${input.connectorId}".`,
          'Use another logical name, or delete the existing reference first.',
        );
      }
      const set = {
        displayName: input.displayName ? checkText('A display name', input.displayName) : existing.displayName,
        description:
          input.description === undefined
            ? existing.description
            : checkOptionalText('A description', input.description),
        updatedAt: now(),
      };
      await db.updateTable('connectionReferences').set(set).where('id', '=', existing.id).execute();
      return { reference: { ...existing, ...set }, created: false };
    },

    /**
     * Binds the reference to a connection of the same connector in the same
     * environment (one update). Whether `boundBy` may use the connection is the
     * caller's check (`connections.canUse`).
     */
    async bind(
      environment: string,
      logicalName: string,
      connectionId: string,
      opts: { boundBy?: string } = {},
    ): Promise<ConnectionReference> {
      return atomic(ctx, async (tx) => {
        const ref = await tx.db
          .selectFrom('connectionReferences')
          .selectAll()
          .where('environment', '=', environment)
          .where('logicalName', '=', logicalName)
          .executeTakeFirst();
        if (!ref) throw notFound(what(environment, logicalName));
        const conn = await tx.db
          .selectFrom('connections')
          .select(['id', 'environment', 'connectorId'])
          .where('id', '=', connectionId)
          .executeTakeFirst();
        if (!conn) throw notFound(`Connection ${connectionId}`, 'List connections with `patchbay connection list`.');
        if (conn.environment !== environment)
          throw invalid(
            `Connection ${connectionId} lives in environment "${conn.environment}", not "${environment}".`,
            `Create a connection in "${environment}" and bind that.`,
          );
        if (conn.connectorId !== ref.connectorId)
          throw invalid(
            `Connection ${connectionId} is for connector "${conn.connectorId}", but reference "${logicalName}" needs "${ref.connectorId}".`,
            `Bind a connection of connector "${ref.connectorId}".`,
          );
        const set = { connectionId, boundAt: now(), boundBy: opts.boundBy ?? null, updatedAt: now() };
        await tx.db.updateTable('connectionReferences').set(set).where('id', '=', ref.id).execute();
        return toReference({ ...ref, ...set });
      });
    },

    async unbind(environment: string, logicalName: string): Promise<ConnectionReference> {
      const set = { connectionId: null, boundAt: null, boundBy: null, updatedAt: now() };
      const r = await db
        .updateTable('connectionReferences')
        .set(set)
        .where('environment', '=', environment)
        .where('logicalName', '=', logicalName)
        .executeTakeFirst();
      if (r.numUpdatedRows === 0n) throw notFound(what(environment, logicalName));
      return get(environment, logicalName);
    },

    /** Deletes a reference no flow uses; in use, it is refused with the list of flows. */
    async delete(environment: string, logicalName: string): Promise<void> {
      await atomic(ctx, async (tx) => {
        const used = await referencesRepository(tx).usage(environment, logicalName);
        if (used.length)
          throw conflict(
            `${what(environment, logicalName)} is used by flow(s) ${used.map((u) => `"${u.flowName}" (${u.flowId})`).join(', ')}.`,
            'Remove it from those flows first.',
          );
        const r = await tx.db
          .deleteFrom('connectionReferences')
          .where('environment', '=', environment)
          .where('logicalName', '=', logicalName)
          .executeTakeFirst();
        if (r.numDeletedRows === 0n) throw notFound(what(environment, logicalName));
      });
    },
  };
}

export type ReferencesRepository = ReturnType<typeof referencesRepository>;
