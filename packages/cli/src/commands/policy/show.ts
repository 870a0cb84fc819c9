/** `patchbay policy show NAME`: the policy file as stored (JSON with --json). */
import { printJson } from '../../output.js';
import { withPlatform } from '../../platform.js';

export async function policyShowCommand(name: string, opts: { json?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    const r = await p.policies.get(me, name);
    if (opts.json) return printJson(r);
    process.stderr.write(`Policy ${r.name}, updated ${r.updatedAt}:\n`);
    process.stdout.write(JSON.stringify(r.policy, null, 2) + '\n');
  });
}
