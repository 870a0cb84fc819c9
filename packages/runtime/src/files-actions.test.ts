import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readFile, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { actionError, runAction, tempFolder } from './actions.test-support.js';
import { toJsonData, type Value } from '@patchbay/core';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempFolder()));
afterEach(() => cleanup());

const p = (...parts: string[]) => path.join(dir, ...parts);

describe('File.ReadText and File.WriteText', () => {
  it('round-trips text in every encoding, with the right bytes', async () => {
    const text = 'Grüße – €5';
    const expected: Record<string, number[]> = {
      'utf-8': [...Buffer.from(text + '\n', 'utf8')],
      'utf-8-bom': [0xef, 0xbb, 0xbf, ...Buffer.from(text + '\n', 'utf8')],
      'utf-16le': [0xff, 0xfe, ...Buffer.from(text + '\n', 'utf16le')],
      'windows-1252': [0x47, 0x72, 0xfc, 0xdf, 0x65, 0x20, 0x96, 0x20, 0x80, 0x35, 0x0a],
    };
    for (const [encoding, bytes] of Object.entries(expected)) {
      await runAction('File.WriteText', { file: p(`${encoding}.txt`), text, encoding });
      expect([...(await readFile(p(`${encoding}.txt`)))]).toEqual(bytes);
      expect((await runAction('File.ReadText', { file: p(`${encoding}.txt`), encoding })).contents).toBe(text + '\n');
    }
    await runAction('File.WriteText', { file: p('be.txt'), text, encoding: 'utf-16be', appendNewLine: false });
    expect((await readFile(p('be.txt'))).subarray(0, 4)).toEqual(Buffer.from([0xfe, 0xff, 0x00, 0x47]));
    // A byte order mark wins over the encoding asked for, as in PAD.
    expect((await runAction('File.ReadText', { file: p('be.txt'), encoding: 'utf-8' })).contents).toBe(text);
  });

  it('writes what an encoding cannot hold as ?, and reads Latin-1 and ASCII', async () => {
    await runAction('File.WriteText', { file: p('a.txt'), text: 'café €', encoding: 'latin1', appendNewLine: false });
    expect([...(await readFile(p('a.txt')))]).toEqual([0x63, 0x61, 0x66, 0xe9, 0x20, 0x3f]);
    expect((await runAction('File.ReadText', { file: p('a.txt'), encoding: 'latin1' })).contents).toBe('café ?');
    expect((await runAction('File.ReadText', { file: p('a.txt'), encoding: 'ascii' })).contents).toBe('caf\ufffd ?');
  });

  it('appends without a second byte order mark and reads lines', async () => {
    await runAction('File.WriteText', { file: p('log.txt'), text: 'one', encoding: 'utf-8-bom' });
    await runAction('File.WriteText', {
      file: p('log.txt'),
      text: ['two', 3],
      encoding: 'utf-8-bom',
      ifFileExists: 'append',
    });
    expect([...(await readFile(p('log.txt')))].filter((b) => b === 0xef)).toHaveLength(1);
    expect((await runAction('File.ReadText', { file: p('log.txt'), storeAs: 'lines' })).contents).toEqual([
      'one',
      'two',
      '3',
    ]);
  });

  it('names the path and the parameter when a file or its folder is missing', async () => {
    const e = await actionError('File.ReadText', { file: p('nope.txt') });
    expect(e.code).toBe('action.failed');
    expect(e.message).toBe(`Parameter 'file': the file ${p('nope.txt')} does not exist.`);
    expect((await actionError('File.WriteText', { file: p('no', 'dir', 'x.txt'), text: 'x' })).message).toBe(
      `Parameter 'file': the folder ${p('no', 'dir')} does not exist.`,
    );
    expect((await actionError('File.ReadText', { file: dir })).message).toMatch(/is a folder, not a file/);
    expect((await actionError('File.ReadText', { file: 12 as never })).message).toMatch(
      /Parameter 'file': expected a path/,
    );
    expect((await actionError('File.ReadText', { file: p('x'), encoding: 'ebcdic' })).message).toMatch(
      /'ebcdic' is not one of/,
    );
  });
});

