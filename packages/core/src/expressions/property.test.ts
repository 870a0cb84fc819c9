import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PatchbayError } from '../errors.js';
import type { Value } from '../values.js';
import type { BinaryOp, Expr } from './ast.js';
import { compileTemplate, evaluateExpression, formatValue, parseExpression, toNumber, type Scope } from './index.js';

const vars: Record<string, Value> = {
  A: 3,
  B: 'text',
  L: [1, 'a', [2, 3]],
  O: { Id: 1, Name: 'n', Items: [] },
  T: true,
  D: new Date(2024, 1, 29, 12),
  N: null,
  Bin: new Uint8Array([1]),
};
const scope: Scope = { get: (name) => (Object.hasOwn(vars, name) ? vars[name] : undefined) };

/** Runs `f`; anything thrown must be a PatchbayError with a code from the expression family and a column. */
function onlyPatchbayErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof PatchbayError)) throw e;
    expect(e.code).toMatch(/^expression\./);
    expect(e.place.column).toBeGreaterThanOrEqual(1);
  }
}

const EXPRESSION_BITS = [
  '%',
  '%%',
  "'",
  "\\'",
  ' ',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '.',
  '+',
  '-',
  '*',
  '/',
  '=',
  '<',
  '>',
  '<>',
  '!=',
  'and',
  'OR',
  'not',
  'mod',
  'true',
  'A',
  'B',
  'L',
  'O',
  'T',
  'D',
  'N',
  'Bin',
  'Zzz',
  'Length',
  'Count',
  'Id',
  'Year',
  '0',
  '1',
  '2.5',
  "'x'",
  '\n',
];

describe('random input', () => {
  it('compileTemplate throws nothing but syntax errors on arbitrary text, and evaluation only expression errors', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        let t;
        try {
          t = compileTemplate(text);
        } catch (e) {
          if (!(e instanceof PatchbayError)) throw e;
          expect(e.code).toBe('expression.syntax');
          expect(e.place.column).toBeGreaterThanOrEqual(1);
          expect(e.place.column).toBeLessThanOrEqual(text.length + 1);
          return;
        }
        onlyPatchbayErrors(() => t.evaluate(scope));
      }),
      { numRuns: 3000 },
    );
  });

  it('survives text built from the language’s own pieces', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...EXPRESSION_BITS), { maxLength: 25 }), (bits) => {
        const text = bits.join('');
        let t;
        try {
          t = compileTemplate(text);
        } catch (e) {
          if (!(e instanceof PatchbayError)) throw e;
          expect(e.code).toBe('expression.syntax');
          expect(e.place.column).toBeLessThanOrEqual(text.length + 1);
          return;
        }
        onlyPatchbayErrors(() => t.evaluate(scope));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads text without expressions back unchanged once its percent signs are doubled', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        const t = compileTemplate(s.replaceAll('%', '%%'));
        expect(t.isLiteral).toBe(true);
        expect(t.evaluate(scope)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads any text literal back, whatever quotes, backslashes and percent signs it holds', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        const literal = `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
        expect(evaluateExpression(parseExpression(literal), scope)).toBe(s);
        expect(compileTemplate(`%${literal}%`).evaluate(scope)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads numbers back from their text form', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        const n = Number(d.toPrecision(15));
        fc.pre(Number.isFinite(n));
        expect(toNumber(formatValue(n))).toBe(n === 0 ? 0 : n);
      }),
      { numRuns: 2000 },
    );
  });
});

/** Well-formed expressions: generated as trees, printed fully parenthesised. */
const NAMES = ['A', 'B', 'L', 'O', 'T', 'D', 'N', 'Bin'];
const PROPS = ['Length', 'Count', 'IsEmpty', 'ToUpper', 'Trimmed', 'Year', 'DayOfWeek', 'Id', 'Name', 'Items'];
const OPS: BinaryOp[] = ['+', '-', '*', '/', 'mod', '=', '<>', '<', '<=', '>', '>=', 'and', 'or'];

