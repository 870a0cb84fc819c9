import { describe, expect, it } from 'vitest';
import { PatchbayError } from '../errors.js';
import { DataTable, type Value } from '../values.js';
import { CONDITION_OPERATORS, testCondition, type ConditionOperator } from './conditions.js';
import { compileTemplate } from './template.js';

/** [operator, left, right, without Ignore case, with Ignore case] — PAD's documented meaning of each operator. */
const CASES: [ConditionOperator, Value, Value, boolean, boolean][] = [
  ['=', 'Ada', 'ada', false, true],
  ['=', 'Ada', 'Ada', true, true],
  ['=', 36, '36', true, true],
  ['<>', 'Ada', 'ada', true, false],
  ['<>', 1, 2, true, true],
  ['>', 'b', 'A', true, true],
  ['>', 'A', 'a', true, false],
  ['>', 10, 9, true, true],
  ['>=', 'A', 'a', true, true],
  ['>=', 3, 4, false, false],
  ['<', 'a', 'A', true, false],
  ['<', 2, 10, true, true],
  ['<=', 'a', 'A', true, true],
  ['<=', 5, 5, true, true],
  ['contains', 'Hello World', 'world', false, true],
  ['contains', 'Hello World', 'World', true, true],
  ['contains', ['Ada', 'Bob'], 'bob', false, true],
  ['notContains', 'Hello World', 'world', true, false],
  ['notContains', ['Ada'], 'Ada', false, false],
  ['startsWith', 'Invoice 12', 'invoice', false, true],
  ['startsWith', 'Invoice 12', 'Invoice', true, true],
  ['notStartsWith', 'Invoice 12', 'invoice', true, false],
  ['endsWith', 'report.CSV', '.csv', false, true],
  ['endsWith', 'report.csv', '.csv', true, true],
  ['notEndsWith', 'report.CSV', '.csv', true, false],
  ['isEmpty', '', null, true, true],
  ['isEmpty', 'x', null, false, false],
  ['isEmpty', [], null, true, true],
  ['isEmpty', null, null, true, true],
  ['isEmpty', new DataTable(['A'], []), null, true, true],
  ['isNotEmpty', 'x', null, true, true],
  ['isNotEmpty', new DataTable(['A'], [[1]]), null, true, true],
  ['isNotEmpty', {}, null, false, false],
];

describe('condition operators', () => {
  it('covers every operator', () => {
    expect(new Set(CASES.map((c) => c[0]))).toEqual(new Set(CONDITION_OPERATORS));
  });

  it.each(CASES)('%s %j %j is %s, and %s ignoring case', (op, left, right, plain, ignoring) => {
    expect(testCondition(op, left, right)).toBe(plain);
    expect(testCondition(op, left, right, { ignoreCase: true })).toBe(ignoring);
  });

  it('refuses to order values of different kinds', () => {
    expect(() => testCondition('>', [1], 2, { column: 3 })).toThrow(PatchbayError);
  });
});

const scope = {
  get: (n: string): Value | undefined =>
    ({ Name: 'Ada Lovelace', Items: ['apple', 'pear', 'fig', 'kiwi'], Empty: '' })[n],
};
const ev = (t: string): Value => compileTemplate(t).evaluate(scope);

describe('condition functions', () => {
  it.each([
    ["%Contains(Name, 'Love')%", true],
    ["%Contains(Name, 'LOVE')%", false],
    ["%Contains(Name, 'LOVE', True)%", true],
    ["%contains(Name, 'LOVE', true)%", true],
    ["%NotContains(Name, 'LOVE', False)%", true],
    ["%NotContains(Name, 'LOVE', True)%", false],
    ["%StartsWith(Name, 'ada')%", false],
    ["%StartsWith(Name, 'ada', True)%", true],
    ["%NotStartsWith(Name, 'ada')%", true],
    ["%NotStartsWith(Name, 'ada', True)%", false],
    ["%EndsWith(Name, 'LACE')%", false],
    ["%EndsWith(Name, 'LACE', True)%", true],
    ["%NotEndsWith(Name, 'LACE')%", true],
    ["%NotEndsWith(Name, 'LACE', True)%", false],
    ['%IsEmpty(Empty)%', true],
    ['%IsEmpty(Items)%', false],
    ['%IsNotEmpty(Items)%', true],
    ['%IsNotEmpty(Empty)%', false],
    ["%Contains(Items, 'Pear', True) and not IsEmpty(Name)%", true],
  ])('%s is %s', (t, expected) => {
    expect(ev(t)).toBe(expected);
  });

  it('names unknown functions and wrong argument counts with their column', () => {
    expect(() => ev('%Foo(1)%')).toThrow(/Unknown function 'Foo' at column 2/);
    expect(() => ev("%Contains('a')%")).toThrow(/Contains takes 2 or 3 arguments at column 2/);
    expect(() => ev('%IsEmpty(1, 2)%')).toThrow(/IsEmpty takes 1 argument at column 2/);
    expect(() => ev("%Contains('a', 'b', 'yes')%")).toThrow(/neither True nor False at column 21/);
  });
});

describe('slices', () => {
  it.each([
    ['%Items[1:3]%', ['pear', 'fig']],
    ['%Items[:2]%', ['apple', 'pear']],
    ['%Items[2:]%', ['fig', 'kiwi']],
    ['%Items[:]%', ['apple', 'pear', 'fig', 'kiwi']],
    ['%Items[1:1]%', []],
    ['%Name[0:3]%', 'Ada'],
    ['%Name[4:]%', 'Lovelace'],
    ['%Items[1:Items.Count - 1][0]%', 'pear'],
  ])('%s is %j', (t, expected) => {
    expect(ev(t)).toEqual(expected);
  });

  it('fails outside the list, naming the column', () => {
    expect(() => ev('%Items[2:9]%')).toThrow('The slice 2:9 is outside the list (4 items) at column 7');
    expect(() => ev('%Items[3:1]%')).toThrow(/outside the list/);
    expect(() => ev('%Items[1:2%')).toThrow(/Expected '\]'/);
  });
});
