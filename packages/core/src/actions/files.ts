/**
 * File actions: read and write text (with encodings), convert to and from
 * binary, copy, move, rename, delete, exists, path parts and a temporary
 * file. Folder actions live in `files-folders.ts`, CSV files in
 * `files-csv.ts`; `filesActions` holds them all. Every path goes through
 * `ctx.host`, so this module does no I/O of its own.
 */
import { archiveActions } from './files-archive.js';
import type { ActionContext, ActionDefinition, ParamSpec } from '../contracts.js';
import { formatValue } from '../expressions/index.js';
import type { Value } from '../values.js';
import { bool, option, paramError } from './variables-params.js';
import {
  TEXT_ENCODINGS,
  TEXT_ENCODING_VALUES,
  decodeText,
  encodeText,
  splitLines,
  type TextEncoding,
} from './files-encoding.js';
import {
  IF_EXISTS_OPTIONS,
  IF_EXISTS_VALUES,
  existingFile,
  existingFolder,
  fileObject,
  mayWrite,
  pathParam,
  pathsParam,
} from './files-paths.js';
import { renameActions } from './files-rename.js';
import { folderActions } from './files-folders.js';
import { csvFileActions } from './files-csv.js';

const fileParam = (description = 'The path of the file, or a file from Folder.GetFiles.'): ParamSpec => ({
  name: 'file',
  type: 'any',
  displayName: 'File path',
  description,
  required: true,
});
const filesParam = (verb: string): ParamSpec => ({
  name: 'files',
  type: 'any',
  displayName: `File(s) to ${verb}`,
  description: 'A path, a file, or a list of paths or files.',
  required: true,
});
const encodingParam = (dflt: TextEncoding): ParamSpec => ({
  name: 'encoding',
  type: 'text',
  displayName: 'Encoding',
  default: dflt,
  options: TEXT_ENCODINGS,
  advanced: true,
});
const ifExistsParam = (dflt: string): ParamSpec => ({
  name: 'ifFileExists',
  type: 'text',
  displayName: 'If file exists',
  default: dflt,
  options: IF_EXISTS_OPTIONS,
});

/** Checks that the folder a new file goes into exists, so the error names it rather than the file. */
async function parentMustExist(ctx: ActionContext, param: string, path: string): Promise<void> {
  await existingFolder(ctx, param, ctx.host.path.parse(path).dir);
}

const readText: ActionDefinition = {
  id: 'File.ReadText',
  group: 'File',
  displayName: 'Read text from file',
  description: 'Reads the text of a file, as one text or as a list of lines.',
  params: [
    fileParam(),
    {
      name: 'storeAs',
      type: 'text',
      displayName: 'Store content as',
      default: 'text',
      options: [
        { value: 'text', title: 'Single text value' },
        { value: 'lines', title: 'List (each line is an item)' },
      ],
    },
    encodingParam('utf-8'),
  ],
  produces: [{ key: 'contents', defaultName: 'FileContents', type: 'any', description: 'Text, or a list of lines.' }],
  async run(ctx, p) {
    const path = pathParam(ctx, p, 'file');
    const encoding = option(p, 'encoding', TEXT_ENCODING_VALUES, 'utf-8');
    const asLines = option(p, 'storeAs', ['text', 'lines'], 'text') === 'lines';
    await existingFile(ctx, 'file', path);
    const content = decodeText(await ctx.host.fs.readFile(path), encoding);
    return { contents: asLines ? splitLines(content) : content };
  },
};

function textToWrite(v: Value): string {
  if (Array.isArray(v)) return v.map(formatValue).join('\n');
  return formatValue(v);
}

