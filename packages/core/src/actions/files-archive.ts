/**
 * ZIP archives (through fflate: small, maintained, pure JavaScript, runs in
 * the browser too) and base64 files, after PAD's "ZIP files", "Unzip files",
 * "Convert file to Base64" and "Convert Base64 to file".
 */
import type { Zippable } from 'fflate';
import { PatchbayError } from '../errors.js';
import type { ActionContext, ActionDefinition } from '../contracts.js';
import { base64ToBytes, bytesToBase64 } from '../expressions/format.js';
import { int, option, paramError, text } from './variables-params.js';
import {
  IF_EXISTS_OPTIONS,
  IF_EXISTS_VALUES,
  existingFile,
  existingFolder,
  mayWrite,
  pathParam,
  pathsParam,
} from './files-paths.js';

/** fflate, loaded by the first ZIP action: a run without one never pays for its tables and worker shim. */
const fflate = () => import('fflate');

/** Adds a file, or a folder with everything under it, to the archive under `name`. */
async function addToZip(ctx: ActionContext, into: Zippable, path: string, name: string, level: number): Promise<void> {
  const info = await ctx.host.fs.stat(path);
  if (!info)
    throw new PatchbayError('action.failed', `Parameter 'source': ${path} does not exist.`, { place: { file: path } });
  const opts = { level: level as 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 };
  if (info.isFile) {
    into[name] = [await ctx.host.fs.readFile(path), opts];
    return;
  }
  const entries = await ctx.host.fs.list(path, { recursive: true, kind: 'files' });
  for (const e of entries) {
    const rel = e.path
      .slice(path.length)
      .replace(/^[\\/]+/, '')
      .replace(/\\/g, '/');
    into[`${name}/${rel}`] = [await ctx.host.fs.readFile(e.path), opts];
  }
  if (entries.length === 0) into[`${name}/`] = new Uint8Array(0);
}

/** An entry name that stays inside the destination folder, or an error (no `..`, no absolute paths). */
function safeEntry(name: string, archive: string): string[] {
  const parts = name
    .replace(/\\/g, '/')
    .split('/')
    .filter((x) => x !== '' && x !== '.');
  if (/^([A-Za-z]:|\/)/.test(name) || parts.includes('..'))
    throw new PatchbayError(
      'action.failed',
      `The archive ${archive} holds an entry that points outside its folder: ${name}`,
      {
        hint: 'The archive may be malicious; it was not extracted.',
        place: { file: archive },
      },
    );
  return parts;
}

