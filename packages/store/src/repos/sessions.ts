/**
 * Sign-in sessions. `create` hands out a random 256-bit id once; the table
 * keeps its SHA-256 only (a high-entropy id needs no slow hash), so a copy of
 * the database signs nobody in. Sessions expire after `ttlMs` without use;
 * use extends them (written at most once a minute per session), and
 * `deleteExpired` clears the rest.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { type RepoContext, invalid, now } from '../context.js';
import type { SessionsTable } from '../schema.js';

export interface Session {
  /** The id the cookie carries (only known to the caller that has it). */
  id: string;
  userId: string;
  /** Secret behind the session's CSRF tokens. */
  csrfSecret: string;
  createdAt: string;
  expiresAt: string;
}

/** Use moves the expiry forward only when it is at least this old, so a busy session costs one write a minute. */
const EXTEND_EVERY_MS = 60_000;
const ID = /^[A-Za-z0-9_-]{43}$/;

function hashId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

function toSession(id: string, r: Selectable<SessionsTable>): Session {
  return { id, userId: r.userId, csrfSecret: r.csrfSecret, createdAt: r.createdAt, expiresAt: r.expiresAt };
}

function checkTtl(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0)
    throw invalid(`A session lifetime must be a positive number of milliseconds, not ${String(ttlMs)}.`);
  return ttlMs;
}

export function sessionsRepository(ctx: RepoContext) {
  const { db } = ctx;

  async function destroy(id: string): Promise<void> {
    if (ID.test(id)) await db.deleteFrom('sessions').where('idHash', '=', hashId(id)).execute();
  }

  return {
    destroy,

    /** A new session for `userId`; its id is returned only here. */
    async create(userId: string, ttlMs: number): Promise<Session> {
      const id = randomBytes(32).toString('base64url');
      const t = Date.now();
      const row = {
        idHash: hashId(id),
        userId,
        csrfSecret: randomBytes(18).toString('base64url'),
        createdAt: new Date(t).toISOString(),
        expiresAt: new Date(t + checkTtl(ttlMs)).toISOString(),
      };
      await db.insertInto('sessions').values(row).execute();
      return toSession(id, row);
    },

    /** The live session with this id, its expiry moved to `ttlMs` from now; undefined when unknown or expired. */
    async touch(id: string, ttlMs: number): Promise<Session | undefined> {
      if (typeof id !== 'string' || !ID.test(id)) return undefined;
      const idHash = hashId(id);
      const r = await db.selectFrom('sessions').selectAll().where('idHash', '=', idHash).executeTakeFirst();
      if (!r) return undefined;
      const t = Date.now();
      if (Date.parse(r.expiresAt) <= t) {
        await db.deleteFrom('sessions').where('idHash', '=', idHash).execute();
        return undefined;
      }
      const expiresAt = new Date(t + checkTtl(ttlMs)).toISOString();
      if (Date.parse(expiresAt) - Date.parse(r.expiresAt) >= EXTEND_EVERY_MS) {
        await db.updateTable('sessions').set({ expiresAt }).where('idHash', '=', idHash).execute();
        return toSession(id, { ...r, expiresAt });
      }
      return toSession(id, r);
    },

    /** Ends every session of a user (password change, account removal); returns how many. */
    async destroyUser(userId: string): Promise<number> {
      return Number((await db.deleteFrom('sessions').where('userId', '=', userId).executeTakeFirst()).numDeletedRows);
    },

    /** Removes expired sessions; returns how many. */
    async deleteExpired(): Promise<number> {
      return Number(
        (await db.deleteFrom('sessions').where('expiresAt', '<=', now()).executeTakeFirst()).numDeletedRows,
      );
    },
  };
}

export type SessionsRepository = ReturnType<typeof sessionsRepository>;
