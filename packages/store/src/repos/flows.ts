/**
 * Flows in the store: a row per flow (environment, name, owner, enabled,
 * current version) and an immutable row per saved version. Every save also
 * rewrites the flow's reference usage in the same transaction. Sharing:
 * co-owners edit, run-only users run; a co-owner may embed a connection for a
 * reference so others run with it.
 */
import type { Selectable } from 'kysely';
import {
  type RepoContext,
  atomic,
  checkName,
  checkText,
  invalid,
  newId,
  notFound,
  now,
  referencing,
  uniquely,
} from '../context.js';
import type { FlowsTable } from '../schema.js';
import { type UsedReference, referencesOf } from './flowReferences.js';

export type FlowRole = 'owner' | 'co-owner' | 'run-only';
export type FlowShareRole = Exclude<FlowRole, 'owner'>;

export interface Flow {
  id: string;
  environment: string;
  name: string;
  ownerId: string;
  enabled: boolean;
  currentVersion: number;
  createdAt: string;
  updatedAt: string;
  /** Why a data-loss-prevention policy keeps the flow from running; null when it may run. */
  suspendedReason: string | null;
  /** The machine group its runs go to; null for this server's own runners. */
  machineGroup: string | null;
}

export interface FlowVersion<D = unknown> {
  flowId: string;
  version: number;
  definition: D;
  authorId: string | null;
  createdAt: string;
}

export interface EmbeddedReference {
  flowId: string;
  logicalName: string;
  connectionId: string;
  embeddedBy: string;
  createdAt: string;
}

function toFlow(r: Selectable<FlowsTable>): Flow {
  return {
    id: r.id,
    environment: r.environment,
    name: r.name,
    ownerId: r.ownerId,
    enabled: r.enabled === 1,
    currentVersion: r.currentVersion,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    suspendedReason: r.suspendedReason ?? null,
    machineGroup: r.machineGroup ?? null,
  };
}

function checkDefinition(definition: unknown): string {
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition))
    throw invalid('A flow definition must be a JSON object.');
  return JSON.stringify(definition);
}