export const archiveActions: ActionDefinition[] = [
  {
    id: 'Compression.ZipFiles',
    group: 'Compression',
    displayName: 'ZIP files',
    description: 'Compresses files and folders (with everything in them) into a ZIP archive.',
    params: [
      { name: 'archive', type: 'any', displayName: 'Archive path', required: true },
      {
        name: 'source',
        type: 'any',
        displayName: 'Files to zip',
        required: true,
        description: 'A path, a file or folder, or a list of them.',
      },
      {
        name: 'compressionLevel',
        type: 'number',
        displayName: 'Compression level',
        default: 6,
        description: '0 (store) to 9 (best).',
      },
      {
        name: 'ifArchiveExists',
        type: 'text',
        displayName: 'If the archive exists',
        default: 'overwrite',
        options: IF_EXISTS_OPTIONS,
      },
    ],
    produces: [],
    async run(ctx, p) {
      const archive = pathParam(ctx, p, 'archive');
      const level = int(p, 'compressionLevel', 6);
      if (level < 0 || level > 9) throw paramError('compressionLevel', `must be 0 to 9, got ${level}.`);
      if (
        !(await mayWrite(ctx, archive, option(p, 'ifArchiveExists', IF_EXISTS_VALUES, 'overwrite'), 'ifArchiveExists'))
      )
        return;
      const files: Zippable = {};
      for (const src of pathsParam(ctx, p, 'source'))
        await addToZip(ctx, files, src, ctx.host.path.parse(src).base, level);
      const { zipSync } = await fflate();
      await ctx.host.fs.writeFile(archive, zipSync(files));
    },
  },
  {
    id: 'Compression.UnzipFiles',
    group: 'Compression',
    displayName: 'Unzip files',
    description:
      'Extracts a ZIP archive into a folder (created when missing). Entries that point outside it are refused.',
    params: [
      { name: 'archive', type: 'any', displayName: 'Archive path', required: true },
      { name: 'destination', type: 'any', displayName: 'Destination folder', required: true },
      {
        name: 'ifFileExists',
        type: 'text',
        displayName: 'If a file exists',
        default: 'overwrite',
        options: IF_EXISTS_OPTIONS,
      },
    ],
    produces: [
      { key: 'files', defaultName: 'UnzippedFiles', type: 'list', description: 'The paths of the files written.' },
    ],
    async run(ctx, p) {
      const archive = pathParam(ctx, p, 'archive');
      await existingFile(ctx, 'archive', archive);
      const dest = pathParam(ctx, p, 'destination');
      await ctx.host.fs.mkdir(dest);
      await existingFolder(ctx, 'destination', dest);
      const { unzipSync } = await fflate();
      let entries: Record<string, Uint8Array>;
      try {
        entries = unzipSync(await ctx.host.fs.readFile(archive));
      } catch (e) {
        throw new PatchbayError(
          'action.failed',
          `${archive} is not a readable ZIP archive (${(e as Error).message}).`,
          {
            place: { file: archive },
          },
        );
      }
      const policy = option(p, 'ifFileExists', IF_EXISTS_VALUES, 'overwrite');
      const written: string[] = [];
      const plan = Object.entries(entries).map(([name, data]) => ({
        parts: safeEntry(name, archive),
        dir: name.endsWith('/'),
        data,
      }));
      for (const e of plan) {
        const target = ctx.host.path.join(dest, ...e.parts);
        if (e.dir) {
          await ctx.host.fs.mkdir(target);
          continue;
        }
        if (e.parts.length > 1) await ctx.host.fs.mkdir(ctx.host.path.join(dest, ...e.parts.slice(0, -1)));
        if (!(await mayWrite(ctx, target, policy, 'ifFileExists'))) continue;
        await ctx.host.fs.writeFile(target, e.data);
        written.push(target);
      }
      return { files: written };
    },
  },
  {
    id: 'File.ConvertToBase64',
    group: 'File',
    displayName: 'Convert file to Base64',
    description: "A file's bytes as base64 text.",
    params: [{ name: 'file', type: 'any', displayName: 'File path', required: true }],
    produces: [{ key: 'text', defaultName: 'Base64Text', type: 'text' }],
    async run(ctx, p) {
      const path = pathParam(ctx, p, 'file');
      await existingFile(ctx, 'file', path);
      return { text: bytesToBase64(await ctx.host.fs.readFile(path)) };
    },
  },
  {
    id: 'File.ConvertFromBase64',
    group: 'File',
    displayName: 'Convert Base64 to file',
    description: 'Writes base64 text as a file.',
    params: [
      { name: 'base64', type: 'text', displayName: 'Base64 text', required: true },
      { name: 'file', type: 'any', displayName: 'File path', required: true },
      {
        name: 'ifFileExists',
        type: 'text',
        displayName: 'If file exists',
        default: 'overwrite',
        options: IF_EXISTS_OPTIONS,
      },
    ],
    produces: [],
    async run(ctx, p) {
      const bytes = base64ToBytes(text(p, 'base64').replace(/\s+/g, ''));
      if (!bytes)
        throw paramError('base64', 'the text is not base64.', 'Give base64 text, e.g. from Convert file to Base64.');
      const path = pathParam(ctx, p, 'file');
      if (!(await mayWrite(ctx, path, option(p, 'ifFileExists', IF_EXISTS_VALUES, 'overwrite'), 'ifFileExists')))
        return;
      await ctx.host.fs.writeFile(path, bytes);
    },
  },
];
