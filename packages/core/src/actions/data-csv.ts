/**
 * CSV reading and writing with RFC 4180 rules: fields in double quotes may
 * hold delimiters, line breaks and doubled quotes (`""`); lines end with CRLF,
 * LF or CR; a byte-order mark is skipped. Any delimiter of one or more
 * characters works (comma, semicolon, tab, custom).
 *
 * Written here rather than taken from a library: core runs in the browser
 * too, and the parser must report the line and column of a malformed quote,
 * which the small browser-ready CSV libraries do not.
 *
 * The Files module reads and writes CSV files through `parseCsv` and
 * `writeCsv`; the Data actions read and write CSV text.
 */
import { PatchbayError } from '../errors.js';
import { DataTable, isValueObject, type Value, type ValueObject } from '../values.js';
import { formatValue } from '../expressions/index.js';
import { describeType } from './variables-params.js';

export const CSV_DELIMITERS = { comma: ',', semicolon: ';', tab: '\t', pipe: '|' } as const;
export type CsvDelimiterName = keyof typeof CSV_DELIMITERS;

export interface CsvReadOptions {
  /** The field delimiter, one or more characters (default ','). */
  delimiter?: string;
  /** The first line holds column names: rows become custom objects keyed by them. */
  firstLineIsHeader?: boolean;
  /** Trim white space around unquoted fields (and around the quotes of quoted ones). */
  trim?: boolean;
  /** Skip lines with nothing on them (default true). */
  skipEmptyLines?: boolean;
}

export interface CsvWriteOptions {
  delimiter?: string;
  /** Write the column names first, for rows that are custom objects (default true). */
  includeHeaders?: boolean;
  /** Line ending (default CRLF, as RFC 4180 says). */
  newline?: '\r\n' | '\n';
  /** Quote every field, not only those that need it. */
  quoteAll?: boolean;
  /** The parameter the rows came from, for error messages (default 'table'). */
  param?: string;
}

/** A delimiter by name (`comma`, `semicolon`, `tab`, `pipe`) or `custom` with its text, checked. */
export function csvDelimiter(kind: string, custom = '', param = 'customDelimiter'): string {
  const d = kind === 'custom' ? custom : (CSV_DELIMITERS as Record<string, string>)[kind];
  if (d === undefined)
    throw new PatchbayError(
      'action.param',
      `Parameter 'delimiter': '${kind}' is not one of comma, semicolon, tab, pipe, custom.`,
    );
  checkDelimiter(d, param);
  return d;
}

