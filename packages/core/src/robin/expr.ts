/**
 * Robin expressions (`Count + 1`, `Contains(A, $'''x''', True)`, `[1, 2]`,
 * `{ 'Name': N }`, `{ ^['A', 'B'], [1, 2] }`, `File.TextFileEncoding.UTF8`)
 * and Patchbay's `%…%` expressions share one syntax tree, so the same parser
 * reads both and two printers write either. The parser stops at the end of
 * a value, so a statement parser can read `Name: value` arguments in a row.
 */
import { robinError, tokenize, type Token } from './lexer.js';

export type RExpr =
  | { t: 'num'; text: string }
  | { t: 'str'; value: string }
  /** `$'''…'''`: its decoded text, a Patchbay template (`%…%` parts inside). */
  | { t: 'istr'; template: string }
  | { t: 'bool'; value: boolean }
  | { t: 'var'; name: string }
  | { t: 'member'; obj: RExpr; name: string }
  | { t: 'index'; obj: RExpr; index: RExpr }
  | { t: 'slice'; obj: RExpr; from?: RExpr; to?: RExpr }
  | { t: 'call'; name: string; args: RExpr[] }
  | { t: 'list'; items: RExpr[] }
  | { t: 'object'; entries: [RExpr, RExpr][] }
  | { t: 'table'; header?: RExpr[]; rows: RExpr[][] }
  | { t: 'unary'; op: '-' | 'not'; e: RExpr }
  | { t: 'binary'; op: string; l: RExpr; r: RExpr }
  | { t: 'paren'; e: RExpr };

const BINARY_LEVELS: string[][] = [
  ['or'],
  ['and'],
  [],
  ['=', '<>', '!=', '<', '<=', '>', '>='],
  ['+', '-'],
  ['*', '/', 'mod'],
];

/** A cursor over tokens shared by the statement parser. */
export class Cursor {
  i = 0;
  constructor(
    readonly tokens: Token[],
    /** Reading Patchbay's expressions, where `{ }` is an empty custom object (PAD's `{{ }}`), not an empty data table. */
    readonly patchbay = false,
  ) {}
  get peek(): Token {
    return this.tokens[this.i];
  }
  at(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)];
  }
  next(): Token {
    return this.tokens[this.i++];
  }
  isPunct(v: string, k = 0): boolean {
    const t = this.at(k);
    return t.kind === 'punct' && t.value === v;
  }
  isWord(v: string, k = 0): boolean {
    const t = this.at(k);
    return t.kind === 'ident' && t.value.toUpperCase() === v;
  }
  expectPunct(v: string, what = `'${v}'`): Token {
    if (!this.isPunct(v)) throw this.unexpected(what);
    return this.next();
  }
  expectWord(v: string): Token {
    if (!this.isWord(v)) throw this.unexpected(v);
    return this.next();
  }
  expectIdent(what: string): Token {
    if (this.peek.kind !== 'ident') throw this.unexpected(what);
    return this.next();
  }
  unexpected(expected: string) {
    const t = this.peek;
    const found =
      t.kind === 'newline' ? 'the end of the line' : t.kind === 'eof' ? 'the end of the text' : `'${show(t)}'`;
    return robinError(`Expected ${expected}, found ${found}`, t);
  }
}

function show(t: Token): string {
  if (t.kind === 'istring') return "$'''…'''";
  if (t.kind === 'string') return `'${t.value}'`;
  return t.value.length > 30 ? t.value.slice(0, 30) + '…' : t.value;
}

