import { describe, expect, it } from 'vitest';
import { PatchbayError } from '../errors.js';
import type { Value } from '../values.js';
import { compileTemplate, type Scope } from './index.js';

const vars: Record<string, Value> = {
  Recipient: 'ada@example.com',
  Row: { Id: 42, Amount: 150.5 },
  Rows: [1, 2],
  N: 3,
  Flag: false,
  Blank: null,
};
const scope: Scope = { get: (name) => (Object.hasOwn(vars, name) ? vars[name] : undefined) };

function errorOf(text: string, s: Scope = scope): PatchbayError {
  try {
    compileTemplate(text).evaluate(s);
  } catch (e) {
    expect(e).toBeInstanceOf(PatchbayError);
    return e as PatchbayError;
  }
  throw new Error(`expected ${text} to fail`);
}

describe('compileTemplate', () => {
  it.each<[string, Value]>([
    ['Hello', 'Hello'],
    ['', ''],
    ['100%%', '100%'],
    ['%%%%', '%%'],
    ['%%N%%', '%N%'],
    ['Row %Row.Id%', 'Row 42'],
    ['%Row.Id%', 42],
    ['%Row.Amount > 100%', true],
    ['%Rows%', [1, 2]],
    ['%Row%', { Id: 42, Amount: 150.5 }],
    ['%Blank%', null],
    ['[%Blank%]', '[]'],
    [' %N%', ' 3'],
    ['%N% ', '3 '],
    ['%N%%N%', '33'],
    ['%N%%%', '3%'],
    ['%%%N%', '%3'],
    ['Total: %N * 2%, flag %Flag%', 'Total: 6, flag False'],
    ["%'50%' + N%", '50%3'],
    ["%'it\\'s 100%'%", "it's 100%"],
    ['Items:\n%Rows%', 'Items:\n1\n2'],
    ['%10 / 4%', 2.5],
    ['%0%', 0],
    ["%''%", ''],
  ])('%j evaluates to %j', (text, expected) => {
    expect(compileTemplate(text).evaluate(scope)).toEqual(expected);
  });

  it('tells a literal, a single expression and interpolation apart', () => {
    expect(compileTemplate('100%% sure')).toMatchObject({ isLiteral: true, isSingleExpression: false, variables: [] });
    expect(compileTemplate('%Row.Id%')).toMatchObject({
      isLiteral: false,
      isSingleExpression: true,
      variables: ['Row'],
    });
    expect(compileTemplate(' %Row.Id%')).toMatchObject({ isLiteral: false, isSingleExpression: false });
    expect(compileTemplate('%N%%N%')).toMatchObject({ isLiteral: false, isSingleExpression: false });
  });

  it('lists root variables in order of first use, each once', () => {
    expect(compileTemplate('%B.X + A% and %A[C]% then %D.E.F%').variables).toEqual(['B', 'A', 'C', 'D']);
    expect(compileTemplate("%'Row' + 1%").variables).toEqual([]);
  });

  it('keeps the source and the parsed expressions', () => {
    const t = compileTemplate('a %N% b %Flag%');
    expect(t.source).toBe('a %N% b %Flag%');
    expect(t.expressions.map((e) => e.kind)).toEqual(['variable', 'variable']);
  });

  it('returns the same compiled template for the same text', () => {
    expect(compileTemplate('Row %Row.Id% cached')).toBe(compileTemplate('Row %Row.Id% cached'));
  });

  it('keeps working after the cache has turned over', () => {
    for (let i = 0; i < 5000; i++) compileTemplate(`%${i} + N%`);
    expect(compileTemplate('%1 + N%').evaluate(scope)).toBe(4);
    expect(compileTemplate('%4999 + N%').evaluate(scope)).toBe(5002);
  });

  it.each([
    [
      '50% off',
      'expression.syntax',
      "Expected '%' at column 8 (the expression that starts at column 3 is not closed)",
      8,
    ],
    [
      'Row %Row.Id',
      'expression.syntax',
      "Expected '%' at column 12 (the expression that starts at column 5 is not closed)",
      12,
    ],
    ['Sum: %1 + %', 'expression.syntax', 'Expected a value at column 11 (found the end of the expression)', 11],
    ['ab % %', 'expression.syntax', 'Expected a value at column 6 (found the end of the expression)', 6],
    [
      'x %(N + 1%',
      'expression.syntax',
      "Expected ')' at column 10 (found the end of the expression; the '(' is at column 4)",
      10,
    ],
    [
      "x %'abc%",
      'expression.syntax',
      "Expected '%' at column 9 (the expression that starts at column 3 is not closed)",
      9,
    ],
    ['Hi %Missing%!', 'expression.undefined_variable', "Variable 'Missing' is not defined at column 5", 5],
    ['Row %Row.Name%', 'expression.type', "The custom object has no property 'Name' at column 10", 10],
    ['%N%/%N / 0%', 'expression.type', 'Division by zero at column 8', 8],
  ])('%j fails with %s', (text, code, message, column) => {
    const e = errorOf(text);
    expect(e.code).toBe(code);
    expect(e.message).toBe(message);
    expect(e.place.column).toBe(column);
    expect(e.hint).toBeTruthy();
  });

  it('throws syntax errors from compileTemplate itself, before any evaluation', () => {
    expect(() => compileTemplate('%1 +%')).toThrow(PatchbayError);
  });

  it('suggests %% for a lone percent sign', () => {
    expect(errorOf('50% off').hint).toMatch(/%%/);
  });
});
