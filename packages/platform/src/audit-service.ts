/** Reading the audit log: the instance owner reads all of it, an environment admin that environment's entries. */
import type { AuditEntry } from '@patchbay/store';
import { type Actor, denied } from './actor.js';
import type { PlatformContext } from './context.js';
import { requireEnvironmentAdmin } from './roles.js';

export interface AuditQuery {
  environment?: string;
  /** ISO 8601 time: entries at or after it. */
  since?: string;
  actorEmail?: string;
  action?: string;
  /** Newest first, at most this many (default 100, at most 1000). */
  limit?: number;
}

const WHAT = 'read the audit log';

export function auditService(ctx: PlatformContext) {
  const { store } = ctx;
  return {
    /** Entries the actor may read, newest first. Instance-wide entries (sign-in, tokens) are the owner's to read. */
    async list(actor: Actor, query: AuditQuery = {}): Promise<AuditEntry[]> {
      let environments: (string | null)[] | undefined;
      if (query.environment !== undefined) {
        await store.environments.require(query.environment);
        await requireEnvironmentAdmin(ctx, actor, query.environment, WHAT);
        environments = [query.environment];
      } else if (actor.role !== 'owner') {
        environments = [];
        for (const e of await store.environments.list()) {
          try {
            await requireEnvironmentAdmin(ctx, actor, e.name, WHAT);
            environments.push(e.name);
          } catch {
            // Not an admin there: its entries stay hidden.
          }
        }
        if (!environments.length)
          throw denied(
            'Only the owner or an environment admin may read the audit log.',
            'Ask an environment admin or the owner of this Patchbay installation.',
          );
      }
      return store.audit.list({
        ...(environments ? { environments } : {}),
        ...(query.since !== undefined ? { since: query.since } : {}),
        ...(query.actorEmail !== undefined ? { actorEmail: query.actorEmail } : {}),
        ...(query.action !== undefined ? { action: query.action } : {}),
        ...(query.limit !== undefined ? { limit: query.limit } : {}),
      });
    },

    /** Removes entries older than the retention (PATCHBAY_AUDIT_RETENTION_DAYS); returns how many. */
    prune: (): Promise<number> => ctx.audit.prune(ctx.clock.now()),

    /** Days entries are kept. */
    get retentionDays(): number {
      return ctx.audit.retentionDays;
    },
  };
}
