/**
 * What every repository is built from: a Kysely handle (the pool, or one open
 * transaction), the dialect seam and the sealer. `atomic` runs a group of
 * writes in one transaction, or inline when the context already is one.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { PatchbayError } from '@patchbay/core';
import type { Dialect } from './dialect.js';
import type { DB } from './schema.js';
import type { Sealer } from './secrets.js';

export interface RepoContext {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  readonly sealer: Sealer;
  readonly inTransaction: boolean;
}

export function atomic<T>(ctx: RepoContext, fn: (tx: RepoContext) => Promise<T>): Promise<T> {
  if (ctx.inTransaction) return fn(ctx);
  return ctx.dialect.transaction(ctx.db, (trx) => fn({ ...ctx, db: trx, inTransaction: true }));
}

/** Like `atomic`, but the commit need not reach the disk before it returns (see `Dialect.relaxedTransaction`). */
export function relaxed<T>(ctx: RepoContext, fn: (tx: RepoContext) => Promise<T>): Promise<T> {
  if (ctx.inTransaction) return fn(ctx);
  return ctx.dialect.relaxedTransaction(ctx.db, (trx) => fn({ ...ctx, db: trx, inTransaction: trx !== ctx.db }));
}

/** Short prefixed ids: `conn_3kq…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

let lastMs = 0;
let sameMs = 0;

/**
 * An id that sorts in creation order (within this process, also inside one
 * millisecond): the time, a counter, then randomness. Records listed by time
 * and then id (runs in a queue, audit entries) keep the order they were made in.
 */
export function newOrderedId(prefix: string): string {
  const ms = Date.now();
  sameMs = ms === lastMs ? sameMs + 1 : 0;
  lastMs = ms;
  const time = ms.toString(36).padStart(9, '0');
  const seq = sameMs.toString(36).padStart(4, '0');
  return `${prefix}_${time}${seq}${randomBytes(8).toString('base64url')}`;
}

export function now(): string {
  return new Date().toISOString();
}

export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function fromJson<T>(text: string | null): T | undefined {
  return text === null ? undefined : (JSON.parse(text) as T);
}

export function notFound(what: string, hint?: string): PatchbayError {
  return new PatchbayError('store.not_found', `${what} was not found.`, { hint });
}

export function conflict(message: string, hint?: string): PatchbayError {
  return new PatchbayError('store.conflict', message, { hint });
}

export function invalid(message: string, hint?: string): PatchbayError {
  return new PatchbayError('store.invalid', message, { hint });
}

/** Runs a write; a unique-constraint violation becomes `store.conflict` with `message`. */
export async function uniquely<T>(
  ctx: RepoContext,
  message: string,
  hint: string | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (ctx.dialect.isUniqueViolation(e)) throw conflict(message, hint);
    throw e;
  }
}

/** Runs a write; a foreign-key violation becomes `store.not_found` / `store.conflict` with `message`. */
export async function referencing<T>(ctx: RepoContext, error: () => PatchbayError, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (ctx.dialect.isForeignKeyViolation(e)) throw error();
    throw e;
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

export function checkName(
  kind: string,
  value: string,
  hint = 'Use letters, digits, dots, dashes and underscores, starting with a letter or digit (at most 100).',
): string {
  if (typeof value !== 'string' || !NAME.test(value))
    throw invalid(`${kind} "${String(value)}" is not a valid name.`, hint);
  return value;
}

const CONTROL = /[\u0000-\u001f\u007f]/;

export function checkText(kind: string, value: string, max = 200): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max || CONTROL.test(value))
    throw invalid(`${kind} must be non-empty text of at most ${max} characters, without control characters.`);
  return value.trim();
}

/** Optional free text (descriptions): at most `max` characters, no NUL (PostgreSQL refuses it). */
export function checkOptionalText(kind: string, value: string | null | undefined, max = 2000): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > max || value.includes('\u0000'))
    throw invalid(`${kind} must be text of at most ${max} characters.`);
  return value;
}
