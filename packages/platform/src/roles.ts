/**
 * Environment roles (DESIGN §7). Until roles per environment exist, the
 * instance owner is the only environment admin.
 */
import type { Actor } from './actor.js';
import { denied } from './actor.js';
import type { PlatformContext } from './context.js';

/** Throws `auth.denied` unless the actor administers `environment` (`'*'`: every environment); `what` is the action, for the message. */
export async function requireEnvironmentAdmin(
  _ctx: PlatformContext,
  actor: Actor,
  environment: string,
  what: string,
): Promise<void> {
  if (actor.role === 'owner') return;
  const where = environment === '*' ? 'every environment' : `environment "${environment}"`;
  throw denied(
    `Only the instance owner or an admin of ${where} may ${what}.`,
    'Ask the owner of this Patchbay installation.',
  );
}
