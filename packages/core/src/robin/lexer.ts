/**
 * Robin's tokens: Power Automate for desktop's flow language, as its
 * designer copies it to the clipboard and stores it. Statements are lines;
 * `$'''…'''` text and `/# … #/` comments may span lines. Every token keeps
 * its offset, line and column so errors name the place.
 */
import { PatchbayError } from '../errors.js';

export type TokenKind =
  | 'ident'
  | 'number'
  | 'string'
  | 'istring'
  | 'punct'
  | 'newline'
  | 'comment'
  | 'blockcomment'
  | 'region'
  | 'endregion'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Identifier or punctuation as written; decoded value of a plain string; raw content of `$'''…'''`; comment text. */
  value: string;
  start: number;
  end: number;
  line: number;
  column: number;
}

const PUNCT2 = ['=>', '<>', '<=', '>=', '!=', '@@'];
const PUNCT1 = '.,:()[]{}^+-*/=<>@%';

export function robinError(message: string, at: { line: number; column: number }, hint?: string): PatchbayError {
  return new PatchbayError('flow.invalid', `Robin line ${at.line}, column ${at.column}: ${message}`, {
    place: { line: at.line, column: at.column },
    hint,
  });
}

/** Decodes the escapes PAD writes inside `'…'` and `$'''…'''` text: \' \" \\ \t \n \r. */
export function decodeRobinText(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== '\\' || i + 1 >= raw.length) {
      out += c;
      continue;
    }
    const n = raw[++i];
    if (n === "'" || n === '"' || n === '\\') out += n;
    else if (n === 't') out += '\t';
    else if (n === 'n') out += '\n';
    else if (n === 'r') out += '\r';
    else out += c + n;
  }
  return out;
}

/** The inverse of decodeRobinText for what PAD escapes: backslashes and quotes; line breaks stay as they are. */
export function encodeRobinText(text: string): string {
  return text.replace(/[\\'"\t]/g, (c) => (c === '\t' ? '\\t' : `\\${c}`));
}

const IDENT = /[\p{L}_][\p{L}\p{N}_]*/uy;
const NUMBER = /[0-9]+(\.[0-9]+)?/y;
const REGION = /\*\*(END)?REGION\b[ \t]*([^\r\n]*)/iy;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let atLineStart = true;
  const pos = (at: number) => ({ line, column: at - lineStart + 1 });
  let lineEmpty = true;
  const push = (kind: TokenKind, value: string, start: number, end: number, l = line, col = start - lineStart + 1) => {
    lineEmpty = false;
    tokens.push({ kind, value, start, end, line: l, column: col });
  };
  /** Advances over text that may hold line breaks, keeping line numbers right. */
  const advanceTo = (to: number) => {
    for (; i < to; i++) {
      if (text[i] === '\n') {
        line++;
        lineStart = i + 1;
      }
    }
  };

  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\uFEFF') {
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      if (!lineEmpty) push('newline', '\n', i, i + 1);
      lineEmpty = true;
      if (c === '\r' && text[i + 1] === '\n') i++;
      i++;
      line++;
      lineStart = i;
      atLineStart = true;
      continue;
    }
    const start = i;
    const startLine = line;
    const startCol = i - lineStart + 1;
    if (atLineStart) {
      if (text.startsWith('//', i))
        throw robinError(
          "'//' is not Robin: Robin comments start with '#', or '/#' … '#/' for several lines",
          pos(i),
          'Remove the line or write it as a Robin comment; nothing was imported.',
        );
      if (c === '#') {
        let e = text.indexOf('\n', i);
        if (e < 0) e = text.length;
        const body = text.slice(i + 1, e).replace(/\r$/, '');
        push('comment', body.replace(/^ /, ''), start, e);
        i = e;
        atLineStart = false;
        continue;
      }
      if (text.startsWith('/#', i)) {
        const e = text.indexOf('#/', i + 2);
        if (e < 0) throw robinError("The comment '/#' is never closed with '#/'", pos(i), "Add '#/' where it ends.");
        const body = text.slice(i + 2, e);
        advanceTo(e + 2);
        push('blockcomment', body.replace(/\r\n/g, '\n').trim(), start, e + 2, startLine, startCol);
        atLineStart = false;
        continue;
      }
      REGION.lastIndex = i;
      const region = c === '*' ? REGION.exec(text) : null;
      if (region) {
        const e = i + region[0].length;
        push(region[1] ? 'endregion' : 'region', region[2].trim(), start, e);
        i = e;
        atLineStart = false;
        continue;
      }
    }
    const wasLineStart = atLineStart;
    atLineStart = false;
    if (text.startsWith("$'''", i)) {
      let j = i + 4;
      for (;;) {
        if (j >= text.length)
          throw robinError("The text that starts with $''' is never closed with '''", pos(i), "Add ''' where it ends.");
        if (text[j] === '\\') j += 2;
        else if (text.startsWith("'''", j)) break;
        else j++;
      }
      const raw = text.slice(i + 4, j);
      advanceTo(j + 3);
      push('istring', raw, start, j + 3, startLine, startCol);
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      for (;;) {
        if (j >= text.length || text[j] === '\n')
          throw robinError('The text in quotes is never closed', pos(i), "Add the closing '.");
        if (text[j] === '\\') j += 2;
        else if (text[j] === "'") break;
        else j++;
      }
      push('string', decodeRobinText(text.slice(i + 1, j)), start, j + 1);
      i = j + 1;
      continue;
    }
    if (c >= '0' && c <= '9') {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text)!;
      push('number', m[0], start, i + m[0].length);
      i += m[0].length;
      continue;
    }
    IDENT.lastIndex = i;
    const ident = IDENT.exec(text);
    if (ident) {
      push('ident', ident[0], start, i + ident[0].length);
      i += ident[0].length;
      // `DISABLE # comment`: what follows DISABLE reads as the start of a line.
      if (wasLineStart && ident[0].toUpperCase() === 'DISABLE') atLineStart = true;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (PUNCT2.includes(two)) {
      push('punct', two, start, i + 2);
      i += 2;
      continue;
    }
    if (PUNCT1.includes(c)) {
      push('punct', c, start, i + 1);
      i++;
      continue;
    }
    throw robinError(`Unexpected '${c}'`, pos(i), 'This is not Robin text; nothing was imported.');
  }
  if (!lineEmpty) push('newline', '\n', i, i);
  push('eof', '', i, i);
  return tokens;
}
