/**
 * JSON text to values and back. A parse error gives the line and column of
 * the first problem (found with jsonc-parser in strict JSON mode) and never
 * repeats the text itself, which may hold secrets.
 */
import { printParseErrorCode, parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { PatchbayError } from '../errors.js';
import { DataRow, DataTable, isValueObject, type Value } from '../values.js';
import { rowToObject } from '../expressions/tables.js';
import { bytesToBase64 } from '../expressions/format.js';

const PROBLEMS: Record<string, string> = {
  InvalidSymbol: 'an unexpected character',
  InvalidNumberFormat: 'a badly formed number',
  PropertyNameExpected: 'a property name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: "a ':' was expected",
  CommaExpected: "a ',' was expected",
  CloseBraceExpected: "a closing '}' was expected",
  CloseBracketExpected: "a closing ']' was expected",
  EndOfFileExpected: 'nothing more was expected after the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'a text value is never closed',
  UnexpectedEndOfNumber: 'a number is cut short',
  InvalidUnicode: 'a badly formed \\u escape',
  InvalidEscapeCharacter: 'an unknown escape sequence',
  InvalidCharacter: 'a control character (such as a raw line break) inside a text value',
};

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Reads JSON text into a value, or throws `action.param` naming `param`, the line and the column. */
export function fromJsonText(text: string, param: string): Value {
  if (text.trim() === '')
    throw new PatchbayError('action.param', `Parameter '${param}': the JSON text is empty.`, {
      hint: 'Give JSON such as {"Name": "Ada"} or [1, 2, 3].',
    });
  try {
    return JSON.parse(text) as Value;
  } catch (e) {
    const errors: ParseError[] = [];
    parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    if (!first) throw new PatchbayError('action.param', `Parameter '${param}': not valid JSON.`, { cause: e });
    const { line, column } = lineColumn(text, first.offset);
    const name = printParseErrorCode(first.error);
    throw new PatchbayError(
      'action.param',
      `Parameter '${param}': not valid JSON at line ${line}, column ${column}: ${PROBLEMS[name] ?? name}.`,
      {
        hint: 'JSON needs double quotes around names and text, commas between items and no trailing commas.',
      },
    );
  }
}

function jsonData(v: Value, path: string, param: string): unknown {
  if (typeof v === 'number' && !Number.isFinite(v))
    throw new PatchbayError(
      'action.param',
      `Parameter '${param}': ${path || 'the value'} is ${v}, which JSON cannot hold.`,
    );
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime()))
      throw new PatchbayError('action.param', `Parameter '${param}': ${path || 'the value'} is an invalid datetime.`);
    return v.toISOString();
  }
  if (v instanceof Uint8Array) return bytesToBase64(v);
  if (Array.isArray(v)) return v.map((x, i) => jsonData(x, `${path}[${i}]`, param));
  if (v instanceof DataTable)
    return {
      columns: [...v.columns],
      rows: v.rows.map((r, i) => r.map((x, j) => jsonData(x, `${path}[${i}][${j}]`, param))),
    };
  if (v instanceof DataRow) return jsonData(rowToObject(v), path, param);
  if (isValueObject(v))
    return Object.fromEntries(Object.keys(v).map((k) => [k, jsonData(v[k], path ? `${path}.${k}` : k, param)]));
  return v;
}

/** Writes a value as JSON text: datetimes as ISO 8601 (UTC), binary data as base64. */
export function toJsonText(v: Value, opts: { indent?: boolean; param?: string } = {}): string {
  return JSON.stringify(jsonData(v, '', opts.param ?? 'object'), null, opts.indent ? 2 : undefined);
}
