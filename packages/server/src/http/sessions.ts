/**
 * Server-side sessions: the cookie carries only a random id (signed by
 * @fastify/cookie); who is signed in and the session's CSRF secret stay here.
 * Sessions expire after a period without use and are capped in number, so a
 * flood of logins cannot grow memory without bound.
 */
import { randomBytes } from 'node:crypto';

export interface Session {
  id: string;
  userId: string;
  /** Read and written by @fastify/csrf-protection (its `sessionKey`). */
  _csrf?: string;
  expiresAt: number;
}

export interface SessionStoreOptions {
  /** Idle lifetime; default 12 hours. */
  ttlMs?: number;
  /** Oldest sessions are dropped beyond this; default 10,000. */
  max?: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly ttlMs: number;
  private readonly max: number;

  constructor(opts: SessionStoreOptions = {}) {
    this.ttlMs = opts.ttlMs ?? 12 * 60 * 60_000;
    this.max = opts.max ?? 10_000;
  }

  create(userId: string): Session {
    const s: Session = { id: randomBytes(32).toString('base64url'), userId, expiresAt: Date.now() + this.ttlMs };
    this.sessions.set(s.id, s);
    while (this.sessions.size > this.max) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    return s;
  }

  /** The live session with this id, its lifetime extended; undefined when unknown or expired. */
  touch(id: string): Session | undefined {
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (s.expiresAt <= Date.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    s.expiresAt = Date.now() + this.ttlMs;
    // Re-insert so the map stays ordered by last use (oldest first).
    this.sessions.delete(id);
    this.sessions.set(id, s);
    return s;
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  /** Ends every session of a user (password change, account removal). */
  destroyUser(userId: string): void {
    for (const [id, s] of this.sessions) if (s.userId === userId) this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }
}
