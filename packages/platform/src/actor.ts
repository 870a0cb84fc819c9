/**
 * The acting user. Every platform method takes one and checks rights itself,
 * so the CLI and the server cannot forget a check.
 */
import { PatchbayError } from '@patchbay/core';
import type { User } from '@patchbay/store';

/** Who is acting: a user record from `platform.users` (login, token, or `owner()` on the local machine). */
export type Actor = Pick<User, 'id' | 'email' | 'role'>;

export function denied(message: string, hint?: string): PatchbayError {
  return new PatchbayError('auth.denied', message, { hint });
}

export function requireOwnerRole(actor: Actor, what: string): void {
  if (actor.role !== 'owner')
    throw denied(`Only an owner account may ${what}.`, 'Ask the owner of this Patchbay installation.');
}

export function checkActor(actor: Actor | undefined): Actor {
  if (!actor || typeof actor.id !== 'string' || actor.id === '')
    throw denied('Sign in first: this action needs a user.', 'Log in, or pass an API token.');
  return actor;
}
