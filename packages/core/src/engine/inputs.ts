/**
 * Flow and subflow inputs, variables and outputs: coercion to the declared
 * types, defaults, and required inputs that are missing.
 */
import { PatchbayError } from '../errors.js';
import type { Value } from '../values.js';
import { coerceValue } from '../expressions/index.js';
import type { InputDeclaration, OutputDeclaration, VariableDeclaration } from '../flow/schema.js';
import { toValue } from '../flow/input-value.js';
import type { Frame } from './state.js';
import { REDACTED } from './redact.js';

/** Sets a frame's inputs from the given values; throws before any step runs when one is missing or mistyped. */
export function bindInputs(
  frame: Frame,
  decls: Record<string, InputDeclaration> | undefined,
  given: Record<string, unknown>,
  where: { pointer: string; what: string },
): void {
  const declared = decls ?? {};
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(declared, name)) {
      const names = Object.keys(declared);
      throw new PatchbayError('flow.invalid', `${where.what} has no input "${name}".`, {
        place: { pointer: where.pointer },
        hint: names.length ? `Its inputs are: ${names.join(', ')}.` : 'It declares no inputs.',
      });
    }
  }
  for (const [name, d] of Object.entries(declared)) {
    const what = `Input "${name}" of ${where.what}`;
    let v: Value;
    if (given[name] !== undefined) v = toValue(given[name], what);
    else if (d.default !== undefined) v = toValue(d.default, what);
    else if (d.required)
      throw new PatchbayError('flow.invalid', `${what} is required but was not given.`, {
        place: { pointer: `${where.pointer}/${name}` },
        hint: `Pass it, e.g. --input ${name}=VALUE.`,
      });
    else v = null;
    if (d.sensitive) frame.state.redactor.addName(name);
    try {
      frame.set(name, coerceValue(v, d.type, what));
    } catch (e) {
      throw e instanceof PatchbayError ? e.at({ pointer: `${where.pointer}/${name}` }) : e;
    }
  }
}

export function bindVariables(
  frame: Frame,
  decls: Record<string, VariableDeclaration> | undefined,
  pointer: string,
): void {
  for (const [name, d] of Object.entries(decls ?? {})) {
    if (d.sensitive) frame.state.redactor.addName(name);
    if (frame.vars.has(name)) continue;
    const v = toValue(d.default, `Variable "${name}"`);
    frame.set(name, d.type && v !== null ? coerceValue(v, d.type, `Variable "${name}" (${pointer}/${name})`) : v);
  }
}

/** Reads a frame's outputs as declared (missing ones take their default, or blank); `redact` hides sensitive outputs and scrubs secrets from the rest. */
export function collectOutputs(
  frame: Frame,
  decls: Record<string, OutputDeclaration> | undefined,
  redact: boolean,
): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const [name, d] of Object.entries(decls ?? {})) {
    const v = frame.vars.has(name) ? (frame.vars.get(name) as Value) : toValue(d.default, `Output "${name}"`);
    const typed = coerceValue(v, d.type, `Output "${name}"`);
    const r = frame.state.redactor;
    out[name] = !redact ? typed : d.sensitive || r.isSensitiveName(name) ? REDACTED : r.scrub(typed);
  }
  return out;
}
