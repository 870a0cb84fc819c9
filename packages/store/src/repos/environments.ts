/** Environments: `default` always exists; others (`dev`, `test`, `prod`, …) are created by name. */
import { type RepoContext, checkText, conflict, invalid, notFound, now, uniquely } from '../context.js';

export interface Environment {
  name: string;
  displayName: string;
  createdAt: string;
}

export const DEFAULT_ENVIRONMENT = 'default';

const ENV_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export function checkEnvironmentName(name: string): string {
  if (typeof name !== 'string' || !ENV_NAME.test(name)) {
    throw invalid(
      `"${String(name)}" is not a valid environment name.`,
      'Use lower-case letters, digits, dashes and underscores (at most 40), e.g. dev, test, prod.',
    );
  }
  return name;
}

export function environmentsRepository(ctx: RepoContext) {
  const { db } = ctx;

  async function get(name: string): Promise<Environment> {
    const r = await db.selectFrom('environments').selectAll().where('name', '=', name).executeTakeFirst();
    if (!r)
      throw notFound(
        `Environment "${name}"`,
        'List environments with `patchbay env list`, or create it with `patchbay env create NAME`.',
      );
    return r;
  }

  return {
    get,
    /** Throws `store.not_found` unless the environment exists; returns its name. */
    async require(name: string): Promise<string> {
      return (await get(name)).name;
    },

    async list(): Promise<Environment[]> {
      return db.selectFrom('environments').selectAll().orderBy('createdAt').orderBy('name').execute();
    },

    async create(input: { name: string; displayName?: string }): Promise<Environment> {
      const row = {
        name: checkEnvironmentName(input.name),
        displayName: input.displayName ? checkText('A display name', input.displayName) : input.name,
        createdAt: now(),
      };
      await uniquely(ctx, `Environment "${input.name}" already exists.`, undefined, () =>
        db.insertInto('environments').values(row).execute(),
      );
      return row;
    },

    /** Deletes an empty environment; `default` and environments with connections, flows or runs are refused. */
    async delete(name: string): Promise<void> {
      if (name === DEFAULT_ENVIRONMENT) throw conflict('The default environment cannot be deleted.');
      await get(name);
      const used = await db
        .selectFrom('connections')
        .select('id')
        .where('environment', '=', name)
        .union(db.selectFrom('flows').select('id').where('environment', '=', name))
        .union(db.selectFrom('runs').select('id').where('environment', '=', name))
        .limit(1)
        .execute();
      if (used.length)
        throw conflict(`Environment "${name}" still holds connections, flows or runs.`, 'Delete them first.');
      await db.deleteFrom('environments').where('name', '=', name).execute();
    },
  };
}

export type EnvironmentsRepository = ReturnType<typeof environmentsRepository>;