function checkDelimiter(d: string, param: string): void {
  if (d === '' || /["\r\n]/.test(d)) {
    throw new PatchbayError(
      'action.param',
      `Parameter '${param}': ${d === '' ? 'the delimiter is empty' : 'a delimiter cannot contain quotes or line breaks'}.`,
      { hint: 'Use a character such as , ; | or a tab.' },
    );
  }
}

function csvError(line: number, column: number, message: string, hint: string): PatchbayError {
  return new PatchbayError('action.failed', `CSV line ${line}, column ${column}: ${message}`, { hint });
}

interface RawRow {
  fields: string[];
  line: number;
}

/** Splits CSV text into rows of fields, with the line each row starts on. */
export function parseCsvRows(text: string, opts: CsvReadOptions = {}): RawRow[] {
  const delim = opts.delimiter ?? ',';
  checkDelimiter(delim, 'delimiter');
  const trim = opts.trim ?? false;
  const skipEmpty = opts.skipEmptyLines ?? true;
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const n = s.length;
  const rows: RawRow[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const isSpace = (c: string): boolean => (c === ' ' || c === '\t') && !delim.startsWith(c);
  const atLineEnd = (j: number): number => (s[j] === '\r' ? (s[j + 1] === '\n' ? 2 : 1) : s[j] === '\n' ? 1 : 0);

  while (i < n) {
    const row: RawRow = { fields: [], line };
    let rowDone = false;
    while (!rowDone) {
      let j = i;
      if (trim) while (j < n && isSpace(s[j])) j++;
      let field: string;
      if (s[j] === '"') {
        const openLine = line;
        const openColumn = j - lineStart + 1;
        let value = '';
        let k = j + 1;
        for (;;) {
          const q = s.indexOf('"', k);
          if (q < 0)
            throw csvError(
              openLine,
              openColumn,
              'the quoted field that starts here is never closed.',
              'Close the field with a quote ("), and double every quote inside it ("").',
            );
          value += s.slice(k, q);
          for (let b = s.indexOf('\n', k); b >= 0 && b < q; b = s.indexOf('\n', b + 1)) {
            line++;
            lineStart = b + 1;
          }
          for (let b = s.indexOf('\r', k); b >= 0 && b < q; b = s.indexOf('\r', b + 1))
            if (s[b + 1] !== '\n') {
              line++;
              lineStart = b + 1;
            }
          if (s[q + 1] === '"') {
            value += '"';
            k = q + 2;
            continue;
          }
          k = q + 1;
          break;
        }
        if (trim) while (k < n && isSpace(s[k])) k++;
        if (k < n && !s.startsWith(delim, k) && atLineEnd(k) === 0) {
          throw csvError(
            line,
            k - lineStart + 1,
            `unexpected '${s[k]}' after the closing quote of a field.`,
            'Inside a quoted field write a quote twice (""); after the closing quote only a delimiter or a line break may follow.',
          );
        }
        field = value;
        i = k;
      } else {
        let k = i;
        while (k < n && !s.startsWith(delim, k) && s[k] !== '\n' && s[k] !== '\r') k++;
        field = s.slice(i, k);
        if (trim) field = field.trim();
        i = k;
      }
      row.fields.push(field);
      if (i < n && s.startsWith(delim, i)) {
        i += delim.length;
        continue;
      }
      const eol = atLineEnd(i);
      i += eol;
      if (eol) {
        line++;
        lineStart = i;
      }
      rowDone = true;
    }
    if (!(skipEmpty && row.fields.length === 1 && row.fields[0] === '')) rows.push(row);
  }
  return rows;
}

/** Column names from the header line: blanks become ColumnN; a repeat gets _2, _3, … never taking a name the header has or gave out already. */
function headerNames(fields: string[]): string[] {
  const bases = fields.map((f, i) => (f.trim() === '' ? `Column${i + 1}` : f.trim()));
  const written = new Set(bases);
  const used = new Set<string>();
  return bases.map((base) => {
    let name = base;
    for (let n = 2; used.has(name); n++) {
      name = `${base}_${n}`;
      if (written.has(name)) name = base;
    }
    used.add(name);
    return name;
  });
}

/** Reads CSV text into a data table: columns named by the first line, or Column1, Column2, … without a header. */
export function parseCsvTable(text: string, opts: CsvReadOptions = {}): DataTable {
  if (opts.firstLineIsHeader) {
    const rows = parseCsvRows(text, opts);
    const names = rows.length ? headerNames(rows[0].fields) : [];
    const objects = parseCsv(text, opts) as ValueObject[];
    return new DataTable(
      names,
      objects.map((o) => names.map((n) => o[n])),
    );
  }
  const lists = parseCsv(text, opts) as string[][];
  const width = lists.reduce((m, r) => Math.max(m, r.length), 0);
  return new DataTable(
    Array.from({ length: width }, (_, i) => `Column${i + 1}`),
    lists.map((r) => Array.from({ length: width }, (_, i) => (i < r.length ? r[i] : ''))),
  );
}

/**
 * Reads CSV text: a list of custom objects keyed by the first line's column
 * names when `firstLineIsHeader`, otherwise a list of lists of text. Rows
 * shorter than the header get empty text; longer ones are an error that
 * names the line.
 */
export function parseCsv(text: string, opts: CsvReadOptions = {}): Value[] {
  const rows = parseCsvRows(text, opts);
  if (!opts.firstLineIsHeader) return rows.map((r) => r.fields);
  if (rows.length === 0) return [];
  const names = headerNames(rows[0].fields);
  return rows.slice(1).map((r) => {
    if (r.fields.length > names.length) {
      throw csvError(
        r.line,
        1,
        `this row has ${r.fields.length} fields but the header has ${names.length}.`,
        'Quote fields that contain the delimiter, or add the missing column names to the first line.',
      );
    }
    // fromEntries defines own properties, so a column named __proto__ stays a column.
    return Object.fromEntries(names.map((name, i) => [name, i < r.fields.length ? r.fields[i] : ''])) as ValueObject;
  });
}

function quoteField(f: string, delim: string, all: boolean): string {
  if (all || f.includes(delim) || /["\r\n]/.test(f) || f !== f.trim()) return `"${f.replace(/"/g, '""')}"`;
  return f;
}

/**
 * Writes rows as CSV text: rows that are custom objects (columns are their
 * properties, in first-seen order, with a header line) or rows that are
 * lists. Fields are quoted when they hold the delimiter, a quote, a line
 * break or surrounding spaces. Ends with a line break.
 */
export function writeCsv(table: readonly Value[] | DataTable, opts: CsvWriteOptions = {}): string {
  if (table instanceof DataTable) {
    const nl0 = opts.newline ?? '\r\n';
    const body = writeCsv(
      table.rows.map((r) => [...r]),
      opts,
    );
    if (!(opts.includeHeaders ?? true)) return body;
    return writeCsv([[...table.columns]], opts).slice(0, -nl0.length) + nl0 + body;
  }
  const rows = table;
  const delim = opts.delimiter ?? ',';
  const param = opts.param ?? 'table';
  checkDelimiter(delim, 'delimiter');
  const nl = opts.newline ?? '\r\n';
  const all = opts.quoteAll ?? false;
  const line = (cells: readonly Value[]): string =>
    cells.map((c) => quoteField(formatValue(c), delim, all)).join(delim) + nl;
  if (rows.length === 0) return '';
  const objects = isValueObject(rows[0]);
  rows.forEach((r, i) => {
    if (objects ? !isValueObject(r) : !Array.isArray(r)) {
      throw new PatchbayError(
        'action.param',
        `Parameter '${param}': row ${i} is ${describeType(r)}, but row 0 is ${objects ? 'a custom object' : describeType(rows[0])}.`,
        { hint: 'Make every row a custom object (columns by name) or every row a list (columns by position).' },
      );
    }
  });
  if (!objects) return rows.map((r) => line(r as Value[])).join('');
  const columns: string[] = [];
  const known = new Set<string>();
  for (const r of rows as ValueObject[])
    for (const k of Object.keys(r))
      if (!known.has(k)) {
        known.add(k);
        columns.push(k);
      }
  const head = (opts.includeHeaders ?? true) ? line(columns) : '';
  return (
    head + (rows as ValueObject[]).map((r) => line(columns.map((c) => (Object.hasOwn(r, c) ? r[c] : null)))).join('')
  );
}

/** Reads CSV as the `readAs` parameter asks: a data table (default), or a list of custom objects / lists. */
export function readCsvAs(p: Record<string, Value>, text: string, opts: CsvReadOptions): Value[] | DataTable {
  const as = p.readAs ?? 'datatable';
  if (as === 'list') return parseCsv(text, opts);
  if (as !== 'datatable')
    throw new PatchbayError(
      'action.param',
      `Parameter 'readAs': '${formatValue(as)}' is not one of 'datatable', 'list'.`,
    );
  return parseCsvTable(text, opts);
}

/** The rows to write as CSV: a data table, or a list of custom objects or lists. */
export function csvRows(p: Record<string, Value>, name: string): Value[] | DataTable {
  const v = p[name];
  if (v instanceof DataTable || Array.isArray(v)) return v;
  throw new PatchbayError(
    'action.param',
    `Parameter '${name}': expected a data table or a list, got ${describeType(v ?? null)}.`,
    {
      hint: `Give '${name}' a data table or a list, e.g. %CSVTable%.`,
    },
  );
}
