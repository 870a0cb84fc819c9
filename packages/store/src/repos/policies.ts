/**
 * Data-loss-prevention policies in the store: a name and the policy document
 * (JSON; the platform checks it against the policy schema before it gets
 * here). Policies are instance-wide; each names the environments it applies to.
 */
import type { Selectable } from 'kysely';
import { type RepoContext, checkName, notFound, now } from '../context.js';
import type { PoliciesTable } from '../schema.js';

export interface StoredPolicy<D = unknown> {
  name: string;
  document: D;
  updatedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

const toPolicy = <D>(r: Selectable<PoliciesTable>): StoredPolicy<D> => ({
  name: r.name,
  document: JSON.parse(r.document) as D,
  updatedBy: r.updatedBy,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

export function policiesRepository(ctx: RepoContext) {
  const { db } = ctx;

  async function find<D = unknown>(name: string): Promise<StoredPolicy<D> | undefined> {
    const r = await db.selectFrom('policies').selectAll().where('name', '=', name).executeTakeFirst();
    return r ? toPolicy<D>(r) : undefined;
  }

  return {
    find,

    async get<D = unknown>(name: string): Promise<StoredPolicy<D>> {
      const p = await find<D>(name);
      if (!p) throw notFound(`Policy "${name}"`, 'List policies with `patchbay policy list`.');
      return p;
    },

    async list<D = unknown>(): Promise<StoredPolicy<D>[]> {
      return (await db.selectFrom('policies').selectAll().orderBy('name').execute()).map((r) => toPolicy<D>(r));
    },

    /** Creates the policy, or replaces the document of the one with that name; `created` says which. */
    async put<D>(input: {
      name: string;
      document: D;
      updatedBy: string;
    }): Promise<{ policy: StoredPolicy<D>; created: boolean }> {
      const name = checkName('Policy name', input.name);
      const t = now();
      const document = JSON.stringify(input.document);
      const existing = await find<D>(name);
      if (existing) {
        await db
          .updateTable('policies')
          .set({ document, updatedBy: input.updatedBy, updatedAt: t })
          .where('name', '=', name)
          .execute();
        return {
          policy: { ...existing, document: input.document, updatedBy: input.updatedBy, updatedAt: t },
          created: false,
        };
      }
      const r = { name, document, updatedBy: input.updatedBy, createdAt: t, updatedAt: t };
      await db.insertInto('policies').values(r).execute();
      return { policy: toPolicy<D>(r), created: true };
    },

    async delete(name: string): Promise<void> {
      const r = await db.deleteFrom('policies').where('name', '=', name).executeTakeFirst();
      if (r.numDeletedRows === 0n) throw notFound(`Policy "${name}"`, 'List policies with `patchbay policy list`.');
    },
  };
}

export type PoliciesRepository = ReturnType<typeof policiesRepository>;
