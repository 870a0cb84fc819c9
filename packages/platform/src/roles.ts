/**
 * Environment roles (DESIGN §7). Until per-environment roles are stored, the
 * instance owner is the admin of every environment and nobody else is.
 */
import { type Actor, denied } from './actor.js';
import type { PlatformContext } from './context.js';

/** Whether `actor` administers `environment` (`'*'`: every environment). */
export async function isEnvironmentAdmin(_ctx: PlatformContext, actor: Actor, _environment: string): Promise<boolean> {
  return actor.role === 'owner';
}

/** Throws `auth.denied` unless the actor administers `environment` (`'*'`: every environment); `what` completes "may …". */
export async function requireEnvironmentAdmin(
  ctx: PlatformContext,
  actor: Actor,
  environment: string,
  what: string,
): Promise<void> {
  if (await isEnvironmentAdmin(ctx, actor, environment)) return;
  const where = environment === '*' ? 'every environment' : `environment "${environment}"`;
  throw denied(
    `Only the instance owner or an admin of ${where} may ${what}.`,
    'Ask an environment admin or the owner of this Patchbay installation.',
  );
}
