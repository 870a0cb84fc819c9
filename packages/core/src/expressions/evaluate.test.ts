import { describe, expect, it } from 'vitest';
import { PatchbayError } from '../errors.js';
import type { Value } from '../values.js';
import { evaluateExpression, parseExpression, type Scope } from './index.js';

const when = new Date(2024, 5, 15, 13, 30, 5); // Saturday, local time
const vars: Record<string, Value> = {
  N: 5,
  Zero: 0,
  Name: 'Ada',
  Padded: '  hi  ',
  Empty: '',
  L: [10, 20, 30],
  None: [],
  O: { Id: 7, Name: 'Row', nested: { deep: [1, 2] } },
  When: when,
  Later: new Date(2024, 5, 16),
  Bin: new Uint8Array([1, 2, 3]),
  Blank: null,
  Flag: true,
};
const scope: Scope = { get: (name) => (Object.hasOwn(vars, name) ? vars[name] : undefined) };

function ev(src: string): Value {
  return evaluateExpression(parseExpression(src), scope);
}

function errorOf(src: string): PatchbayError {
  try {
    ev(src);
  } catch (e) {
    expect(e).toBeInstanceOf(PatchbayError);
    return e as PatchbayError;
  }
  throw new Error(`expected ${src} to fail`);
}

describe('evaluateExpression', () => {
  it.each<[string, Value]>([
    ['10 / 4', 2.5],
    ['5 * 3', 15],
    ['7 - 10', -3],
    ['7 mod 3', 1],
    ['-7 mod 3', -1],
    ['-N', -5],
    ['- -N', 5],
    ['0.1 + 0.2', 0.3],
    ['1.1 * 3', 3.3],
    ['10 / 3 * 3 = 10', true],
    ['10 / 3', 3.333333333333333],
    ['0.8 - 0.1', 0.7],
    ['0.7 + 0.1', 0.8],
    ['4.35 * 100', 435],
    ['1.15 * 3', 3.45],
    ['0.1 * 3 - 0.3', 0],
    ['2 / 3', 0.6666666666666666],
    ['2 * (3 + 4)', 14],
    ["'this is ' + 'text'", 'this is text'],
    ["'This is the number ' + 5", 'This is the number 5'],
    ["5 + ' apples'", '5 apples'],
    ["'A' + 'B' + 123", 'AB123'],
    ["'On: ' + Flag", 'On: True'],
    ["'x' + Blank", 'x'],
    ['[1, 2] + 3', [1, 2, 3]],
    ['[1, 2] + [3]', [1, 2, 3]],
    ["L + 'a'", [10, 20, 30, 'a']],
    ['1 = 1', true],
    ['1 = 2', false],
    ['1 <> 2', true],
    ["'1' = 1", true],
    ["1 = '1.0'", true],
    ["'x' = 1", false],
    ["'x' <> 1", true],
    ["'abc' = 'abc'", true],
    ["'abc' = 'ABC'", false],
    ["'A' > 'a'", true],
    ["'a' < 'b'", true],
    ["'B' > 'a'", true],
    ["'10' < 9", false],
    ['2 < 3', true],
    ['3 <= 3', true],
    ['4 > 3', true],
    ['3 >= 4', false],
    ['When < Later', true],
    ['When = When', true],
    ['false < true', true],
    ['L = [10, 20, 30]', true],
    ["O = {'Id': 7, 'Name': 'Row', 'nested': {'deep': [1, 2]}}", true],
    ['0.1 + 0.2 = 0.3', true],
    ['Blank = Blank', true],
    ["Blank = ''", false],
    ['true and false', false],
    ['TRUE OR false', true],
    ['not true', false],
    ["'true' and true", true],
    ['N > 1 and N < 10', true],
    ['None.IsNotEmpty and None[0] = 1', false],
    ['None.IsEmpty or None[0] = 1', true],
    ['true or N', true],
    ['false and N', false],
    ['Name.Length', 3],
    ['Name.ToUpper', 'ADA'],
    ['Name.ToLower', 'ada'],
    ['Padded.Trimmed', 'hi'],
    ['Empty.IsEmpty', true],
    ['Name.IsEmpty', false],
    ['Name.IsNotEmpty', true],
    ['Name.length', 3],
    ['Name[0]', 'A'],
    ["'text'[1]", 'e'],
    ['L.Count', 3],
    ['L.IsEmpty', false],
    ['None.IsEmpty', true],
    ['L.IsNotEmpty', true],
    ['L[0]', 10],
    ['L[L.Count - 1]', 30],
    ['[1, [2, 3]][1][0]', 2],
    ['O.Id', 7],
    ["O['Name']", 'Row'],
    ['O.nested.deep[1]', 2],
    ['When.Year', 2024],
    ['When.Month', 6],
    ['When.Day', 15],
    ['When.Hour', 13],
    ['When.Minute', 30],
    ['When.Second', 5],
    ['When.DayOfWeek', 'Saturday'],
    ['When.DayOfYear', 167],
    ['When.Date', new Date(2024, 5, 15)],
    ['When.TimeOfDay', '13:30:05'],
    ['Bin.Length', 3],
    ['Bin.IsEmpty', false],
    ['Blank.IsEmpty', true],
    ['Blank.IsNotEmpty', false],
    ["{'a': N, 'b': [N]}", { a: 5, b: [5] }],
    ['[]', []],
  ])('%s is %j', (src, expected) => {
    expect(ev(src)).toEqual(expected);
  });

  it('keeps list literals and custom objects fresh on each evaluation', () => {
    const e = parseExpression('[1, 2]');
    const a = evaluateExpression(e, scope);
    const b = evaluateExpression(e, scope);
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
  });

  it.each([
    ['Missing + 1', 'expression.undefined_variable', "Variable 'Missing' is not defined at column 1", 1],
    ['N + Other', 'expression.undefined_variable', "Variable 'Other' is not defined at column 5", 5],
    ["N - 'a'", 'expression.type', 'Cannot subtract text from number at column 3', 3],
    ["'a' * 2", 'expression.type', 'Cannot multiply text by number at column 5', 5],
    ['Flag / 2', 'expression.type', 'Cannot divide boolean by number at column 6', 6],
    ['N mod Blank', 'expression.type', 'Cannot take the remainder of number divided by blank at column 3', 3],
    ['Flag + 1', 'expression.type', 'Cannot add number to boolean at column 6', 6],
    ['N / 0', 'expression.type', 'Division by zero at column 3', 3],
    ['N / Zero', 'expression.type', 'Division by zero at column 3', 3],
    ['N mod 0', 'expression.type', 'Division by zero (mod 0) at column 3', 3],
    ["-'a'", 'expression.type', 'Cannot negate text at column 1', 1],
    ['L[5]', 'expression.type', 'Index 5 is outside the list (3 items) at column 2', 2],
    ['L[-1]', 'expression.type', 'Index -1 is outside the list (3 items) at column 2', 2],
    ['L[1.5]', 'expression.type', 'A list index must be a whole number at column 2', 2],
    ["L['0']", 'expression.type', 'A list index must be a number, not text at column 2', 2],
    ['Name[3]', 'expression.type', 'Index 3 is outside the text (3 characters) at column 5', 5],
    ['O.Foo', 'expression.type', "The custom object has no property 'Foo' at column 3", 3],
    ["O['Foo']", 'expression.type', "The custom object has no property 'Foo' at column 2", 2],
    ['O[1]', 'expression.type', 'A custom object index must be a property name in text, not number at column 2', 2],
    ['Name.Count', 'expression.type', "Text has no property 'Count' at column 6", 6],
    ['L.Length', 'expression.type', "List has no property 'Length' at column 3", 3],
    ['N.Length', 'expression.type', "A number has no property 'Length' at column 3", 3],
    ['When.Week', 'expression.type', "Datetime has no property 'Week' at column 6", 6],
    ['Blank.Name', 'expression.type', "The value is blank, so it has no property 'Name' at column 7", 7],
    ['Blank[0]', 'expression.type', 'The value is blank, so it cannot be indexed at column 6', 6],
    ['N[0]', 'expression.type', 'Cannot index a number at column 2', 2],
    ["N < 'a'", 'expression.type', 'Cannot compare number with text at column 3', 3],
    ['L > 1', 'expression.type', 'Cannot compare list with number at column 3', 3],
    ['N and true', 'expression.type', 'Cannot use number as a condition (True or False) at column 1', 1],
    ['false or N', 'expression.type', 'Cannot use number as a condition (True or False) at column 10', 10],
    ['not Name', 'expression.type', 'This text is neither True nor False at column 5', 5],
    ['1e300', 'expression.syntax', "Expected an operator or the end of the expression at column 2 (found 'e300')", 2],
  ])('%s fails with %s: %s', (src, code, message, column) => {
    const e = errorOf(src);
    expect(e.code).toBe(code);
    expect(e.message).toBe(message);
    expect(e.place.column).toBe(column);
    expect(e.hint).toBeTruthy();
  });

  it('reports numbers too large to hold', () => {
    const big = `${'9'.repeat(300)} * ${'9'.repeat(300)}`;
    expect(errorOf(big).message).toMatch(/^The result is too large to be a number/);
  });

  it('suggests the right spelling of a custom object property', () => {
    expect(errorOf('O.id').hint).toBe("Property names are case-sensitive: did you mean 'Id'?");
    expect(errorOf('O.Foo').hint).toBe("It has 'Id', 'Name', 'nested'.");
  });

  it('never puts a variable value into an error message', () => {
    const secret = { get: (n: string): Value | undefined => (n === 'Key' ? 'sk-live-123' : undefined) };
    for (const src of ['Key * 2', 'Key.Foo', 'Key[99]', 'not Key', 'Key < 1', '-Key']) {
      try {
        evaluateExpression(parseExpression(src), secret);
        throw new Error('expected a failure');
      } catch (e) {
        expect((e as PatchbayError).message).not.toContain('sk-live');
        expect((e as PatchbayError).hint ?? '').not.toContain('sk-live');
      }
    }
  });
});
