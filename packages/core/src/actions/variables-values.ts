/**
 * Comparing and showing values for the list and text actions: equality (with
 * an ignore-case option), a total order for sorting, and text for joining.
 */
import { isValueObject, type Value } from '../values.js';
import { formatValue } from '../expressions/index.js';

/** Values as text, the way they read when joined, matched or written into CSV (the expression language's `formatValue`). */
export const valueText: (v: Value) => string = formatValue;

/** Deep equality; text compares without case when `ignoreCase`. */
export function sameValue(a: Value, b: Value, ignoreCase = false): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string') return ignoreCase && a.toLowerCase() === b.toLowerCase();
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i], ignoreCase));
  if (isValueObject(a) && isValueObject(b)) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k], ignoreCase))
    );
  }
  return false;
}

/** A key under which equal values (per `sameValue`) collide, for removing duplicates in one pass. */
export function valueKey(v: Value, ignoreCase: boolean): string {
  if (typeof v === 'string') return 's' + (ignoreCase ? v.toLowerCase() : v);
  if (typeof v === 'number') return 'n' + String(v);
  if (v instanceof Date) return 'd' + v.getTime();
  if (v === null || typeof v === 'boolean') return 'p' + String(v);
  const norm = (x: Value): unknown => {
    if (typeof x === 'string') return ignoreCase ? x.toLowerCase() : x;
    if (x instanceof Date) return { $d: x.getTime() };
    if (x instanceof Uint8Array) return { $b: Array.from(x) };
    if (Array.isArray(x)) return x.map(norm);
    if (isValueObject(x))
      return Object.fromEntries(
        Object.keys(x)
          .sort()
          .map((k) => [k, norm(x[k])]),
      );
    return x;
  };
  return 'j' + JSON.stringify(norm(v));
}

const RANK: Record<string, number> = { null: 0, boolean: 1, number: 2, datetime: 3, text: 4, other: 5 };

function rank(v: Value): number {
  if (v === null) return RANK.null;
  if (typeof v === 'boolean') return RANK.boolean;
  if (typeof v === 'number') return RANK.number;
  if (v instanceof Date) return RANK.datetime;
  if (typeof v === 'string') return RANK.text;
  return RANK.other;
}

const collator = new Intl.Collator('en', { numeric: false, sensitivity: 'variant' });

/**
 * A total order for sorting: empty first, then booleans, numbers, datetimes,
 * text (by the invariant collation, as PAD sorts), then anything else as text.
 */
export function compareValues(a: Value, b: Value): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'string' && typeof b === 'string') return collator.compare(a, b);
  if (a === null) return 0;
  return collator.compare(valueText(a), valueText(b));
}
