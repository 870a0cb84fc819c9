/**
 * Splits one expression into tokens. Columns are 1-based into the text the
 * user wrote: `base` is the column of the expression's first character.
 */
import { PatchbayError } from '../errors.js';

export type TokenKind = 'number' | 'text' | 'name' | 'op' | 'end';

export interface Token {
  kind: TokenKind;
  /** Operator symbol, name as written, or the decoded text of a text literal. */
  value: string;
  /** Numbers only. */
  num: number;
  column: number;
}

const NAME_START = /[\p{L}_]/u;
const NAME_PART = /[\p{L}\p{N}_]/u;
const TWO_CHAR_OPS = new Set(['<=', '>=', '<>', '!=']);
const ONE_CHAR_OPS = new Set(['+', '-', '*', '/', '=', '<', '>', '(', ')', '[', ']', '.', ',', '{', '}', ':', '^']);

const CHAR_HINTS: Record<string, string> = {
  '"': "Text goes between single quotes, e.g. 'Hello'.",
  '&': "Use 'and' to combine conditions, or '+' to join text.",
  '|': "Use 'or' to combine conditions.",
  '!': "Use 'not' to negate a condition and '<>' for 'not equal'.",
  '%': "An expression ends at the next '%'. Write '%%' outside an expression for a literal percent sign, or use 'mod' for the remainder.",
};

/** `head at column N (detail)`, e.g. "Expected ')' at column 12 (found the end of the expression)". */
export function syntaxError(
  head: string,
  column: number,
  opts: { detail?: string; hint?: string } = {},
): PatchbayError {
  const message = `${head} at column ${column}${opts.detail ? ` (${opts.detail})` : ''}`;
  return new PatchbayError('expression.syntax', message, {
    place: { column },
    hint: opts.hint ?? 'Check the expression between the % signs.',
  });
}

/** Decodes a text literal starting at `start` (the opening quote). `\'` is a quote, `\\` a backslash; any other backslash is kept (Windows paths read as written). */
function readText(src: string, start: number, base: number): { value: string; end: number } {
  let out = '';
  let i = start + 1;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\' && (src[i + 1] === "'" || src[i + 1] === '\\')) {
      out += src[i + 1];
      i += 2;
      continue;
    }
    if (c === "'") return { value: out, end: i + 1 };
    out += c;
    i++;
  }
  throw syntaxError(`Expected ' to close the text that starts`, base + start, {
    hint: "Close the text with a single quote; write \\' for a quote inside text.",
  });
}

export function tokenize(src: string, base = 1): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const column = base + i;
    if (c >= '0' && c <= '9') {
      let j = i;
      while (j < src.length && src[j] >= '0' && src[j] <= '9') j++;
      if (src[j] === '.' && src[j + 1] >= '0' && src[j + 1] <= '9') {
        j++;
        while (j < src.length && src[j] >= '0' && src[j] <= '9') j++;
      }
      const text = src.slice(i, j);
      tokens.push({ kind: 'number', value: text, num: Number(text), column });
      i = j;
      continue;
    }
    if (c === "'") {
      const { value, end } = readText(src, i, base);
      tokens.push({ kind: 'text', value, num: 0, column });
      i = end;
      continue;
    }
    if (NAME_START.test(c)) {
      let j = i + 1;
      while (j < src.length && NAME_PART.test(src[j])) j++;
      tokens.push({ kind: 'name', value: src.slice(i, j), num: 0, column });
      i = j;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      tokens.push({ kind: 'op', value: two === '!=' ? '<>' : two, num: 0, column });
      i += 2;
      continue;
    }
    if (two === '==') throw syntaxError("Unexpected '=='", column, { hint: "Use a single '=' to compare." });
    if (ONE_CHAR_OPS.has(c)) {
      tokens.push({ kind: 'op', value: c, num: 0, column });
      i++;
      continue;
    }
    const shown =
      c.codePointAt(0)! < 32 ? `character code ${c.codePointAt(0)}` : `'${String.fromCodePoint(src.codePointAt(i)!)}'`;
    throw syntaxError(`Unexpected ${shown}`, column, { hint: CHAR_HINTS[c] });
  }
  tokens.push({ kind: 'end', value: '', num: 0, column: base + src.length });
  return tokens;
}
