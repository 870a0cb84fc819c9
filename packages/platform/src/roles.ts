/**
 * Environment roles. This is the minimal check (the instance owner is admin
 * everywhere); the environment roles (admin, maker, user) replace its body.
 */
import { type Actor, denied } from './actor.js';
import type { PlatformContext } from './context.js';

/** Throws `auth.denied` unless `actor` is an admin of `environment`; `what` completes "Only … may …". */
export async function requireEnvironmentAdmin(
  _ctx: PlatformContext,
  actor: Actor,
  environment: string,
  what: string,
): Promise<void> {
  if (actor.role !== 'owner')
    throw denied(
      `Only an admin of environment "${environment}" may ${what}.`,
      'Ask an environment admin or the owner of this Patchbay installation.',
    );
}
