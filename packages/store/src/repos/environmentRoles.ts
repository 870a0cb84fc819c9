/**
 * Explicit environment roles: who is `admin`, `maker` or `user` where. The
 * defaults for users without a row (the instance owner is admin everywhere,
 * signed-in users are makers in `default`) are the platform's to apply.
 */
import type { Selectable } from 'kysely';
import { type RepoContext, invalid, notFound, now } from '../context.js';
import type { EnvironmentRolesTable } from '../schema.js';

export const ENVIRONMENT_ROLES = ['admin', 'maker', 'user'] as const;
export type EnvironmentRole = (typeof ENVIRONMENT_ROLES)[number];

export interface EnvironmentRoleGrant {
  environment: string;
  userId: string;
  email: string;
  role: EnvironmentRole;
  grantedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export function checkEnvironmentRole(role: string): EnvironmentRole {
  if (!(ENVIRONMENT_ROLES as readonly string[]).includes(role))
    throw invalid(`Role "${String(role)}" is not one of ${ENVIRONMENT_ROLES.join(', ')}.`, 'Use admin, maker or user.');
  return role as EnvironmentRole;
}

const toGrant = (r: Selectable<EnvironmentRolesTable> & { email: string }): EnvironmentRoleGrant => ({
  environment: r.environment,
  userId: r.userId,
  email: r.email,
  role: r.role as EnvironmentRole,
  grantedBy: r.grantedBy,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

export function environmentRolesRepository(ctx: RepoContext) {
  const { db } = ctx;
  const base = () =>
    db
      .selectFrom('environmentRoles')
      .innerJoin('users', 'users.id', 'environmentRoles.userId')
      .selectAll('environmentRoles')
      .select('users.email');

  return {
    /** The explicit role of `userId` in `environment`, if any. */
    async find(environment: string, userId: string): Promise<EnvironmentRole | undefined> {
      const r = await db
        .selectFrom('environmentRoles')
        .select('role')
        .where('environment', '=', environment)
        .where('userId', '=', userId)
        .executeTakeFirst();
      return r ? (r.role as EnvironmentRole) : undefined;
    },

    /** Explicit grants in one environment (or every environment), by email. */
    async list(environment?: string): Promise<EnvironmentRoleGrant[]> {
      let q = base();
      if (environment !== undefined) q = q.where('environmentRoles.environment', '=', environment);
      const rows = await q.orderBy('environmentRoles.environment').orderBy('users.email').execute();
      return rows.map(toGrant);
    },

    /** Every explicit grant a user holds. */
    async ofUser(userId: string): Promise<EnvironmentRoleGrant[]> {
      const rows = await base()
        .where('environmentRoles.userId', '=', userId)
        .orderBy('environmentRoles.environment')
        .execute();
      return rows.map(toGrant);
    },

    /** Grants `role` (replacing an earlier role); `previous` is the role it replaced. */
    async grant(input: {
      environment: string;
      userId: string;
      role: EnvironmentRole;
      grantedBy: string;
    }): Promise<{ previous: EnvironmentRole | undefined }> {
      const role = checkEnvironmentRole(input.role);
      const t = now();
      const existing = await db
        .selectFrom('environmentRoles')
        .select('role')
        .where('environment', '=', input.environment)
        .where('userId', '=', input.userId)
        .executeTakeFirst();
      if (existing) {
        await db
          .updateTable('environmentRoles')
          .set({ role, grantedBy: input.grantedBy, updatedAt: t })
          .where('environment', '=', input.environment)
          .where('userId', '=', input.userId)
          .execute();
        return { previous: existing.role as EnvironmentRole };
      }
      await db
        .insertInto('environmentRoles')
        .values({
          environment: input.environment,
          userId: input.userId,
          role,
          grantedBy: input.grantedBy,
          createdAt: t,
          updatedAt: t,
        })
        .execute();
      return { previous: undefined };
    },

    /** Removes the explicit role; `store.not_found` when there is none. Returns the role removed. */
    async revoke(environment: string, userId: string, who: string): Promise<EnvironmentRole> {
      const existing = await db
        .selectFrom('environmentRoles')
        .select('role')
        .where('environment', '=', environment)
        .where('userId', '=', userId)
        .executeTakeFirst();
      if (!existing)
        throw notFound(
          `A role for ${who} in environment "${environment}"`,
          `List roles with \`patchbay env role list ${environment}\`.`,
        );
      await db
        .deleteFrom('environmentRoles')
        .where('environment', '=', environment)
        .where('userId', '=', userId)
        .execute();
      return existing.role as EnvironmentRole;
    },
  };
}

export type EnvironmentRolesRepository = ReturnType<typeof environmentRolesRepository>;
