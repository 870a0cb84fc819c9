/** `patchbay robin import FILE [--out FLOW_FILE]`: Power Automate for desktop's Robin text → a flow file. */
import { writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { importRobin } from '@patchbay/core';
import { printJson } from '../../output.js';
import { readRobinFile } from './read.js';

export async function robinImportCommand(
  file: string,
  opts: { out?: string; name?: string; json?: boolean },
): Promise<void> {
  const text = await readRobinFile(file);
  const name = opts.name ?? (basename(file, extname(file)) || 'Imported from Power Automate for desktop');
  const result = importRobin(text, { file, name });
  const flowText = JSON.stringify(result.flow, null, 2) + '\n';
  if (opts.out) await writeFile(opts.out, flowText);
  if (opts.json) {
    printJson({ ...(opts.out ? { out: opts.out } : { flow: result.flow }), ...omitFlow(result) });
    return;
  }
  if (!opts.out) process.stdout.write(flowText);
  const err = (line: string) => process.stderr.write(line + '\n');
  if (opts.out) err(`Wrote ${opts.out}.`);
  if (result.unsupported.length) {
    err(
      `${result.unsupported.length} statement${result.unsupported.length === 1 ? '' : 's'} kept as disabled Power Automate for desktop action${result.unsupported.length === 1 ? '' : 's'} (Patchbay has no counterpart; exported back unchanged):`,
    );
    for (const u of result.unsupported) err(`  ${file}:${u.line}:${u.column} ${u.pointer} ${u.action} — ${u.reason}`);
  }
  if (result.connectionReferences.length) {
    err('Connection references the flow uses (create and bind them in each environment):');
    for (const r of result.connectionReferences)
      err(
        `  patchbay ref create ${r.logicalName} --connector ${r.connectorId}${r.displayName ? ` --display-name ${JSON.stringify(r.displayName)}` : ''}`,
      );
  }
}

function omitFlow<T extends { flow: unknown }>(r: T): Omit<T, 'flow'> {
  const { flow: _flow, ...rest } = r;
  void _flow;
  return rest;
}
