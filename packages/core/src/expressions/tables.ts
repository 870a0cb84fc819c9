/**
 * Data tables and data rows between their other shapes: lists of custom
 * objects, lists of lists, JSON data (`{columns, rows}`), and text. Shared by
 * the operators, the type conversions and the data-table actions.
 */
import { DataRow, DataTable, isValueObject, type Value, type ValueObject } from '../values.js';
import { typeError, typeName } from './convert.js';

/** A row's cells as a custom object keyed by column name. */
export function rowToObject(row: DataRow): ValueObject {
  const out: ValueObject = {};
  row.columns.forEach((c, i) => (out[c] = row.values[i] ?? null));
  return out;
}

/** The rows of a table as custom objects. */
export function tableToObjects(t: DataTable): ValueObject[] {
  return t.rows.map((_, i) => rowToObject(t.row(i)));
}

/** A table from custom objects: the columns are every key, in order of first appearance. */
export function tableFromObjects(items: readonly Value[], what = 'The list'): DataTable {
  const columns: string[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (!isValueObject(item) && !(item instanceof DataRow))
      throw typeError(
        `${what} must hold custom objects (or data rows) to become a data table, but item ${i} is ${typeName(item)}`,
        undefined,
        'Give a list of custom objects such as [{"Name": "Ada"}], or a list of lists with the column names first.',
      );
    const keys = item instanceof DataRow ? item.columns : Object.keys(item);
    for (const k of keys)
      if (!seen.has(k)) {
        seen.add(k);
        columns.push(k);
      }
  });
  const rows = items.map((item) => {
    const o = item instanceof DataRow ? rowToObject(item) : (item as ValueObject);
    return columns.map((c) => (Object.hasOwn(o, c) ? o[c] : null));
  });
  return new DataTable(columns, rows);
}

/** Columns named `Column1`, `Column2`, … as PAD names columns it has no header for. */
export function defaultColumns(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `Column${i + 1}`);
}

/** A table from a list of lists; with `headers`, the first list names the columns. */
export function tableFromLists(items: readonly Value[], headers: boolean, what = 'The list'): DataTable {
  const lists = items.map((item, i) => {
    if (item instanceof DataRow) return [...item.values];
    if (!Array.isArray(item))
      throw typeError(
        `${what} must hold lists to become a data table, but item ${i} is ${typeName(item)}`,
        undefined,
        "Give a list of lists, e.g. [['Name', 'Age'], ['Ada', 36]].",
      );
    return item;
  });
  if (headers) {
    const head = (lists[0] ?? []).map((h) => (typeof h === 'string' ? h : String(h)));
    return withWidth(head, lists.slice(1));
  }
  const width = lists.reduce((m, r) => Math.max(m, r.length), 0);
  return withWidth(defaultColumns(width), lists);
}

function withWidth(columns: string[], rows: Value[][]): DataTable {
  return new DataTable(
    columns,
    rows.map((r) => columns.map((_, i) => (i < r.length ? r[i] : null))),
  );
}

/** A table from a list: custom objects by key, lists by position. */
export function tableFromList(items: readonly Value[], what = 'The list'): DataTable {
  if (items.length > 0 && (Array.isArray(items[0]) || items[0] instanceof DataRow) && !isValueObject(items[0]))
    return items[0] instanceof DataRow ? tableFromObjects(items, what) : tableFromLists(items, false, what);
  return tableFromObjects(items, what);
}

/** `{columns, rows}` JSON data, or a list of objects, as a table; undefined when it is neither. */
export function tableFromJsonData(data: unknown): DataTable | undefined {
  if (Array.isArray(data)) {
    if (data.every((x) => isValueObject(x))) return tableFromObjects(data as Value[]);
    return undefined;
  }
  if (isValueObject(data) && Array.isArray(data.columns) && Array.isArray(data.rows)) {
    const columns = data.columns.map((c) => String(c));
    if (!data.rows.every((r) => Array.isArray(r))) return undefined;
    return withWidth(columns, data.rows as Value[][]);
  }
  return undefined;
}

/** A row to add to a table: a list of cells by position, a data row or a custom object by column name. */
export function cellsForTable(t: DataTable, row: Value, column?: number): Value[] {
  if (Array.isArray(row)) {
    if (row.length !== t.columns.length)
      throw typeError(
        `The row has ${row.length} ${row.length === 1 ? 'value' : 'values'} but the data table has ${t.columns.length} ${t.columns.length === 1 ? 'column' : 'columns'}`,
        column,
        `Give one value for each column: ${t.columns.join(', ')}.`,
      );
    return row;
  }
  const o = row instanceof DataRow ? rowToObject(row) : isValueObject(row) ? row : undefined;
  if (!o)
    throw typeError(
      `Cannot add ${typeName(row)} to a data table as a row`,
      column,
      "Add a list with one value for each column, e.g. %Table + ['Ada', 36]%.",
    );
  const unknown = Object.keys(o).filter((k) => t.columnIndex(k) < 0);
  if (unknown.length)
    throw typeError(
      `The data table has no column '${unknown[0]}'`,
      column,
      `Its columns are ${t.columns.join(', ') || 'none'}.`,
    );
  const cells: Value[] = t.columns.map(() => null);
  for (const k of Object.keys(o)) cells[t.columnIndex(k)] = o[k];
  return cells;
}

/** `table + row` (or `table + table` with the same columns): a new table. */
export function appendToTable(t: DataTable, v: Value, column: number): DataTable {
  if (v instanceof DataTable) {
    if (v.columns.length !== t.columns.length)
      throw typeError(
        `Cannot add a data table of ${v.columns.length} columns to one of ${t.columns.length}`,
        column,
        'Use Variables.MergeDataTables to merge tables with different columns.',
      );
    return new DataTable(t.columns, [...t.rows, ...v.rows]);
  }
  return new DataTable(t.columns, [...t.rows, cellsForTable(t, v, column)]);
}
