/** `patchbay secrets rotate-key`: re-wraps every sealed secret under a new master key. */
import { PatchbayError } from '@patchbay/core';
import { withPlatform } from '../platform.js';
import { printJson } from '../output.js';

export async function secretsRotateCommand(opts: {
  newKeyEnv?: string;
  dropOld?: boolean;
  json?: boolean;
}): Promise<void> {
  const newKey = opts.newKeyEnv === undefined ? undefined : process.env[opts.newKeyEnv];
  // Asked for a key from a variable that is not there: generating one instead would leave the user with a key they never chose.
  if (opts.newKeyEnv !== undefined && !newKey) {
    throw new PatchbayError(
      'secrets.key',
      `Environment variable ${opts.newKeyEnv} (for --new-key-env) is not set or is empty`,
      {
        hint: `export ${opts.newKeyEnv}=<32 bytes, base64> first, or leave out --new-key-env to have Patchbay generate the key.`,
      },
    );
  }
  await withPlatform(async (p, me) => {
    const r = await p.secrets.rotateKey(me, { ...(newKey ? { newKey } : {}), dropOldKeys: Boolean(opts.dropOld) });
    if (opts.json) printJson(r);
    else process.stderr.write(`Secrets re-wrapped under the new master key: ${JSON.stringify(r)}\n`);
  });
}
