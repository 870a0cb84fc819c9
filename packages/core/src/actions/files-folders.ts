/** Folder actions: list files and subfolders (patterns, recursion, sorting), create, delete, empty, copy and move. */
import type { ActionContext, ActionDefinition, ParamSpec } from '../contracts.js';
import type { FileInfo } from '../host.js';
import type { Value } from '../values.js';
import { bool, option, paramError, text, type Params } from './variables-params.js';
import {
  IF_EXISTS_OPTIONS,
  IF_EXISTS_VALUES,
  existingFolder,
  fileObject,
  folderObject,
  mayWrite,
  pathParam,
} from './files-paths.js';

const folderParam = (displayName = 'Folder'): ParamSpec => ({
  name: 'folder',
  type: 'any',
  displayName,
  description: 'The path of the folder, or a folder from Folder.GetSubfolders.',
  required: true,
});

const SORT_KEYS = ['none', 'fullName', 'name', 'extension', 'size', 'lastModified'] as const;
type SortKey = (typeof SORT_KEYS)[number];
const sortParams: ParamSpec[] = [
  {
    name: 'sortBy',
    type: 'text',
    displayName: 'Sort by',
    default: 'none',
    advanced: true,
    options: [
      { value: 'none', title: 'No sort' },
      { value: 'fullName', title: 'Full name' },
      { value: 'name', title: 'Name' },
      { value: 'extension', title: 'Extension' },
      { value: 'size', title: 'Size' },
      { value: 'lastModified', title: 'Last modified' },
    ],
  },
  { name: 'sortDescending', type: 'boolean', displayName: 'Descending', default: false, advanced: true },
];

function extOf(ctx: ActionContext, i: FileInfo): string {
  return ctx.host.path.parse(i.path).ext.toLowerCase();
}

function sortInfos(ctx: ActionContext, infos: FileInfo[], key: SortKey, descending: boolean): FileInfo[] {
  if (key === 'none') return infos;
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  const cmp = (a: FileInfo, b: FileInfo): number => {
    switch (key) {
      case 'fullName':
        return collator.compare(a.path, b.path);
      case 'name':
        return collator.compare(a.name, b.name);
      case 'extension':
        return collator.compare(extOf(ctx, a), extOf(ctx, b)) || collator.compare(a.name, b.name);
      case 'size':
        return a.size - b.size;
      case 'lastModified':
        return a.modified.getTime() - b.modified.getTime();
    }
  };
  return [...infos].sort((a, b) => (descending ? -cmp(a, b) : cmp(a, b)));
}

async function listing(ctx: ActionContext, p: Params, kind: 'files' | 'folders', filterParam: string) {
  const folder = pathParam(ctx, p, 'folder');
  await existingFolder(ctx, 'folder', folder);
  const infos = await ctx.host.fs.list(folder, {
    pattern: text(p, filterParam, '*'),
    recursive: bool(p, 'includeSubfolders', false),
    kind,
  });
  return sortInfos(ctx, infos, option(p, 'sortBy', SORT_KEYS, 'none'), bool(p, 'sortDescending', false));
}

const getFiles: ActionDefinition = {
  id: 'Folder.GetFiles',
  group: 'Folder',
  displayName: 'Get files in folder',
  description: 'Lists the files of a folder that match one or more patterns such as *.txt;*.csv.',
  params: [
    folderParam(),
    {
      name: 'fileFilter',
      type: 'text',
      displayName: 'File filter',
      default: '*',
      description: 'Wildcards, several separated by ";", e.g. *.txt;*.csv. Matching ignores case.',
    },
    { name: 'includeSubfolders', type: 'boolean', displayName: 'Include subfolders', default: false },
    ...sortParams,
  ],
  produces: [
    {
      key: 'files',
      defaultName: 'Files',
      type: 'list',
      description: 'Files (FullName, Name, NameWithoutExtension, Extension, Directory, RootPath, Size, LastModified).',
    },
  ],
  async run(ctx, p) {
    return { files: (await listing(ctx, p, 'files', 'fileFilter')).map((i) => fileObject(ctx, i)) };
  },
};

const getSubfolders: ActionDefinition = {
  id: 'Folder.GetSubfolders',
  group: 'Folder',
  displayName: 'Get subfolders in folder',
  description: 'Lists the subfolders of a folder that match one or more patterns.',
  params: [
    folderParam(),
    {
      name: 'folderFilter',
      type: 'text',
      displayName: 'Folder filter',
      default: '*',
      description: 'Wildcards, several separated by ";". Matching ignores case.',
    },
    { name: 'includeSubfolders', type: 'boolean', displayName: 'Include subfolders', default: false },
    ...sortParams,
  ],
  produces: [
    {
      key: 'folders',
      defaultName: 'Folders',
      type: 'list',
      description: 'Folders (FullName, Name, Parent, RootPath, LastModified).',
    },
  ],
  async run(ctx, p) {
    return { folders: (await listing(ctx, p, 'folders', 'folderFilter')).map((i) => folderObject(ctx, i)) };
  },
};

