/** `patchbay machine revoke NAME`: the machine's token stops working; a server it is connected to drops it. */
import { printJson } from '../../output.js';
import { withPlatform } from '../../platform.js';

export async function machineRevokeCommand(name: string, opts: { json?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    const machine = await p.machines.revoke(me, name);
    if (opts.json) return printJson(machine);
    process.stderr.write(`Revoked machine ${machine.name}: its token no longer works.\n`);
  });
}
