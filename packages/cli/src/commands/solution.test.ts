import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PatchbayError } from '@patchbay/core';
import { readSettingsFile } from './solution.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-settings-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function errorOf(file: string): Promise<PatchbayError> {
  try {
    await readSettingsFile(file);
  } catch (e) {
    if (e instanceof PatchbayError) return e;
    throw e;
  }
  throw new Error('expected a PatchbayError');
}

describe('readSettingsFile', () => {
  it('reads a deployment settings file', async () => {
    await writeFile(path.join(dir, 'settings.json'), '{"ConnectionReferences": []}');
    expect(await readSettingsFile(path.join(dir, 'settings.json'))).toBe('{"ConnectionReferences": []}');
  });

  it('says when there is no such file, and how to write one', async () => {
    const file = path.join(dir, 'missing.json');
    const e = await errorOf(file);
    expect(e.code).toBe('store.invalid');
    expect(e.message).toBe(`No deployment settings file at ${file}.`);
    expect(e.place?.file).toBe(file);
    expect(e.hint).toContain('patchbay solution create-settings');
  });

  it('says when the path is a folder', async () => {
    await mkdir(path.join(dir, 'settings'));
    const e = await errorOf(path.join(dir, 'settings'));
    expect(e.message).toBe(`The deployment settings path ${path.join(dir, 'settings')} is a folder, not a file.`);
    expect(e.hint).toContain('settings.json');
  });

  it('says when the file exists but cannot be read, with the reason', async () => {
    const loop = path.join(dir, 'loop.json');
    await symlink(loop, loop);
    const e = await errorOf(loop);
    expect(e.message).toMatch(
      new RegExp(
        `^The deployment settings file ${loop.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} cannot be read \\(ELOOP\\)\\.$`,
      ),
    );
  });

  it.skipIf(process.getuid?.() === 0)('says when reading is not permitted', async () => {
    const file = path.join(dir, 'locked.json');
    await writeFile(file, '{}');
    await chmod(file, 0o000);
    const e = await errorOf(file);
    expect(e.message).toBe(`The deployment settings file ${file} cannot be read (EACCES).`);
    expect(e.hint).toContain('permission');
  });
});
