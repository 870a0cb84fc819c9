/**
 * Local accounts and API tokens. Passwords are scrypt hashes
 * (`passwords.ts`); API tokens are 32 random bytes shown once and stored as
 * their SHA-256 (a token is high-entropy, so a fast hash is enough and lets
 * the lookup use an index).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { type RepoContext, checkText, conflict, invalid, newId, notFound, now, uniquely } from '../context.js';
import { dummyHash, generatePassword, hashPassword, verifyPasswordHash } from '../passwords.js';
import type { UsersTable } from '../schema.js';

export type UserRole = 'owner' | 'member';

export interface User {
  id: string;
  email: string;
  displayName: string;
  role: UserRole;
  /** False for accounts that can only use API tokens. */
  hasPassword: boolean;
  createdAt: string;
}

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  /** The first characters of the token, to tell tokens apart in lists. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

const TOKEN_PREFIX = 'pbt_';

export const DEFAULT_OWNER_EMAIL = 'owner@localhost';

function toUser(r: Selectable<UsersTable>): User {
  return {
    id: r.id,
    email: r.email,
    displayName: r.displayName,
    role: r.role as UserRole,
    hasPassword: r.passwordHash !== null,
    createdAt: r.createdAt,
  };
}

function normaliseEmail(email: string): string {
  const e = typeof email === 'string' ? email.trim().toLowerCase() : '';
  if (!/^[^\s@\u0000-\u001f\u007f]+@[^\s@\u0000-\u001f\u007f]+$/.test(e) || e.length > 254)
    throw invalid(`"${String(email)}" is not an email address.`, 'Give an address like ada@example.com.');
  return e;
}

function checkPassword(password: string): string {
  if (typeof password !== 'string' || password.length < 8 || password.length > 1024)
    throw invalid('A password must be 8 to 1024 characters long.');
  return password;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function usersRepository(ctx: RepoContext) {
  const { db } = ctx;

  async function get(id: string): Promise<User> {
    const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound(`User ${id}`);
    return toUser(r);
  }

  async function create(input: {
    email: string;
    displayName?: string;
    role?: UserRole;
    password?: string;
  }): Promise<User> {
    const email = normaliseEmail(input.email);
    const role = input.role ?? 'member';
    if (role !== 'owner' && role !== 'member') throw invalid(`Role "${String(role)}" is not one of owner, member.`);
    const passwordHash = input.password === undefined ? null : await hashPassword(checkPassword(input.password));
    const row = {
      id: newId('usr'),
      email,
      displayName: input.displayName ? checkText('A display name', input.displayName) : email.split('@')[0],
      role,
      passwordHash,
      createdAt: now(),
    };
    await uniquely(
      ctx,
      `A user with the email ${email} already exists.`,
      'Sign in as that user, or use another email.',
      () => db.insertInto('users').values(row).execute(),
    );
    return toUser(row);
  }

  return {
    create,
    get,

    async findByEmail(email: string): Promise<User | undefined> {
      const r = await db.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
      return r ? toUser(r) : undefined;
    },

    async list(): Promise<User[]> {
      return (await db.selectFrom('users').selectAll().orderBy('createdAt').orderBy('id').execute()).map(toUser);
    },

    async update(id: string, patch: { displayName?: string; role?: UserRole }): Promise<User> {
      if (patch.role !== undefined && patch.role !== 'owner' && patch.role !== 'member')
        throw invalid(`Role "${String(patch.role)}" is not one of owner, member.`);
      const set: { displayName?: string; role?: UserRole } = {};
      if (patch.displayName !== undefined) set.displayName = checkText('A display name', patch.displayName);
      if (patch.role !== undefined) set.role = patch.role;
      if (Object.keys(set).length) {
        const r = await db.updateTable('users').set(set).where('id', '=', id).executeTakeFirst();
        if (r.numUpdatedRows === 0n) throw notFound(`User ${id}`);
      }
      return get(id);
    },

    async setPassword(id: string, password: string): Promise<void> {
      const passwordHash = await hashPassword(checkPassword(password));
      const r = await db.updateTable('users').set({ passwordHash }).where('id', '=', id).executeTakeFirst();
      if (r.numUpdatedRows === 0n) throw notFound(`User ${id}`);
    },

    /** Deletes a user and their tokens and shares; refused while they own connections or flows. */
    async delete(id: string): Promise<void> {
      const owns = await db
        .selectFrom('connections')
        .select('id')
        .where('ownerId', '=', id)
        .union(db.selectFrom('flows').select('id').where('ownerId', '=', id))
        .execute();
      if (owns.length)
        throw conflict(
          `User ${id} still owns ${owns.length} connection(s) or flow(s).`,
          'Delete them or move them to another owner first.',
        );
      const r = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      if (r.numDeletedRows === 0n) throw notFound(`User ${id}`);
    },

    /** The user whose email and password match, or undefined (same time either way). */
    async verifyPassword(email: string, password: string): Promise<User | undefined> {
      let r: Selectable<UsersTable> | undefined;
      try {
        r = await db.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
      } catch {
        r = undefined;
      }
      const ok = await verifyPasswordHash(
        typeof password === 'string' ? password : '',
        r?.passwordHash ?? (await dummyHash()),
      );
      return ok && r?.passwordHash ? toUser(r) : undefined;
    },

    /** A new API token for `userId`. The token text is returned only here; the store keeps its hash. */
    async createToken(userId: string, name: string): Promise<{ token: string; record: ApiToken }> {
      await get(userId);
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const record: ApiToken = {
        id: newId('tok'),
        userId,
        name: checkText('A token name', name),
        prefix: token.slice(0, TOKEN_PREFIX.length + 6),
        createdAt: now(),
        lastUsedAt: null,
      };
      await db
        .insertInto('apiTokens')
        .values({ ...record, tokenHash: hashToken(token) })
        .execute();
      return { token, record };
    },

    async listTokens(userId: string): Promise<ApiToken[]> {
      return db
        .selectFrom('apiTokens')
        .select(['id', 'userId', 'name', 'prefix', 'createdAt', 'lastUsedAt'])
        .where('userId', '=', userId)
        .orderBy('createdAt')
        .execute();
    },

    async revokeToken(tokenId: string): Promise<void> {
      const r = await db.deleteFrom('apiTokens').where('id', '=', tokenId).executeTakeFirst();
      if (r.numDeletedRows === 0n) throw notFound(`API token ${tokenId}`);
    },

    /** The user a token belongs to (and records its use), or undefined for an unknown or revoked token. */
    async authenticateToken(token: string): Promise<User | undefined> {
      if (typeof token !== 'string' || !token.startsWith(TOKEN_PREFIX)) return undefined;
      const hit = await db
        .selectFrom('apiTokens')
        .innerJoin('users', 'users.id', 'apiTokens.userId')
        .selectAll('users')
        .select('apiTokens.id as tokenId')
        .where('apiTokens.tokenHash', '=', hashToken(token))
        .executeTakeFirst();
      if (!hit) return undefined;
      await db.updateTable('apiTokens').set({ lastUsedAt: now() }).where('id', '=', hit.tokenId).execute();
      return toUser(hit);
    },

    /** The first owner account (the CLI acts as this user on the local machine). */
    async owner(): Promise<User> {
      const r = await db
        .selectFrom('users')
        .selectAll()
        .where('role', '=', 'owner')
        .orderBy('createdAt')
        .orderBy('id')
        .executeTakeFirst();
      if (!r)
        throw notFound(
          'An owner account',
          'Start Patchbay once (`patchbay serve`) or set PATCHBAY_OWNER_EMAIL and PATCHBAY_OWNER_PASSWORD to create it.',
        );
      return toUser(r);
    },

    /**
     * Creates the owner account on first start. Without a password one is
     * generated (unless `generatePassword` is false: the account then signs in
     * with API tokens only until a later call gives it one) and returned once
     * (`password`). An owner account without a password gets the given or a
     * generated one, so the command that serves the sign-in form is the one
     * that shows it.
     */
    async ensureOwner(
      opts: { email?: string; password?: string; generatePassword?: boolean } = {},
    ): Promise<{ created: boolean; user: User; password?: string }> {
      const generate = opts.generatePassword ?? true;
      const first = () =>
        db
          .selectFrom('users')
          .selectAll()
          .where('role', '=', 'owner')
          .orderBy('createdAt')
          .orderBy('id')
          .executeTakeFirst();
      const existing = await first();
      if (existing) {
        if (existing.passwordHash !== null || (opts.password === undefined && !generate))
          return { created: false, user: toUser(existing) };
        const password = opts.password ?? generatePassword();
        const passwordHash = await hashPassword(checkPassword(password));
        // Only the first caller to fill it in wins (and shows a generated one).
        const r = await db
          .updateTable('users')
          .set({ passwordHash })
          .where('id', '=', existing.id)
          .where('passwordHash', 'is', null)
          .executeTakeFirst();
        const user = toUser({
          ...existing,
          passwordHash: r.numUpdatedRows > 0n ? passwordHash : existing.passwordHash,
        });
        if (r.numUpdatedRows === 0n) return { created: false, user: await get(existing.id) };
        return opts.password === undefined ? { created: false, user, password } : { created: false, user };
      }
      const generated = opts.password === undefined && generate ? generatePassword() : undefined;
      try {
        const user = await create({
          email: opts.email ?? DEFAULT_OWNER_EMAIL,
          role: 'owner',
          displayName: 'Owner',
          ...(opts.password !== undefined || generated ? { password: opts.password ?? generated } : {}),
        });
        return generated ? { created: true, user, password: generated } : { created: true, user };
      } catch (e) {
        // Another process created the owner at the same moment.
        const again = await first();
        if (again) return { created: false, user: toUser(again) };
        throw e;
      }
    },
  };
}

export type UsersRepository = ReturnType<typeof usersRepository>;
