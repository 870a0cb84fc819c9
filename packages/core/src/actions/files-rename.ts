/** File.Rename: PAD's renaming schemes (set a new name, add, remove or replace text, change the extension). */
import type { ActionContext, ActionDefinition } from '../contracts.js';
import type { Value } from '../values.js';
import { bool, option, paramError, text, type Params } from './variables-params.js';
import { IF_EXISTS_OPTIONS, IF_EXISTS_VALUES, existingFile, fileObject, mayWrite, pathsParam } from './files-paths.js';

const SCHEMES = ['setName', 'addText', 'removeText', 'replaceText', 'changeExtension'] as const;
type Scheme = (typeof SCHEMES)[number];

function checkName(name: string, param: string): string {
  if (name === '' || name === '.' || name === '..')
    throw paramError(param, 'the new name is empty.', 'Give a file name such as report.txt.');
  if (/[\\/]/.test(name) || name.includes('\0'))
    throw paramError(
      param,
      `'${name}' contains a path separator.`,
      'Give only a name; use File.Move to change the folder.',
    );
  return name;
}

function newName(p: Params, scheme: Scheme, name: string, ext: string): string {
  switch (scheme) {
    case 'setName': {
      const given = checkName(text(p, 'newName'), 'newName');
      return bool(p, 'keepExtension', true) ? given + ext : given;
    }
    case 'addText': {
      const add = text(p, 'textToAdd');
      if (add === '') throw paramError('textToAdd', 'the text to add is empty.');
      return checkName(
        option(p, 'addTextPosition', ['beforeName', 'afterName'], 'afterName') === 'beforeName'
          ? add + name + ext
          : name + add + ext,
        'textToAdd',
      );
    }
    case 'removeText': {
      const remove = text(p, 'textToRemove');
      if (remove === '') throw paramError('textToRemove', 'the text to remove is empty.');
      return checkName(name.split(remove).join('') + ext, 'textToRemove');
    }
    case 'replaceText': {
      const find = text(p, 'textToReplace');
      if (find === '') throw paramError('textToReplace', 'the text to replace is empty.');
      return checkName(name.split(find).join(text(p, 'replaceWith')) + ext, 'replaceWith');
    }
    case 'changeExtension': {
      const e = text(p, 'newExtension').trim().replace(/^\./, '');
      return checkName(e === '' ? name : `${name}.${e}`, 'newExtension');
    }
  }
}

/**
 * Whether `target` is `source` itself under another spelling, as on a case-insensitive file system
 * (macOS, Windows): it exists, yet its folder holds no entry spelled exactly as `target`.
 */
async function sameFileOtherCase(ctx: ActionContext, source: string, target: string): Promise<boolean> {
  if (source === target || source.toLowerCase() !== target.toLowerCase()) return false;
  if (!(await ctx.host.fs.stat(target))) return false;
  const { dir, base } = ctx.host.path.parse(target);
  const entries = await ctx.host.fs.list(dir, { kind: 'all' });
  return !entries.some((e) => ctx.host.path.parse(e.path).base === base);
}

/** A case-only rename goes through a temporary name, so no file system takes it for "target exists". */
async function renameCase(ctx: ActionContext, source: string, target: string): Promise<void> {
  const { dir, base } = ctx.host.path.parse(source);
  let temp = '';
  for (let i = 0; temp === '' || (await ctx.host.fs.stat(temp)); i++)
    temp = ctx.host.path.join(dir, `.${base}.patchbay-rename-${i}`);
  await ctx.host.fs.move(source, temp);
  try {
    await ctx.host.fs.move(temp, target);
  } catch (e) {
    await ctx.host.fs.move(temp, source);
    throw e;
  }
}

async function rename(ctx: ActionContext, p: Params) {
  const scheme = option(p, 'scheme', SCHEMES, 'setName');
  const policy = option(p, 'ifFileExists', IF_EXISTS_VALUES, 'doNothing');
  const renamed: Value[] = [];
  for (const source of pathsParam(ctx, p, 'files')) {
    await existingFile(ctx, 'files', source);
    const parts = ctx.host.path.parse(source);
    const target = ctx.host.path.join(parts.dir, newName(p, scheme, parts.name, parts.ext));
    if (await sameFileOtherCase(ctx, source, target)) {
      await renameCase(ctx, source, target);
    } else if (target !== source) {
      if (!(await mayWrite(ctx, target, policy, 'ifFileExists'))) continue;
      await ctx.host.fs.move(source, target, { overwrite: true });
    }
    const info = await ctx.host.fs.stat(target);
    if (info) renamed.push(fileObject(ctx, info));
  }
  return { renamed };
}

export const renameActions: ActionDefinition[] = [
  {
    id: 'File.Rename',
    group: 'File',
    displayName: 'Rename file(s)',
    description: 'Renames one or more files: a new name, added, removed or replaced text, or a new extension.',
    params: [
      {
        name: 'files',
        type: 'any',
        displayName: 'File(s) to rename',
        description: 'A path, a file, or a list of paths or files.',
        required: true,
      },
      {
        name: 'scheme',
        type: 'text',
        displayName: 'Rename scheme',
        default: 'setName',
        options: [
          { value: 'setName', title: 'Set new name' },
          { value: 'addText', title: 'Add text' },
          { value: 'removeText', title: 'Remove text' },
          { value: 'replaceText', title: 'Replace text' },
          { value: 'changeExtension', title: 'Change extension' },
        ],
      },
      { name: 'newName', type: 'text', displayName: 'New file name', description: 'With "Set new name".' },
      {
        name: 'keepExtension',
        type: 'boolean',
        displayName: 'Keep extension',
        default: true,
        description: 'With "Set new name".',
      },
      { name: 'textToAdd', type: 'text', displayName: 'Text to add', description: 'With "Add text".' },
      {
        name: 'addTextPosition',
        type: 'text',
        displayName: 'Add text',
        default: 'afterName',
        options: [
          { value: 'beforeName', title: 'Before name' },
          { value: 'afterName', title: 'After name' },
        ],
      },
      { name: 'textToRemove', type: 'text', displayName: 'Text to remove', description: 'With "Remove text".' },
      { name: 'textToReplace', type: 'text', displayName: 'Text to replace', description: 'With "Replace text".' },
      { name: 'replaceWith', type: 'text', displayName: 'Replace with', description: 'With "Replace text".' },
      {
        name: 'newExtension',
        type: 'text',
        displayName: 'New extension',
        description: 'With "Change extension"; empty removes it.',
      },
      {
        name: 'ifFileExists',
        type: 'text',
        displayName: 'If file exists',
        default: 'doNothing',
        options: IF_EXISTS_OPTIONS,
      },
    ],
    produces: [
      {
        key: 'renamed',
        defaultName: 'RenamedFiles',
        type: 'list',
        description: 'The renamed files (files skipped by "Do nothing" are left out).',
      },
    ],
    run: rename,
  },
];
