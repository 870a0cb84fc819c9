/**
 * Loader: reads a Power Platform connector folder or a single OpenAPI file
 * (JSON or YAML) from disk, or the same from text, and hands the parsed
 * documents to the pipeline. Every failure is a PatchbayError naming the file.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PatchbayError, isPatchbayError } from '@patchbay/core';
import type { Connector } from '../model.js';
import { buildConnector, type ConnectorDocuments, type ImportOptions } from './build.js';
import { parseDefinitionText, parseJsonText } from './parse.js';
import { refOperationsOf, refOperationsWarning } from './operations.js';
import { bundleDefinition, findRootDefinition, hasExternalRefs, unpackZip, zipContentRoot } from './bundle.js';

export const DEFINITION_FILE = 'apiDefinition.swagger.json';
export const PROPERTIES_FILE = 'apiProperties.json';

/** The model outgrew what one JSON text can hold: say so, with the operations that weigh most. */
function tooLarge(file: string, connector: Connector): PatchbayError {
  const sizes = connector.operations.map((op) => {
    let size = Infinity;
    try {
      size = JSON.stringify(op).length;
    } catch {
      // one operation alone is over the limit
    }
    return { id: op.id, size };
  });
  sizes.sort((a, b) => b.size - a.size);
  const mb = (n: number) => (Number.isFinite(n) ? `${(n / 1048576).toFixed(0)} MB` : 'over 512 MB');
  const heaviest = sizes
    .slice(0, 3)
    .map((o) => `${o.id} (${mb(o.size)})`)
    .join(', ');
  return new PatchbayError(
    'connector.invalid',
    `${file} makes a connector model larger than one JSON text can hold (Node's limit is 512 MB) across its ${connector.operations.length} operations. The largest: ${heaviest}.`,
    {
      place: { file },
      hint: 'Import a part of the definition (the paths you need), or split it into several connectors.',
    },
  );
}

/**
 * Runs the pipeline, converting any unexpected failure into a PatchbayError so
 * callers never see a raw stack trace, and proves the model can be stored as
 * JSON (values copied from the file, such as defaults, could nest too deeply).
 */
export function guarded(file: string, build: () => Connector): Connector {
  let built: Connector | undefined;
  try {
    const connector = build();
    built = connector;
    JSON.stringify(connector);
    return connector;
  } catch (e) {
    if (isPatchbayError(e)) throw e;
    if (e instanceof RangeError && built && /string length/i.test(e.message)) throw tooLarge(file, built);
    if (e instanceof RangeError)
      throw new PatchbayError('connector.invalid', `${file} is nested too deeply to import.`, {
        place: { file },
        hint: 'Flatten the definition; no real API definition nests this deep.',
      });
    const reason = e instanceof Error ? e.message : String(e);
    throw new PatchbayError('internal', `Patchbay could not import ${file}: ${reason}.`, {
      place: { file },
      hint: 'Please report this with the definition file.',
      cause: e,
    });
  }
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PatchbayError('connector.invalid', `Cannot read ${path}: ${(e as Error).message}.`, {
      place: { file: path },
    });
  }
}

/**
 * A file's text: UTF-8 unless a byte order mark says UTF-16 (Windows
 * PowerShell 5 writes `>` and `Out-File` redirections as UTF-16 LE). A UTF-8
 * mark is left for the parsers, which skip it.
 */
function decode(buf: Uint8Array): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf);
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf);
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8');
}

async function loadFolder(dir: string): Promise<ConnectorDocuments> {
  const defPath = join(dir, DEFINITION_FILE);
  const def = await readOptional(defPath);
  if (!def) {
    throw new PatchbayError('connector.invalid', `${dir} has no ${DEFINITION_FILE}.`, {
      place: { file: dir },
      hint: `A Power Platform connector folder holds ${DEFINITION_FILE} and ${PROPERTIES_FILE}; to import an OpenAPI file, give the file itself.`,
    });
  }
  const propsPath = join(dir, PROPERTIES_FILE);
  const [props, icon, script] = await Promise.all([
    readOptional(propsPath),
    readOptional(join(dir, 'icon.png')),
    readOptional(join(dir, 'script.csx')),
  ]);
  return {
    definition: parseJsonText(decode(def), defPath),
    apiProperties: props ? parseJsonText(decode(props), propsPath) : {},
    icon: icon ? new Uint8Array(icon) : undefined,
    script: script ? decode(script) : undefined,
    path: dir,
    definitionFile: defPath,
  };
}

