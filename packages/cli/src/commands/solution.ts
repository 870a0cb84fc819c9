/** `patchbay solution …`: portable bundles and deployment settings (Power Platform's format). */
import { readFile, writeFile } from 'node:fs/promises';
import { PatchbayError } from '@patchbay/core';
import { withPlatform } from '../platform.js';
import { printJson } from '../output.js';

export async function solutionCreateCommand(
  name: string,
  opts: { flow: string[]; env: string; json?: boolean },
): Promise<void> {
  await withPlatform(async (p, me) => {
    const s = await p.solutions.create(me, opts.env, name, opts.flow);
    if (opts.json) printJson(s);
    else process.stdout.write(`${name}\n`);
  });
}

export async function solutionExportCommand(
  name: string,
  opts: { out: string; zip?: boolean; env: string; json?: boolean },
): Promise<void> {
  await withPlatform(async (p, me) => {
    const r = await p.solutions.export(me, opts.env, name, { dir: opts.out, zip: opts.zip });
    if (opts.json) printJson(r);
    else
      process.stderr.write(
        `Exported ${name} to ${r.dir}${r.zipPath ? ` and ${r.zipPath}` : ''} (${r.files.length} files).\n`,
      );
  });
}

export async function solutionCreateSettingsCommand(dir: string, opts: { out: string }): Promise<void> {
  await withPlatform(async (p) => {
    const settings = await p.solutions.createSettings(dir);
    await writeFile(opts.out, JSON.stringify(settings, null, 2) + '\n');
    process.stderr.write(`Wrote ${opts.out}: fill in each ConnectionId and Value for the target environment.\n`);
  });
}

/** Reads a deployment settings file, telling a missing file, a folder and an unreadable file apart. */
export async function readSettingsFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unknown error';
    const place = { file };
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new PatchbayError('store.invalid', `No deployment settings file at ${file}.`, {
        place,
        hint: 'Check the path, or write one with: patchbay solution create-settings DIR --out settings.json',
      });
    }
    if (code === 'EISDIR') {
      throw new PatchbayError('store.invalid', `The deployment settings path ${file} is a folder, not a file.`, {
        place,
        hint: 'Give the settings file inside it, e.g. --settings DIR/settings.json.',
      });
    }
    const hint =
      code === 'EACCES' || code === 'EPERM'
        ? 'Give your user permission to read the file, or copy it somewhere readable.'
        : 'Check the file: it may be a broken link or on a disk that cannot be read.';
    throw new PatchbayError('store.invalid', `The deployment settings file ${file} cannot be read (${code}).`, {
      place,
      hint,
    });
  }
}

export async function solutionImportCommand(
  dir: string,
  opts: { env: string; settings?: string; json?: boolean },
): Promise<void> {
  const settingsText = opts.settings ? await readSettingsFile(opts.settings) : undefined;
  await withPlatform(async (p, me) => {
    const r = await p.solutions.import(
      me,
      dir,
      opts.env,
      settingsText,
      opts.settings ? { settingsFile: opts.settings } : {},
    );
    if (opts.json) return printJson(r);
    for (const f of r.flows)
      process.stderr.write(`Flow ${f.name} (${f.id}) ${f.enabled ? 'enabled' : 'imported disabled'}.\n`);
    for (const u of r.unbound)
      process.stderr.write(
        `Reference ${u.logicalName} is unbound in ${opts.env}: bind it with patchbay ref bind ${u.logicalName} CONNECTION_ID --env ${opts.env}\n`,
      );
  });
}