describe('binary, copy, move, rename, delete', () => {
  it('converts a file to binary and back', async () => {
    await writeFile(p('in.bin'), Buffer.from([0, 1, 2, 255]));
    const { binary } = await runAction('File.ConvertFileToBinary', { file: p('in.bin') });
    expect(binary).toEqual(new Uint8Array([0, 1, 2, 255]));
    await runAction('File.ConvertBinaryToFile', { binary, file: p('out.bin') });
    expect([...(await readFile(p('out.bin')))]).toEqual([0, 1, 2, 255]);
    expect(
      (await actionError('File.ConvertBinaryToFile', { binary, file: p('out.bin'), ifFileExists: 'fail' })).message,
    ).toBe(`${p('out.bin')} already exists.`);
  });

  it('copies files with each if-exists policy and returns file objects', async () => {
    await mkdir(p('dest'));
    await writeFile(p('a.txt'), 'new');
    await writeFile(p('dest', 'a.txt'), 'old');
    expect((await runAction('File.Copy', { files: p('a.txt'), destination: p('dest') })).copied).toEqual([]);
    expect(await readFile(p('dest', 'a.txt'), 'utf8')).toBe('old');
    expect(
      (await actionError('File.Copy', { files: p('a.txt'), destination: p('dest'), ifFileExists: 'fail' })).hint,
    ).toMatch(/ifFileExists/);
    const { copied } = await runAction('File.Copy', {
      files: [p('a.txt')],
      destination: p('dest'),
      ifFileExists: 'overwrite',
    });
    expect(copied).toEqual([
      {
        FullName: p('dest', 'a.txt'),
        Name: 'a.txt',
        NameWithoutExtension: 'a',
        Extension: '.txt',
        Directory: p('dest'),
        RootPath: '/',
        Size: 3,
        LastModified: expect.any(Date),
      },
    ]);
    expect(await readFile(p('dest', 'a.txt'), 'utf8')).toBe('new');
    expect((await actionError('File.Copy', { files: p('a.txt'), destination: p('missing') })).message).toBe(
      `Parameter 'destination': the folder ${p('missing')} does not exist.`,
    );
  });

  it('moves files given as file objects', async () => {
    await mkdir(p('dest'));
    await writeFile(p('m.txt'), 'm');
    const { files } = await runAction('Folder.GetFiles', { folder: dir, fileFilter: 'm.*' });
    const { moved } = await runAction('File.Move', { files, destination: p('dest') });
    expect((moved as { FullName: string }[]).map((f) => f.FullName)).toEqual([p('dest', 'm.txt')]);
    await expect(stat(p('m.txt'))).rejects.toThrow();
  });

  it('renames with each scheme', async () => {
    await writeFile(p('report.txt'), 'r');
    const name = async (params: Record<string, string | boolean>) =>
      ((await runAction('File.Rename', params)).renamed as { Name: string }[])[0]?.Name;
    expect(await name({ files: p('report.txt'), newName: 'summary' })).toBe('summary.txt');
    expect(
      await name({ files: p('summary.txt'), scheme: 'addText', textToAdd: '2024-', addTextPosition: 'beforeName' }),
    ).toBe('2024-summary.txt');
    expect(
      await name({
        files: p('2024-summary.txt'),
        scheme: 'replaceText',
        textToReplace: 'summary',
        replaceWith: 'final',
      }),
    ).toBe('2024-final.txt');
    expect(await name({ files: p('2024-final.txt'), scheme: 'changeExtension', newExtension: '.md' })).toBe(
      '2024-final.md',
    );
    expect((await actionError('File.Rename', { files: p('2024-final.md'), newName: '../escape' })).message).toMatch(
      /contains a path separator/,
    );
  });

  it('deletes files, and fails on a missing one before deleting any', async () => {
    await writeFile(p('d1'), '');
    const e = await actionError('File.Delete', { files: [p('d1'), p('d2')] });
    expect(e.message).toBe(`Parameter 'files': the file ${p('d2')} does not exist.`);
    expect((await runAction('File.Exists', { file: p('d1') })).exists).toBe(true);
    await runAction('File.Delete', { files: p('d1') });
    expect((await runAction('File.Exists', { file: p('d1') })).exists).toBe(false);
    expect((await runAction('File.Exists', { file: dir })).exists).toBe(false);
  });

  it('splits a path into its parts without touching the disk', async () => {
    expect(await runAction('File.GetPathPart', { file: '/data/in/report.final.csv' })).toEqual({
      root: '/',
      directory: '/data/in',
      name: 'report.final.csv',
      nameWithoutExtension: 'report.final',
      extension: '.csv',
    });
  });

  it('creates a unique empty temporary file', async () => {
    const a = (await runAction('File.GetTempPath', {})).file as string;
    const b = (await runAction('File.GetTempPath', {})).file as string;
    expect(a).not.toBe(b);
    expect((await stat(a)).size).toBe(0);
    await runAction('File.Delete', { files: [a, b] });
  });
});

