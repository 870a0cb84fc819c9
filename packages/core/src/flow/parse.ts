/**
 * Reads a flow file's text: JSON syntax errors with line:column and what was
 * expected, then the schema with a JSON pointer and line:column per problem.
 */
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import Schema from 'typebox/schema';
import { PatchbayError } from '../errors.js';
import { flowSchema, type Flow } from './schema.js';
import { offsetToPosition, SourceMap } from './location.js';
import { rememberSource } from './sources.js';
// The check is TypeBox's own compilation of the schema, made ahead of time (conforms.generated.js): a one-off
// `patchbay run` neither interprets the schema nor compiles it. The problems of a flow that does not conform still
// come from TypeBox.
import { conformsToFlowSchema } from './conforms.generated.js';

const EXPECTED: Record<string, string> = {
  InvalidSymbol: 'a value (text in double quotes, a number, true, false, null, a list or an object)',
  InvalidNumberFormat: 'a number such as 42 or 3.5',
  PropertyNameExpected: 'a property name in double quotes',
  ValueExpected: 'a value',
  ColonExpected: 'a colon ":" after the property name',
  CommaExpected: 'a comma "," between items',
  CloseBraceExpected: 'a closing brace "}"',
  CloseBracketExpected: 'a closing bracket "]"',
  EndOfFileExpected: 'the end of the file after the top-level object',
  InvalidCommentToken: 'no comments (flow files are plain JSON)',
  UnexpectedEndOfComment: 'the end of the comment',
  UnexpectedEndOfString: 'a closing double quote',
  UnexpectedEndOfNumber: 'more digits',
  InvalidUnicode: 'a valid \\u escape',
  InvalidEscapeCharacter: 'a valid escape such as \\n or \\"',
  InvalidCharacter: 'no control characters inside text',
};

/** A schema problem as reported by the validator, with its place. */
export interface SchemaProblem {
  pointer: string;
  message: string;
  hint?: string;
  line?: number;
  column?: number;
}

interface RawError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

function describe(e: RawError): { message: string; hint?: string; key?: string } {
  const at = e.instancePath || '/';
  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = (e.params.additionalProperties as string[] | undefined) ?? [];
      if (/\/(inputs|outputs|variables|subflows)$/.test(e.instancePath)) {
        return {
          message: `"${extra[0]}" at ${at} is not a valid name.`,
          hint: 'Names use letters, digits and underscores and do not start with a digit.',
          key: extra[0],
        };
      }
      return {
        message: `Unknown property "${extra[0]}" at ${at}.`,
        hint: 'Remove it or check its spelling against docs/flow-format.md.',
        key: extra[0],
      };
    }
    case 'required': {
      const missing = (e.params.requiredProperties as string[] | undefined) ?? [];
      return { message: `Missing property "${missing.join('", "')}" at ${at}.`, hint: `Add "${missing[0]}".` };
    }
    case 'const':
      return { message: `${at} must be ${JSON.stringify(e.params.allowedValue ?? e.params.const)}.` };
    case 'enum':
      return {
        message: `${at} must be one of ${((e.params.allowedValues as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(', ')}.`,
      };
    case 'pattern':
      return {
        message: `${at} is not a valid name.`,
        hint: 'Names use letters, digits and underscores and do not start with a digit.',
      };
    default:
      return { message: `${at} ${e.message}.` };
  }
}

/** Checks a parsed document against the flow schema; empty when it conforms. */
export function schemaProblems(doc: unknown, sourceText?: string): SchemaProblem[] {
  if (conformsToFlowSchema(doc)) return [];
  const [, errors] = Schema.Errors(flowSchema, doc) as [boolean, RawError[]];
  const map = sourceText === undefined ? undefined : new SourceMap(sourceText);
  const seen = new Set<string>();
  const out: SchemaProblem[] = [];
  // Deepest first: the most specific complaint is the useful one.
  const sorted = errors
    .filter((e) => e.keyword !== 'boolean' && e.keyword !== 'anyOf')
    .sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length);
  for (const e of sorted.length ? sorted : errors) {
    const d = describe(e);
    const pointer =
      e.keyword === 'additionalProperties' && d.key !== undefined
        ? `${e.instancePath}/${d.key.replace(/~/g, '~0').replace(/\//g, '~1')}`
        : e.instancePath;
    if (seen.has(pointer + d.message)) continue;
    seen.add(pointer + d.message);
    const pos = map?.locate(e.instancePath, d.key);
    out.push({ pointer, message: d.message, hint: d.hint, line: pos?.line, column: pos?.column });
  }
  return out;
}

/** Parses JSON text strictly; bad syntax throws `flow.invalid_json` with line:column. */
export function parseJsonText(text: string, file?: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  if (errors.length) {
    const first = errors[0];
    const { line, column } = offsetToPosition(text, first.offset);
    const expected = EXPECTED[printParseErrorCode(first.error)] ?? 'valid JSON';
    throw new PatchbayError(
      'flow.invalid_json',
      `Invalid JSON at line ${line}, column ${column}: expected ${expected}.`,
      {
        place: { file, line, column },
        hint: 'Fix the JSON syntax at that place; a flow file is one JSON object.',
      },
    );
  }
  return value;
}

/** Parses and checks a flow file's text. Throws `flow.invalid_json` or `flow.invalid` (pointer and line:column). */
export function parseFlowText(text: string, file?: string): Flow {
  if (typeof text !== 'string')
    throw new PatchbayError('flow.invalid_json', 'A flow file must be text.', { place: { file } });
  const doc = parseJsonText(text, file);
  const problems = schemaProblems(doc, text);
  if (problems.length) {
    const p = problems[0];
    const more =
      problems.length > 1
        ? ` (${problems.length - 1} more problem${problems.length > 2 ? 's' : ''} after this one)`
        : '';
    throw new PatchbayError('flow.invalid', `${p.message}${more}`, {
      place: { file, pointer: p.pointer, line: p.line, column: p.column },
      hint: p.hint,
    });
  }
  const flow = doc as Flow;
  rememberSource(flow, text, file);
  return flow;
}
