/**
 * The operators' meaning, as Power Automate for desktop gives it: numbers are
 * decimal (`10 / 4` is 2.5), `+` appends to a list on its left and otherwise
 * joins text when either side is text, text compares case-sensitively in
 * culture order ('a' < 'A' < 'b'), a text that reads as a number equals that
 * number ('1' = 1), datetimes compare by time.
 */
import { DataTable, type Value } from '../values.js';
import { numbersEqual, parseNumberText, typeError, typeName, valuesEqual } from './convert.js';
import { formatValue } from './format.js';
import { appendToTable } from './tables.js';

/**
 * A finite result that reads as decimal arithmetic, as in PAD: 0.1 + 0.2 is
 * 0.3, 0.8 - 0.1 is 0.7 and 4.35 * 100 is 435. A fraction within a couple of
 * binary units of its 15-digit decimal is that decimal plus rounding noise
 * and becomes it; any other keeps 16 significant digits (10 / 3 is
 * 3.333333333333333, 2 / 3 is 0.6666666666666666).
 */
export function finite(n: number, column?: number): number {
  if (Number.isInteger(n)) return n === 0 ? 0 : n;
  if (!Number.isFinite(n))
    throw typeError('The result is too large to be a number', column, 'Check the values in this calculation.');
  const decimal = Number(n.toPrecision(15));
  return Math.abs(decimal - n) <= 2 * Number.EPSILON * Math.abs(n) ? decimal + 0 : Number(n.toPrecision(16));
}

const VERBS: Record<string, (l: string, r: string) => string> = {
  '+': (l, r) => `Cannot add ${r} to ${l}`,
  '-': (l, r) => `Cannot subtract ${r} from ${l}`,
  '*': (l, r) => `Cannot multiply ${l} by ${r}`,
  '/': (l, r) => `Cannot divide ${l} by ${r}`,
  mod: (l, r) => `Cannot take the remainder of ${l} divided by ${r}`,
};

function arithmeticError(op: string, a: Value, b: Value, column: number): Error {
  return typeError(
    VERBS[op](typeName(a), typeName(b)),
    column,
    op === '+'
      ? 'Add numbers to numbers; to join text, make one side text.'
      : 'Arithmetic needs numbers on both sides; convert text with Text.ConvertTextToNumber first.',
  );
}

export function add(a: Value, b: Value, column: number): Value {
  if (typeof a === 'number' && typeof b === 'number') return finite(a + b, column);
  if (a instanceof DataTable) return appendToTable(a, b, column);
  if (Array.isArray(a)) return Array.isArray(b) ? a.concat(b) : [...a, b];
  if (typeof a === 'string' || typeof b === 'string') return formatValue(a) + formatValue(b);
  throw arithmeticError('+', a, b, column);
}

export function arithmetic(op: '-' | '*' | '/' | 'mod', a: Value, b: Value, column: number): number {
  if (typeof a !== 'number' || typeof b !== 'number') throw arithmeticError(op, a, b, column);
  switch (op) {
    case '-':
      return finite(a - b, column);
    case '*':
      return finite(a * b, column);
    case '/':
      if (b === 0)
        throw typeError('Division by zero', column, 'Check the divisor before dividing, e.g. with an If step.');
      return finite(a / b, column);
    default:
      if (b === 0) throw typeError('Division by zero (mod 0)', column, 'Check the divisor before taking a remainder.');
      return finite(a % b, column);
  }
}

export function negate(v: Value, column: number): number {
  if (typeof v !== 'number') throw typeError(`Cannot negate ${typeName(v)}`, column, 'Unary minus needs a number.');
  return v === 0 ? 0 : -v;
}

const collator = new Intl.Collator('en-US', { sensitivity: 'variant' });

function compareText(a: string, b: string): number {
  const c = collator.compare(a, b);
  if (c !== 0 || a === b) return c;
  return a < b ? -1 : 1;
}

/** Equality as `=` reads it: like valuesEqual, plus text that reads as a number equals that number. */
export function looseEqual(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'number') {
    const n = parseNumberText(a);
    return n !== undefined && numbersEqual(n, b);
  }
  if (typeof a === 'number' && typeof b === 'string') return looseEqual(b, a);
  return valuesEqual(a, b);
}

/** Order of two values (negative, 0, positive) for `< <= > >=`, or a type error. */
export function order(a: Value, b: Value, column: number): number {
  if (typeof a === 'number' && typeof b === 'number') return numbersEqual(a, b) ? 0 : a - b;
  if (typeof a === 'string' && typeof b === 'string') return compareText(a, b);
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'string' && typeof b === 'number') {
    const n = parseNumberText(a);
    if (n !== undefined) return order(n, b, column);
  }
  if (typeof a === 'number' && typeof b === 'string') {
    const n = parseNumberText(b);
    if (n !== undefined) return order(a, n, column);
  }
  throw typeError(
    `Cannot compare ${typeName(a)} with ${typeName(b)}`,
    column,
    'Compare values of the same type: numbers with numbers, text with text, datetimes with datetimes.',
  );
}
