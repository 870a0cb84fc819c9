/**
 * Solutions: a named bundle of flows in an environment, with a version. What
 * goes into an export (references, variables, connectors) is derived from the
 * flows by the platform; the store keeps the membership.
 */
import type { Selectable } from 'kysely';
import {
  type RepoContext,
  checkName,
  checkText,
  invalid,
  newId,
  notFound,
  now,
  referencing,
  uniquely,
} from '../context.js';
import type { SolutionsTable } from '../schema.js';

export interface Solution {
  id: string;
  environment: string;
  name: string;
  displayName: string;
  version: string;
  flowIds: string[];
  createdAt: string;
  updatedAt: string;
}

const toSolution = (r: Selectable<SolutionsTable>): Solution => ({ ...r, flowIds: JSON.parse(r.flowIds) as string[] });

function checkVersion(version: string): string {
  if (!/^\d+(\.\d+){0,3}$/.test(version))
    throw invalid(
      `Solution version "${version}" is not a version number.`,
      'Use 1 to 4 dot-separated numbers, e.g. 1.0.0.0 as Power Platform does.',
    );
  return version;
}

export function solutionsRepository(ctx: RepoContext) {
  const { db } = ctx;
  const what = (environment: string, name: string) => `Solution "${name}" in environment "${environment}"`;

  async function checkFlows(environment: string, flowIds: string[]): Promise<string[]> {
    const ids = [...new Set(flowIds)];
    if (ids.length === 0) return ids;
    const found = await db
      .selectFrom('flows')
      .select('id')
      .where('environment', '=', environment)
      .where('id', 'in', ids)
      .execute();
    const missing = ids.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw notFound(`Flow(s) ${missing.join(', ')} in environment "${environment}"`);
    return ids;
  }

  async function get(environment: string, name: string): Promise<Solution> {
    const r = await db
      .selectFrom('solutions')
      .selectAll()
      .where('environment', '=', environment)
      .where('name', '=', name)
      .executeTakeFirst();
    if (!r) throw notFound(what(environment, name), 'Create it with `patchbay solution create NAME --flow ID`.');
    return toSolution(r);
  }

  return {
    get,

    async create(input: {
      environment: string;
      name: string;
      displayName?: string;
      version?: string;
      flowIds: string[];
    }): Promise<Solution> {
      const t = now();
      const r: Selectable<SolutionsTable> = {
        id: newId('sol'),
        environment: input.environment,
        name: checkName('Solution name', input.name),
        displayName: input.displayName ? checkText('A display name', input.displayName) : input.name,
        version: checkVersion(input.version ?? '1.0.0.0'),
        flowIds: JSON.stringify(await checkFlows(input.environment, input.flowIds)),
        createdAt: t,
        updatedAt: t,
      };
      await referencing(
        ctx,
        () => notFound(`Environment "${input.environment}"`),
        () =>
          uniquely(ctx, `${what(input.environment, input.name)} already exists.`, undefined, () =>
            db.insertInto('solutions').values(r).execute(),
          ),
      );
      return toSolution(r);
    },

    async list(environment: string): Promise<Solution[]> {
      return (
        await db.selectFrom('solutions').selectAll().where('environment', '=', environment).orderBy('name').execute()
      ).map(toSolution);
    },

    async update(
      environment: string,
      name: string,
      patch: { displayName?: string; version?: string; flowIds?: string[] },
    ): Promise<Solution> {
      const s = await get(environment, name);
      const set: Partial<Selectable<SolutionsTable>> = { updatedAt: now() };
      if (patch.displayName !== undefined) set.displayName = checkText('A display name', patch.displayName);
      if (patch.version !== undefined) set.version = checkVersion(patch.version);
      if (patch.flowIds !== undefined) set.flowIds = JSON.stringify(await checkFlows(environment, patch.flowIds));
      await db.updateTable('solutions').set(set).where('id', '=', s.id).execute();
      return get(environment, name);
    },

    async delete(environment: string, name: string): Promise<void> {
      const r = await db
        .deleteFrom('solutions')
        .where('environment', '=', environment)
        .where('name', '=', name)
        .executeTakeFirst();
      if (r.numDeletedRows === 0n) throw notFound(what(environment, name));
    },
  };
}

export type SolutionsRepository = ReturnType<typeof solutionsRepository>;
