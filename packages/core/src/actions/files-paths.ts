/**
 * Files and folders as flow values, and the paths actions accept. A file is
 * a custom object with the properties PAD's file type has (FullName, Name,
 * NameWithoutExtension, Extension, Directory, RootPath, Size, LastModified);
 * a folder has FullName, Name, Parent, RootPath and LastModified. A
 * parameter that takes files accepts a path, such an object, or a list of
 * either.
 */
import { PatchbayError } from '../errors.js';
import type { ActionContext } from '../contracts.js';
import type { FileInfo } from '../host.js';
import { isValueObject, type Value, type ValueObject } from '../values.js';
import { describeType, paramError, type Params } from './variables-params.js';

export function fileObject(ctx: ActionContext, info: FileInfo): ValueObject {
  const p = ctx.host.path.parse(info.path);
  return {
    FullName: info.path,
    Name: p.base,
    NameWithoutExtension: p.name,
    Extension: p.ext,
    Directory: p.dir,
    RootPath: p.root,
    Size: info.size,
    LastModified: info.modified,
  };
}

export function folderObject(ctx: ActionContext, info: FileInfo): ValueObject {
  const p = ctx.host.path.parse(info.path);
  return { FullName: info.path, Name: p.base, Parent: p.dir, RootPath: p.root, LastModified: info.modified };
}

function onePath(v: Value, name: string): string {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (isValueObject(v) && typeof v.FullName === 'string' && v.FullName !== '') return v.FullName;
  throw paramError(
    name,
    v === null || v === '' ? 'a path is required.' : `expected a path, a file or a folder, got ${describeType(v)}.`,
    `Give '${name}' a path such as C:\\Reports\\a.txt or /home/me/a.txt, or a file from Folder.GetFiles.`,
  );
}

/** One path from a parameter, resolved against the host's working folder. */
export function pathParam(ctx: ActionContext, p: Params, name: string): string {
  return ctx.host.path.resolve(onePath(p[name] ?? null, name));
}

/** One or more paths from a parameter that takes a path, a file, a folder or a list of them. */
export function pathsParam(ctx: ActionContext, p: Params, name: string): string[] {
  const v = p[name] ?? null;
  const items = Array.isArray(v) ? v : [v];
  if (items.length === 0) throw paramError(name, 'the list is empty.', `Give '${name}' at least one path.`);
  return items.map((item) => ctx.host.path.resolve(onePath(item, name)));
}

/** A file that must exist: its info, or an error that names the parameter and the path. */
export async function existingFile(ctx: ActionContext, param: string, path: string): Promise<FileInfo> {
  const info = await ctx.host.fs.stat(path);
  if (!info)
    throw new PatchbayError('action.failed', `Parameter '${param}': the file ${path} does not exist.`, {
      hint: 'Check the path, or use File.Exists before this step.',
      place: { file: path },
    });
  if (!info.isFile)
    throw new PatchbayError('action.failed', `Parameter '${param}': ${path} is a folder, not a file.`, {
      hint: 'Give the path of a file.',
      place: { file: path },
    });
  return info;
}

/** A folder that must exist. */
export async function existingFolder(ctx: ActionContext, param: string, path: string): Promise<FileInfo> {
  const info = await ctx.host.fs.stat(path);
  if (!info)
    throw new PatchbayError('action.failed', `Parameter '${param}': the folder ${path} does not exist.`, {
      hint: 'Check the path, or create it first with Folder.Create.',
      place: { file: path },
    });
  if (!info.isDirectory)
    throw new PatchbayError('action.failed', `Parameter '${param}': ${path} is a file, not a folder.`, {
      hint: 'Give the path of a folder.',
      place: { file: path },
    });
  return info;
}

/** What to do when the target already exists, as PAD offers it. */
export const IF_EXISTS_OPTIONS = [
  { value: 'overwrite', title: 'Overwrite' },
  { value: 'doNothing', title: 'Do nothing' },
  { value: 'fail', title: 'Fail' },
] as const;
export type IfExists = (typeof IF_EXISTS_OPTIONS)[number]['value'];
export const IF_EXISTS_VALUES: readonly IfExists[] = IF_EXISTS_OPTIONS.map((o) => o.value);

export function alreadyExists(param: string, path: string): PatchbayError {
  return new PatchbayError('action.failed', `${path} already exists.`, {
    hint: `Choose another target, or set '${param}' to Overwrite or Do nothing.`,
    place: { file: path },
  });
}

/** Applies an if-exists policy: `true` when the action should go on (overwriting if needed). */
export async function mayWrite(ctx: ActionContext, target: string, policy: IfExists, param: string): Promise<boolean> {
  if (policy === 'overwrite') return true;
  const exists = (await ctx.host.fs.stat(target)) !== null;
  if (!exists) return true;
  if (policy === 'doNothing') return false;
  throw alreadyExists(param, target);
}
