/** `patchbay secrets rotate-key`: re-wraps every sealed secret under a new master key. */
import { withPlatform } from '../platform.js';
import { printJson } from '../output.js';

export async function secretsRotateCommand(opts: { newKeyEnv?: string; dropOld?: boolean; json?: boolean }): Promise<void> {
  const newKey = opts.newKeyEnv ? process.env[opts.newKeyEnv] : undefined;
  await withPlatform(async (p, me) => {
    const r = await p.secrets.rotateKey(me, { ...(newKey ? { newKey } : {}), dropOldKeys: Boolean(opts.dropOld) });
    if (opts.json) printJson(r);
    else process.stderr.write(`Secrets re-wrapped under the new master key: ${JSON.stringify(r)}\n`);
  });
}
