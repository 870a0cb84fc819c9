/** `patchbay audit list`: the audit log, newest first (the owner, or an admin of the environment). */
import { withPlatform } from '../../platform.js';
import { printJson, printTable } from '../../output.js';

export async function auditListCommand(opts: {
  env?: string;
  since?: string;
  actor?: string;
  action?: string;
  limit?: number;
  json?: boolean;
}): Promise<void> {
  await withPlatform(async (p, me) => {
    const entries = await p.audit.list(me, {
      ...(opts.env ? { environment: opts.env } : {}),
      ...(opts.since ? { since: opts.since } : {}),
      ...(opts.actor ? { actorEmail: opts.actor } : {}),
      ...(opts.action ? { action: opts.action } : {}),
      ...(opts.limit ? { limit: opts.limit } : {}),
    });
    if (opts.json) {
      printJson(entries);
      return;
    }
    printTable(
      entries.map((e) => ({
        at: e.at,
        actor: e.actor.email ?? '-',
        env: e.environment ?? '-',
        action: e.action,
        target: e.target ?? '-',
        outcome: e.outcome,
        detail: Object.keys(e.detail).length
          ? Object.entries(e.detail)
              .map(([k, v]) => `${k}=${String(v)}`)
              .join(' ')
          : '-',
      })),
      ['at', 'actor', 'env', 'action', 'target', 'outcome', 'detail'],
    );
  });
}
