/**
 * Text with `%…%` parts. `%%` is a literal percent sign; a template that is
 * exactly one `%expr%` keeps the expression's type; anything else is text
 * with each expression's value formatted into it. Inside an expression a
 * `%` within a quoted text does not end the expression (`%'50%' + X%`).
 */
import type { Value } from '../values.js';
import { collectVariables, type Expr } from './ast.js';
import { compile, type Evaluator, type Scope } from './compile.js';
import { formatValue } from './format.js';
import { syntaxError } from './lexer.js';
import { parseAt } from './parser.js';

export interface Template {
  readonly source: string;
  /** No %…% part at all (after %% unescaping). */
  readonly isLiteral: boolean;
  /** Exactly one %expr% and nothing else: evaluation keeps the expression's type. */
  readonly isSingleExpression: boolean;
  /** Root variable names referenced, in order, each once. */
  readonly variables: readonly string[];
  /** The parsed expressions, in order (for validators and the designer). */
  readonly expressions: readonly Expr[];
  /** Text for interpolation, the typed value for a single expression, the unescaped text for a literal. */
  evaluate(scope: Scope): Value;
}

type Part = string | Evaluator;

class CompiledTemplate implements Template {
  readonly isLiteral: boolean;
  readonly isSingleExpression: boolean;
  readonly variables: readonly string[];
  private readonly parts: readonly Part[];
  private readonly literal: string;
  private readonly single: Evaluator | undefined;

  constructor(
    readonly source: string,
    parts: Part[],
    readonly expressions: readonly Expr[],
  ) {
    this.parts = parts;
    this.isLiteral = expressions.length === 0;
    this.isSingleExpression = parts.length === 1 && typeof parts[0] !== 'string';
    this.single = this.isSingleExpression ? (parts[0] as Evaluator) : undefined;
    this.literal = this.isLiteral ? ((parts[0] as string | undefined) ?? '') : '';
    const vars: string[] = [];
    for (const e of expressions) collectVariables(e, vars);
    this.variables = Object.freeze(vars);
  }

  evaluate(scope: Scope): Value {
    if (this.single) return this.single(scope);
    if (this.isLiteral) return this.literal;
    let out = '';
    for (const p of this.parts) out += typeof p === 'string' ? p : formatValue(p(scope));
    return out;
  }
}

/** Index of the `%` closing the expression that starts at `start`, skipping quoted text; -1 when there is none. */
function findClose(text: string, start: number): number {
  let quoted = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\' && (text[i + 1] === "'" || text[i + 1] === '\\')) i++;
      else if (c === "'") quoted = false;
    } else if (c === "'") quoted = true;
    else if (c === '%') return i;
  }
  return -1;
}

function build(text: string): Template {
  const parts: Part[] = [];
  const expressions: Expr[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('%', i);
    if (open < 0) {
      literal += text.slice(i);
      break;
    }
    literal += text.slice(i, open);
    if (text[open + 1] === '%') {
      literal += '%';
      i = open + 2;
      continue;
    }
    const close = findClose(text, open + 1);
    if (close < 0)
      throw syntaxError("Expected '%'", text.length + 1, {
        detail: `the expression that starts at column ${open + 1} is not closed`,
        hint: "Close the expression with '%', or write '%%' for a literal percent sign.",
      });
    const expr = parseAt(text.slice(open + 1, close), open + 2);
    if (literal) parts.push(literal);
    literal = '';
    parts.push(compile(expr));
    expressions.push(expr);
    i = close + 1;
  }
  if (literal || parts.length === 0) parts.push(literal);
  return new CompiledTemplate(text, parts, expressions);
}

const MAX_CACHED = 4096;
const cache = new Map<string, Template>();

/**
 * Compiles a parameter's text once; the same text returns the same Template
 * (a bounded cache: the engine compiles the same strings on every iteration).
 * Throws PatchbayError 'expression.syntax' with `place.column` into `text`.
 */
export function compileTemplate(text: string): Template {
  const hit = cache.get(text);
  if (hit) return hit;
  const t = build(text);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(text, t);
  return t;
}
