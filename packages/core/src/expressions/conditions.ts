/**
 * The comparison operators of Power Automate for desktop's conditions (If,
 * Else if, Case, Loop condition, Wait-style actions) and of the expression
 * functions `Contains(…)`, `StartsWith(…)`, `IsEmpty(…)`, …, with PAD's
 * *Ignore case*. One table of meanings, shared by the interpreter, the
 * designer and the functions.
 */
import { DataRow, DataTable, isValueObject, type Value } from '../values.js';
import { typeError, typeName } from './convert.js';
import { formatValue } from './format.js';
import { looseEqual, order } from './operators.js';

export const CONDITION_OPERATORS = [
  '=',
  '<>',
  '<',
  '<=',
  '>',
  '>=',
  'contains',
  'notContains',
  'startsWith',
  'notStartsWith',
  'endsWith',
  'notEndsWith',
  'isEmpty',
  'isNotEmpty',
] as const;

export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** The operators as PAD's operator dropdown names them, in its order. */
export const CONDITION_OPERATOR_TITLES: Record<ConditionOperator, string> = {
  '=': 'Equal to (=)',
  '<>': 'Not equal to (<>)',
  '>': 'Greater than (>)',
  '>=': 'Greater than or equal to (>=)',
  '<': 'Less than (<)',
  '<=': 'Less than or equal to (<=)',
  contains: 'Contains',
  notContains: 'Does not contain',
  isEmpty: 'Is empty',
  isNotEmpty: 'Is not empty',
  startsWith: 'Starts with',
  notStartsWith: 'Does not start with',
  endsWith: 'Ends with',
  notEndsWith: 'Does not end with',
};

/** Operators that take no second operand. */
export function isUnaryOperator(op: ConditionOperator): boolean {
  return op === 'isEmpty' || op === 'isNotEmpty';
}

/** Blank, empty text, an empty list, custom object or data table. */
export function isEmptyValue(v: Value): boolean {
  if (v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof DataTable) return v.rows.length === 0;
  if (v instanceof DataRow) return v.values.length === 0;
  if (v instanceof Uint8Array) return v.length === 0;
  if (isValueObject(v)) return Object.keys(v).length === 0;
  return false;
}

function fold(v: Value, ignoreCase: boolean): Value {
  return ignoreCase && typeof v === 'string' ? v.toLowerCase() : v;
}

function text(v: Value, ignoreCase: boolean): string {
  const t = formatValue(v);
  return ignoreCase ? t.toLowerCase() : t;
}

function equal(a: Value, b: Value, ignoreCase: boolean): boolean {
  return looseEqual(fold(a, ignoreCase), fold(b, ignoreCase));
}

/** A list (or a data row) holds an item equal to the needle; text holds the needle's text. */
function contains(hay: Value, needle: Value, ignoreCase: boolean, column?: number): boolean {
  if (Array.isArray(hay)) return hay.some((x) => equal(x, needle, ignoreCase));
  if (hay instanceof DataRow) return hay.values.some((x) => equal(x, needle, ignoreCase));
  if (hay instanceof DataTable) return hay.rows.some((r) => r.some((x) => equal(x, needle, ignoreCase)));
  if (isValueObject(hay))
    throw typeError(
      `Cannot look inside a custom object with Contains`,
      column,
      "Test one property instead, e.g. Contains(Customer['Name'], 'Ada', False).",
    );
  return text(hay, ignoreCase).includes(text(needle, ignoreCase));
}

function ordered(a: Value, b: Value, ignoreCase: boolean, column: number | undefined): number {
  // Text that reads as a number orders against a number; other mixes are a type error.
  return order(fold(a, ignoreCase), fold(b, ignoreCase), column ?? 0);
}

/**
 * Whether `left op right` holds. Text comparisons are case-sensitive unless
 * `ignoreCase`. Ordering needs values of one kind (numbers, text, datetimes).
 */
export function testCondition(
  op: ConditionOperator,
  left: Value,
  right: Value,
  opts: { ignoreCase?: boolean; column?: number } = {},
): boolean {
  const ic = opts.ignoreCase === true;
  const column = opts.column;
  switch (op) {
    case '=':
      return equal(left, right, ic);
    case '<>':
      return !equal(left, right, ic);
    case '<':
      return ordered(left, right, ic, column) < 0;
    case '<=':
      return ordered(left, right, ic, column) <= 0;
    case '>':
      return ordered(left, right, ic, column) > 0;
    case '>=':
      return ordered(left, right, ic, column) >= 0;
    case 'contains':
      return contains(left, right, ic, column);
    case 'notContains':
      return !contains(left, right, ic, column);
    case 'startsWith':
      return text(left, ic).startsWith(text(right, ic));
    case 'notStartsWith':
      return !text(left, ic).startsWith(text(right, ic));
    case 'endsWith':
      return text(left, ic).endsWith(text(right, ic));
    case 'notEndsWith':
      return !text(left, ic).endsWith(text(right, ic));
    case 'isEmpty':
      return isEmptyValue(left);
    case 'isNotEmpty':
      return !isEmptyValue(left);
    default:
      throw typeError(`Unknown condition operator '${String(op)}' (${typeName(left)})`, column);
  }
}
