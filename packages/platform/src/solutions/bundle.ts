/**
 * The solution folder format, read and written as a map of relative paths to
 * bytes, so a folder and a zip (fflate) are the same thing:
 *
 *     solution.json                     name, version, flows, connectors
 *     flows/<name>.flow.json            each flow's current definition
 *     connectionReferences.json         [{logicalName, displayName, connectorId, description}]
 *     environmentVariables.json         [{schemaName, displayName, type, defaultValue?, description}]
 *     connectors/<id>/connector.json    custom connectors (the normalised model)
 *
 * Never in it: connection ids, connections, secrets, variable values.
 */
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { PatchbayError, type Flow as FlowDefinition } from '@patchbay/core';
import type { Connector } from '@patchbay/connectors';
import type { EnvVarType, JsonValue } from '@patchbay/store';

export const SOLUTION_FILE = 'solution.json';
export const REFERENCES_FILE = 'connectionReferences.json';
export const VARIABLES_FILE = 'environmentVariables.json';
export const SOLUTION_SCHEMA = 'patchbay/solution@1';

export interface SolutionManifest {
  schema: typeof SOLUTION_SCHEMA;
  name: string;
  displayName: string;
  version: string;
  exportedFrom: string;
  exportedAt: string;
  flows: { name: string; file: string }[];
  connectors: string[];
}

export interface ReferenceEntry {
  logicalName: string;
  displayName: string;
  connectorId: string;
  description?: string;
}
export interface VariableEntry {
  schemaName: string;
  displayName: string;
  type: EnvVarType;
  defaultValue?: JsonValue;
  description?: string;
}

export interface SolutionBundle {
  manifest: SolutionManifest;
  flows: { file: string; definition: FlowDefinition }[];
  references: ReferenceEntry[];
  variables: VariableEntry[];
  connectors: Connector[];
}

export type SolutionFiles = Map<string, Uint8Array>;

const text = (v: unknown) => new TextEncoder().encode(`${JSON.stringify(v, null, 2)}\n`);

/** A file name from a flow name: letters, digits, dashes and underscores. */
export function flowFileName(name: string, taken: Set<string>): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9_-]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'flow';
  let file = `flows/${base}.flow.json`;
  for (let i = 2; taken.has(file); i++) file = `flows/${base}_${i}.flow.json`;
  taken.add(file);
  return file;
}

export function bundleFiles(b: SolutionBundle): SolutionFiles {
  const files: SolutionFiles = new Map();
  files.set(SOLUTION_FILE, text(b.manifest));
  for (const f of b.flows) files.set(f.file, text(f.definition));
  files.set(REFERENCES_FILE, text(b.references));
  files.set(VARIABLES_FILE, text(b.variables));
  for (const c of b.connectors) files.set(`connectors/${c.id}/connector.json`, text(c));
  return files;
}

export async function writeFolder(dir: string, files: SolutionFiles): Promise<string[]> {
  const written: string[] = [];
  for (const [path, bytes] of files) {
    const full = join(dir, ...path.split('/'));
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, bytes);
    written.push(full);
  }
  return written;
}

// fflate builds its tables when evaluated: it loads only when a zip is written or read.
export async function zipFiles(files: SolutionFiles): Promise<Uint8Array> {
  const { zipSync } = await import('fflate');
  return zipSync(Object.fromEntries(files), { level: 6 });
}

async function readFolder(dir: string): Promise<SolutionFiles> {
  const files: SolutionFiles = new Map();
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) files.set(relative(dir, full).split(sep).join('/'), new Uint8Array(await readFile(full)));
    }
  };
  await walk(dir);
  return files;
}

async function unzip(bytes: Uint8Array, where: string): Promise<SolutionFiles> {
  const { unzipSync } = await import('fflate');
  try {
    return new Map(Object.entries(unzipSync(bytes)).filter(([p]) => !p.endsWith('/')));
  } catch (e) {
    throw new PatchbayError('store.invalid', `${where} is not a readable zip file: ${(e as Error).message}.`, {
      place: { file: where },
      hint: 'Give the folder or zip that `patchbay solution export` wrote.',
    });
  }
}

/** The files of a solution: a folder, a zip file's path, or zip bytes (uploads). */
export async function readFiles(source: string | Uint8Array): Promise<SolutionFiles> {
  if (typeof source !== 'string') return unzip(source, 'The uploaded solution');
  let isDir: boolean;
  try {
    isDir = (await stat(source)).isDirectory();
  } catch {
    throw new PatchbayError('store.not_found', `No solution folder or zip at ${source}.`, {
      place: { file: source },
      hint: 'Give the folder (or --zip file) that `patchbay solution export` wrote.',
    });
  }
  return isDir ? readFolder(source) : unzip(new Uint8Array(await readFile(source)), source);
}

function json<T>(files: SolutionFiles, path: string): T {
  const bytes = files.get(path);
  if (!bytes)
    throw new PatchbayError('store.invalid', `The solution has no ${path}.`, {
      place: { file: path },
      hint: 'Export the solution again with `patchbay solution export`.',
    });
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch (e) {
    throw new PatchbayError('store.invalid', `${path} in the solution is not valid JSON: ${(e as Error).message}.`, {
      place: { file: path },
    });
  }
}

function list<T>(v: unknown, path: string, check: (x: Record<string, unknown>) => boolean): T[] {
  if (!Array.isArray(v))
    throw new PatchbayError('store.invalid', `${path} must hold a list.`, { place: { file: path, pointer: '' } });
  v.forEach((x, i) => {
    if (typeof x !== 'object' || x === null || !check(x as Record<string, unknown>))
      throw new PatchbayError('store.invalid', `Entry ${i} of ${path} is malformed.`, {
        place: { file: path, pointer: `/${i}` },
        hint: 'Export the solution again.',
      });
  });
  return v as T[];
}

export function parseBundle(files: SolutionFiles): SolutionBundle {
  const manifest = json<SolutionManifest>(files, SOLUTION_FILE);
  if (manifest?.schema !== SOLUTION_SCHEMA || typeof manifest.name !== 'string' || !Array.isArray(manifest.flows)) {
    throw new PatchbayError(
      'store.invalid',
      `${SOLUTION_FILE} is not a Patchbay solution manifest (schema "${SOLUTION_SCHEMA}").`,
      { place: { file: SOLUTION_FILE } },
    );
  }
  const flows = manifest.flows.map((f) => ({ file: f.file, definition: json<FlowDefinition>(files, f.file) }));
  const references = list<ReferenceEntry>(
    json(files, REFERENCES_FILE),
    REFERENCES_FILE,
    (x) => typeof x.logicalName === 'string' && typeof x.connectorId === 'string',
  );
  const variables = list<VariableEntry>(
    json(files, VARIABLES_FILE),
    VARIABLES_FILE,
    (x) => typeof x.schemaName === 'string' && typeof x.type === 'string',
  );
  const connectors = (manifest.connectors ?? []).map((id) => json<Connector>(files, `connectors/${id}/connector.json`));
  return { manifest, flows, references, variables, connectors };
}
