import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileInfo, Host } from '../host.js';
import type { Value } from '../values.js';
import { renameActions } from './files-rename.js';
import { testContext } from './variables.test-support.js';

/**
 * An in-memory folder that behaves like a file system with or without case
 * folding (macOS and Windows fold case; the Linux machines running these tests
 * do not, so the case-folding one is simulated here). Each file keeps the
 * spelling it was created with, as those file systems do.
 */
function memoryFs(caseInsensitive: boolean) {
  const files = new Map<string, { path: string; data: string }>();
  const key = (p: string) => (caseInsensitive ? p.toLowerCase() : p);
  const info = (f: { path: string; data: string }): FileInfo => ({
    path: f.path,
    name: path.posix.basename(f.path),
    isFile: true,
    isDirectory: false,
    size: f.data.length,
    modified: new Date(0),
  });
  const refuse = (): never => {
    throw new Error('not used by File.Rename');
  };
  const fs: Host['fs'] = {
    readFile: refuse,
    writeFile: refuse,
    mkdir: refuse,
    remove: refuse,
    copy: refuse,
    stat: (p) => {
      const f = files.get(key(p));
      // The file system answers with the path asked for, as stat(2) does.
      return Promise.resolve(f ? { ...info(f), path: p, name: path.posix.basename(p) } : null);
    },
    list: (dir) => Promise.resolve([...files.values()].filter((f) => path.posix.dirname(f.path) === dir).map(info)),
    move: (from, to, opts) => {
      const f = files.get(key(from));
      if (!f) return Promise.reject(new Error(`ENOENT ${from}`));
      if (key(from) !== key(to) && files.has(key(to)) && !opts?.overwrite)
        return Promise.reject(new Error(`EEXIST ${to}`));
      // Overwriting what is at `to` replaces it; on a case-folding system that may be the source itself.
      files.delete(key(to));
      files.delete(key(from));
      files.set(key(to), { path: to, data: f.data });
      return Promise.resolve();
    },
  };
  const host: Host = {
    ...testContext().host,
    fs,
    path: {
      sep: '/',
      join: (...p) => path.posix.join(...p),
      resolve: (...p) => path.posix.resolve('/', ...p),
      parse: (p) => path.posix.parse(p),
    },
  };
  return { files, host, names: () => [...files.values()].map((f) => f.path).sort() };
}

async function rename(host: Host, params: Record<string, Value>): Promise<string[]> {
  const ctx = { ...testContext(), host };
  const def = renameActions[0]!;
  const full: Record<string, Value> = {};
  for (const spec of def.params) if (spec.default !== undefined) full[spec.name] = spec.default;
  const out = await def.run!(ctx, { ...full, ...params });
  return ((out?.renamed ?? []) as { FullName: string }[]).map((f) => f.FullName);
}

describe('File.Rename', () => {
  it('changes only the case of a name on a case-insensitive file system, whatever the if-exists policy', async () => {
    for (const ifFileExists of ['doNothing', 'fail', 'overwrite']) {
      const fs = memoryFs(true);
      fs.files.set('/d/a.txt', { path: '/d/a.txt', data: 'keep me' });
      expect(await rename(fs.host, { files: '/d/a.txt', newName: 'A', ifFileExists })).toEqual(['/d/A.txt']);
      expect(fs.names()).toEqual(['/d/A.txt']);
      expect(fs.files.get('/d/a.txt')?.data).toBe('keep me');
    }
  });

  it('still treats a different file whose name differs only in case as existing on a case-sensitive file system', async () => {
    const fs = memoryFs(false);
    fs.files.set('/d/a.txt', { path: '/d/a.txt', data: 'small' });
    fs.files.set('/d/A.txt', { path: '/d/A.txt', data: 'capital' });
    expect(await rename(fs.host, { files: '/d/a.txt', newName: 'A' })).toEqual([]);
    expect(fs.names()).toEqual(['/d/A.txt', '/d/a.txt']);
    await expect(rename(fs.host, { files: '/d/a.txt', newName: 'A', ifFileExists: 'fail' })).rejects.toThrow(
      '/d/A.txt already exists',
    );
    expect(await rename(fs.host, { files: '/d/a.txt', newName: 'A', ifFileExists: 'overwrite' })).toEqual(['/d/A.txt']);
    expect(fs.names()).toEqual(['/d/A.txt']);
    expect(fs.files.get('/d/A.txt')?.data).toBe('small');
  });
});
