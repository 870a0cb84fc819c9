/** `patchbay robin export FLOW_FILE [--out FILE]`: a flow file → Robin that Power Automate for desktop can paste. */
import { writeFile } from 'node:fs/promises';
import { blockActions, createActionRegistry, exportRobin, standardActions } from '@patchbay/core';
import { readFlowFile } from '../../flow-file.js';
import { printJson } from '../../output.js';

export async function robinExportCommand(file: string, opts: { out?: string; json?: boolean }): Promise<void> {
  const { flow } = await readFlowFile(file);
  const { text, notExported } = exportRobin(flow, {
    actions: createActionRegistry([...standardActions, ...blockActions]),
  });
  if (opts.out) await writeFile(opts.out, text);
  if (opts.json) {
    printJson({ ...(opts.out ? { out: opts.out } : { text }), notExported });
    return;
  }
  if (!opts.out) process.stdout.write(text);
  else process.stderr.write(`Wrote ${opts.out}.\n`);
  if (notExported.length) {
    process.stderr.write(
      `${notExported.length} step${notExported.length === 1 ? '' : 's'} written as # [Patchbay] comments (Power Automate for desktop has no counterpart):\n`,
    );
    for (const n of notExported) process.stderr.write(`  ${n.pointer} ${n.action} — ${n.reason}\n`);
  }
}