const exprArb = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: 0, max: 100_000 }).map((n): Expr => ({ kind: 'number', value: n / 100, column: 0 })),
    fc.string({ maxLength: 8 }).map((s): Expr => ({ kind: 'text', value: s, column: 0 })),
    fc.boolean().map((b): Expr => ({ kind: 'boolean', value: b, column: 0 })),
    fc.constantFrom(...NAMES).map((name): Expr => ({ kind: 'variable', name, column: 0 })),
    fc
      .tuple(tie('e'), fc.constantFrom(...PROPS))
      .map(([target, name]): Expr => ({ kind: 'property', target, name, column: 0 })),
    fc.tuple(tie('e'), tie('e')).map(([target, index]): Expr => ({ kind: 'index', target, index, column: 0 })),
    fc
      .tuple(fc.constantFrom<'-' | 'not'>('-', 'not'), tie('e'))
      .map(([op, operand]): Expr => ({ kind: 'unary', op, operand, column: 0 })),
    fc
      .tuple(fc.constantFrom(...OPS), tie('e'), tie('e'))
      .map(([op, left, right]): Expr => ({ kind: 'binary', op, left, right, column: 0 })),
    fc.array(tie('e'), { maxLength: 3 }).map((items): Expr => ({ kind: 'list', items, column: 0 })),
    fc
      .array(fc.tuple(fc.string({ maxLength: 4 }), tie('e')), { maxLength: 2 })
      .map((pairs): Expr => ({ kind: 'object', entries: pairs.map(([key, value]) => ({ key, value })), column: 0 })),
  ),
})).e;

function quote(s: string): string {
  return `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function print(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return String(e.value);
    case 'text':
      return quote(e.value);
    case 'boolean':
      return e.value ? 'True' : 'false';
    case 'variable':
      return e.name;
    case 'property':
      return `(${print(e.target)}).${e.name}`;
    case 'index':
      return `(${print(e.target)})[${print(e.index)}]`;
    case 'unary':
      return `${e.op === 'not' ? 'NOT ' : '-'}(${print(e.operand)})`;
    case 'binary':
      return `(${print(e.left)}) ${e.op === 'and' ? 'AND' : e.op} (${print(e.right)})`;
    case 'list':
      return `[${e.items.map(print).join(', ')}]`;
    case 'object':
      return `{${e.entries.map((x) => `${quote(x.key)}: ${print(x.value)}`).join(', ')}}`;
    default:
      throw new Error(`not generated: ${e.kind}`);
  }
}

/** The tree without columns, with -(number) folded as the parser folds it. */
function shape(e: Expr): unknown {
  switch (e.kind) {
    case 'property':
      return { p: shape(e.target), n: e.name };
    case 'index':
      return { i: shape(e.target), x: shape(e.index) };
    case 'unary': {
      const o = shape(e.operand) as { v?: unknown };
      if (e.op === '-' && typeof o.v === 'number') return { v: o.v === 0 ? 0 : -o.v };
      return { u: e.op, o };
    }
    case 'binary':
      return { b: e.op, l: shape(e.left), r: shape(e.right) };
    case 'list':
      return { list: e.items.map(shape) };
    case 'object':
      return { obj: e.entries.map((x) => [x.key, shape(x.value)]) };
    case 'variable':
      return { var: e.name };
    case 'number':
    case 'text':
    case 'boolean':
      return { v: e.value };
    default:
      throw new Error(`not generated: ${e.kind}`);
  }
}

describe('well-formed expressions', () => {
  it('parse back to the tree they were printed from, and evaluate or fail with an expression error', () => {
    fc.assert(
      fc.property(exprArb, (e) => {
        const source = print(e);
        const parsed = parseExpression(source);
        expect(shape(parsed)).toEqual(shape(e));
        onlyPatchbayErrors(() => evaluateExpression(parsed, scope));
        onlyPatchbayErrors(() => compileTemplate(`x %${source}% y`).evaluate(scope));
      }),
      { numRuns: 3000 },
    );
  });
});
