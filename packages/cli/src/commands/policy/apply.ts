/** `patchbay policy apply FILE`: creates or replaces a policy; lists the flows it suspends or lifts. */
import { readFile } from 'node:fs/promises';
import { PatchbayError } from '@patchbay/core';
import { printJson } from '../../output.js';
import { withPlatform } from '../../platform.js';
import { printChange } from './print.js';

export async function readPolicyFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PatchbayError(
      'policy.invalid',
      code === 'ENOENT' ? `No policy file at ${file}.` : `Cannot read ${file}: ${(e as Error).message}`,
      { place: { file }, hint: code === 'ENOENT' ? 'Check the path.' : "Check the file's permissions." },
    );
  }
}

export async function policyApplyCommand(file: string, opts: { json?: boolean }): Promise<void> {
  const text = await readPolicyFile(file);
  await withPlatform(async (p, me) => {
    const r = await p.policies.apply(me, text, { file });
    if (opts.json) return printJson(r);
    process.stderr.write(
      `${r.created ? 'Created' : 'Updated'} policy ${r.policy.name}: ${r.suspended.length} flow${r.suspended.length === 1 ? '' : 's'} suspended, ${r.lifted.length} lifted.\n`,
    );
    printChange(r);
  });
}
