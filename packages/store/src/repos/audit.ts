/**
 * The audit log: append-only. `append` is the only write besides `prune`
 * (retention); there is no update. Pass the repositories of an open
 * transaction (`store.transaction(tx => … tx.audit.append(…))`) so an entry
 * commits or rolls back with the change it records.
 */
import type { Selectable } from 'kysely';
import { type RepoContext, fromJson, invalid, newOrderedId, now, toJson } from '../context.js';
import type { AuditLogTable } from '../schema.js';

export type AuditOutcome = 'ok' | 'denied' | 'failed';
export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['ok', 'denied', 'failed'];

/** Small, flat and never secret: names, ids, counts, reasons. */
export type AuditDetail = Record<string, string | number | boolean | null>;

export interface NewAuditEntry {
  actor: { id: string; email: string } | null;
  /** The environment the event happened in; null for instance-wide events (sign-in, API tokens). */
  environment: string | null;
  /** `noun.verb`, e.g. `connection.share` or `signin.failed`. */
  action: string;
  /** What was acted on: an id, a logical name, an email. */
  target?: string | null;
  outcome: AuditOutcome;
  detail?: AuditDetail;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: { id: string | null; email: string | null };
  environment: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  detail: AuditDetail;
}

export interface AuditFilter {
  /** Only these environments; `null` in the list means instance-wide entries. */
  environments?: (string | null)[];
  /** ISO time: entries at or after it. */
  since?: string;
  actorEmail?: string;
  action?: string;
  /** At most this many, newest first; default 100, at most 1000. */
  limit?: number;
}

const ACTION = /^[a-z][a-z-]*(\.[a-z][a-z-]*)*$/;
const MAX_TEXT = 300;
const MAX_DETAIL = 2000;

function text(kind: string, v: string | null | undefined): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw invalid(`An audit entry's ${kind} must be text.`);
  // Control characters would let a value fake a line of `audit list`.
  const clean = v.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT - 1)}…` : clean;
}

function checkDetail(detail: AuditDetail | undefined): string | null {
  if (!detail || !Object.keys(detail).length) return null;
  const out: AuditDetail = {};
  for (const [k, v] of Object.entries(detail)) {
    if (v === undefined) continue;
    if (v !== null && !['string', 'number', 'boolean'].includes(typeof v))
      throw invalid(`The audit detail "${k}" must be text, a number, true/false or null.`);
    out[k] = typeof v === 'string' ? text(k, v) : v;
  }
  const json = toJson(out);
  if (json.length > MAX_DETAIL) throw invalid(`An audit entry's detail must be at most ${MAX_DETAIL} characters.`);
  return json;
}

function toEntry(r: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    actor: { id: r.actorId, email: r.actorEmail },
    environment: r.environment,
    action: r.action,
    target: r.target,
    outcome: r.outcome as AuditOutcome,
    detail: fromJson<AuditDetail>(r.detail) ?? {},
  };
}

export function auditRepository(ctx: RepoContext) {
  const { db } = ctx;
  return {
    /** Adds one entry, in the context's transaction when it has one. */
    async append(e: NewAuditEntry): Promise<AuditEntry> {
      if (typeof e.action !== 'string' || !ACTION.test(e.action))
        throw invalid(
          `"${String(e.action)}" is not an audit action.`,
          'Name it noun.verb (or one word) in lower case.',
        );
      if (!AUDIT_OUTCOMES.includes(e.outcome))
        throw invalid(`"${String(e.outcome)}" is not an audit outcome.`, `Use one of ${AUDIT_OUTCOMES.join(', ')}.`);
      const row = {
        id: newOrderedId('aud'),
        at: now(),
        actorId: e.actor?.id ?? null,
        actorEmail: e.actor?.email ?? null,
        environment: text('environment', e.environment),
        action: e.action,
        target: text('target', e.target),
        outcome: e.outcome,
        detail: checkDetail(e.detail),
      };
      await db.insertInto('auditLog').values(row).execute();
      return toEntry(row);
    },

    /** Entries matching the filter, newest first. */
    async list(filter: AuditFilter = {}): Promise<AuditEntry[]> {
      let q = db.selectFrom('auditLog').selectAll();
      if (filter.environments) {
        const named = filter.environments.filter((x): x is string => x !== null);
        const global = filter.environments.includes(null);
        if (!named.length && !global) return [];
        q = q.where((eb) =>
          eb.or([
            ...(named.length ? [eb('environment', 'in', named)] : []),
            ...(global ? [eb('environment', 'is', null)] : []),
          ]),
        );
      }
      if (filter.since !== undefined) {
        const t = Date.parse(filter.since);
        if (Number.isNaN(t))
          throw invalid(`"${filter.since}" is not a time.`, 'Give an ISO 8601 time such as 2026-01-31T00:00:00Z.');
        q = q.where('at', '>=', new Date(t).toISOString());
      }
      if (filter.actorEmail !== undefined) q = q.where('actorEmail', '=', filter.actorEmail.trim().toLowerCase());
      if (filter.action !== undefined) q = q.where('action', '=', filter.action);
      const limit = Math.min(Math.max(1, Math.floor(filter.limit ?? 100)), 1000);
      return (await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute()).map(toEntry);
    },

    /** Removes entries older than `before` (ISO time); returns how many (retention). */
    async prune(before: string): Promise<number> {
      return Number((await db.deleteFrom('auditLog').where('at', '<', before).executeTakeFirst()).numDeletedRows);
    },
  };
}

export type AuditRepository = ReturnType<typeof auditRepository>;
