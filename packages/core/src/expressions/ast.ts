/**
 * The syntax tree of one expression (the part between `%` signs). Every node
 * carries the 1-based column where it starts in the text the user wrote (the
 * whole template when it came from `compileTemplate`), so evaluation errors
 * can point at it.
 */
export type BinaryOp = '+' | '-' | '*' | '/' | 'mod' | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'and' | 'or';
export type UnaryOp = '-' | 'not';

export type Expr =
  | { kind: 'number'; value: number; column: number }
  | { kind: 'text'; value: string; column: number }
  | { kind: 'boolean'; value: boolean; column: number }
  | { kind: 'variable'; name: string; column: number }
  /** `target.Name`; `column` is where the property name starts. */
  | { kind: 'property'; target: Expr; name: string; column: number }
  /** `target[index]`; `column` is the `[`. */
  | { kind: 'index'; target: Expr; index: Expr; column: number }
  /** `target[start:end]` (either side may be left out); `column` is the `[`. */
  | { kind: 'slice'; target: Expr; start?: Expr; end?: Expr; column: number }
  /** `Name(arg, …)`: one of the functions in functions.ts; `column` is the name's. */
  | { kind: 'call'; name: string; args: Expr[]; column: number }
  | { kind: 'unary'; op: UnaryOp; operand: Expr; column: number }
  /** `column` is the operator's. */
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; column: number }
  | { kind: 'list'; items: Expr[]; column: number }
  | { kind: 'object'; entries: { key: string; value: Expr }[]; column: number }
  /** PAD's data table literal `{ ^['Name', 'Age'], ['Ada', 36] }`: an optional header row, then rows. */
  | { kind: 'table'; header?: Expr[]; rows: Expr[][]; column: number };

/** Root variable names an expression reads, in order of first use, each once. */
export function collectVariables(expr: Expr, into: string[] = []): string[] {
  switch (expr.kind) {
    case 'variable':
      if (!into.includes(expr.name)) into.push(expr.name);
      break;
    case 'property':
      collectVariables(expr.target, into);
      break;
    case 'index':
      collectVariables(expr.target, into);
      collectVariables(expr.index, into);
      break;
    case 'slice':
      collectVariables(expr.target, into);
      if (expr.start) collectVariables(expr.start, into);
      if (expr.end) collectVariables(expr.end, into);
      break;
    case 'call':
      for (const a of expr.args) collectVariables(a, into);
      break;
    case 'unary':
      collectVariables(expr.operand, into);
      break;
    case 'binary':
      collectVariables(expr.left, into);
      collectVariables(expr.right, into);
      break;
    case 'list':
      for (const item of expr.items) collectVariables(item, into);
      break;
    case 'object':
      for (const e of expr.entries) collectVariables(e.value, into);
      break;
    case 'table':
      for (const e of [...(expr.header ?? []), ...expr.rows.flat()]) collectVariables(e, into);
      break;
    default:
      break;
  }
  return into;
}
