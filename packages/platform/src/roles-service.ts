/**
 * Granting, revoking and listing environment roles. Only the instance owner
 * and the environment's admins manage its roles; every grant and revoke is
 * audited (`role.grant`, `role.revoke`) in the transaction that makes it.
 */
import { PatchbayError } from '@patchbay/core';
import { DEFAULT_ENVIRONMENT, checkEnvironmentRole, type EnvironmentRole } from '@patchbay/store';
import type { Actor } from './actor.js';
import type { PlatformContext } from './context.js';
import { isEnvironmentAdmin, requireEnvironmentAdmin } from './roles.js';

const WHAT = 'manage roles';

export interface RoleEntry {
  environment: string;
  userId: string;
  email: string;
  role: EnvironmentRole;
  /** `owner`: the instance owner (admin everywhere); `grant`: an explicit grant. */
  source: 'owner' | 'grant';
}

export interface EnvironmentRoles {
  environment: string;
  /** The role of a signed-in user without a grant: `maker` in `default`, none elsewhere. */
  defaultRole: EnvironmentRole | null;
  entries: RoleEntry[];
}

export function rolesService(ctx: PlatformContext) {
  const { store } = ctx;

  async function targetUser(email: string) {
    const user = typeof email === 'string' ? await store.users.findByEmail(email.trim().toLowerCase()) : undefined;
    if (!user)
      throw new PatchbayError('store.not_found', `No user has the email "${String(email)}".`, {
        hint: 'The instance owner creates users with `patchbay user create EMAIL`.',
      });
    return user;
  }

  async function rolesOf(environment: string): Promise<EnvironmentRoles> {
    const owners = (await store.users.list()).filter((u) => u.role === 'owner');
    const grants = await store.environmentRoles.list(environment);
    const entries: RoleEntry[] = [
      ...owners.map((u) => ({
        environment,
        userId: u.id,
        email: u.email,
        role: 'admin' as const,
        source: 'owner' as const,
      })),
      ...grants
        .filter((g) => !owners.some((o) => o.id === g.userId))
        .map((g) => ({ environment, userId: g.userId, email: g.email, role: g.role, source: 'grant' as const })),
    ];
    return { environment, defaultRole: environment === DEFAULT_ENVIRONMENT ? 'maker' : null, entries };
  }

  return {
    /** Gives `email` the role `role` in `environment` (replacing the one it had). */
    async grant(actor: Actor, environment: string, email: string, role: string): Promise<RoleEntry> {
      await store.environments.require(environment);
      const event = { actor, environment, action: 'role.grant' as const, target: String(email), detail: { role } };
      await ctx.audit.guard(event, () => requireEnvironmentAdmin(ctx, actor, environment, WHAT));
      const r = checkEnvironmentRole(role);
      const user = await targetUser(email);
      if (user.role === 'owner')
        throw new PatchbayError(
          'store.conflict',
          `${user.email} is the instance owner and so an admin of every environment; that role cannot be changed.`,
          { hint: 'Grant roles to member accounts.' },
        );
      await ctx.audit.around(
        { ...event, target: user.email },
        (tx) => tx.environmentRoles.grant({ environment, userId: user.id, role: r, grantedBy: actor.id }),
        (res) => ({ detail: { role: r, previous: res.previous ?? 'none' } }),
      );
      ctx.logger.info('Environment role granted.', { environment, user: user.email, role: r });
      return { environment, userId: user.id, email: user.email, role: r, source: 'grant' };
    },

    /** Removes the explicit role of `email` in `environment` (back to the default: maker in `default`, none elsewhere). */
    async revoke(actor: Actor, environment: string, email: string): Promise<void> {
      await store.environments.require(environment);
      const event = { actor, environment, action: 'role.revoke' as const, target: String(email) };
      await ctx.audit.guard(event, () => requireEnvironmentAdmin(ctx, actor, environment, WHAT));
      const user = await targetUser(email);
      if (user.role === 'owner')
        throw new PatchbayError(
          'store.conflict',
          `${user.email} is the instance owner and so an admin of every environment; that role cannot be revoked.`,
        );
      await ctx.audit.around(
        { ...event, target: user.email },
        (tx) => tx.environmentRoles.revoke(environment, user.id, user.email),
        (role) => ({ detail: { role } }),
      );
      ctx.logger.info('Environment role revoked.', { environment, user: user.email });
    },

    /** Roles in `environment`, or in every environment the actor administers. */
    async list(actor: Actor, environment?: string): Promise<EnvironmentRoles[]> {
      if (environment !== undefined) {
        await store.environments.require(environment);
        await requireEnvironmentAdmin(ctx, actor, environment, 'list its roles');
        return [await rolesOf(environment)];
      }
      const out: EnvironmentRoles[] = [];
      for (const e of await store.environments.list())
        if (await isEnvironmentAdmin(ctx, actor, e.name)) out.push(await rolesOf(e.name));
      if (!out.length)
        throw new PatchbayError('auth.denied', 'Only the instance owner or an environment admin may list roles.', {
          hint: 'Ask an environment admin or the owner of this Patchbay installation.',
        });
      return out;
    },
  };
}

export type RolesService = ReturnType<typeof rolesService>;
