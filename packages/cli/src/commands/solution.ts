/** `patchbay solution …`: portable bundles and deployment settings (Power Platform's format). */
import { readFile, writeFile } from 'node:fs/promises';
import { PatchbayError } from '@patchbay/core';
import { withPlatform } from '../platform.js';
import { printJson } from '../output.js';

export async function solutionCreateCommand(name: string, opts: { flow: string[]; env: string; json?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    const s = await p.solutions.create(me, opts.env, name, opts.flow);
    if (opts.json) printJson(s);
    else process.stdout.write(`${name}\n`);
  });
}

export async function solutionExportCommand(name: string, opts: { out: string; zip?: boolean; env: string; json?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    const r = await p.solutions.export(me, opts.env, name, { dir: opts.out, zip: opts.zip });
    if (opts.json) printJson(r);
    else process.stderr.write(`Exported ${name} to ${r.dir}${r.zipPath ? ` and ${r.zipPath}` : ''} (${r.files.length} files).\n`);
  });
}

export async function solutionCreateSettingsCommand(dir: string, opts: { out: string }): Promise<void> {
  await withPlatform(async (p) => {
    const settings = await p.solutions.createSettings(dir);
    await writeFile(opts.out, JSON.stringify(settings, null, 2) + '\n');
    process.stderr.write(`Wrote ${opts.out}: fill in each ConnectionId and Value for the target environment.\n`);
  });
}

export async function solutionImportCommand(dir: string, opts: { env: string; settings?: string; json?: boolean }): Promise<void> {
  let settingsText: string | undefined;
  if (opts.settings) {
    try {
      settingsText = await readFile(opts.settings, 'utf8');
    } catch {
      throw new PatchbayError('store.invalid', `No deployment settings file at ${opts.settings}`, { place: { file: opts.settings }, hint: 'Write one with: patchbay solution create-settings DIR --out settings.json' });
    }
  }
  await withPlatform(async (p, me) => {
    const r = await p.solutions.import(me, dir, opts.env, settingsText, opts.settings ? { settingsFile: opts.settings } : {});
    if (opts.json) return printJson(r);
    for (const f of r.flows) process.stderr.write(`Flow ${f.name} (${f.id}) ${f.enabled ? 'enabled' : 'imported disabled'}.\n`);
    for (const u of r.unbound) process.stderr.write(`Reference ${u.logicalName} is unbound in ${opts.env}: bind it with patchbay ref bind ${u.logicalName} CONNECTION_ID --env ${opts.env}\n`);
  });
}