export function flowsRepository(ctx: RepoContext) {
  const { db } = ctx;

  async function row(id: string): Promise<Selectable<FlowsTable>> {
    const r = await db.selectFrom('flows').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound(`Flow ${id}`, 'List flows with `patchbay flow list`.');
    return r;
  }

  async function writeUsage(
    tx: RepoContext,
    flowId: string,
    environment: string,
    used: UsedReference[],
  ): Promise<void> {
    await tx.db.deleteFrom('flowReferenceUsage').where('flowId', '=', flowId).execute();
    if (used.length)
      await tx.db
        .insertInto('flowReferenceUsage')
        .values(used.map((u) => ({ flowId, environment, logicalName: u.logicalName, connectorId: u.connectorId })))
        .execute();
  }

  return {
    /** Creates a flow with version 1 of `definition`. Names are unique per environment. */
    async create<D>(input: {
      environment: string;
      name: string;
      ownerId: string;
      definition: D;
      enabled?: boolean;
      suspendedReason?: string | null;
    }): Promise<Flow> {
      const text = checkDefinition(input.definition);
      const used = referencesOf(input.definition);
      const t = now();
      const r: Selectable<FlowsTable> = {
        id: newId('flow'),
        environment: input.environment,
        name: checkText('A flow name', input.name),
        ownerId: input.ownerId,
        enabled: input.enabled === false ? 0 : 1,
        currentVersion: 1,
        createdAt: t,
        updatedAt: t,
        suspendedReason: input.suspendedReason ?? null,
        machineGroup: null,
      };
      return atomic(ctx, async (tx) => {
        await referencing(
          ctx,
          () => notFound(`Environment "${input.environment}" or user ${input.ownerId}`),
          () =>
            uniquely(
              ctx,
              `A flow named "${r.name}" already exists in environment "${input.environment}".`,
              'Save a new version of it, or pick another name.',
              () => tx.db.insertInto('flows').values(r).execute(),
            ),
        );
        await tx.db
          .insertInto('flowVersions')
          .values({ flowId: r.id, version: 1, definition: text, authorId: input.ownerId, createdAt: t })
          .execute();
        await writeUsage(tx, r.id, r.environment, used);
        return toFlow(r);
      });
    },

    async get(id: string): Promise<Flow> {
      return toFlow(await row(id));
    },

    async findByName(environment: string, name: string): Promise<Flow | undefined> {
      const r = await db
        .selectFrom('flows')
        .selectAll()
        .where('environment', '=', environment)
        .where('name', '=', name)
        .executeTakeFirst();
      return r ? toFlow(r) : undefined;
    },

    /** Flows, filtered; `visibleTo` keeps those the user owns or that are shared with them. */
    async list(filter: { environment?: string; visibleTo?: string } = {}): Promise<Flow[]> {
      let q = db.selectFrom('flows').selectAll();
      if (filter.environment !== undefined) q = q.where('environment', '=', filter.environment);
      const user = filter.visibleTo;
      if (user !== undefined)
        q = q.where((eb) =>
          eb.or([
            eb('ownerId', '=', user),
            eb('id', 'in', eb.selectFrom('flowShares').select('flowId').where('userId', '=', user)),
          ]),
        );
      return (await q.orderBy('name').orderBy('id').execute()).map(toFlow);
    },

    /** Saves a new version and makes it current; the reference usage follows in the same transaction. */
    async saveVersion<D>(id: string, input: { definition: D; authorId: string }): Promise<Flow> {
      const text = checkDefinition(input.definition);
      const used = referencesOf(input.definition);
      return atomic(ctx, async (tx) => {
        const r = await tx.db.selectFrom('flows').selectAll().where('id', '=', id).executeTakeFirst();
        if (!r) throw notFound(`Flow ${id}`);
        const version = r.currentVersion + 1;
        const t = now();
        await tx.db
          .insertInto('flowVersions')
          .values({ flowId: id, version, definition: text, authorId: input.authorId, createdAt: t })
          .execute();
        await tx.db.updateTable('flows').set({ currentVersion: version, updatedAt: t }).where('id', '=', id).execute();
        await writeUsage(tx, id, r.environment, used);
        return toFlow({ ...r, currentVersion: version, updatedAt: t });
      });
    },

    /** A version's definition (the current one when `version` is left out). */
    async getVersion<D = unknown>(id: string, version?: number): Promise<FlowVersion<D>> {
      const v = version ?? (await row(id)).currentVersion;
      const r = await db
        .selectFrom('flowVersions')
        .selectAll()
        .where('flowId', '=', id)
        .where('version', '=', v)
        .executeTakeFirst();
      if (!r) throw notFound(`Version ${v} of flow ${id}`);
      return {
        flowId: r.flowId,
        version: r.version,
        definition: JSON.parse(r.definition) as D,
        authorId: r.authorId,
        createdAt: r.createdAt,
      };
    },

    async listVersions(id: string): Promise<Omit<FlowVersion, 'definition'>[]> {
      await row(id);
      return db
        .selectFrom('flowVersions')
        .select(['flowId', 'version', 'authorId', 'createdAt'])
        .where('flowId', '=', id)
        .orderBy('version', 'desc')
        .execute();
    },

    async rename(id: string, name: string): Promise<Flow> {
      const r = await row(id);
      const set = { name: checkText('A flow name', name), updatedAt: now() };
      await uniquely(
        ctx,
        `A flow named "${set.name}" already exists in environment "${r.environment}".`,
        undefined,
        () => db.updateTable('flows').set(set).where('id', '=', id).execute(),
      );
      return toFlow({ ...r, ...set });
    },

    /** Suspends the flow (a data-loss-prevention policy it violates, with the reason), or lifts it with null. */
    async setSuspended(id: string, reason: string | null): Promise<Flow> {
      const r = await db.updateTable('flows').set({ suspendedReason: reason }).where('id', '=', id).executeTakeFirst();
      if (r.numUpdatedRows === 0n) throw notFound(`Flow ${id}`);
      return toFlow(await row(id));
    },

    /** Sends the flow's runs to a machine group, or back to this server's runners with null. */
    async setMachineGroup(id: string, group: string | null): Promise<Flow> {
      const machineGroup = group === null ? null : checkName('A machine group', group);
      const r = await db.updateTable('flows').set({ machineGroup }).where('id', '=', id).executeTakeFirst();
      if (r.numUpdatedRows === 0n) throw notFound(`Flow ${id}`);
      return toFlow(await row(id));
    },

    async setEnabled(id: string, enabled: boolean): Promise<Flow> {
      const t = now();
      const r = await db
        .updateTable('flows')
        .set({ enabled: enabled ? 1 : 0, updatedAt: t })
        .where('id', '=', id)
        .executeTakeFirst();
      if (r.numUpdatedRows === 0n) throw notFound(`Flow ${id}`);
      return toFlow(await row(id));
    },

    /** Deletes the flow, its versions, shares, embeddings and usage; its runs stay (without the flow link). */
    async delete(id: string): Promise<void> {
      const r = await db.deleteFrom('flows').where('id', '=', id).executeTakeFirst();
      if (r.numDeletedRows === 0n) throw notFound(`Flow ${id}`);
    },

    async share(id: string, userId: string, role: FlowShareRole): Promise<void> {
      if (role !== 'co-owner' && role !== 'run-only')
        throw invalid(`Role "${String(role)}" is not one of co-owner, run-only.`);
      const f = await row(id);
      if (f.ownerId === userId) throw invalid(`User ${userId} already owns flow ${id}.`);
      await referencing(
        ctx,
        () => notFound(`User ${userId}`),
        () =>
          db
            .insertInto('flowShares')
            .values({ flowId: id, userId, role, createdAt: now() })
            .onConflict((oc) => oc.columns(['flowId', 'userId']).doUpdateSet({ role }))
            .execute(),
      );
    },

    async unshare(id: string, userId: string): Promise<void> {
      await row(id);
      await db.deleteFrom('flowShares').where('flowId', '=', id).where('userId', '=', userId).execute();
    },

    async shares(id: string): Promise<{ userId: string; role: FlowShareRole; createdAt: string }[]> {
      await row(id);
      const rows = await db
        .selectFrom('flowShares')
        .select(['userId', 'role', 'createdAt'])
        .where('flowId', '=', id)
        .orderBy('createdAt')
        .execute();
      return rows.map((r) => ({ ...r, role: r.role as FlowShareRole }));
    },

    /** The user's role on the flow, or undefined when they have none. */
    async roleOf(id: string, userId: string): Promise<FlowRole | undefined> {
      const f = await row(id);
      if (f.ownerId === userId) return 'owner';
      const s = await db
        .selectFrom('flowShares')
        .select('role')
        .where('flowId', '=', id)
        .where('userId', '=', userId)
        .executeTakeFirst();
      return s?.role as FlowShareRole | undefined;
    },

    /** The references the current version names, with their connectors. */
    async referenceUsage(id: string): Promise<{ logicalName: string; connectorId: string }[]> {
      await row(id);
      return db
        .selectFrom('flowReferenceUsage')
        .select(['logicalName', 'connectorId'])
        .where('flowId', '=', id)
        .orderBy('logicalName')
        .execute();
    },

    /**
     * Embeds a connection for one of the flow's references, so users the flow
     * is shared with run with it. The reference must be used by the flow and the
     * connection must be of its connector; whether `embeddedBy` may do it
     * (a co-owner using their own connection) is the caller's check.
     */
    async embedReference(
      id: string,
      input: { logicalName: string; connectionId: string; embeddedBy: string },
    ): Promise<EmbeddedReference> {
      return atomic(ctx, async (tx) => {
        const use = await tx.db
          .selectFrom('flowReferenceUsage')
          .select('connectorId')
          .where('flowId', '=', id)
          .where('logicalName', '=', input.logicalName)
          .executeTakeFirst();
        if (!use) throw invalid(`Flow ${id} does not use connection reference "${input.logicalName}".`);
        const conn = await tx.db
          .selectFrom('connections')
          .select(['connectorId'])
          .where('id', '=', input.connectionId)
          .executeTakeFirst();
        if (!conn) throw notFound(`Connection ${input.connectionId}`);
        if (conn.connectorId !== use.connectorId)
          throw invalid(
            `Connection ${input.connectionId} is for connector "${conn.connectorId}", but "${input.logicalName}" needs "${use.connectorId}".`,
          );
        const r = {
          flowId: id,
          logicalName: input.logicalName,
          connectionId: input.connectionId,
          embeddedBy: input.embeddedBy,
          createdAt: now(),
        };
        await tx.db
          .insertInto('flowEmbeddedReferences')
          .values(r)
          .onConflict((oc) =>
            oc
              .columns(['flowId', 'logicalName'])
              .doUpdateSet({ connectionId: r.connectionId, embeddedBy: r.embeddedBy, createdAt: r.createdAt }),
          )
          .execute();
        return r;
      });
    },

    async removeEmbeddedReference(id: string, logicalName: string): Promise<void> {
      await db
        .deleteFrom('flowEmbeddedReferences')
        .where('flowId', '=', id)
        .where('logicalName', '=', logicalName)
        .execute();
    },

    async embeddedReferences(id: string): Promise<EmbeddedReference[]> {
      return db
        .selectFrom('flowEmbeddedReferences')
        .selectAll()
        .where('flowId', '=', id)
        .orderBy('logicalName')
        .execute();
    },
  };
}

export type FlowsRepository = ReturnType<typeof flowsRepository>;
