/** `patchbay machine register NAME [--group G] [--env E] [--json]`: registers a machine; its token is printed once. */
import { printJson } from '../../output.js';
import { withPlatform } from '../../platform.js';

export async function machineRegisterCommand(
  name: string,
  opts: { group?: string; env?: string; json?: boolean },
): Promise<void> {
  await withPlatform(async (p, me) => {
    const { machine, token } = await p.machines.register(me, {
      name,
      ...(opts.group ? { group: opts.group } : {}),
      ...(opts.env ? { environment: opts.env } : {}),
    });
    if (opts.json) return printJson({ machine, token });
    process.stderr.write(
      `Registered machine ${machine.name} (group ${machine.group}, environment ${machine.environment}). Its token is shown only now:\n`,
    );
    process.stdout.write(`${token}\n`);
    process.stderr.write(
      `On that computer: PATCHBAY_MACHINE_TOKEN=<the token> patchbay runner --server URL --token-env PATCHBAY_MACHINE_TOKEN\n`,
    );
  });
}
