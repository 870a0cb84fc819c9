import { describe, expect, it } from 'vitest';
import { PatchbayError } from '../errors.js';
import type { Value, ValueType } from '../values.js';
import { coerceValue, formatValue, toBoolean, toNumber, toText, valuesEqual } from './index.js';

function typeErrorOf(f: () => unknown): PatchbayError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PatchbayError);
    expect((e as PatchbayError).code).toBe('expression.type');
    return e as PatchbayError;
  }
  throw new Error('expected a type error');
}

describe('formatValue', () => {
  it.each<[Value, string]>([
    [null, ''],
    ['text', 'text'],
    [2.5, '2.5'],
    [15, '15'],
    [-0, '0'],
    [12.5, '12.5'],
    [0.1 + 0.2, '0.3'],
    [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [-1.25e22, '-12500000000000000000000'],
    [true, 'True'],
    [false, 'False'],
    [new Date(2024, 0, 2, 3, 4, 5), '2024-01-02 03:04:05'],
    [new Date(2024, 0, 2, 3, 4, 5, 60), '2024-01-02 03:04:05.060'],
    [new Uint8Array([104, 105]), 'aGk='],
    [[1, 'a', true], '1\na\nTrue'],
    [[[1, 2], { a: 1 }], '[1,2]\n{"a":1}'],
    [[], ''],
    [
      { Name: 'Ada', At: new Date(Date.UTC(2024, 0, 1)), Tags: ['x'] },
      '{"Name":"Ada","At":"2024-01-01T00:00:00.000Z","Tags":["x"]}',
    ],
  ])('%j reads as %j', (v, text) => {
    expect(formatValue(v)).toBe(text);
    expect(toText(v)).toBe(text);
  });
});

describe('toNumber and toBoolean', () => {
  it('reads numbers and numeric text', () => {
    expect(toNumber(3)).toBe(3);
    expect(toNumber(' 12.5 ')).toBe(12.5);
    expect(toNumber('-4')).toBe(-4);
    expect(toNumber('1e3')).toBe(1000);
  });

  it.each<[Value, string]>([
    ['12,5', 'This text does not read as a number'],
    ['', 'This text does not read as a number'],
    [true, 'Cannot use boolean as a number'],
    [null, 'Cannot use blank as a number'],
    [[1], 'Cannot use list as a number'],
  ])('refuses %j as a number', (v, message) => {
    const e = typeErrorOf(() => toNumber(v));
    expect(e.message).toBe(message);
    expect(e.hint).toBeTruthy();
  });

  it('reads booleans and True/False text in any case', () => {
    expect(toBoolean(true)).toBe(true);
    expect(toBoolean('FALSE')).toBe(false);
    expect(toBoolean(' true ')).toBe(true);
    expect(typeErrorOf(() => toBoolean('yes')).message).toBe('This text is neither True nor False');
    expect(typeErrorOf(() => toBoolean(1)).message).toBe('Cannot use number as a condition (True or False)');
  });
});

describe('coerceValue', () => {
  it.each<[Value, ValueType, Value]>([
    [5, 'any', 5],
    [5, 'text', '5'],
    [null, 'text', ''],
    [null, 'number', null],
    ['42', 'number', 42],
    ['True', 'boolean', true],
    ['[1, "a"]', 'list', [1, 'a']],
    [[1], 'list', [1]],
    ['{"a": {"b": 1}}', 'object', { a: { b: 1 } }],
    ['2024-06-15 13:30:00', 'datetime', new Date(2024, 5, 15, 13, 30)],
    ['2024-06-15', 'datetime', new Date(2024, 5, 15)],
    ['2024-06-15T13:30:00Z', 'datetime', new Date(Date.UTC(2024, 5, 15, 13, 30))],
    ['2024-06-15T13:30:00+02:00', 'datetime', new Date(Date.UTC(2024, 5, 15, 11, 30))],
    ['2024-06-15 13:30', 'datetime', new Date(2024, 5, 15, 13, 30)],
    ['aGk=', 'binary', new Uint8Array([104, 105])],
  ])('%j as %s is %j', (v, type, expected) => {
    expect(coerceValue(v, type, "Input 'X'")).toEqual(expected);
  });

  it('round-trips datetimes through their text form', () => {
    const d = new Date(2023, 11, 31, 23, 59, 58, 7);
    expect(coerceValue(formatValue(d), 'datetime', 'x')).toEqual(d);
  });

  it.each<[Value, ValueType, string]>([
    ['abc', 'number', "Input 'X' must be a number, but it is text that does not convert"],
    [true, 'number', "Input 'X' must be a number, but it is boolean"],
    ['maybe', 'boolean', "Input 'X' must be a boolean, but it is text that does not convert"],
    ['{"a":1}', 'list', "Input 'X' must be a list, but it is text that does not convert"],
    [[1], 'object', "Input 'X' must be a custom object, but it is list"],
    ['not a date', 'datetime', "Input 'X' must be a datetime, but it is text that does not convert"],
    ['12', 'datetime', "Input 'X' must be a datetime, but it is text that does not convert"],
    ['2024-02-30', 'datetime', "Input 'X' must be a datetime, but it is text that does not convert"],
    ['%%%', 'binary', "Input 'X' must be binary data, but it is text that does not convert"],
    [3, 'list', "Input 'X' must be a list, but it is number"],
  ])('refuses %j as %s, naming what', (v, type, message) => {
    const e = typeErrorOf(() => coerceValue(v, type, "Input 'X'"));
    expect(e.message).toBe(message);
    expect(e.hint).toBeTruthy();
  });

  it('never repeats the value it refuses', () => {
    const e = typeErrorOf(() => coerceValue('hunter2-secret', 'number', "Input 'Password'"));
    expect(e.message).not.toContain('hunter2');
  });
});

describe('valuesEqual', () => {
  it.each<[Value, Value, boolean]>([
    [1, 1, true],
    [0.1 + 0.2, 0.3, true],
    [1, 2, false],
    ['a', 'a', true],
    ['a', 'A', false],
    ['1', 1, false],
    [null, null, true],
    [null, '', false],
    [new Date(5), new Date(5), true],
    [new Date(5), new Date(6), false],
    [new Uint8Array([1, 2]), new Uint8Array([1, 2]), true],
    [new Uint8Array([1, 2]), new Uint8Array([1, 3]), false],
    [[1, [2]], [1, [2]], true],
    [[1, 2], [1], false],
    [{ a: 1, b: [1] }, { b: [1], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [{ a: 1 }, { b: 1 }, false],
    [[1], { 0: 1 }, false],
  ])('%j and %j: %s', (a, b, equal) => {
    expect(valuesEqual(a, b)).toBe(equal);
    expect(valuesEqual(b, a)).toBe(equal);
  });
});
