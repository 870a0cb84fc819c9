/**
 * Turns a syntax tree into a tree of small closures once, so evaluating the
 * same expression again walks no AST and allocates nothing beyond its result
 * (the engine evaluates Variables.Set / Increase parameters millions of times).
 */
import { PatchbayError } from '../errors.js';
import { DataTable, type Value, type ValueObject } from '../values.js';
import type { Expr } from './ast.js';
import { toBoolean, typeError } from './convert.js';
import { formatValue } from './format.js';
import { defaultColumns } from './tables.js';
import { add, arithmetic, looseEqual, negate, order } from './operators.js';
import { FUNCTIONS, callFunction } from './functions.js';
import { getIndex, getProperty, getSlice } from './properties.js';

export interface Scope {
  /** The variable's value, or undefined when no such variable exists (an 'expression.undefined_variable' error). */
  get(name: string): Value | undefined;
}

export type Evaluator = (scope: Scope) => Value;

function undefinedVariable(name: string, column: number): PatchbayError {
  return new PatchbayError('expression.undefined_variable', `Variable '${name}' is not defined at column ${column}`, {
    place: { column },
    hint: `Set '${name}' in an earlier step (for example with Variables.Set), or check its spelling.`,
  });
}

export function compile(e: Expr): Evaluator {
  switch (e.kind) {
    case 'number':
    case 'text':
    case 'boolean': {
      const v = e.value;
      return () => v;
    }
    case 'variable': {
      const { name, column } = e;
      return (s) => {
        const v = s.get(name);
        if (v === undefined) throw undefinedVariable(name, column);
        return v;
      };
    }
    case 'property': {
      const target = compile(e.target);
      const { name, column } = e;
      const lower = name.toLowerCase();
      return (s) => getProperty(target(s), name, lower, column);
    }
    case 'index': {
      const target = compile(e.target);
      const index = compile(e.index);
      const column = e.column;
      return (s) => getIndex(target(s), index(s), column);
    }
    case 'slice': {
      const target = compile(e.target);
      const start = e.start ? compile(e.start) : undefined;
      const end = e.end ? compile(e.end) : undefined;
      const column = e.column;
      return (s) => getSlice(target(s), start?.(s), end?.(s), column);
    }
    case 'call': {
      const spec = FUNCTIONS.get(e.name.toLowerCase())!;
      const args = e.args.map(compile);
      const columns = e.args.map((a) => a.column);
      const column = e.column;
      return (s) =>
        callFunction(
          spec,
          args.map((a) => a(s)),
          columns,
          column,
        );
    }
    case 'unary': {
      const operand = compile(e.operand);
      const column = e.column;
      if (e.op === 'not') return (s) => !toBoolean(operand(s), e.operand.column);
      return (s) => negate(operand(s), column);
    }
    case 'list': {
      const items = e.items.map(compile);
      return (s) => {
        const out: Value[] = new Array(items.length);
        for (let i = 0; i < items.length; i++) out[i] = items[i](s);
        return out;
      };
    }
    case 'object': {
      const entries = e.entries.map((en) => ({ key: en.key, value: compile(en.value) }));
      return (s) => {
        const out: ValueObject = {};
        for (const en of entries) out[en.key] = en.value(s);
        return out;
      };
    }
    case 'binary':
      return compileBinary(e);
    case 'table':
      return compileTable(e);
  }
}

function compileTable(e: Extract<Expr, { kind: 'table' }>): Evaluator {
  const header = e.header?.map(compile);
  const rows = e.rows.map((r) => r.map(compile));
  const width = header ? header.length : rows.reduce((m, r) => Math.max(m, r.length), 0);
  e.rows.forEach((r, i) => {
    if (r.length !== width)
      throw typeError(
        `Row ${i} of the data table has ${r.length} ${r.length === 1 ? 'value' : 'values'}, not ${width}`,
        r[0]?.column ?? e.column,
        'Give every row one value for each column.',
      );
  });
  const columns = header ? undefined : defaultColumns(width);
  return (s) =>
    new DataTable(
      columns ?? header!.map((h) => formatValue(h(s))),
      rows.map((r) => r.map((c) => c(s))),
    );
}

function compileBinary(e: Extract<Expr, { kind: 'binary' }>): Evaluator {
  const l = compile(e.left);
  const r = compile(e.right);
  const { column } = e;
  const lc = e.left.column;
  const rc = e.right.column;
  switch (e.op) {
    case '+':
      return (s) => {
        const a = l(s);
        const b = r(s);
        if (typeof a === 'number' && typeof b === 'number') {
          const n = a + b;
          if (Number.isInteger(n)) return n === 0 ? 0 : n;
        }
        return add(a, b, column);
      };
    case '-':
    case '*':
    case '/':
    case 'mod': {
      const op = e.op;
      return (s) => arithmetic(op, l(s), r(s), column);
    }
    case '=':
      return (s) => looseEqual(l(s), r(s));
    case '<>':
      return (s) => !looseEqual(l(s), r(s));
    case '<':
      return (s) => order(l(s), r(s), column) < 0;
    case '<=':
      return (s) => order(l(s), r(s), column) <= 0;
    case '>':
      return (s) => order(l(s), r(s), column) > 0;
    case '>=':
      return (s) => order(l(s), r(s), column) >= 0;
    case 'and':
      return (s) => toBoolean(l(s), lc) && toBoolean(r(s), rc);
    case 'or':
      return (s) => toBoolean(l(s), lc) || toBoolean(r(s), rc);
  }
}

const compiled = new WeakMap<Expr, Evaluator>();

/** Evaluates a parsed expression; its compiled form is kept with the tree. */
export function evaluateExpression(expr: Expr, scope: Scope): Value {
  let f = compiled.get(expr);
  if (!f) {
    f = compile(expr);
    compiled.set(expr, f);
  }
  return f(scope);
}
