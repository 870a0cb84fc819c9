import { describe, expect, it } from 'vitest';
import { actionError, runAction } from './variables.test-support.js';
import { DataTable, type ValueObject } from '../values.js';

describe('Data JSON actions', () => {
  it('reads JSON objects and arrays', async () => {
    expect(
      await runAction('Data.ConvertJsonToCustomObject', {
        json: '{"Name":"Ada","Tags":["a",1,true,null],"In":{"X":1.5}}',
      }),
    ).toEqual({ object: { Name: 'Ada', Tags: ['a', 1, true, null], In: { X: 1.5 } } });
    expect(await runAction('Data.ConvertJsonToCustomObject', { json: '[1, 2]' })).toEqual({ object: [1, 2] });
    const { object } = await runAction('Data.ConvertJsonToCustomObject', { json: '{"__proto__": {"polluted": 1}}' });
    expect(Object.keys(object as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('names the line and column of invalid JSON without repeating it', async () => {
    const cases: [string, string][] = [
      ['{\n  "a": 1,\n  "b" 2\n}', "line 3, column 7: a ':' was expected"],
      ['{"a": 1,}', 'line 1, column 9: a property name in double quotes was expected'],
      ["{'secret': 1}", 'line 1, column 2: an unexpected character'],
      ['[1, 2', "line 1, column 6: a closing ']' was expected"],
      ['{"a": "unterminated', 'line 1, column 7: a text value is never closed'],
      ['{} []', 'line 1, column 4: nothing more was expected after the JSON value'],
    ];
    for (const [json, where] of cases) {
      const e = await actionError('Data.ConvertJsonToCustomObject', { json });
      expect(e.code).toBe('action.param');
      expect(e.message).toBe(`Parameter 'json': not valid JSON at ${where}.`);
      expect(e.message).not.toContain('secret');
    }
    expect((await actionError('Data.ConvertJsonToCustomObject', { json: '  ' })).message).toBe(
      "Parameter 'json': the JSON text is empty.",
    );
  });
  it('writes values as JSON, compact or indented', async () => {
    const d = new Date('2024-03-10T12:00:00Z');
    expect(
      await runAction('Data.ConvertCustomObjectToJson', {
        object: { A: 1, When: d, Bin: new Uint8Array([104, 105]), L: [null, 'x'] },
      }),
    ).toEqual({ json: '{"A":1,"When":"2024-03-10T12:00:00.000Z","Bin":"aGk=","L":[null,"x"]}' });
    expect(await runAction('Data.ConvertCustomObjectToJson', { object: { A: [1] }, indent: true })).toEqual({
      json: '{\n  "A": [\n    1\n  ]\n}',
    });
    expect(
      (await actionError('Data.ConvertCustomObjectToJson', { object: { A: { B: [1, Number.NaN] } } })).message,
    ).toBe("Parameter 'object': A.B[1] is NaN, which JSON cannot hold.");
  });
  it('round-trips through JSON', async () => {
    const value = { Name: 'Zoë "Q"', N: -0.5, Items: [{ X: 1 }, [true, null]] };
    const { json } = await runAction('Data.ConvertCustomObjectToJson', { object: value });
    expect(await runAction('Data.ConvertJsonToCustomObject', { json })).toEqual({ object: value });
  });
});

describe('Data CSV actions', () => {
  it('reads CSV text into objects or lists', async () => {
    const csv = 'Name,Amount\r\nAda,12.5\r\n"Lovelace, A.","1,000"\r\n';
    expect(await runAction('Data.ReadCsvText', { text: csv, firstLineIsHeader: true, readAs: 'list' })).toEqual({
      table: [
        { Name: 'Ada', Amount: '12.5' },
        { Name: 'Lovelace, A.', Amount: '1,000' },
      ],
    });
    expect(await runAction('Data.ReadCsvText', { text: 'a;b\nc;d', delimiter: 'semicolon', readAs: 'list' })).toEqual({
      table: [
        ['a', 'b'],
        ['c', 'd'],
      ],
    });
    expect(
      await runAction('Data.ReadCsvText', {
        text: 'a || b',
        delimiter: 'custom',
        customDelimiter: '||',
        trim: true,
        readAs: 'list',
      }),
    ).toEqual({ table: [['a', 'b']] });
  });
  it('reads CSV text into a data table by default, as PAD does', async () => {
    const csv = 'Name,Amount\r\nAda,12.5\r\n"Lovelace, A.","1,000"\r\n';
    const { table } = await runAction('Data.ReadCsvText', { text: csv, firstLineIsHeader: true });
    expect(table).toEqual(
      new DataTable(
        ['Name', 'Amount'],
        [
          ['Ada', '12.5'],
          ['Lovelace, A.', '1,000'],
        ],
      ),
    );
    const plain = await runAction('Data.ReadCsvText', { text: 'a;b\nc', delimiter: 'semicolon' });
    expect(plain.table).toEqual(
      new DataTable(
        ['Column1', 'Column2'],
        [
          ['a', 'b'],
          ['c', ''],
        ],
      ),
    );
    expect(await runAction('Data.WriteCsvText', { table: table as DataTable, newline: 'lf' })).toEqual({
      text: 'Name,Amount\nAda,12.5\n"Lovelace, A.","1,000"\n',
    });
  });
  it('names a malformed quote', async () => {
    const open = await actionError('Data.ReadCsvText', { text: 'a,b\n1,"two\n3,4' });
    expect(open.code).toBe('action.failed');
    expect(open.message).toBe('CSV line 2, column 3: the quoted field that starts here is never closed.');
    const after = await actionError('Data.ReadCsvText', { text: 'a,b\n"x"y,2' });
    expect(after.message).toBe("CSV line 2, column 4: unexpected 'y' after the closing quote of a field.");
    expect(after.hint).toContain('""');
    expect(
      (await actionError('Data.ReadCsvText', { text: 'a', delimiter: 'custom', customDelimiter: '' })).message,
    ).toBe("Parameter 'customDelimiter': the delimiter is empty.");
    expect((await actionError('Data.ReadCsvText', { text: 'a', delimiter: 'colon' })).message).toMatch(
      /^Parameter 'delimiter': 'colon' is not one of/,
    );
  });
  it('writes objects and lists as CSV text, quoting what needs it', async () => {
    const rows: ValueObject[] = [
      { Name: 'Ada', Note: 'says "hi"' },
      { Name: 'B, C', Extra: 'line1\nline2' },
    ];
    expect(await runAction('Data.WriteCsvText', { table: rows })).toEqual({
      text: 'Name,Note,Extra\r\nAda,"says ""hi""",\r\n"B, C",,"line1\nline2"\r\n',
    });
    expect(
      await runAction('Data.WriteCsvText', {
        table: [
          [1, true],
          [' x', null],
        ],
        delimiter: 'tab',
        newline: 'lf',
      }),
    ).toEqual({ text: '1\tTrue\n" x"\t\n' });
    expect(
      await runAction('Data.WriteCsvText', { table: rows, includeHeaders: false, delimiter: 'semicolon' }),
    ).toEqual({ text: 'Ada;"says ""hi""";\r\nB, C;;"line1\nline2"\r\n' });
    expect((await actionError('Data.WriteCsvText', { table: [{ A: 1 }, [1]] })).message).toBe(
      "Parameter 'table': row 1 is a list, but row 0 is a custom object.",
    );
  });
  it('round-trips a table through CSV text', async () => {
    const table = [
      { A: 'x,"y"', B: 'multi\r\nline' },
      { A: '', B: ' padded ' },
    ];
    const { text } = await runAction('Data.WriteCsvText', { table });
    expect(await runAction('Data.ReadCsvText', { text, firstLineIsHeader: true, readAs: 'list' })).toEqual({ table });
  });
});
