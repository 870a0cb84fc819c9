/**
 * `.Property` and `[index]` access. Built-in properties of text, lists,
 * datetimes and binary data match in any case (`.length` reads `.Length`);
 * custom object properties match exactly, as their keys are data.
 */
import { DataRow, DataTable, isValueObject, type Value } from '../values.js';
import { typeError, typeName } from './convert.js';

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const BUILT_INS: Record<string, string> = {
  text: 'Length, ToUpper, ToLower, Trimmed, IsEmpty, IsNotEmpty',
  list: 'Count, IsEmpty, IsNotEmpty',
  datetime: 'Year, Month, Day, Hour, Minute, Second, DayOfWeek, DayOfYear, Date, TimeOfDay',
  binary: 'Length, IsEmpty, IsNotEmpty',
  'data table': 'RowsCount, Columns, IsEmpty, IsNotEmpty, ColumnHeadersRow',
  'data row': 'ColumnsCount, ColumnsNames',
};

function noProperty(v: Value, name: string, column: number): Error {
  const type = typeName(v);
  if (v === null)
    return typeError(
      `The value is blank, so it has no property '${name}'`,
      column,
      'Check that the variable was given a value before this step, or test it with .IsEmpty first.',
    );
  const has = BUILT_INS[type];
  return typeError(
    `${type === 'number' || type === 'boolean' ? `A ${type}` : type[0].toUpperCase() + type.slice(1)} has no property '${name}'`,
    column,
    has ? `${type} has ${has}.` : `A ${type} has no properties.`,
  );
}

