/**
 * Turning outside data into flow values: `--input NAME=VALUE` text from the
 * command line, and JSON-ish data from the API, into typed values.
 */
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { PatchbayError } from '../errors.js';
import { isValueObject, type Value, type ValueType } from '../values.js';
import { coerceValue } from '../expressions/index.js';

/** Converts plain data (JSON, API bodies) to a Value; functions, symbols and the like are rejected. */
export function toValue(data: unknown, what: string): Value {
  if (data === undefined || data === null) return null;
  if (typeof data === 'string' || typeof data === 'boolean') return data;
  if (typeof data === 'number') {
    if (!Number.isFinite(data)) throw new PatchbayError('expression.type', `${what} is not a finite number.`);
    return data;
  }
  if (data instanceof Date || data instanceof Uint8Array) return data;
  if (Array.isArray(data)) return data.map((d, i) => toValue(d, `${what}[${i}]`));
  if (
    isValueObject(data) &&
    (Object.getPrototypeOf(data) === Object.prototype || Object.getPrototypeOf(data) === null)
  ) {
    const out: Record<string, Value> = {};
    for (const [k, v] of Object.entries(data)) out[k] = toValue(v, `${what}.${k}`);
    return out;
  }
  throw new PatchbayError('expression.type', `${what} holds a ${typeof data} that is not a flow value.`, {
    hint: 'Pass text, numbers, booleans, lists and objects (JSON data).',
  });
}

/**
 * Reads a command-line input value as the input's type: JSON for lists and
 * objects, numbers, True/False, ISO datetimes, base64 for binary. `any` takes
 * JSON when the text is JSON, otherwise the text itself.
 */
export function parseInputValue(text: string, type: ValueType, name: string): Value {
  if (type === 'any') {
    try {
      return toValue(JSON.parse(text) as unknown, `Input "${name}"`);
    } catch {
      return text;
    }
  }
  if (type === 'list' || type === 'object') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      // The parser's own message quotes the text, which may be a secret: give the position only.
      throw new PatchbayError(
        'expression.type',
        `Input "${name}" must be JSON ${type === 'list' ? 'list' : 'object'} text; it is not valid JSON ${jsonErrorPlace(text)}.`,
        {
          hint:
            type === 'list'
              ? `Write it as --input ${name}='[1, 2, 3]'.`
              : `Write it as --input ${name}='{"Key": "value"}'.`,
        },
      );
    }
    return coerceValue(toValue(data, `Input "${name}"`), type, `Input "${name}"`);
  }
  return coerceValue(text, type, `Input "${name}"`);
}

/** Where JSON text first goes wrong, as "at character N" (1-based), without quoting any of it. */
function jsonErrorPlace(text: string): string {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return 'somewhere in the text';
  return first.offset >= text.length
    ? `(it ends at character ${text.length} before the JSON is complete)`
    : `at character ${first.offset + 1}`;
}
