/**
 * The values typed into the Run dialog, read as each input's type with core's
 * `parseInputValue` (the rule `patchbay run --input` follows): numbers,
 * booleans, JSON lists and objects, ISO datetimes. Datetimes and binary data
 * travel as text (JSON has no such types); the server reads them the same way.
 */
import { PatchbayError, parseInputValue } from '@patchbay/core';
import type { VariableDeclDoc } from '../api/types.js';

export type RunInputsResult =
  { ok: true; inputs: Record<string, unknown> } | { ok: false; name: string; message: string };

export function readRunInputs(decls: Record<string, VariableDeclDoc>, texts: Record<string, string>): RunInputsResult {
  const inputs: Record<string, unknown> = {};
  for (const [name, d] of Object.entries(decls)) {
    const text = texts[name];
    if (text === undefined || text === '') {
      if (d.required && d.default === undefined)
        return { ok: false, name, message: `Fill in ${name}: the flow needs it.` };
      continue;
    }
    try {
      const value = parseInputValue(text, d.type, name);
      inputs[name] = d.type === 'datetime' || d.type === 'binary' ? text : value;
    } catch (e) {
      const err = e instanceof PatchbayError ? e : null;
      const message = err ? err.message.replace(/([^.!?])$/, '$1.') : `${name}: ${String(e)}`;
      return { ok: false, name, message: err?.hint ? `${message} ${err.hint.replace(/--input \S+=/, '')}` : message };
    }
  }
  return { ok: true, inputs };
}