function dayOfYear(d: Date): number {
  const start = new Date(d.getFullYear(), 0, 1);
  const today = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  return Math.round((today.getTime() - start.getTime()) / 86_400_000) + 1;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function dateProperty(d: Date, lower: string): Value | undefined {
  switch (lower) {
    case 'year':
      return d.getFullYear();
    case 'month':
      return d.getMonth() + 1;
    case 'day':
      return d.getDate();
    case 'hour':
      return d.getHours();
    case 'minute':
      return d.getMinutes();
    case 'second':
      return d.getSeconds();
    case 'dayofweek':
      return DAY_NAMES[d.getDay()];
    case 'dayofyear':
      return dayOfYear(d);
    case 'date':
      return new Date(d.getFullYear(), d.getMonth(), d.getDate());
    case 'timeofday':
      return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
    default:
      return undefined;
  }
}

/** `lower` is `name` in lower case, computed once when the expression compiles. */
export function getProperty(target: Value, name: string, lower: string, column: number): Value {
  if (typeof target === 'string') {
    switch (lower) {
      case 'length':
        return target.length;
      case 'toupper':
        return target.toUpperCase();
      case 'tolower':
        return target.toLowerCase();
      case 'trimmed':
        return target.trim();
      case 'isempty':
        return target.length === 0;
      case 'isnotempty':
        return target.length > 0;
      default:
        throw noProperty(target, name, column);
    }
  }
  if (Array.isArray(target)) {
    if (lower === 'count') return target.length;
    if (lower === 'isempty') return target.length === 0;
    if (lower === 'isnotempty') return target.length > 0;
    throw noProperty(target, name, column);
  }
  if (target === null) {
    if (lower === 'isempty') return true;
    if (lower === 'isnotempty') return false;
    throw noProperty(target, name, column);
  }
  if (target instanceof Date) {
    const v = dateProperty(target, lower);
    if (v === undefined) throw noProperty(target, name, column);
    return v;
  }
  if (target instanceof Uint8Array) {
    if (lower === 'length') return target.length;
    if (lower === 'isempty') return target.length === 0;
    if (lower === 'isnotempty') return target.length > 0;
    throw noProperty(target, name, column);
  }
  if (target instanceof DataTable) {
    if (lower === 'rowscount') return target.rows.length;
    if (lower === 'columns') return [...target.columns];
    if (lower === 'isempty') return target.rows.length === 0;
    if (lower === 'isnotempty') return target.rows.length > 0;
    if (lower === 'columnheadersrow') return new DataRow(target.columns, [...target.columns]);
    throw noProperty(target, name, column);
  }
  if (target instanceof DataRow) {
    if (lower === 'columnscount') return target.values.length;
    if (lower === 'columnsnames') return [...target.columns];
    // `%Row.Amount%` reads the column, as rows read when they were custom objects.
    const i = target.columnIndex(name);
    if (i >= 0) return target.values[i] ?? null;
    throw noProperty(target, name, column);
  }
  if (isValueObject(target)) return objectProperty(target, name, column);
  throw noProperty(target, name, column);
}

function objectProperty(target: Record<string, Value>, name: string, column: number): Value {
  if (Object.hasOwn(target, name)) return target[name];
  const keys = Object.keys(target);
  const near = keys.find((k) => k.toLowerCase() === name.toLowerCase());
  const hint =
    near !== undefined
      ? `Property names are case-sensitive: did you mean '${near}'?`
      : keys.length === 0
        ? 'The custom object is empty.'
        : `It has ${keys
            .slice(0, 10)
            .map((k) => `'${k}'`)
            .join(', ')}${keys.length > 10 ? ` and ${keys.length - 10} more` : ''}.`;
  throw typeError(`The custom object has no property '${name}'`, column, hint);
}

function position(index: Value, what: string, column: number): number {
  if (typeof index !== 'number')
    throw typeError(
      `${what} index must be a number, not ${typeName(index)}`,
      column,
      'Items count from 0: %List[0]% is the first.',
    );
  if (!Number.isInteger(index))
    throw typeError(`${what} index must be a whole number`, column, 'Items count from 0: %List[0]% is the first.');
  return index;
}

export function getIndex(target: Value, index: Value, column: number): Value {
  if (Array.isArray(target)) {
    const i = position(index, 'A list', column);
    if (i < 0 || i >= target.length)
      throw typeError(
        `Index ${i} is outside the list (${target.length} ${target.length === 1 ? 'item' : 'items'})`,
        column,
        'Items count from 0; the last is %List.Count - 1%.',
      );
    return target[i];
  }
  if (typeof target === 'string') {
    const i = position(index, 'A text', column);
    if (i < 0 || i >= target.length)
      throw typeError(
        `Index ${i} is outside the text (${target.length} ${target.length === 1 ? 'character' : 'characters'})`,
        column,
        'Characters count from 0; the last is %Text.Length - 1%.',
      );
    return target[i];
  }
  if (target instanceof DataTable) {
    const i = position(index, 'A data table row', column);
    if (i < 0 || i >= target.rows.length)
      throw typeError(
        `Row ${i} is outside the data table (${target.rows.length} ${target.rows.length === 1 ? 'row' : 'rows'})`,
        column,
        'Rows count from 0; the last is %Table.RowsCount - 1%.',
      );
    return target.row(i);
  }
  if (target instanceof DataRow) return rowCell(target, index, column);
  if (isValueObject(target)) {
    if (typeof index !== 'string')
      throw typeError(
        `A custom object index must be a property name in text, not ${typeName(index)}`,
        column,
        "Write %Object['Name']%.",
      );
    return objectProperty(target, index, column);
  }
  if (target === null)
    throw typeError(
      'The value is blank, so it cannot be indexed',
      column,
      'Check that the variable was given a value before this step.',
    );
  throw typeError(
    `Cannot index ${typeName(target) === 'binary' ? 'binary data' : `a ${typeName(target)}`}`,
    column,
    'Only lists, text, data tables, data rows and custom objects take [index].',
  );
}

/** A data row's cell by column position or by column name. */
function rowCell(row: DataRow, index: Value, column: number): Value {
  if (typeof index === 'string') {
    const i = row.columnIndex(index);
    if (i < 0)
      throw typeError(
        `The data row has no column '${index}'`,
        column,
        `Its columns are ${row.columns.map((c) => `'${c}'`).join(', ') || 'none'}.`,
      );
    return row.values[i] ?? null;
  }
  const i = position(index, 'A data row', column);
  if (i < 0 || i >= row.values.length)
    throw typeError(
      `Column ${i} is outside the data row (${row.values.length} ${row.values.length === 1 ? 'column' : 'columns'})`,
      column,
      "Columns count from 0, or name one: %Row['Name']%.",
    );
  return row.values[i];
}

function bound(v: Value | undefined, fallback: number, what: string, column: number): number {
  if (v === undefined) return fallback;
  return position(v, what, column);
}

/**
 * `target[start:end]`: the items from `start` up to but not including `end`
 * (`[:end]` from the first, `[start:]` to the last), of a list, text, data
 * table (its rows) or data row.
 */
export function getSlice(target: Value, start: Value | undefined, end: Value | undefined, column: number): Value {
  const length =
    Array.isArray(target) || typeof target === 'string'
      ? target.length
      : target instanceof DataTable
        ? target.rows.length
        : target instanceof DataRow
          ? target.values.length
          : -1;
  if (length < 0)
    throw typeError(
      target === null ? 'The value is blank, so it cannot be sliced' : `Cannot slice ${typeName(target)}`,
      column,
      'Only lists, text, data tables and data rows take [start:end].',
    );
  const what = typeof target === 'string' ? 'A text' : target instanceof DataTable ? 'A data table' : 'A list';
  const a = bound(start, 0, `${what} slice`, column);
  const b = bound(end, length, `${what} slice`, column);
  if (a < 0 || b > length || a > b)
    throw typeError(
      `The slice ${a}:${b} is outside ${typeof target === 'string' ? 'the text' : target instanceof DataTable ? 'the data table' : 'the list'} (${length} ${typeof target === 'string' ? 'characters' : target instanceof DataTable ? 'rows' : 'items'})`,
      column,
      '[start:end] takes the items from start up to but not including end, counting from 0.',
    );
  if (typeof target === 'string' || Array.isArray(target)) return target.slice(a, b);
  if (target instanceof DataTable) return new DataTable(target.columns, target.rows.slice(a, b));
  const row = target as DataRow;
  return new DataRow(row.columns.slice(a, b), row.values.slice(a, b));
}
