/**
 * Regular expressions for the Text and list actions. PAD users write .NET
 * patterns; JavaScript's flavour is close. We accept .NET's `(?<name>…)`
 * (same in JS) and its `${name}` replacement syntax (JS writes `$<name>`),
 * and turn an invalid pattern into a parameter error that says why.
 */
import { paramError } from './variables-params.js';

export interface RegexOptions {
  /** The parameter the pattern came from, for the error message. */
  param: string;
  ignoreCase?: boolean;
  global?: boolean;
}

export function compileRegex(pattern: string, opts: RegexOptions): RegExp {
  const flags = (opts.global === false ? '' : 'g') + (opts.ignoreCase ? 'i' : '');
  try {
    return new RegExp(pattern, flags);
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : String(e);
    throw paramError(
      opts.param,
      `'${pattern}' is not a valid regular expression (${why}).`,
      'Fix the pattern, or turn off "Is regular expression" to match the text literally.',
    );
  }
}

/** Escapes every character that has a meaning in a regular expression. */
export function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/#\s-]/g, (c) => {
    if (c === '\t') return '\\t';
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\f') return '\\f';
    if (c === '\v') return '\\v';
    if (c === ' ') return '\\ ';
    return '\\' + c;
  });
}

/** A .NET replacement string (`$1`, `${name}`, `$$`) as JavaScript's `String.replace` reads it. */
export function replacementForRegex(replacement: string): string {
  return replacement.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*|\d{1,2})\}/g, (m, name: string | undefined) => {
    if (name === undefined) return m;
    if (/^\d+$/.test(name)) return `$${name.padStart(2, '0')}`;
    return `$<${name}>`;
  });
}

/** Escape sequences in user text (`\n`, `\t`, `\r`, `\\`), for actions with "activate escape sequences". */
export function unescapeSequences(s: string): string {
  return s.replace(/\\([ntr\\])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : '\\'));
}
