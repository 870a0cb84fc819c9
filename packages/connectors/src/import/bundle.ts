/**
 * Definitions published as several files: a root file whose `$ref`s name
 * other files by relative path (`resources/pets.yml#/Pet`). They are bundled
 * into one document with JSON Schema $Ref Parser, from a folder on disk or a
 * zip unpacked to a private temporary folder; references over HTTP are never
 * followed (an import reads only what it was given).
 */
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { PatchbayError } from '@patchbay/core';
import { parseDefinitionText } from './parse.js';

/** A `$ref` (JSON or YAML) whose target is not inside the same file. */
const EXTERNAL_REF = /["']?\$ref["']?\s*:\s*["']?(?!#)[^\s"'#][^\s"']*/;

export function hasExternalRefs(text: string): boolean {
  return EXTERNAL_REF.test(text);
}

/** One document from a root file and the files it refers to. */
export async function bundleDefinition(rootPath: string): Promise<unknown> {
  const { default: RefParser } = await import('@apidevtools/json-schema-ref-parser');
  try {
    return await RefParser.bundle(rootPath, { resolve: { external: true, http: false } });
  } catch (e) {
    const reason = (e as Error).message.replace(/\s+/g, ' ').trim();
    throw new PatchbayError(
      'connector.invalid',
      `${rootPath} refers to other files that could not be read: ${reason}`,
      {
        place: { file: rootPath },
        hint: 'Import the root file from the folder (or zip) that holds every file it refers to, with their relative paths as published.',
      },
    );
  }
}

const DEFINITION_EXT = /\.(json|ya?ml)$/i;
const PREFERRED = /^(openapi|swagger|api|spec)\.(json|ya?ml)$/i;

/** The root definition of a folder: the one top-level JSON or YAML file that says `openapi` or `swagger`. */
export async function findRootDefinition(dir: string, shown = dir): Promise<string | undefined> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isFile() && DEFINITION_EXT.test(d.name))
    .map((d) => d.name)
    .sort();
  const roots: string[] = [];
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8');
    if (!/^\s*["']?(openapi|swagger)["']?\s*:/m.test(text)) continue;
    try {
      const doc = parseDefinitionText(text, name) as Record<string, unknown>;
      if (doc && typeof doc === 'object' && (doc.openapi !== undefined || doc.swagger !== undefined)) roots.push(name);
    } catch {
      // not a definition
    }
  }
  if (roots.length <= 1) return roots[0] && join(dir, roots[0]);
  const preferred = roots.filter((n) => PREFERRED.test(n));
  if (preferred.length === 1) return join(dir, preferred[0]);
  throw new PatchbayError('connector.invalid', `${shown} holds several API definitions: ${roots.join(', ')}.`, {
    place: { file: shown },
    hint: 'Give the path of the root file to import.',
  });
}

/** Unpacks a zip into a private temporary folder (entries may not leave it); the caller removes it. */
export async function unpackZip(bytes: Uint8Array, shown: string): Promise<string> {
  const { unzipSync } = await import('fflate');
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    throw new PatchbayError('connector.invalid', `${shown} is not a readable zip file: ${(e as Error).message}.`, {
      place: { file: shown },
      hint: 'Give a zip of the definition folder, or the folder itself.',
    });
  }
  const dir = await mkdtemp(join(tmpdir(), 'patchbay-connector-'));
  try {
    for (const [name, data] of Object.entries(entries)) {
      if (name.endsWith('/')) continue;
      const target = normalize(join(dir, name));
      if (relative(dir, target).startsWith(`..${sep}`) || relative(dir, target) === '..')
        throw new PatchbayError('connector.invalid', `${shown} has an entry outside its folder: ${name}.`, {
          place: { file: shown },
          hint: 'Zip the definition folder as it is.',
        });
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, data);
    }
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return dir;
}

/** The folder a zip holds its definition in: the zip's root, or its one top-level folder. */
export async function zipContentRoot(dir: string): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  if (entries.length === 1 && entries[0].isDirectory()) return join(dir, entries[0].name);
  return dir;
}
