/**
 * Connectors stored per environment: imported (custom) connectors and the
 * built-in ones an environment uses. The normalised model is whatever
 * `@patchbay/connectors` produces; the store keeps it as JSON and does not
 * interpret it.
 */
import type { Selectable } from 'kysely';
import { type RepoContext, checkName, checkText, invalid, notFound, now, referencing } from '../context.js';
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

    /** Creates or replaces a connector (re-importing updates the model and keeps `createdAt`). */
    async upsert<M>(input: {
      environment: string;
      id: string;
      displayName: string;
      model: M;
      source: string;
      custom: boolean;
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
      await referencing(
        ctx,
        () => notFound(`Environment "${input.environment}"`),
        () =>
          db
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
      return get<M>(input.environment, input.id);
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