const PUNCT_OPS = new Set(['=', '<>', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/']);
const opOf = (t: Token): string | undefined => {
  if (t.kind === 'punct' && PUNCT_OPS.has(t.value)) return t.value;
  if (t.kind === 'ident' && /^(and|or|mod)$/i.test(t.value)) return t.value.toLowerCase();
  return undefined;
};

export function parseExpr(c: Cursor, level = 0): RExpr {
  if (level === 2) {
    if (c.isWord('NOT')) {
      c.next();
      return { t: 'unary', op: 'not', e: parseExpr(c, 2) };
    }
    return parseExpr(c, 3);
  }
  if (level >= BINARY_LEVELS.length) return parseUnary(c);
  let l = parseExpr(c, level + 1);
  for (;;) {
    const op = opOf(c.peek);
    if (!op || !BINARY_LEVELS[level].includes(op)) return l;
    c.next();
    const r = parseExpr(c, level + 1);
    l = { t: 'binary', op, l, r };
  }
}

function parseUnary(c: Cursor): RExpr {
  if (c.isPunct('-')) {
    c.next();
    return { t: 'unary', op: '-', e: parseUnary(c) };
  }
  return parsePostfix(c);
}

function parsePostfix(c: Cursor): RExpr {
  let e = parsePrimary(c);
  for (;;) {
    if (c.isPunct('.')) {
      c.next();
      const t = c.peek;
      if (t.kind !== 'ident' && t.kind !== 'number') throw c.unexpected('a property name after "."');
      c.next();
      e = { t: 'member', obj: e, name: t.value };
    } else if (c.isPunct('[')) {
      c.next();
      if (c.isPunct(':')) {
        c.next();
        const to = c.isPunct(']') ? undefined : parseExpr(c);
        c.expectPunct(']');
        e = { t: 'slice', obj: e, to };
        continue;
      }
      const index = parseExpr(c);
      if (c.isPunct(':')) {
        c.next();
        const to = c.isPunct(']') ? undefined : parseExpr(c);
        c.expectPunct(']');
        e = { t: 'slice', obj: e, from: index, to };
        continue;
      }
      c.expectPunct(']');
      e = { t: 'index', obj: e, index };
    } else return e;
  }
}

function parseList(c: Cursor, close: string): RExpr[] {
  const items: RExpr[] = [];
  if (c.isPunct(close)) {
    c.next();
    return items;
  }
  for (;;) {
    skipNewlines(c);
    items.push(parseExpr(c));
    skipNewlines(c);
    if (c.isPunct(',')) {
      c.next();
      continue;
    }
    c.expectPunct(close, `',' or '${close}'`);
    return items;
  }
}

function skipNewlines(c: Cursor) {
  while (c.peek.kind === 'newline') c.next();
}

function parsePrimary(c: Cursor): RExpr {
  const t = c.peek;
  switch (t.kind) {
    case 'number':
      c.next();
      return { t: 'num', text: t.value };
    case 'string':
      c.next();
      return { t: 'str', value: t.value };
    case 'istring':
      c.next();
      return { t: 'istr', template: decodeIstring(t) };
    case 'ident': {
      c.next();
      if (/^true$/i.test(t.value)) return { t: 'bool', value: true };
      if (/^false$/i.test(t.value)) return { t: 'bool', value: false };
      if (c.isPunct('(') && c.at().start === t.end) {
        c.next();
        return { t: 'call', name: t.value, args: parseList(c, ')') };
      }
      return { t: 'var', name: t.value };
    }
    case 'punct':
      if (t.value === '(') {
        c.next();
        const e = parseExpr(c);
        c.expectPunct(')');
        return { t: 'paren', e };
      }
      if (t.value === '%') {
        // PAD also writes a bare value as %expr%.
        c.next();
        const e = parseExpr(c);
        c.expectPunct('%', "'%' closing the expression");
        return e;
      }
      if (t.value === '[') {
        c.next();
        return { t: 'list', items: parseList(c, ']') };
      }
      if (t.value === '{') {
        c.next();
        skipNewlines(c);
        if (c.isPunct('{')) {
          // `{{ }}`: PAD's empty custom object (`{ }` is an empty data table).
          c.next();
          skipNewlines(c);
          c.expectPunct('}', "'}}' closing the empty custom object");
          skipNewlines(c);
          c.expectPunct('}', "'}}' closing the empty custom object");
          return { t: 'object', entries: [] };
        }
        if (c.patchbay && c.isPunct('}')) {
          c.next();
          return { t: 'object', entries: [] };
        }
        if (c.isPunct('^') || c.isPunct('[') || c.isPunct('}')) return parseTable(c);
        const entries: [RExpr, RExpr][] = [];
        for (;;) {
          skipNewlines(c);
          const k = parseExpr(c);
          c.expectPunct(':', "':' after the property name");
          const v = parseExpr(c);
          entries.push([k, v]);
          skipNewlines(c);
          if (c.isPunct(',')) {
            c.next();
            continue;
          }
          c.expectPunct('}', "',' or '}'");
          return { t: 'object', entries };
        }
      }
      break;
  }
  throw c.unexpected('a value');
}

function parseTable(c: Cursor): RExpr {
  let header: RExpr[] | undefined;
  const rows: RExpr[][] = [];
  if (c.isPunct('}')) {
    c.next();
    return { t: 'table', rows };
  }
  for (;;) {
    skipNewlines(c);
    if (c.isPunct('^')) {
      if (header || rows.length) throw c.unexpected('a row');
      c.next();
      c.expectPunct('[');
      header = parseList(c, ']');
    } else {
      c.expectPunct('[', "a row in brackets '['");
      rows.push(parseList(c, ']'));
    }
    skipNewlines(c);
    if (c.isPunct(',')) {
      c.next();
      continue;
    }
    c.expectPunct('}', "',' or '}'");
    return { t: 'table', header, rows };
  }
}

function decodeIstring(t: Token): string {
  return t.value
    .replace(/\r\n/g, '\n')
    .replace(/\\(['"\\tnr])/g, (_m, ch: string) => (ch === 't' ? '\t' : ch === 'n' ? '\n' : ch === 'r' ? '\r' : ch));
}

/** Parses one whole expression (a Robin value, or with `patchbay` Patchbay's text inside `%…%`); errors name the column. */
export function parseWholeExpr(text: string, patchbay = false): RExpr {
  const c = new Cursor(
    tokenize(text).filter((t) => t.kind !== 'newline'),
    patchbay,
  );
  const e = parseExpr(c);
  if (c.peek.kind !== 'eof') throw c.unexpected('the end of the expression');
  return e;
}

// ---- printers ----

const patchbayText = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Splits a Patchbay template into literal text and `%…%` expression sources (`%%` is a percent sign). */
export function splitTemplate(s: string): ({ lit: string } | { expr: string })[] {
  const parts: ({ lit: string } | { expr: string })[] = [];
  let lit = '';
  let i = 0;
  while (i < s.length) {
    if (s[i] !== '%') {
      lit += s[i++];
      continue;
    }
    if (s[i + 1] === '%') {
      lit += '%';
      i += 2;
      continue;
    }
    let j = i + 1;
    let quote = false;
    while (j < s.length && (quote || s[j] !== '%')) {
      if (s[j] === '\\' && quote) j++;
      else if (s[j] === "'") quote = !quote;
      j++;
    }
    if (j >= s.length) {
      lit += s.slice(i);
      break;
    }
    if (lit) parts.push({ lit });
    lit = '';
    parts.push({ expr: s.slice(i + 1, j) });
    i = j + 1;
  }
  if (lit || !parts.length) parts.push({ lit });
  return parts;
}

function printWith(e: RExpr, str: (s: string) => string, istr: (tpl: string) => string, robin: boolean): string {
  const p = (x: RExpr) => printWith(x, str, istr, robin);
  switch (e.t) {
    case 'num':
      return e.text;
    case 'str':
      return str(e.value);
    case 'istr':
      return istr(e.template);
    case 'bool':
      return e.value ? 'True' : 'False';
    case 'var':
      return e.name;
    case 'member':
      return `${p(e.obj)}.${e.name}`;
    case 'index':
      return `${p(e.obj)}[${p(e.index)}]`;
    case 'slice':
      return `${p(e.obj)}[${e.from ? p(e.from) : ''}:${e.to ? p(e.to) : ''}]`;
    case 'call':
      return `${e.name}(${e.args.map(p).join(', ')})`;
    case 'list':
      return `[${e.items.map(p).join(', ')}]`;
    case 'object':
      // Robin writes an empty custom object `{{ }}`; Patchbay `{ }`.
      if (!e.entries.length) return robin ? '{{ }}' : '{ }';
      return `{ ${e.entries.map(([k, v]) => `${p(k)}: ${p(v)}`).join(', ')} }`;
    case 'table': {
      // An empty data table: Robin `{ }`, Patchbay `{ ^[] }` (its `{ }` is an empty custom object).
      if (!e.rows.length && !e.header?.length) return robin ? '{ }' : '{ ^[] }';
      const rows = [
        ...(e.header ? [`^[${e.header.map(p).join(', ')}]`] : []),
        ...e.rows.map((r) => `[${r.map(p).join(', ')}]`),
      ];
      return `{ ${rows.join(', ')} }`;
    }
    case 'unary':
      return e.op === '-' ? `-${p(e.e)}` : `NOT ${p(e.e)}`;
    case 'binary': {
      const op = e.op === 'and' ? 'AND' : e.op === 'or' ? 'OR' : e.op === '!=' && robin ? '<>' : e.op;
      return `${p(e.l)} ${op} ${p(e.r)}`;
    }
    case 'paren':
      return `(${p(e.e)})`;
  }
}

/** Patchbay's expression text (what goes between `%…%`). */
export function printPatchbay(e: RExpr): string {
  return printWith(e, patchbayText, istrToPatchbay, false);
}

/** A `$'''…'''` inside an expression: quoted text when it has no `%…%` part, else the parts joined as text. */
function istrToPatchbay(tpl: string): string {
  const parts = splitTemplate(tpl);
  if (parts.length === 1 && 'lit' in parts[0]) return patchbayText(parts[0].lit);
  return `(${["''", ...parts.map((x) => ('lit' in x ? patchbayText(x.lit) : `(${x.expr})`))].join(' + ')})`;
}

/** Robin text of a Patchbay template: `$'''…'''` with PAD's escapes. */
export function robinTemplate(tpl: string): string {
  return `$'''${tpl.replace(/[\\']/g, (c) => `\\${c}`)}'''`;
}

/** Robin text of plain text (a `%` reads as a literal percent sign). */
export function robinText(s: string): string {
  return robinTemplate(s.replace(/%/g, '%%'));
}

/** Robin's text for an expression. */
export function printRobin(e: RExpr): string {
  return printWith(e, robinText, robinTemplate, true);
}
