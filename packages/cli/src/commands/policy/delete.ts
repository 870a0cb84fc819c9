/** `patchbay policy delete NAME`: removes a policy; flows it alone suspended are lifted. */
import { printJson } from '../../output.js';
import { withPlatform } from '../../platform.js';
import { printChange } from './print.js';

export async function policyDeleteCommand(name: string, opts: { json?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    const r = await p.policies.delete(me, name);
    if (opts.json) return printJson(r);
    process.stderr.write(`Deleted policy ${name}.\n`);
    printChange(r);
  });
}
