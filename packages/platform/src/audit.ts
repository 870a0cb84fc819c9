/**
 * The audit log, as services write and read it. `ctx.audit.record(event, tx?)`
 * is the one way to write an entry: pass the transaction's repositories (from
 * `store.transaction`) so the entry commits with the change it records, or
 * use `ctx.audit.around(event, tx => change(tx))`, which opens the
 * transaction, records `ok` in it, and records `denied` (after the rollback)
 * when the change is refused.
 *
 * Entries never hold a secret: `detail` takes flat, small values (names, ids,
 * counts, reasons), and keys that name secrets are dropped before writing.
 *
 * Adding an action: append its name to AUDIT_ACTIONS (`noun.verb`, lower
 * case), record it where the service makes the change, and list it in
 * docs/security.md.
 */
import { PatchbayError } from '@patchbay/core';
import type { AuditDetail, AuditEntry, AuditOutcome, Repositories, Store } from '@patchbay/store';
import type { Actor } from './actor.js';

export const AUDIT_ACTIONS = [
  'signin',
  'signin.failed',
  'token.create',
  'token.revoke',
  'connection.create',
  'connection.update',
  'connection.reconnect',
  'connection.authorize',
  'connection.test',
  'connection.share',
  'connection.unshare',
  'connection.delete',
  'reference.create',
  'reference.bind',
  'reference.unbind',
  'reference.delete',
  'connector.import',
  'connector.update',
  'connector.delete',
  'role.grant',
  'role.revoke',
  'policy.apply',
  'policy.delete',
  'solution.import',
  'run.start',
  'machine.register',
  'machine.revoke',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEvent {
  /** Who acted; null when nobody is known (a sign-in with an unknown email). */
  actor: Pick<Actor, 'id' | 'email'> | null;
  /** Null for instance-wide events (sign-in, API tokens). */
  environment: string | null;
  action: AuditAction;
  target?: string | null;
  /** Default `ok`. */
  outcome?: AuditOutcome;
  detail?: AuditDetail;
}

/** Default retention of audit entries, in days (PATCHBAY_AUDIT_RETENTION_DAYS). */
export const DEFAULT_AUDIT_RETENTION_DAYS = 365;

/** Detail keys that could carry a secret are never written, whatever a caller passes. */
const SECRET_KEY = /secret|token|password|passwd|api[_-]?key|credential|authorization|cookie|code|state|verifier/i;

export function auditRetentionDays(value = process.env.PATCHBAY_AUDIT_RETENTION_DAYS): number {
  if (value === undefined || value.trim() === '') return DEFAULT_AUDIT_RETENTION_DAYS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 36500)
    throw new PatchbayError(
      'store.invalid',
      `PATCHBAY_AUDIT_RETENTION_DAYS must be a whole number of days from 1 to 36500, not "${value}".`,
      { hint: `Leave it unset for ${DEFAULT_AUDIT_RETENTION_DAYS} days.` },
    );
  return n;
}

function isRefusal(e: unknown): e is PatchbayError {
  return e instanceof PatchbayError && (e.code === 'auth.denied' || e.code === 'connection.denied');
}

export class AuditLog {
  constructor(
    private readonly store: Store,
    /** Entries older than this many days are pruned. */
    readonly retentionDays: number = DEFAULT_AUDIT_RETENTION_DAYS,
  ) {}

  /** Writes one entry, in `trx` (the change's transaction) when given. */
  async record(event: AuditEvent, trx?: Repositories): Promise<AuditEntry> {
    const detail: AuditDetail = {};
    for (const [k, v] of Object.entries(event.detail ?? {})) if (!SECRET_KEY.test(k)) detail[k] = v;
    return (trx ?? this.store).audit.append({
      actor: event.actor ? { id: event.actor.id, email: event.actor.email } : null,
      environment: event.environment,
      action: event.action,
      target: event.target ?? null,
      outcome: event.outcome ?? 'ok',
      detail,
    });
  }

  /**
   * Runs `change` in one transaction and records `event` in it; `after` may
   * add what only the result knows (the new id as target, detail, a `failed`
   * outcome). When the change is refused (`auth.denied`, `connection.denied`)
   * the refusal is recorded as `denied` and the error rethrown; other
   * failures record nothing (nothing changed). Inside `change`, use only `tx`.
   */
  async around<T>(
    event: Omit<AuditEvent, 'outcome'>,
    change: (tx: Repositories) => Promise<T>,
    after?: (result: T) => Partial<Pick<AuditEvent, 'target' | 'detail' | 'outcome'>>,
  ): Promise<T> {
    try {
      return await this.store.transaction(async (tx) => {
        const result = await change(tx);
        const more = after?.(result) ?? {};
        await this.record({ ...event, ...more, detail: { ...event.detail, ...more.detail } }, tx);
        return result;
      });
    } catch (e) {
      if (isRefusal(e)) await this.denied(event, e);
      throw e;
    }
  }

  /** Records a refused attempt (the error's message as the reason). */
  async denied(event: Omit<AuditEvent, 'outcome'>, error: PatchbayError): Promise<void> {
    await this.record({ ...event, outcome: 'denied', detail: { ...event.detail, reason: error.message } });
  }

  /** Runs `check`; when it refuses, records `denied` and rethrows. */
  async guard<T>(event: Omit<AuditEvent, 'outcome'>, check: () => Promise<T>): Promise<T> {
    try {
      return await check();
    } catch (e) {
      if (isRefusal(e)) await this.denied(event, e);
      throw e;
    }
  }

  /** Removes entries older than the retention; returns how many. */
  prune(now: Date = new Date()): Promise<number> {
    return this.store.audit.prune(new Date(now.getTime() - this.retentionDays * 86_400_000).toISOString());
  }
}
