/**
 * Server-side sessions, kept in the store (`sessions` table) so any server
 * behind a load balancer can serve any request without sticky sessions. The
 * cookie carries only a random id; the database keeps its hash, who is signed
 * in, the session's CSRF secret and when it expires. Sessions expire after a
 * period without use; `cleanup` (run periodically by the app) removes the
 * expired ones.
 */
import type { Store } from '@patchbay/store';

export interface Session {
  id: string;
  userId: string;
  /** Read by @fastify/csrf-protection (its `sessionKey`); made with the session, so no request has to write it. */
  _csrf: string;
  expiresAt: string;
}

export interface SessionStoreOptions {
  /** Idle lifetime; default 12 hours. */
  ttlMs?: number;
}

export const DEFAULT_SESSION_TTL_MS = 12 * 60 * 60_000;

export class SessionStore {
  readonly ttlMs: number;

  constructor(
    private readonly store: Pick<Store, 'sessions'>,
    opts: SessionStoreOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? DEFAULT_SESSION_TTL_MS;
  }

  async create(userId: string): Promise<Session> {
    const s = await this.store.sessions.create(userId, this.ttlMs);
    return { id: s.id, userId: s.userId, _csrf: s.csrfSecret, expiresAt: s.expiresAt };
  }

  /** The live session with this id, its lifetime extended; undefined when unknown or expired. */
  async touch(id: string): Promise<Session | undefined> {
    const s = await this.store.sessions.touch(id, this.ttlMs);
    return s && { id: s.id, userId: s.userId, _csrf: s.csrfSecret, expiresAt: s.expiresAt };
  }

  async destroy(id: string): Promise<void> {
    await this.store.sessions.destroy(id);
  }

  /** Ends every session of a user (password change, account removal). */
  async destroyUser(userId: string): Promise<void> {
    await this.store.sessions.destroyUser(userId);
  }

  /** Removes expired sessions; returns how many. */
  cleanup(): Promise<number> {
    return this.store.sessions.deleteExpired();
  }
}