const writeText: ActionDefinition = {
  id: 'File.WriteText',
  group: 'File',
  displayName: 'Write text to file',
  description: 'Writes text (or a list, one item a line) to a file, replacing or appending to what is there.',
  params: [
    fileParam('The path of the file; it is created when it does not exist.'),
    { name: 'text', type: 'any', displayName: 'Text to write', required: true },
    { name: 'appendNewLine', type: 'boolean', displayName: 'Append new line', default: true },
    {
      name: 'ifFileExists',
      type: 'text',
      displayName: 'If file exists',
      default: 'overwrite',
      options: [
        { value: 'overwrite', title: 'Overwrite existing content' },
        { value: 'append', title: 'Append content' },
      ],
    },
    encodingParam('utf-8'),
  ],
  produces: [],
  async run(ctx, p) {
    const path = pathParam(ctx, p, 'file');
    const encoding = option(p, 'encoding', TEXT_ENCODING_VALUES, 'utf-8');
    const append = option(p, 'ifFileExists', ['overwrite', 'append'], 'overwrite') === 'append';
    let content = textToWrite(p.text ?? null);
    if (bool(p, 'appendNewLine', true)) content += '\n';
    const existing = await ctx.host.fs.stat(path);
    if (existing?.isDirectory) throw paramError('file', `${path} is a folder, not a file.`, 'Give the path of a file.');
    if (!existing) await parentMustExist(ctx, 'file', path);
    // A byte order mark starts a file, never the middle of one.
    const bom = !(append && existing && existing.size > 0);
    await ctx.host.fs.writeFile(path, encodeText(content, encoding, { bom }), { append });
  },
};

const toBinary: ActionDefinition = {
  id: 'File.ConvertFileToBinary',
  group: 'File',
  displayName: 'Convert file to binary data',
  description: "Reads a file's bytes, e.g. to send it to a connector action.",
  params: [fileParam()],
  produces: [{ key: 'binary', defaultName: 'BinaryData', type: 'binary' }],
  async run(ctx, p) {
    const path = pathParam(ctx, p, 'file');
    await existingFile(ctx, 'file', path);
    return { binary: await ctx.host.fs.readFile(path) };
  },
};

const fromBinary: ActionDefinition = {
  id: 'File.ConvertBinaryToFile',
  group: 'File',
  displayName: 'Convert binary data to file',
  description: 'Writes binary data (e.g. from a connector action) to a file.',
  params: [
    { name: 'binary', type: 'binary', displayName: 'Binary data', required: true },
    fileParam('The path of the file to write.'),
    ifExistsParam('overwrite'),
  ],
  produces: [],
  async run(ctx, p) {
    const data = p.binary;
    if (!(data instanceof Uint8Array))
      throw paramError(
        'binary',
        'binary data is required.',
        'Give binary data, e.g. %BinaryData% from File.ConvertFileToBinary.',
      );
    const path = pathParam(ctx, p, 'file');
    if (!(await mayWrite(ctx, path, option(p, 'ifFileExists', IF_EXISTS_VALUES, 'overwrite'), 'ifFileExists'))) return;
    await parentMustExist(ctx, 'file', path);
    await ctx.host.fs.writeFile(path, data);
  },
};

/** Copy and Move share their shape: files into a destination folder, with an if-exists policy. */
function transfer(kind: 'Copy' | 'Move'): ActionDefinition {
  const verb = kind.toLowerCase();
  const key = kind === 'Copy' ? 'copied' : 'moved';
  return {
    id: `File.${kind}`,
    group: 'File',
    displayName: `${kind} file(s)`,
    description: `${kind === 'Copy' ? 'Copies' : 'Moves'} one or more files into a folder.`,
    params: [
      filesParam(verb),
      { name: 'destination', type: 'text', displayName: 'Destination folder', required: true },
      ifExistsParam('doNothing'),
    ],
    produces: [
      {
        key,
        defaultName: kind === 'Copy' ? 'CopiedFiles' : 'MovedFiles',
        type: 'list',
        description: `The ${key} files (files skipped by "Do nothing" are left out).`,
      },
    ],
    async run(ctx, p) {
      const sources = pathsParam(ctx, p, 'files');
      const destination = pathParam(ctx, p, 'destination');
      await existingFolder(ctx, 'destination', destination);
      const policy = option(p, 'ifFileExists', IF_EXISTS_VALUES, 'doNothing');
      const done: Value[] = [];
      for (const source of sources) {
        await existingFile(ctx, 'files', source);
        const target = ctx.host.path.join(destination, ctx.host.path.parse(source).base);
        if (!(await mayWrite(ctx, target, policy, 'ifFileExists'))) continue;
        if (kind === 'Copy') await ctx.host.fs.copy(source, target, { overwrite: true });
        else await ctx.host.fs.move(source, target, { overwrite: true });
        const info = await ctx.host.fs.stat(target);
        if (info) done.push(fileObject(ctx, info));
      }
      return { [key]: done };
    },
  };
}

