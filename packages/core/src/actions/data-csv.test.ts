import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PatchbayError } from '../errors.js';
import { csvDelimiter, parseCsv, parseCsvRows, writeCsv } from './data-csv.js';

describe('parseCsv', () => {
  it('follows RFC 4180: quotes, doubled quotes, embedded line breaks, empty fields', () => {
    expect(parseCsv('\ufeffa,"b ""q""","c\r\nd",\n,,\n"",x')).toEqual([
      ['a', 'b "q"', 'c\r\nd', ''],
      ['', '', ''],
      ['', 'x'],
    ]);
  });
  it('accepts CR, LF and CRLF line ends and skips blank lines unless asked', () => {
    expect(parseCsv('a\rb\n\nc\r\n')).toEqual([['a'], ['b'], ['c']]);
    expect(parseCsv('a\n\nb', { skipEmptyLines: false })).toEqual([['a'], [''], ['b']]);
  });
  it('keeps a bare quote inside an unquoted field', () => {
    expect(parseCsv('5" screen,ok')).toEqual([['5" screen', 'ok']]);
  });
  it('trims only when asked, including around quotes', () => {
    expect(parseCsv(' a , "b" ')).toEqual([[' a ', ' "b" ']]);
    expect(parseCsv(' a , "b" ', { trim: true })).toEqual([['a', 'b']]);
  });
  it('uses header names, fills short rows and names long ones', () => {
    expect(parseCsv('A,,A\n1\n1,2,3', { firstLineIsHeader: true })).toEqual([
      { A: '1', Column2: '', A_2: '' },
      { A: '1', Column2: '2', A_2: '3' },
    ]);
    expect(() => parseCsv('A,B\n1,2\n1,2,3', { firstLineIsHeader: true })).toThrow(
      'CSV line 3, column 1: this row has 3 fields but the header has 2.',
    );
  });
  it('never gives two columns one name, so no field is lost', () => {
    expect(parseCsv('A,A,A_2\n1,2,3', { firstLineIsHeader: true })).toEqual([{ A: '1', A_3: '2', A_2: '3' }]);
    expect(parseCsv('Column2,,B,B,B\n1,2,3,4,5', { firstLineIsHeader: true })).toEqual([
      { Column2: '1', Column2_2: '2', B: '3', B_2: '4', B_3: '5' },
    ]);
  });
  it('tells the line of a row after a quoted multi-line field', () => {
    const rows = parseCsvRows('"a\nb\nc",1\nx,2');
    expect(rows.map((r) => r.line)).toEqual([1, 4]);
    expect(() => parseCsv('"a\nb",1\n"x"!,2')).toThrow(
      "CSV line 3, column 4: unexpected '!' after the closing quote of a field.",
    );
  });
  it('resolves delimiter names', () => {
    expect(csvDelimiter('tab')).toBe('\t');
    expect(csvDelimiter('custom', '::')).toBe('::');
    expect(() => csvDelimiter('custom', '"')).toThrow(
      "Parameter 'customDelimiter': a delimiter cannot contain quotes or line breaks.",
    );
  });
  it('never throws anything but a PatchbayError on arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', ';') }),
        fc.boolean(),
        fc.boolean(),
        (text, header, trim) => {
          try {
            parseCsv(text, { firstLineIsHeader: header, trim });
          } catch (e) {
            if (!(e instanceof PatchbayError)) throw e;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
  it('reads back whatever writeCsv writes', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', ';', 'é') });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(',', ';', '\t', '||'),
        (rows, delimiter) => {
          const nonBlank = rows.filter((r) => !(r.length === 1 && r[0] === ''));
          expect(parseCsv(writeCsv(rows, { delimiter }), { delimiter })).toEqual(nonBlank);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
