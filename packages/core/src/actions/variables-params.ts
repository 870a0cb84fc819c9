/**
 * Reading action parameters and raising parameter errors, shared by the
 * Variables, Text, Date time and Data actions. The interpreter has already
 * evaluated and coerced each parameter to its declared type; these readers
 * only fill in defaults for optional parameters that a step left out and
 * check what a type alone cannot (a variable name, a whole number, a list).
 */
import { PatchbayError } from '../errors.js';
import type { ActionContext } from '../contracts.js';
import { parseNumberText } from '../expressions/convert.js';
import { typeOfValue, type Value, type ValueObject, isValueObject } from '../values.js';

export type Params = Record<string, Value>;

/** A parameter error: names the parameter and says what to change. */
export function paramError(param: string, message: string, hint?: string): PatchbayError {
  return new PatchbayError('action.param', `Parameter '${param}': ${message}`, { hint });
}

/** A failure while running the action (the input was well-formed but the action could not do its job). */
export function failed(message: string, hint?: string): PatchbayError {
  return new PatchbayError('action.failed', message, { hint });
}

export function text(p: Params, name: string, fallback = ''): string {
  const v = p[name];
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw paramError(name, `expected text, got ${describeType(v)}.`);
}

export function num(p: Params, name: string, fallback?: number): number {
  const v = p[name];
  // Blank text is a parameter left empty, never 0.
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
    if (fallback !== undefined) return fallback;
    throw paramError(name, 'a number is required.', `Give '${name}' a number.`);
  }
  const hint = "Give decimal digits with '.' for decimals, e.g. 12.5 (not 0x10 or 1_000).";
  if (typeof v === 'string') {
    // Decimal only, as the expression language's toNumber reads text: Number() would take 0x10 as 16.
    const n = parseNumberText(v);
    if (n === undefined) throw paramError(name, 'the text is not a decimal number.', hint);
    return n;
  }
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw paramError(
      name,
      typeof v === 'number' ? 'the number is not finite.' : `expected a number, got ${describeType(v)}.`,
      hint,
    );
  return v;
}

export function int(p: Params, name: string, fallback?: number): number {
  const n = num(p, name, fallback);
  if (!Number.isInteger(n))
    throw paramError(name, `expected a whole number, got ${n}.`, `Give '${name}' a whole number.`);
  return n;
}

export function bool(p: Params, name: string, fallback = false): boolean {
  const v = p[name];
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'True') return true;
  if (v === 'false' || v === 'False') return false;
  throw paramError(name, `expected true or false, got ${describeType(v)}.`);
}

export function list(p: Params, name: string): Value[] {
  const v = p[name];
  if (Array.isArray(v)) return v;
  if (v === undefined || v === null)
    throw paramError(name, 'a list is required.', `Give '${name}' a list, e.g. %MyList%.`);
  throw paramError(name, `expected a list, got ${describeType(v)}.`, `Give '${name}' a list, e.g. %MyList%.`);
}

export function date(p: Params, name: string): Date {
  const v = p[name];
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v;
  if (v === undefined || v === null)
    throw paramError(name, 'a datetime is required.', `Give '${name}' a datetime, e.g. %CurrentDateTime%.`);
  throw paramError(
    name,
    `expected a datetime, got ${describeType(v)}.`,
    'Convert text with Text.ConvertTextToDateTime first.',
  );
}

/** One of the declared options; anything else names the allowed ones. */
export function option<T extends string>(p: Params, name: string, allowed: readonly T[], fallback: T): T {
  const v = p[name];
  if (v === undefined || v === null || v === '') return fallback;
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  throw paramError(
    name,
    `${typeof v === 'string' ? `'${v}'` : describeType(v)} is not one of ${allowed.map((a) => `'${a}'`).join(', ')}.`,
  );
}

/** A variable name; `global.Name` reaches a flow variable from a Local subflow. */
const VARIABLE_NAME = /^(?:global\.)?[A-Za-z_][A-Za-z0-9_]*$/;

/** Names already checked (the engine bench sets and increases the same few names a million times). */
const checkedNames = new Map<string, string>();

/** A variable name given as written (`Total` or `%Total%`), checked as PAD checks it. */
export function variableName(p: Params, name: string): string {
  const v = p[name];
  if (typeof v === 'string') {
    const known = checkedNames.get(v);
    if (known !== undefined) return known;
  }
  let s = typeof v === 'string' ? v.trim() : '';
  if (s.length > 2 && s.charCodeAt(0) === 37 && s.charCodeAt(s.length - 1) === 37) s = s.slice(1, -1).trim();
  if (!VARIABLE_NAME.test(s)) {
    throw paramError(
      name,
      s === '' ? 'a variable name is required.' : `'${s}' is not a valid variable name.`,
      'Use letters, digits and underscores, not starting with a digit, e.g. Total.',
    );
  }
  if (typeof v === 'string' && checkedNames.size < 10_000) checkedNames.set(v, s);
  return s;
}

/** The value of an existing variable, or an error that says how to create it. */
export function existingVariable(
  ctx: ActionContext,
  p: Params,
  name: string,
  create: string,
): { name: string; value: Value } {
  const varName = variableName(p, name);
  const value = ctx.getVariable(varName);
  if (value === undefined)
    throw paramError(name, `variable '${varName}' does not exist.`, `Create it first with ${create}.`);
  return { name: varName, value };
}

/** The list held by a named variable. */
export function listVariable(ctx: ActionContext, p: Params, name: string): { name: string; value: Value[] } {
  const v = existingVariable(ctx, p, name, 'Variables.CreateNewList');
  if (!Array.isArray(v.value))
    throw paramError(
      name,
      `variable '${v.name}' holds ${describeType(v.value)}, not a list.`,
      `Create a list with Variables.CreateNewList.`,
    );
  return { name: v.name, value: v.value };
}

/** The custom object held by a named variable. */
export function objectVariable(ctx: ActionContext, p: Params, name: string): { name: string; value: ValueObject } {
  const v = existingVariable(ctx, p, name, 'Variables.CreateCustomObject');
  if (!isValueObject(v.value))
    throw paramError(
      name,
      `variable '${v.name}' holds ${describeType(v.value)}, not a custom object.`,
      'Create one with Variables.CreateCustomObject or Data.ConvertJsonToCustomObject.',
    );
  return { name: v.name, value: v.value };
}

/** "a number", "text", "a list", … for messages. */
export function describeType(v: Value): string {
  if (v === null) return 'nothing (empty)';
  switch (typeOfValue(v)) {
    case 'text':
      return 'text';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'datetime':
      return 'a datetime';
    case 'binary':
      return 'binary data';
    case 'list':
      return 'a list';
    default:
      return 'a custom object';
  }
}
