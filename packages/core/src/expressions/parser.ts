/**
 * A compact hand-written Pratt parser for the expression language.
 *
 * Why hand-written rather than a parser generator: the grammar is small (one
 * table of binding powers below), we get precise column errors that say what
 * was expected, there is no generator step in the build, and it runs as-is in
 * the browser where the designer validates expressions.
 *
 * Precedence, loosest first: `or`, `and`, `not`, comparisons
 * (`= <> < <= > >=`), `+ -`, `* / mod`, unary `-`, then `.Property` and
 * `[index]`. Keywords are matched in any case (`AND`, `And`, `and`).
 */
import type { BinaryOp, Expr } from './ast.js';
import { FUNCTIONS, functionNames } from './functions.js';
import { syntaxError, tokenize, type Token } from './lexer.js';

const KEYWORDS = new Set(['and', 'or', 'not', 'mod', 'true', 'false']);

/** Left binding power of each infix operator. */
const INFIX: Record<string, number> = {
  or: 10,
  and: 20,
  '=': 30,
  '<>': 30,
  '<': 30,
  '<=': 30,
  '>': 30,
  '>=': 30,
  '+': 40,
  '-': 40,
  '*': 50,
  '/': 50,
  mod: 50,
  '.': 70,
  '[': 70,
};
const NOT_BP = 25;
const NEG_BP = 60;
/** Deepest nesting a parsed expression may have; keeps parsing, compiling and evaluating well inside the call stack. */
export const MAX_DEPTH = 200;

function describe(t: Token): string {
  if (t.kind === 'end') return 'the end of the expression';
  if (t.kind === 'text') return 'a text';
  return `'${t.value}'`;
}

