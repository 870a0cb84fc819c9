/**
 * Text → data for connector definitions. JSON goes through jsonc-parser so a
 * broken file gives its line, column and what was expected instead of a stack
 * trace; YAML through `yaml` with its own positions.
 */
import { parse as parseJsonc, printParseErrorCode, type ParseError, type ParseErrorCode } from 'jsonc-parser';
import { parseDocument } from 'yaml';
import { PatchbayError } from '@patchbay/core';

const EXPECTED: Partial<Record<string, string>> = {
  InvalidSymbol: 'Unexpected character',
  InvalidNumberFormat: 'Invalid number',
  PropertyNameExpected: 'Expected a property name in double quotes',
  ValueExpected: 'Expected a value',
  ColonExpected: 'Expected a colon after the property name',
  CommaExpected: 'Expected a comma or closing brace',
  CloseBraceExpected: 'Expected a comma or closing brace',
  CloseBracketExpected: 'Expected a comma or closing bracket',
  EndOfFileExpected: 'Expected the end of the file after the JSON value',
  InvalidCommentToken: 'Comments are not allowed in JSON',
  UnexpectedEndOfComment: 'Unterminated comment',
  UnexpectedEndOfString: 'Unterminated string (missing closing quote)',
  UnexpectedEndOfNumber: 'Unexpected end of number',
  InvalidUnicode: 'Invalid unicode escape',
  InvalidEscapeCharacter: 'Invalid escape character in string',
  InvalidCharacter: 'Invalid character in string (control characters must be escaped)',
};

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

function jsonErrorMessage(code: ParseErrorCode): string {
  return EXPECTED[printParseErrorCode(code)] ?? `JSON syntax error (${printParseErrorCode(code)})`;
}

/** What the parser found at an error: the end of the file, an invisible character by its code point, or the text itself. */
function nearText(src: string, offset: number, length: number): string {
  if (offset >= src.length) return ' (the file ends too early)';
  const found = src.slice(offset, offset + Math.max(1, Math.min(length, 20)));
  const cp = found.codePointAt(0) ?? 0;
  if (found.trim() === '' || cp > 0x7e || cp < 0x20)
    return ` (found character U+${cp.toString(16).toUpperCase().padStart(4, '0')}, which JSON does not allow here)`;
  return ` (found "${found.replace(/\s+/g, ' ')}")`;
}

/** Parses strict JSON (a leading BOM is allowed); throws `connector.invalid` with file, line and column on the first error. */
export function parseJsonText(text: string, file: string): unknown {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (src.trim() === '')
    throw new PatchbayError('connector.invalid', `${file} is empty.`, {
      place: { file },
      hint: 'Give a JSON or YAML API definition.',
    });
  try {
    // The fast path: the built-in parser, which also keeps a "__proto__" key as plain data.
    return JSON.parse(src);
  } catch (e) {
    if (e instanceof RangeError) throw e;
  }
  // Invalid JSON: jsonc-parser finds where and what was expected.
  const errors: ParseError[] = [];
  parseJsonc(src, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  if (errors.length > 0) {
    const first = errors[0];
    const { line, column } = lineColumn(src, first.offset);
    throw new PatchbayError(
      'connector.invalid',
      `${jsonErrorMessage(first.error)}${nearText(src, first.offset, first.length)}.`,
      {
        place: { file, line, column },
        hint:
          errors.length > 1
            ? `Fix this JSON syntax error (${errors.length} found in the file) and import again.`
            : 'Fix this JSON syntax error and import again.',
      },
    );
  }
  throw new PatchbayError('connector.invalid', `${file} is not valid JSON.`, {
    place: { file },
    hint: 'Check the file with a JSON validator and import again.',
  });
}

/** Parses YAML (OpenAPI files); throws `connector.invalid` with file, line and column. */
export function parseYamlText(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const { line, column } = lineColumn(text, first.pos[0]);
    const message = first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new PatchbayError('connector.invalid', `YAML syntax error: ${message}.`, {
      place: { file, line, column },
      hint: 'Fix this YAML syntax error and import again.',
    });
  }
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw new PatchbayError(
      'connector.invalid',
      `${file} could not be read as YAML: ${e instanceof Error ? e.message : String(e)}.`,
      { place: { file } },
    );
  }
}

/** JSON when the text starts like JSON (or the file ends in .json), YAML otherwise. */
export function parseDefinitionText(text: string, file: string): unknown {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (/\.json$/i.test(file)) return parseJsonText(text, file);
  if (!head.startsWith('{') && !head.startsWith('[')) return parseYamlText(text, file);
  try {
    return parseJsonText(text, file);
  } catch (jsonError) {
    // A YAML file may start with a flow mapping (`{openapi: 3.0.0, …}`); report the JSON error if YAML cannot read it either.
    try {
      return parseYamlText(text, file);
    } catch {
      throw jsonError;
    }
  }
}