const deleteFiles: ActionDefinition = {
  id: 'File.Delete',
  group: 'File',
  displayName: 'Delete file(s)',
  description: 'Deletes one or more files.',
  params: [filesParam('delete')],
  produces: [],
  async run(ctx, p) {
    const paths = pathsParam(ctx, p, 'files');
    for (const path of paths) await existingFile(ctx, 'files', path);
    for (const path of paths) await ctx.host.fs.remove(path);
  },
};

const exists: ActionDefinition = {
  id: 'File.Exists',
  group: 'File',
  displayName: 'If file exists',
  description: 'Tells whether a file exists (a folder at the path does not count).',
  params: [fileParam()],
  produces: [{ key: 'exists', defaultName: 'FileExists', type: 'boolean' }],
  async run(ctx, p) {
    const info = await ctx.host.fs.stat(pathParam(ctx, p, 'file'));
    return { exists: info?.isFile === true };
  },
};

const pathPart: ActionDefinition = {
  id: 'File.GetPathPart',
  group: 'File',
  displayName: 'Get file path part',
  description:
    'Splits a file path into its root, folder, name, name without extension and extension. The file need not exist.',
  params: [fileParam()],
  produces: [
    { key: 'root', defaultName: 'RootPath', type: 'text' },
    { key: 'directory', defaultName: 'Directory', type: 'text' },
    { key: 'name', defaultName: 'FileName', type: 'text' },
    { key: 'nameWithoutExtension', defaultName: 'FileNameWithoutExtension', type: 'text' },
    { key: 'extension', defaultName: 'FileExtension', type: 'text' },
  ],
  run(ctx, p) {
    const parts = ctx.host.path.parse(pathParam(ctx, p, 'file'));
    return {
      root: parts.root,
      directory: parts.dir,
      name: parts.base,
      nameWithoutExtension: parts.name,
      extension: parts.ext,
    };
  },
};

function randomName(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return `tmp${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}.tmp`;
}

const tempFile: ActionDefinition = {
  id: 'File.GetTempPath',
  group: 'File',
  displayName: 'Get temporary file',
  description: 'Creates an empty file with a unique name in the temporary folder and gives its path.',
  params: [],
  produces: [{ key: 'file', defaultName: 'TempFile', type: 'text' }],
  async run(ctx) {
    const folder = ctx.host.env.tempDir();
    for (let attempt = 0; attempt < 5; attempt++) {
      const path = ctx.host.path.join(folder, randomName());
      if (await ctx.host.fs.stat(path)) continue;
      await ctx.host.fs.writeFile(path, new Uint8Array());
      return { file: path };
    }
    throw paramError('file', `no unique name could be found in ${folder}.`, 'Clean up the temporary folder.');
  },
};

export const fileActions: ActionDefinition[] = [
  readText,
  writeText,
  toBinary,
  fromBinary,
  transfer('Copy'),
  transfer('Move'),
  ...renameActions,
  deleteFiles,
  exists,
  pathPart,
  tempFile,
];

export const filesActions: ActionDefinition[] = [
  ...fileActions,
  ...csvFileActions,
  ...folderActions,
  ...archiveActions,
];
