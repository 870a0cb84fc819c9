/**
 * Values that flow variables, inputs, outputs and expressions hold.
 * Mirrors Power Automate for desktop's types: text, number, boolean, list,
 * custom object, datetime, binary, data table and data row. `null` is the
 * empty value.
 */
export type Value = null | string | number | boolean | Date | Uint8Array | DataTable | DataRow | Value[] | ValueObject;

export interface ValueObject {
  [key: string]: Value;
}

/**
 * PAD's data table: named columns and rows of cells, rows and columns
 * counted from 0. Treated as a value: actions and operators make new tables
 * rather than change one in place.
 */
export class DataTable {
  constructor(
    readonly columns: readonly string[],
    readonly rows: readonly Value[][],
  ) {}

  /** Row `i` as a data row (sharing the column names). */
  row(i: number): DataRow {
    return new DataRow(this.columns, this.rows[i]);
  }

  /** The position of a column by name (exact first, then in any case), or -1. */
  columnIndex(name: string): number {
    const i = this.columns.indexOf(name);
    if (i >= 0) return i;
    const lower = name.toLowerCase();
    return this.columns.findIndex((c) => c.toLowerCase() === lower);
  }
}

/** One row of a data table: its cells with the table's column names. */
export class DataRow {
  constructor(
    readonly columns: readonly string[],
    readonly values: readonly Value[],
  ) {}

  columnIndex(name: string): number {
    const i = this.columns.indexOf(name);
    if (i >= 0) return i;
    const lower = name.toLowerCase();
    return this.columns.findIndex((c) => c.toLowerCase() === lower);
  }
}

/** Type names used in flow files (inputs, outputs, variables) and in action parameter specs. */
export const VALUE_TYPES = [
  'text',
  'number',
  'boolean',
  'list',
  'object',
  'datatable',
  'datarow',
  'datetime',
  'binary',
  'any',
] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** The value type of a JSON Schema / OpenAPI type (`string` with format `binary` is binary data). */
export function valueTypeOfSchema(type: string | undefined, format?: string): ValueType {
  switch (type) {
    case 'string':
      return format === 'binary' ? 'binary' : 'text';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return 'list';
    case 'object':
      return 'object';
    case 'file':
      return 'binary';
    default:
      return 'any';
  }
}

export function isValueObject(v: unknown): v is ValueObject {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !(v instanceof Uint8Array) &&
    !(v instanceof DataTable) &&
    !(v instanceof DataRow)
  );
}

/** The type name of a runtime value (`null` reports as `any`). */
export function typeOfValue(v: Value): ValueType {
  if (v === null) return 'any';
  if (typeof v === 'string') return 'text';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (v instanceof Date) return 'datetime';
  if (v instanceof Uint8Array) return 'binary';
  if (v instanceof DataTable) return 'datatable';
  if (v instanceof DataRow) return 'datarow';
  if (Array.isArray(v)) return 'list';
  return 'object';
}