const create: ActionDefinition = {
  id: 'Folder.Create',
  group: 'Folder',
  displayName: 'Create folder',
  description: 'Creates a folder (and any missing parents). An existing folder is left as it is.',
  params: [
    { name: 'createIn', type: 'any', displayName: 'Create new folder into', required: true },
    { name: 'name', type: 'text', displayName: 'New folder name', required: true },
  ],
  produces: [{ key: 'folder', defaultName: 'NewFolder', type: 'text', description: 'The full path of the folder.' }],
  async run(ctx, p) {
    const parent = pathParam(ctx, p, 'createIn');
    const name = text(p, 'name').trim();
    if (name === '') throw paramError('name', 'the folder name is empty.', 'Give a folder name such as Reports.');
    const path = ctx.host.path.resolve(parent, name);
    const existing = await ctx.host.fs.stat(path);
    if (existing && !existing.isDirectory)
      throw paramError('name', `${path} is a file.`, 'Choose another folder name.');
    await ctx.host.fs.mkdir(path);
    return { folder: path };
  },
};

const remove: ActionDefinition = {
  id: 'Folder.Delete',
  group: 'Folder',
  displayName: 'Delete folder',
  description: 'Deletes a folder with everything in it.',
  params: [folderParam('Folder to delete')],
  produces: [],
  async run(ctx, p) {
    const folder = pathParam(ctx, p, 'folder');
    await existingFolder(ctx, 'folder', folder);
    await ctx.host.fs.remove(folder, { recursive: true });
  },
};

const empty: ActionDefinition = {
  id: 'Folder.Empty',
  group: 'Folder',
  displayName: 'Empty folder',
  description: 'Deletes every file and subfolder in a folder, keeping the folder.',
  params: [folderParam('Folder to empty')],
  produces: [],
  async run(ctx, p) {
    const folder = pathParam(ctx, p, 'folder');
    await existingFolder(ctx, 'folder', folder);
    for (const entry of await ctx.host.fs.list(folder, { kind: 'all' }))
      await ctx.host.fs.remove(entry.path, { recursive: true });
  },
};

function transfer(kind: 'Copy' | 'Move'): ActionDefinition {
  const key = kind === 'Copy' ? 'copied' : 'moved';
  return {
    id: `Folder.${kind}`,
    group: 'Folder',
    displayName: `${kind} folder`,
    description: `${kind === 'Copy' ? 'Copies' : 'Moves'} a folder with its contents into another folder.`,
    params: [
      folderParam(`Folder to ${kind.toLowerCase()}`),
      { name: 'destination', type: 'any', displayName: 'Destination folder', required: true },
      {
        name: 'ifFolderExists',
        type: 'text',
        displayName: 'If folder exists',
        default: 'doNothing',
        options: IF_EXISTS_OPTIONS,
      },
    ],
    produces: [
      {
        key,
        defaultName: kind === 'Copy' ? 'CopiedFolder' : 'MovedFolder',
        type: 'any',
        description: 'The folder at its new place (empty when "Do nothing" skipped it).',
      },
    ],
    async run(ctx, p) {
      const source = pathParam(ctx, p, 'folder');
      await existingFolder(ctx, 'folder', source);
      const destination = pathParam(ctx, p, 'destination');
      await existingFolder(ctx, 'destination', destination);
      const target = ctx.host.path.join(destination, ctx.host.path.parse(source).base);
      const sep = ctx.host.path.sep;
      if (target === source || target.startsWith(source + sep))
        throw paramError(
          'destination',
          `a folder cannot be ${key} into itself (${destination}).`,
          'Choose a destination outside the folder.',
        );
      let result: Value = null;
      if (await mayWrite(ctx, target, option(p, 'ifFolderExists', IF_EXISTS_VALUES, 'doNothing'), 'ifFolderExists')) {
        if (kind === 'Copy') await ctx.host.fs.copy(source, target, { overwrite: true });
        else await ctx.host.fs.move(source, target, { overwrite: true });
        const info = await ctx.host.fs.stat(target);
        result = info ? folderObject(ctx, info) : null;
      }
      return { [key]: result };
    },
  };
}

export const folderActions: ActionDefinition[] = [
  getFiles,
  getSubfolders,
  create,
  remove,
  empty,
  transfer('Copy'),
  transfer('Move'),
];
