/** `patchbay policy list`: every data-loss-prevention policy. */
import { printJson, printTable } from '../../output.js';
import { withPlatform } from '../../platform.js';

export async function policyListCommand(opts: { json?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    const list = await p.policies.list(me);
    if (opts.json) return printJson(list);
    printTable(
      list.map((r) => ({
        name: r.name,
        environments: r.policy.environments,
        business: r.policy.connectors?.business ?? [],
        nonBusiness: r.policy.connectors?.nonBusiness ?? [],
        blocked: r.policy.connectors?.blocked ?? [],
        default: r.policy.connectors?.default ?? 'nonBusiness',
        blockedModules: r.policy.desktopActions?.blockedModules ?? [],
        updatedAt: r.updatedAt,
      })),
      ['name', 'environments', 'business', 'nonBusiness', 'blocked', 'default', 'blockedModules', 'updatedAt'],
    );
  });
}
