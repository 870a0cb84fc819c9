/** ZIP, base64 files, special folders and PowerShell / Python scripts on the Node host. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { execSync } from 'node:child_process';
import { zipSync } from 'fflate';
import path from 'node:path';
import { actionError, runAction, tempFolder } from './actions.test-support.js';

let dir = '';
let cleanup: () => Promise<void> = async () => undefined;
beforeEach(async () => ({ dir, cleanup } = await tempFolder()));
afterEach(() => cleanup());
const p = (...parts: string[]) => path.join(dir, ...parts);

const has = (cmd: string): boolean => {
  try {
    execSync(`command -v ${cmd}`, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

describe('ZIP', () => {
  it('zips a file and a folder, and unzips them back', async () => {
    await mkdir(p('src', 'sub'), { recursive: true });
    await writeFile(p('src', 'a.txt'), 'alpha');
    await writeFile(p('src', 'sub', 'b.txt'), 'beta');
    await writeFile(p('top.txt'), 'top');
    await runAction('Compression.ZipFiles', { archive: p('out.zip'), source: [p('src'), p('top.txt')] });
    const { files } = await runAction('Compression.UnzipFiles', { archive: p('out.zip'), destination: p('x') });
    expect((files as string[]).map((f) => path.relative(p('x'), f)).sort()).toEqual([
      path.join('src', 'a.txt'),
      path.join('src', 'sub', 'b.txt'),
      'top.txt',
    ]);
    expect(await readFile(p('x', 'src', 'sub', 'b.txt'), 'utf8')).toBe('beta');
  });

  it('refuses an archive whose entries point outside the destination', async () => {
    await writeFile(p('evil.zip'), zipSync({ '../escaped.txt': new TextEncoder().encode('x') }));
    const e = await actionError('Compression.UnzipFiles', { archive: p('evil.zip'), destination: p('x') });
    expect(e.message).toMatch(/points outside its folder: \.\.\/escaped\.txt/);
    await expect(readFile(p('escaped.txt'))).rejects.toThrow();
  });
});

describe('Base64 files', () => {
  it('converts a file to base64 and back', async () => {
    await writeFile(p('a.bin'), Buffer.from([0, 1, 2, 250]));
    const { text } = await runAction('File.ConvertToBase64', { file: p('a.bin') });
    expect(text).toBe('AAEC+g==');
    await runAction('File.ConvertFromBase64', { base64: text, file: p('b.bin') });
    expect([...(await readFile(p('b.bin')))]).toEqual([0, 1, 2, 250]);
    expect((await actionError('File.ConvertFromBase64', { base64: 'no!', file: p('c.bin') })).message).toBe(
      "Parameter 'base64': the text is not base64.",
    );
  });
});

describe('special folders', () => {
  it('gives the home folder, its Desktop and the temporary folder', async () => {
    const home = process.env.USERPROFILE ?? process.env.HOME ?? '';
    expect(await runAction('Folder.GetSpecialFolder', { folder: 'Home' })).toEqual({ path: home });
    expect(await runAction('Folder.GetSpecialFolder', { folder: 'Desktop' })).toEqual({
      path: path.join(home, 'Desktop'),
    });
    expect((await actionError('Folder.GetSpecialFolder', { folder: 'Nowhere' })).message).toMatch(
      /^Parameter 'folder'/,
    );
  });
});

describe('scripts', () => {
  it.runIf(has('python3') || has('python'))('runs a Python script and gives its output', async () => {
    const r = await runAction('Scripting.RunPythonScript', { script: 'import sys\nprint(6 * 7)\nsys.exit(3)' });
    expect(r).toMatchObject({ output: '42', exitCode: 3 });
  });

  it.runIf(!has('pwsh') && !has('powershell'))('names PowerShell when it is not installed', async () => {
    const e = await actionError('Scripting.RunPowerShellScript', { script: 'Write-Output 1' });
    expect(e.message).toBe('PowerShell (pwsh or powershell) was not found on this machine.');
    expect(e.hint).toMatch(/Install PowerShell/);
  });
});
