/** `Host.fs` and `Host.path` for Node.js: files and folders, with errors that name the path. */
import { promises as fsp, constants as fsc, type Stats } from 'node:fs';
import nodePath from 'node:path';
import picomatch from 'picomatch';
import type { FileInfo, Host } from '@patchbay/core';
import { fsError } from './fs-errors.js';

function info(path: string, st: Stats): FileInfo {
  return {
    path,
    name: nodePath.basename(path),
    isFile: st.isFile(),
    isDirectory: st.isDirectory(),
    size: st.isFile() ? st.size : 0,
    modified: st.mtime,
  };
}

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await fsp.stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw fsError(e, path);
  }
}

/** A name filter from PAD-style patterns (`*.txt;*.csv`); case-insensitive as on Windows, hidden files included. */
export function nameMatcher(pattern: string | undefined): (name: string) => boolean {
  const parts = (pattern ?? '')
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0 || parts.includes('*')) return () => true;
  return picomatch(parts, { nocase: true, dot: true });
}

type ListOpts = { pattern?: string; recursive?: boolean; kind?: 'files' | 'folders' | 'all' };

async function list(dir: string, opts: ListOpts = {}): Promise<FileInfo[]> {
  const matches = nameMatcher(opts.pattern);
  const kind = opts.kind ?? 'all';
  const out: FileInfo[] = [];
  const rootStat = await statOrNull(dir);
  if (!rootStat) throw fsError(Object.assign(new Error('missing'), { code: 'ENOENT' }), dir);
  if (!rootStat.isDirectory()) throw fsError(Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }), dir);

  const walk = async (folder: string, isRoot: boolean): Promise<void> => {
    let entries;
    try {
      entries = await fsp.readdir(folder, { withFileTypes: true });
    } catch (e) {
      // An unreadable subfolder is skipped, as PAD does by default; the folder asked for must be readable.
      if (isRoot) throw fsError(e, folder);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = nodePath.join(folder, entry.name);
      let st: Stats;
      try {
        st = await fsp.stat(full);
      } catch {
        continue; // a broken link or an entry removed while listing
      }
      const wanted = (st.isFile() && kind !== 'folders') || (st.isDirectory() && kind !== 'files');
      if (wanted && matches(entry.name)) out.push(info(full, st));
      // Links to folders are listed but not followed, so a link loop cannot trap the walk.
      if (opts.recursive && st.isDirectory() && !entry.isSymbolicLink()) await walk(full, false);
    }
  };
  await walk(dir, true);
  return out;
}

async function copy(from: string, to: string, opts: { overwrite?: boolean } = {}): Promise<void> {
  const src = await statOrNull(from);
  if (!src) throw fsError(Object.assign(new Error('missing'), { code: 'ENOENT' }), from);
  const dest = await statOrNull(to);
  if (dest && !opts.overwrite) throw fsError(Object.assign(new Error('exists'), { code: 'EEXIST' }), to);
  try {
    if (src.isDirectory()) {
      if (dest && !dest.isDirectory()) await fsp.rm(to, { force: true });
      await fsp.cp(from, to, { recursive: true, force: true });
    } else {
      if (dest?.isDirectory()) throw fsError(Object.assign(new Error('is dir'), { code: 'EISDIR' }), to);
      await fsp.copyFile(from, to, opts.overwrite ? 0 : fsc.COPYFILE_EXCL);
    }
  } catch (e) {
    throw fsError(e, to);
  }
}

async function move(from: string, to: string, opts: { overwrite?: boolean } = {}): Promise<void> {
  const src = await statOrNull(from);
  if (!src) throw fsError(Object.assign(new Error('missing'), { code: 'ENOENT' }), from);
  if (nodePath.resolve(from) === nodePath.resolve(to)) return;
  const dest = await statOrNull(to);
  if (dest && !opts.overwrite) throw fsError(Object.assign(new Error('exists'), { code: 'EEXIST' }), to);
  try {
    if (dest && (dest.isDirectory() || src.isDirectory())) await fsp.rm(to, { recursive: true, force: true });
    await fsp.rename(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw fsError(e, to);
    await copy(from, to, { overwrite: true });
    await fsp.rm(from, { recursive: true, force: true }).catch((err: unknown) => {
      throw fsError(err, from);
    });
  }
}

async function remove(path: string, opts: { recursive?: boolean } = {}): Promise<void> {
  const st = await statOrNull(path);
  if (!st) throw fsError(Object.assign(new Error('missing'), { code: 'ENOENT' }), path);
  try {
    if (st.isDirectory()) {
      if (opts.recursive) await fsp.rm(path, { recursive: true });
      else await fsp.rmdir(path);
    } else {
      await fsp.unlink(path);
    }
  } catch (e) {
    throw fsError(e, path);
  }
}

export const nodeFs: Host['fs'] = {
  async readFile(path) {
    try {
      return new Uint8Array(await fsp.readFile(path));
    } catch (e) {
      throw fsError(e, path);
    }
  },
  async writeFile(path, data, opts) {
    try {
      await fsp.writeFile(path, data, { flag: opts?.append ? 'a' : 'w' });
    } catch (e) {
      throw fsError(e, path);
    }
  },
  async stat(path) {
    const st = await statOrNull(path);
    return st ? info(path, st) : null;
  },
  list,
  async mkdir(path) {
    try {
      await fsp.mkdir(path, { recursive: true });
    } catch (e) {
      throw fsError(e, path);
    }
  },
  remove,
  copy,
  move,
};

export const nodePathApi: Host['path'] = {
  sep: nodePath.sep,
  join: (...parts) => nodePath.join(...parts),
  resolve: (...parts) => nodePath.resolve(...parts),
  parse: (p) => nodePath.parse(p),
};
