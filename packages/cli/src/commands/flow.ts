/** `patchbay flow …`: flows in the store. */
import { writeFile } from 'node:fs/promises';
import { PatchbayError } from '@patchbay/core';
import { readFlowFileText } from '../flow-file.js';
import { withPlatform } from '../platform.js';
import { printJson, printTable } from '../output.js';
import { violationLines } from './policy/print.js';

export async function flowSaveCommand(file: string, opts: { env: string; id?: string; json?: boolean }): Promise<void> {
  const text = await readFlowFileText(file);
  await withPlatform(async (p, me) => {
    const f = await p.flows.save(me, opts.env, text, { file, ...(opts.id ? { id: opts.id } : {}) });
    if (opts.json) printJson(f);
    else {
      process.stdout.write(`${f.id}\n`);
      process.stderr.write(
        `Saved '${f.name}' in ${opts.env} as version ${f.version}${f.enabled ? '' : ' (disabled)'}.\n`,
      );
      if (f.suspendedReason) {
        process.stderr.write(
          `warning: the flow is suspended and cannot run until it complies with the data-loss-prevention policies:\n`,
        );
        for (const line of violationLines(f.violations, { file, text })) process.stderr.write(`  ${line}\n`);
      }
    }
  });
}

export async function flowListCommand(opts: { env: string; json?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    const list = await p.flows.list(me, opts.env);
    if (opts.json) printJson(list);
    else printTable(list, ['id', 'name', 'version', 'enabled', 'role']);
  });
}

export async function flowExportCommand(id: string, opts: { out?: string; version?: number }): Promise<void> {
  await withPlatform(async (p, me) => {
    const f = await p.flows.get(me, id, opts.version ? { version: opts.version } : {});
    const text = JSON.stringify(f.definition, null, 2) + '\n';
    if (opts.out) {
      await writeFile(opts.out, text);
      process.stderr.write(`Wrote ${opts.out}.\n`);
    } else process.stdout.write(text);
  });
}

export async function flowEnableCommand(id: string, enabled: boolean): Promise<void> {
  await withPlatform(async (p, me) => {
    await p.flows.setEnabled(me, id, enabled);
    process.stderr.write(`Flow ${id} ${enabled ? 'enabled' : 'disabled'}.\n`);
  });
}

export async function flowShareCommand(id: string, email: string, opts: { role: string }): Promise<void> {
  if (opts.role !== 'co-owner' && opts.role !== 'run-only')
    throw new PatchbayError('store.invalid', `Unknown role '${opts.role}'`, { hint: 'Use co-owner or run-only.' });
  await withPlatform(async (p, me) => {
    await p.flows.share(me, id, email, opts.role as 'co-owner' | 'run-only');
    process.stderr.write(`${email} is now ${opts.role} of flow ${id}.\n`);
  });
}

export async function flowEmbedCommand(id: string, logicalName: string, connectionId: string): Promise<void> {
  await withPlatform(async (p, me) => {
    await p.flows.embedReference(me, id, logicalName, connectionId);
    process.stderr.write(
      `Flow ${id} now runs ${logicalName} with connection ${connectionId} for everyone it is shared with.\n`,
    );
  });
}
