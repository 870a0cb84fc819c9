/**
 * Environment roles (DESIGN §7). Until per-environment roles are stored, the
 * instance owner is the admin of every environment and nobody else is.
 */
import type { Actor } from './actor.js';
import { denied } from './actor.js';
import type { PlatformContext } from './context.js';

export async function isEnvironmentAdmin(_ctx: PlatformContext, actor: Actor, _environment: string): Promise<boolean> {
  return actor.role === 'owner';
}

export async function requireEnvironmentAdmin(
  ctx: PlatformContext,
  actor: Actor,
  environment: string,
  what: string,
): Promise<void> {
  if (!(await isEnvironmentAdmin(ctx, actor, environment)))
    throw denied(
      `Only an admin of environment "${environment}" may ${what}.`,
      'Ask an environment admin to do it or to give you the admin role.',
    );
}