describe('folders', () => {
  beforeEach(async () => {
    await mkdir(p('sub', 'deep'), { recursive: true });
    await writeFile(p('b.TXT'), '22');
    await writeFile(p('a.csv'), '1');
    await writeFile(p('c.log'), '333');
    await writeFile(p('sub', 'd.txt'), '4444');
    await writeFile(p('sub', 'deep', 'e.txt'), '');
  });

  it('lists files by patterns, ignoring case, recursively and sorted', async () => {
    const names = async (params: Record<string, string | boolean>) =>
      ((await runAction('Folder.GetFiles', { folder: dir, ...params })).files as { Name: string }[]).map((f) => f.Name);
    expect(await names({ fileFilter: '*.txt;*.csv', sortBy: 'name' })).toEqual(['a.csv', 'b.TXT']);
    expect(await names({ fileFilter: '*.txt', includeSubfolders: true, sortBy: 'name' })).toEqual([
      'b.TXT',
      'd.txt',
      'e.txt',
    ]);
    expect(await names({ sortBy: 'size', sortDescending: true })).toEqual(['c.log', 'b.TXT', 'a.csv']);
    const subs = (await runAction('Folder.GetSubfolders', { folder: dir, includeSubfolders: true, sortBy: 'fullName' }))
      .folders as { Name: string; Parent: string }[];
    expect(subs.map((f) => [f.Name, f.Parent])).toEqual([
      ['sub', dir],
      ['deep', p('sub')],
    ]);
    expect((await actionError('Folder.GetFiles', { folder: p('nope') })).message).toBe(
      `Parameter 'folder': the folder ${p('nope')} does not exist.`,
    );
  });

  it('creates, copies, moves, empties and deletes folders', async () => {
    expect((await runAction('Folder.Create', { createIn: dir, name: 'out' })).folder).toBe(p('out'));
    const { copied } = await runAction('Folder.Copy', { folder: p('sub'), destination: p('out') });
    expect((copied as { FullName: string }).FullName).toBe(p('out', 'sub'));
    expect(await readFile(p('out', 'sub', 'deep', 'e.txt'), 'utf8')).toBe('');
    expect(
      (await actionError('Folder.Copy', { folder: p('sub'), destination: p('out'), ifFolderExists: 'fail' })).message,
    ).toBe(`${p('out', 'sub')} already exists.`);
    expect((await actionError('Folder.Move', { folder: dir, destination: p('sub') })).message).toMatch(
      /cannot be moved into itself/,
    );
    await runAction('Folder.Move', { folder: p('out', 'sub'), destination: dir, ifFolderExists: 'overwrite' });
    expect(await readFile(p('sub', 'd.txt'), 'utf8')).toBe('4444');
    await runAction('Folder.Empty', { folder: p('sub') });
    expect((await runAction('Folder.GetFiles', { folder: p('sub'), includeSubfolders: true })).files).toEqual([]);
    await runAction('Folder.Delete', { folder: p('sub') });
    await expect(stat(p('sub'))).rejects.toThrow();
    expect((await actionError('Folder.Delete', { folder: p('sub') })).code).toBe('action.failed');
  });
});

describe('CSV files', () => {
  it('writes a table, appends rows without a second header, and reads it back', async () => {
    const rows = [
      { Id: 1, Name: 'Ada, Countess' },
      { Id: 2, Name: 'Grace "Amazing"' },
    ];
    await runAction('File.WriteCsv', { table: rows, file: p('t.csv'), delimiter: 'semicolon', encoding: 'utf-8-bom' });
    await runAction('File.WriteCsv', {
      table: [{ Id: 3, Name: 'Émilie' }],
      file: p('t.csv'),
      delimiter: 'semicolon',
      encoding: 'utf-8-bom',
      ifFileExists: 'append',
    });
    const bytes = await readFile(p('t.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(
      'Id;Name\r\n1;Ada, Countess\r\n2;"Grace ""Amazing"""\r\n3;Émilie\r\n',
    );
    const { table } = await runAction('File.ReadCsv', {
      file: p('t.csv'),
      delimiter: 'semicolon',
      firstLineIsHeader: true,
    });
    expect(toJsonData(table as Value)).toEqual({
      columns: ['Id', 'Name'],
      rows: [
        ['1', 'Ada, Countess'],
        ['2', 'Grace "Amazing"'],
        ['3', 'Émilie'],
      ],
    });
  });

  it('names the file and the line of malformed CSV, and a missing file', async () => {
    await writeFile(p('bad.csv'), 'a,b\n1,2,3\n');
    const e = await actionError('File.ReadCsv', { file: p('bad.csv'), firstLineIsHeader: true });
    expect(e.message).toMatch(/CSV line 2/);
    expect(e.place.file).toBe(p('bad.csv'));
    expect((await actionError('File.ReadCsv', { file: p('none.csv') })).message).toBe(
      `Parameter 'file': the file ${p('none.csv')} does not exist.`,
    );
  });
});
