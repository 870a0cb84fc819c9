/**
 * `.Property` and `[index]` access. Built-in properties of text, lists,
 * datetimes and binary data match in any case (`.length` reads `.Length`);
 * custom object properties match exactly, as their keys are data.
 */
import { isValueObject, type Value } from '../values.js';
import { typeError, typeName } from './convert.js';

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const BUILT_INS: Record<string, string> = {
  text: 'Length, ToUpper, ToLower, Trimmed, IsEmpty, IsNotEmpty',
  list: 'Count, IsEmpty, IsNotEmpty',
  datetime: 'Year, Month, Day, Hour, Minute, Second, DayOfWeek, DayOfYear, Date, TimeOfDay',
  binary: 'Length, IsEmpty, IsNotEmpty',
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
    'Only lists, text and custom objects take [index].',
  );
}
