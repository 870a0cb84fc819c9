/**
 * Environment roles (DESIGN §7), after Power Platform's security roles:
 * `admin` (Environment admin), `maker` (Environment maker) and `user` (Basic
 * user). Explicit grants live in the store; without one:
 *
 * - the instance owner is admin of every environment;
 * - in the `default` environment every signed-in user is a maker (as in Power
 *   Platform's default environment), so a single-user or small install keeps
 *   working without any grant;
 * - in any other environment a user without a grant has no access at all (it
 *   is not even listed).
 *
 * An explicit grant in `default` replaces the maker default (a grant of `user`
 * there narrows a member to running shared flows). The instance owner's role
 * cannot be narrowed.
 */
import { DEFAULT_ENVIRONMENT, type EnvironmentRole, type Repositories } from '@patchbay/store';
import { type Actor, denied } from './actor.js';
import type { PlatformContext } from './context.js';

export type { EnvironmentRole };

const RANK: Record<EnvironmentRole, number> = { user: 1, maker: 2, admin: 3 };

const NAMES: Record<EnvironmentRole, string> = {
  admin: 'Environment admin',
  maker: 'Environment maker',
  user: 'Basic user',
};

/** Where roles are read: the store, or the repositories of an open transaction (pass those inside one). */
type RoleSource = Pick<Repositories, 'environmentRoles'>;

/** The actor's role in `environment`, defaults applied; null: no access. */
export async function roleIn(
  ctx: PlatformContext,
  actor: Actor,
  environment: string,
  repos: RoleSource = ctx.store,
): Promise<EnvironmentRole | null> {
  if (actor.role === 'owner') return 'admin';
  const explicit = await repos.environmentRoles.find(environment, actor.id);
  if (explicit) return explicit;
  return environment === DEFAULT_ENVIRONMENT ? 'maker' : null;
}

/** Whether the actor's role in `environment` is at least `minimum`. */
export async function hasRole(
  ctx: PlatformContext,
  actor: Actor,
  environment: string,
  minimum: EnvironmentRole,
  repos: RoleSource = ctx.store,
): Promise<boolean> {
  const role = await roleIn(ctx, actor, environment, repos);
  return role !== null && RANK[role] >= RANK[minimum];
}

/**
 * Throws `auth.denied` unless the actor's role in `environment` is at least
 * `minimum`; `what` completes "may …". Returns the role.
 */
export async function requireRole(
  ctx: PlatformContext,
  actor: Actor,
  environment: string,
  minimum: EnvironmentRole,
  what: string,
  repos: RoleSource = ctx.store,
): Promise<EnvironmentRole> {
  const role = await roleIn(ctx, actor, environment, repos);
  if (role !== null && RANK[role] >= RANK[minimum]) return role;
  if (role === null)
    throw denied(
      `You have no role in environment "${environment}", so you may not ${what} there.`,
      `Ask an admin of "${environment}" to run \`patchbay env role grant ${environment} ${actor.email} ${minimum}\`.`,
    );
  throw denied(
    `You are a ${NAMES[role]} in environment "${environment}"; only a ${NAMES[minimum]}${minimum === 'admin' ? '' : ' or higher'} may ${what}.`,
    `Ask an admin of "${environment}" to run \`patchbay env role grant ${environment} ${actor.email} ${minimum}\`.`,
  );
}

/** Whether `actor` administers `environment` (`'*'`: every environment). */
export async function isEnvironmentAdmin(
  ctx: PlatformContext,
  actor: Actor,
  environment: string,
  repos: RoleSource = ctx.store,
): Promise<boolean> {
  if (actor.role === 'owner') return true;
  if (environment === '*') return false;
  return hasRole(ctx, actor, environment, 'admin', repos);
}

/** Throws `auth.denied` unless the actor administers `environment` (`'*'`: every environment); `what` completes "may …". */
export async function requireEnvironmentAdmin(
  ctx: PlatformContext,
  actor: Actor,
  environment: string,
  what: string,
  repos: RoleSource = ctx.store,
): Promise<void> {
  if (await isEnvironmentAdmin(ctx, actor, environment, repos)) return;
  const where = environment === '*' ? 'every environment' : `environment "${environment}"`;
  throw denied(
    `Only the instance owner or an admin of ${where} may ${what}.`,
    'Ask an environment admin or the owner of this Patchbay installation.',
  );
}
