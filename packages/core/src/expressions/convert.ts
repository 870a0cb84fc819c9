/**
 * Conversions between value types, shared by the operators and by the
 * interpreter when a parameter, input or output declares a type. Messages
 * name types, never the values themselves (a value may be a secret).
 */
import { DateTime } from 'luxon';
import { PatchbayError } from '../errors.js';
import { DataRow, DataTable, isValueObject, typeOfValue, type Value, type ValueType } from '../values.js';
import { base64ToBytes, formatValue } from './format.js';
import { rowToObject, tableFromJsonData, tableFromList, tableToObjects } from './tables.js';

/** A type's name as users read it in messages. */
export function typeName(v: Value): string {
  if (v === null) return 'blank';
  const type = typeOfValue(v);
  return type === 'object'
    ? 'custom object'
    : type === 'datatable'
      ? 'data table'
      : type === 'datarow'
        ? 'data row'
        : type;
}

export function typeError(message: string, column?: number, hint?: string): PatchbayError {
  return new PatchbayError('expression.type', column === undefined ? message : `${message} at column ${column}`, {
    place: column === undefined ? {} : { column },
    hint,
  });
}

const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a text reads as (invariant: digits, '.' for decimals), or undefined. */
export function parseNumberText(text: string): number | undefined {
  const t = text.trim();
  if (!NUMBER_TEXT.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** A datetime from ISO 8601 text or `yyyy-MM-dd HH:mm:ss` (local time unless the text names a zone), or undefined. */
export function parseDateTimeText(text: string): Date | undefined {
  const t = text.trim();
  // A full date first: bare times or years ('12', '2024') are not datetimes, however ISO 8601 reads them.
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return undefined;
  for (const dt of [DateTime.fromISO(t), DateTime.fromSQL(t)]) if (dt.isValid) return dt.toJSDate();
  return undefined;
}

export function toNumber(v: Value, column?: number): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = parseNumberText(v);
    if (n !== undefined) return n;
    throw typeError(
      'This text does not read as a number',
      column,
      "Write digits with '.' for decimals, e.g. 12.5, or convert the text first with Text.ConvertTextToNumber.",
    );
  }
  throw typeError(`Cannot use ${typeName(v)} as a number`, column, 'Use a number, or a variable that holds one.');
}

export function toBoolean(v: Value, column?: number): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
    throw typeError(
      'This text is neither True nor False',
      column,
      'Use a condition such as %X = 1%, or the text True or False.',
    );
  }
  throw typeError(
    `Cannot use ${typeName(v)} as a condition (True or False)`,
    column,
    'Compare it instead, e.g. %Count > 0% or %Name.IsNotEmpty%.',
  );
}

export function toText(v: Value): string {
  return formatValue(v);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Converts a value to a declared type, or throws 'expression.type' naming
 * `what` (e.g. "Input 'Rows'"). Blank stays blank, except as text where it is ''.
 */
export function coerceValue(v: Value, type: ValueType, what: string): Value {
  if (type === 'any') return v;
  if (type === 'text') return formatValue(v);
  if (v === null) return null;
  const fail = (hint: string): PatchbayError =>
    typeError(
      `${what} must be ${type === 'object' ? 'a custom object' : type === 'list' ? 'a list' : type === 'datatable' ? 'a data table' : type === 'datarow' ? 'a data row' : type === 'datetime' ? 'a datetime' : type === 'binary' ? 'binary data' : `a ${type}`}, but it is ${typeName(v) === 'text' ? 'text that does not convert' : typeName(v)}`,
      undefined,
      hint,
    );
  switch (type) {
    case 'number':
      if (typeof v === 'number') return v;
      if (typeof v === 'string') {
        const n = parseNumberText(v);
        if (n !== undefined) return n;
      }
      throw fail("Give a number (digits with '.' for decimals).");
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && /^\s*(true|false)\s*$/i.test(v)) return v.trim().toLowerCase() === 'true';
      throw fail('Give True or False, or a condition such as %X > 0%.');
    case 'list':
      if (Array.isArray(v)) return v;
      // A data table where a list is wanted reads as its rows as custom objects (as CSV rows read before tables).
      if (v instanceof DataTable) return tableToObjects(v);
      if (v instanceof DataRow) return [...v.values];
      if (typeof v === 'string') {
        const j = parseJson(v);
        if (Array.isArray(j)) return j as Value[];
      }
      throw fail('Give a list, e.g. %[1, 2, 3]% or the JSON text [1, 2, 3].');
    case 'datatable':
      if (v instanceof DataTable) return v;
      if (Array.isArray(v)) return tableFromList(v, what);
      if (isValueObject(v)) {
        const t = tableFromJsonData(v);
        if (t) return t;
      }
      if (typeof v === 'string') {
        const t = tableFromJsonData(parseJson(v));
        if (t) return t;
      }
      throw fail(
        "Give a data table, e.g. %{ ^['Name', 'Age'], ['Ada', 36] }%, a list of custom objects, or the JSON text {\"columns\": [...], \"rows\": [[...]]}.",
      );
    case 'datarow':
      if (v instanceof DataRow) return v;
      if (isValueObject(v)) return new DataRow(Object.keys(v), Object.values(v));
      throw fail('Give a data row, e.g. %Table[0]%, or a custom object.');
    case 'object':
      if (isValueObject(v)) return v;
      if (v instanceof DataRow) return rowToObject(v);
      if (typeof v === 'string') {
        const j = parseJson(v);
        if (isValueObject(j)) return j;
      }
      throw fail(`Give a custom object, e.g. %{'Name': 'Ada'}% or the JSON text {"Name": "Ada"}.`);
    case 'datetime':
      if (v instanceof Date) return v;
      if (typeof v === 'string') {
        const d = parseDateTimeText(v);
        if (d) return d;
      }
      throw fail('Give a datetime, e.g. 2024-06-15 13:30:00 or an ISO 8601 text.');
    case 'binary':
      if (v instanceof Uint8Array) return v;
      if (typeof v === 'string') {
        const b = base64ToBytes(v);
        if (b) return b;
      }
      throw fail('Give binary data (convert a file to binary first) or base64 text.');
    default:
      return v;
  }
}

/** Numbers equal within rounding noise of decimal arithmetic (0.1 + 0.2 = 0.3). */
export function numbersEqual(a: number, b: number): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= 4 * Number.EPSILON * Math.max(Math.abs(a), Math.abs(b));
}

/** Deep equality of two values of the same type; values of different types are unequal. */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return numbersEqual(a, b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof DataTable)
    return (
      b instanceof DataTable &&
      valuesEqual([...a.columns], [...b.columns]) &&
      valuesEqual(a.rows as Value[], b.rows as Value[])
    );
  if (a instanceof DataRow)
    return (
      b instanceof DataRow && valuesEqual([...a.columns], [...b.columns]) && valuesEqual([...a.values], [...b.values])
    );
  if (a instanceof Uint8Array) {
    if (!(b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false;
    return true;
  }
  if (!isValueObject(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!Object.hasOwn(b, k) || !valuesEqual(a[k], b[k])) return false;
  return true;
}
