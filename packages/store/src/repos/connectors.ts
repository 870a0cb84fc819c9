/**
 * Connectors stored per environment: imported (custom) connectors and the
 * built-in ones an environment uses. The normalised model is whatever
 * `@patchbay/connectors` produces; the store keeps it as JSON in parts (a
 * summary, the head, one row per operation: `connectorParts.ts`), so listing
 * never reads a model and a call reads one operation.
 */
import type { Selectable } from 'kysely';
import { type RepoContext, atomic, checkName, checkText, invalid, notFound, now, referencing } from '../context.js';
import type { ConnectorsTable } from '../schema.js';
import { type ConnectorSummaryRecord, componentRefs, splitConnectorModel } from './connectorParts.js';

/** A stored connector as listing sees it: no model. */
export interface StoredConnectorSummary {
  environment: string;
  id: string;
  displayName: string;
  summary: ConnectorSummaryRecord;
  /** Where it came from: a folder or file path, a URL, or `builtin`. */
  source: string;
  custom: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface StoredConnector<M = unknown> {
  environment: string;
  id: string;
  displayName: string;
  /** The whole model (head and every operation). */
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

function byRole(a: ConnectorOwner, b: ConnectorOwner): number {
  return a.role === b.role
    ? a.createdAt.localeCompare(b.createdAt) || a.email.localeCompare(b.email)
    : a.role === 'owner'
      ? -1
      : 1;
}

/** A model from its stored parts (texts): the head, its operations and, when it has any, its components. */
function assemble<M>(
  r: Selectable<ConnectorsTable>,
  ops: string[],
  components: [string, string][],
): StoredConnector<M> {
  const { summary: _summary, ...rest } = toSummary(r);
  const model: Record<string, unknown> = {
    ...(JSON.parse(r.model) as object),
    operations: ops.map((o) => JSON.parse(o) as unknown),
  };
  if (components.length) model.components = Object.fromEntries(components.map(([n, m]) => [n, JSON.parse(m)]));
  return { ...rest, model: model as M };
}

type SummaryRow = Omit<Selectable<ConnectorsTable>, 'model'>;

function toSummary(r: SummaryRow): StoredConnectorSummary {
  return {
    environment: r.environment,
    id: r.id,
    displayName: r.displayName,
    summary: JSON.parse(r.summary ?? 'null') as ConnectorSummaryRecord,
    source: r.source,
    custom: r.custom === 1,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** Rows per insert: well under both dialects' bound-parameter limits. */
const CHUNK = 500;

export function connectorsRepository(ctx: RepoContext) {
  const { db } = ctx;
  const summaryColumns = [
    'environment',
    'id',
    'displayName',
    'summary',
    'source',
    'custom',
    'createdAt',
    'updatedAt',
  ] as const;

  async function row(environment: string, id: string) {
    return db
      .selectFrom('connectors')
      .selectAll()
      .where('environment', '=', environment)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async function find<M = unknown>(environment: string, id: string): Promise<StoredConnector<M> | undefined> {
    const r = await row(environment, id);
    if (!r) return undefined;
    const ops = await db
      .selectFrom('connectorOperations')
      .select('model')
      .where('environment', '=', environment)
      .where('connectorId', '=', id)
      .orderBy('position')
      .execute();
    const components = await db
      .selectFrom('connectorComponents')
      .select(['name', 'model'])
      .where('environment', '=', environment)
      .where('connectorId', '=', id)
      .orderBy('name')
      .execute();
    return assemble<M>(
      r,
      ops.map((o) => o.model),
      components.map((c) => [c.name, c.model]),
    );
  }

  /** The components these JSON texts reach, following references between components. */
  async function reachable(environment: string, id: string, texts: string[]): Promise<[string, string][]> {
    const out: [string, string][] = [];
    const seen = new Set<string>();
    let next = [...new Set(texts.flatMap(componentRefs))];
    while (next.length) {
      for (const n of next) seen.add(n);
      const rows: { name: string; model: string }[] = [];
      for (let i = 0; i < next.length; i += CHUNK)
        rows.push(
          ...(await db
            .selectFrom('connectorComponents')
            .select(['name', 'model'])
            .where('environment', '=', environment)
            .where('connectorId', '=', id)
            .where('name', 'in', next.slice(i, i + CHUNK))
            .execute()),
        );
      for (const row of rows) out.push([row.name, row.model]);
      next = [...new Set(rows.flatMap((row) => componentRefs(row.model)))].filter((n) => !seen.has(n));
    }
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  async function get<M = unknown>(environment: string, id: string): Promise<StoredConnector<M>> {
    const found = await find<M>(environment, id);
    if (!found)
      throw notFound(
        `Connector "${id}" in environment "${environment}"`,
        'Import it with `patchbay connector import PATH`.',
      );
    return found;
  }

  return {
    get,
    /** The whole model (head and every operation): for inspecting, exporting and comparing, not for a call. */
    find,

    /** Summaries of the environment's connectors, by id; no model is read. */
    async list(environment: string): Promise<StoredConnectorSummary[]> {
      const rows = await db
        .selectFrom('connectors')
        .select([...summaryColumns])
        .where('environment', '=', environment)
        .orderBy('id')
        .execute();
      return rows.map(toSummary);
    },

    /** Ids and last changes of the environment's connectors (what a cache of their summaries is keyed by). */
    async versions(environment: string): Promise<{ id: string; updatedAt: string }[]> {
      return db
        .selectFrom('connectors')
        .select(['id', 'updatedAt'])
        .where('environment', '=', environment)
        .orderBy('id')
        .execute();
    },

    /** One summary, or undefined. */
    async summary(environment: string, id: string): Promise<StoredConnectorSummary | undefined> {
      const r = await db
        .selectFrom('connectors')
        .select([...summaryColumns])
        .where('environment', '=', environment)
        .where('id', '=', id)
        .executeTakeFirst();
      return r ? toSummary(r) : undefined;
    },

    /**
     * The model with only the operations asked for (those that exist, in the
     * model's order; an id also matches case-insensitively), or undefined
     * when the connector is not stored.
     */
    async withOperations<M = unknown>(
      environment: string,
      id: string,
      operationIds: readonly string[],
    ): Promise<StoredConnector<M> | undefined> {
      const r = await row(environment, id);
      if (!r) return undefined;
      const wanted = [...new Set(operationIds)];
      const ops: { model: string; operationId: string; position: number }[] = [];
      const select = () =>
        db
          .selectFrom('connectorOperations')
          .select(['model', 'operationId', 'position'])
          .where('environment', '=', environment)
          .where('connectorId', '=', id);
      for (let i = 0; i < wanted.length; i += CHUNK)
        ops.push(
          ...(await select()
            .where('operationId', 'in', wanted.slice(i, i + CHUNK))
            .execute()),
        );
      const found = new Set(ops.map((o) => o.operationId.toLowerCase()));
      const missing = [...new Set(wanted.map((w) => w.toLowerCase()).filter((w) => !found.has(w)))];
      for (let i = 0; i < missing.length; i += CHUNK)
        ops.push(
          ...(await select()
            .where((eb) => eb(eb.fn('lower', ['operationId']), 'in', missing.slice(i, i + CHUNK)))
            .execute()),
        );
      ops.sort((a, b) => a.position - b.position);
      const texts = ops.map((o) => o.model);
      return assemble<M>(r, texts, await reachable(environment, id, [r.model, ...texts]));
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
    }): Promise<StoredConnectorSummary> {
      checkName('Connector id', input.id);
      if (input.model === undefined) throw invalid(`Connector "${input.id}" has no model.`);
      let parts: ReturnType<typeof splitConnectorModel>;
      try {
        parts = splitConnectorModel(input.model);
      } catch (e) {
        throw invalid(`Connector "${input.id}" cannot be stored: ${(e as Error).message}.`);
      }
      const t = now();
      const row = {
        environment: input.environment,
        id: input.id,
        displayName: checkText('A display name', input.displayName),
        model: JSON.stringify(parts.head),
        summary: JSON.stringify(parts.summary),
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
                  summary: row.summary,
                  source: row.source,
                  custom: row.custom,
                  updatedAt: t,
                }),
              )
              .execute(),
        );
        await tx.db
          .deleteFrom('connectorOperations')
          .where('environment', '=', input.environment)
          .where('connectorId', '=', input.id)
          .execute();
        const opRows = parts.operations.map((op, position) => ({
          environment: input.environment,
          connectorId: input.id,
          operationId: op.id,
          position,
          model: JSON.stringify(op.model),
        }));
        for (let i = 0; i < opRows.length; i += CHUNK)
          await tx.db
            .insertInto('connectorOperations')
            .values(opRows.slice(i, i + CHUNK))
            .execute();
        await tx.db
          .deleteFrom('connectorComponents')
          .where('environment', '=', input.environment)
          .where('connectorId', '=', input.id)
          .execute();
        const componentRows = parts.components.map((c) => ({
          environment: input.environment,
          connectorId: input.id,
          name: c.name,
          model: JSON.stringify(c.model),
        }));
        for (let i = 0; i < componentRows.length; i += CHUNK)
          await tx.db
            .insertInto('connectorComponents')
            .values(componentRows.slice(i, i + CHUNK))
            .execute();
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
      const stored = await db
        .selectFrom('connectors')
        .select([...summaryColumns])
        .where('environment', '=', input.environment)
        .where('id', '=', input.id)
        .executeTakeFirstOrThrow();
      return toSummary(stored);
    },

    /** Owners and co-owners of every imported connector of the environment, by connector id (one query, for listing). */
    async ownersByConnector(environment: string): Promise<Map<string, ConnectorOwner[]>> {
      const rows = await db
        .selectFrom('connectorOwners')
        .innerJoin('users', 'users.id', 'connectorOwners.userId')
        .select([
          'connectorOwners.connectorId as connectorId',
          'connectorOwners.userId as userId',
          'users.email as email',
          'connectorOwners.role as role',
          'connectorOwners.createdAt as createdAt',
        ])
        .where('connectorOwners.environment', '=', environment)
        .execute();
      const out = new Map<string, ConnectorOwner[]>();
      for (const { connectorId, ...o } of rows) {
        const list = out.get(connectorId) ?? [];
        list.push({ ...o, role: o.role as ConnectorOwnerRole });
        out.set(connectorId, list);
      }
      for (const list of out.values()) list.sort(byRole);
      return out;
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
      return rows.map((r) => ({ ...r, role: r.role as ConnectorOwnerRole })).sort(byRole);
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
