/** `patchbay machine list [--env E] [--json]`: machines, online or offline, with their group and when last seen. */
import { printJson, printTable } from '../../output.js';
import { withPlatform } from '../../platform.js';

export async function machineListCommand(opts: { env?: string; json?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    const list = await p.machines.list(me, opts.env ? { environment: opts.env } : {});
    if (opts.json) return printJson(list);
    printTable(
      list.map((m) => ({
        name: m.name,
        group: m.group,
        environment: m.environment,
        state: m.status === 'revoked' ? 'revoked' : m.online ? 'online' : 'offline',
        lastSeen: m.lastSeenAt,
        token: `${m.tokenPrefix}…`,
      })),
      ['name', 'group', 'environment', 'state', 'lastSeen', 'token'],
    );
  });
}
