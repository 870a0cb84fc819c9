/** `patchbay policy check FLOW_FILE --env E`: what the flow would violate there; exit code 1 when anything. */
import { readFlowFileText } from '../../flow-file.js';
import { CliExit, printJson } from '../../output.js';
import { withPlatform } from '../../platform.js';
import { violationLines } from './print.js';

export async function policyCheckCommand(file: string, opts: { env: string; json?: boolean }): Promise<void> {
  const text = await readFlowFileText(file);
  const violations = await withPlatform((p, me) => p.policies.check(me, opts.env, text, { file }));
  if (opts.json) printJson({ violations });
  else if (violations.length === 0) process.stderr.write(`${file} complies with the policies of ${opts.env}.\n`);
  else for (const line of violationLines(violations, { file, text })) process.stdout.write(`${line}\n`);
  if (violations.length)
    throw new CliExit(1, opts.json ? '' : `${violations.length} violation${violations.length === 1 ? '' : 's'}.`);
}