function tooDeep(column: number): Error {
  return syntaxError('The expression nests too deeply', column, {
    detail: `more than ${MAX_DEPTH} levels`,
    hint: 'Split it over several steps with variables in between.',
  });
}

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  private expectOp(op: string, what: string): Token {
    const t = this.peek();
    if (t.kind !== 'op' || t.value !== op)
      throw syntaxError(`Expected '${op}'`, t.column, { detail: `found ${describe(t)}; ${what}` });
    return this.next();
  }

  /** The operator a token stands for in infix position, or undefined. */
  private infixOp(t: Token): string | undefined {
    if (t.kind === 'op') return t.value in INFIX ? t.value : undefined;
    if (t.kind === 'name') {
      const k = t.value.toLowerCase();
      if (k === 'and' || k === 'or' || k === 'mod') return k;
    }
    return undefined;
  }

  parseAll(): Expr {
    const e = this.parse(0);
    const t = this.peek();
    if (t.kind !== 'end') {
      if (t.kind === 'op' && (t.value === ')' || t.value === ']' || t.value === '}'))
        throw syntaxError(`Unexpected '${t.value}'`, t.column, {
          detail: 'nothing is open to close',
          hint: 'Remove it or add the matching opening bracket.',
        });
      throw syntaxError('Expected an operator or the end of the expression', t.column, {
        detail: `found ${describe(t)}`,
        hint: "Join values with an operator such as '+', 'and' or '='.",
      });
    }
    return e;
  }

  parse(minBp: number): Expr {
    if (++this.depth > MAX_DEPTH) throw tooDeep(this.peek().column);
    const e = this.parseInner(minBp);
    this.depth--;
    return e;
  }

  private parseInner(minBp: number): Expr {
    let left = this.prefix();
    let chain = 0;
    for (;;) {
      const t = this.peek();
      const op = this.infixOp(t);
      if (op === undefined) return left;
      const bp = INFIX[op];
      if (bp <= minBp) return left;
      if (this.depth + ++chain > MAX_DEPTH) throw tooDeep(t.column);
      this.next();
      if (op === '.') {
        const name = this.next();
        if (name.kind !== 'name')
          throw syntaxError("Expected a property name after '.'", name.column, {
            detail: `found ${describe(name)}`,
            hint: 'Write a property such as .Length or .Count after the dot.',
          });
        left = { kind: 'property', target: left, name: name.value, column: name.column };
      } else if (op === '[') {
        left = this.indexOrSlice(left, t);
      } else {
        const right = this.parse(bp);
        left = { kind: 'binary', op: op as BinaryOp, left, right, column: t.column };
      }
    }
  }

  private isOp(t: Token, op: string): boolean {
    return t.kind === 'op' && t.value === op;
  }

  /** After `[`: `[index]`, `[start:end]`, `[:end]` or `[start:]`. */
  private indexOrSlice(target: Expr, open: Token): Expr {
    const what = `the index opens at column ${open.column}`;
    const start = this.isOp(this.peek(), ':') ? undefined : this.parse(0);
    if (!this.isOp(this.peek(), ':')) {
      this.expectOp(']', what);
      return { kind: 'index', target, index: start!, column: open.column };
    }
    this.next();
    const end = this.isOp(this.peek(), ']') ? undefined : this.parse(0);
    this.expectOp(']', `the slice opens at column ${open.column}`);
    const slice: Expr = { kind: 'slice', target, column: open.column };
    if (start) slice.start = start;
    if (end) slice.end = end;
    return slice;
  }

  /** `Name(` … `)`: a function call, checked against the known functions. */
  private call(name: Token): Expr {
    const fn = FUNCTIONS.get(name.value.toLowerCase());
    if (!fn)
      throw syntaxError(`Unknown function '${name.value}'`, name.column, {
        hint: `The functions are ${functionNames()}.`,
      });
    const open = this.next();
    const args = this.items(')', open);
    if (args.length < fn.min || args.length > fn.max)
      throw syntaxError(`${fn.name} takes ${fn.arity}`, name.column, {
        detail: `found ${args.length} ${args.length === 1 ? 'argument' : 'arguments'}`,
        hint: fn.usage,
      });
    return { kind: 'call', name: fn.name, args, column: name.column };
  }

  private prefix(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return { kind: 'number', value: t.num, column: t.column };
      case 'text':
        return { kind: 'text', value: t.value, column: t.column };
      case 'name': {
        const k = t.value.toLowerCase();
        if (!KEYWORDS.has(k) && this.isOp(this.peek(), '(')) return this.call(t);
        // `global.Name`: a flow variable seen from a Local subflow, one name to the scope.
        if (k === 'global' && this.isOp(this.peek(), '.') && this.tokens[this.pos + 1]?.kind === 'name') {
          this.next();
          const n = this.next();
          return { kind: 'variable', name: `global.${n.value}`, column: t.column };
        }
        if (!KEYWORDS.has(k)) return { kind: 'variable', name: t.value, column: t.column };
        if (k === 'true' || k === 'false') return { kind: 'boolean', value: k === 'true', column: t.column };
        if (k === 'not') return { kind: 'unary', op: 'not', operand: this.parse(NOT_BP), column: t.column };
        throw syntaxError(`Expected a value before '${t.value}'`, t.column, {
          hint: `'${k}' joins two values; put a value on its left.`,
        });
      }
      case 'op':
        return this.prefixOp(t);
      default:
        throw syntaxError('Expected a value', t.column, {
          detail: 'found the end of the expression',
          hint: 'The expression ends too early; add a value or a variable.',
        });
    }
  }

  private prefixOp(t: Token): Expr {
    switch (t.value) {
      case '-': {
        const operand = this.parse(NEG_BP);
        if (operand.kind === 'number')
          return { kind: 'number', value: operand.value === 0 ? 0 : -operand.value, column: t.column };
        return { kind: 'unary', op: '-', operand, column: t.column };
      }
      case '(': {
        const inner = this.parse(0);
        this.expectOp(')', `the '(' is at column ${t.column}`);
        return inner;
      }
      case '[':
        return { kind: 'list', items: this.items(']', t), column: t.column };
      case '{':
        return this.objectLiteral(t);
      default:
        throw syntaxError('Expected a value', t.column, { detail: `found '${t.value}'` });
    }
  }

  /** Comma-separated expressions up to `close` (already past the opener). */
  private items(close: string, open: Token): Expr[] {
    const items: Expr[] = [];
    if (this.peek().kind === 'op' && this.peek().value === close) {
      this.next();
      return items;
    }
    for (;;) {
      items.push(this.parse(0));
      const t = this.next();
      if (t.kind === 'op' && t.value === close) return items;
      if (!(t.kind === 'op' && t.value === ','))
        throw syntaxError(`Expected ',' or '${close}'`, t.column, {
          detail: `found ${describe(t)}; the list opens at column ${open.column}`,
        });
    }
  }

  /** `{ ^[header…], [cells…], … }` or `{ [cells…], … }`, after the `{`. */
  private tableLiteral(open: Token): Expr {
    let header: Expr[] | undefined;
    const rows: Expr[][] = [];
    for (;;) {
      const t = this.next();
      const isHeader = this.isOp(t, '^');
      if (isHeader && (header !== undefined || rows.length > 0))
        throw syntaxError("Unexpected '^'", t.column, {
          detail: 'only the first row can be the header',
          hint: "Write the column names first: { ^['Name', 'Age'], ['Ada', 36] }.",
        });
      const bracket = isHeader ? this.next() : t;
      if (!this.isOp(bracket, '['))
        throw syntaxError("Expected '[' to start a row", bracket.column, {
          detail: `found ${describe(bracket)}; the data table opens at column ${open.column}`,
          hint: "Write a data table as { ^['Name', 'Age'], ['Ada', 36] }.",
        });
      const cells = this.items(']', bracket);
      if (isHeader) header = cells;
      else rows.push(cells);
      const sep = this.next();
      if (this.isOp(sep, '}')) break;
      if (!this.isOp(sep, ','))
        throw syntaxError("Expected ',' or '}'", sep.column, {
          detail: `found ${describe(sep)}; the data table opens at column ${open.column}`,
        });
    }
    const table: Expr = { kind: 'table', rows, column: open.column };
    if (header) table.header = header;
    return table;
  }

  private objectLiteral(open: Token): Expr {
    const first = this.peek();
    if (this.isOp(first, '^') || this.isOp(first, '[')) return this.tableLiteral(open);
    const entries: { key: string; value: Expr }[] = [];
    if (this.peek().kind === 'op' && this.peek().value === '}') {
      this.next();
      return { kind: 'object', entries, column: open.column };
    }
    for (;;) {
      const key = this.next();
      if (key.kind !== 'text')
        throw syntaxError('Expected a property name in single quotes', key.column, {
          detail: `found ${describe(key)}`,
          hint: "Write a custom object as { 'Name': value, 'Other': value }.",
        });
      this.expectOp(':', 'a colon goes between a property name and its value');
      entries.push({ key: key.value, value: this.parse(0) });
      const t = this.next();
      if (t.kind === 'op' && t.value === '}') return { kind: 'object', entries, column: open.column };
      if (!(t.kind === 'op' && t.value === ','))
        throw syntaxError("Expected ',' or '}'", t.column, {
          detail: `found ${describe(t)}; the custom object opens at column ${open.column}`,
        });
    }
  }
}

/** Parses one expression (without the surrounding % signs). `column` is where it starts in the user's text. */
export function parseAt(source: string, column: number): Expr {
  return new Parser(tokenize(source, column)).parseAll();
}

/** Parses one expression, columns counted from 1. Throws PatchbayError 'expression.syntax'. */
export function parseExpression(source: string): Expr {
  return parseAt(source, 1);
}