/** Imports a Power Platform connector folder or an OpenAPI file (Swagger 2.0, OpenAPI 3.0 / 3.1; JSON or YAML). */
export async function importConnector(path: string, opts: ImportOptions = {}): Promise<Connector> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw new PatchbayError('connector.invalid', `No file or folder at ${path}.`, {
      place: { file: path },
      hint: 'Give a Power Platform connector folder or an OpenAPI file.',
    });
  }
  // A file of a Power Platform folder stands for the folder when its sibling is there too.
  const name = basename(path);
  if (
    name === PROPERTIES_FILE ||
    (name === DEFINITION_FILE && (await readOptional(join(dirname(path), PROPERTIES_FILE))) !== undefined)
  ) {
    if (name === PROPERTIES_FILE && (await readOptional(join(dirname(path), DEFINITION_FILE))) === undefined) {
      throw new PatchbayError(
        'connector.invalid',
        `${path} holds connection settings, not an API definition, and its folder has no ${DEFINITION_FILE}.`,
        { place: { file: path }, hint: 'Give the connector folder or an OpenAPI file.' },
      );
    }
    isDir = true;
    path = dirname(path);
  }
  if (isDir) {
    if ((await readOptional(join(path, DEFINITION_FILE))) === undefined) {
      // A folder of OpenAPI files: its root definition, with the files it refers to.
      const root = await findRootDefinition(path);
      if (root) return importFile(root, opts, path);
    }
    const docs = await loadFolder(path);
    return guarded(docs.definitionFile ?? path, () => buildConnector(docs, opts));
  }
  if (/\.zip$/i.test(path)) return importZip(path, opts);
  return importFile(path, opts);
}

/** One definition file, bundled with the files its `$ref`s name when there are any. */
async function importFile(path: string, opts: ImportOptions, source = path): Promise<Connector> {
  const text = await readOptional(path);
  if (!text) throw new PatchbayError('connector.invalid', `No file at ${path}.`, { place: { file: path } });
  const decoded = decode(text);
  if (!hasExternalRefs(decoded)) return importConnectorFromText(decoded, { ...opts, fileName: path, path: source });
  // Bundling inlines operations written as $refs; say so as a single-file import would.
  const refOperations = refOperationsOf(parseDefinitionText(decoded, path));
  const definition = await bundleDefinition(path);
  const connector = importConnectorFromObjects({ definition, definitionFile: path, path: source }, opts);
  const warning = refOperations.length ? refOperationsWarning(refOperations) : undefined;
  if (warning && !connector.warnings.some((w) => w.includes('written as a $ref'))) connector.warnings.push(warning);
  return connector;
}

/** A zip of a Power Platform connector folder or of a multi-file OpenAPI definition. */
async function importZip(path: string, opts: ImportOptions): Promise<Connector> {
  const bytes = await readOptional(path);
  if (!bytes) throw new PatchbayError('connector.invalid', `No file at ${path}.`, { place: { file: path } });
  const dir = await unpackZip(new Uint8Array(bytes), path);
  try {
    const root = await zipContentRoot(dir);
    if ((await readOptional(join(root, DEFINITION_FILE))) !== undefined) {
      const docs = { ...(await loadFolder(root)), path };
      return guarded(path, () => buildConnector(docs, opts));
    }
    const file = await findRootDefinition(root, path);
    if (!file)
      throw new PatchbayError('connector.invalid', `${path} holds no API definition.`, {
        place: { file: path },
        hint: `Zip a Power Platform connector folder (${DEFINITION_FILE}) or an OpenAPI root file with the files it refers to.`,
      });
    return await importFile(file, opts, path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface TextImportOptions extends ImportOptions {
  /** File name for error places and format detection (`.json`, `.yaml`); `definition` by default. */
  fileName?: string;
  /** Text of a Power Platform `apiProperties.json`; makes the import a Power Platform connector. */
  apiProperties?: string;
  script?: string;
  icon?: Uint8Array;
  /** Recorded as `source.path`. */
  path?: string;
}

/** Imports from text (the server's upload route): a definition, optionally with `apiProperties.json` text, script and icon. */
export function importConnectorFromText(text: string, opts: TextImportOptions = {}): Connector {
  const file = opts.fileName ?? 'definition';
  return guarded(file, () => {
    const docs: ConnectorDocuments = { definition: parseDefinitionText(text, file), definitionFile: file };
    if (opts.apiProperties !== undefined) docs.apiProperties = parseJsonText(opts.apiProperties, PROPERTIES_FILE);
    if (opts.script !== undefined) docs.script = opts.script;
    if (opts.icon !== undefined) docs.icon = opts.icon;
    if (opts.path !== undefined) docs.path = opts.path;
    return buildConnector(docs, opts);
  });
}

/** Imports from already-parsed documents. */
export function importConnectorFromObjects(docs: ConnectorDocuments, opts: ImportOptions = {}): Connector {
  return guarded(docs.definitionFile ?? docs.path ?? 'definition', () => buildConnector(docs, opts));
}
