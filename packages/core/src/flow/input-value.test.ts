import { describe, expect, it } from 'vitest';
import { PatchbayError } from '../errors.js';
import { parseInputValue } from './input-value.js';

function errorOf(fn: () => unknown): PatchbayError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PatchbayError) return e;
    throw e;
  }
  throw new Error('expected a PatchbayError');
}

describe('parseInputValue', () => {
  it('reads JSON lists and objects', () => {
    expect(parseInputValue('[1, "a"]', 'list', 'Rows')).toEqual([1, 'a']);
    expect(parseInputValue('{"Key": true}', 'object', 'Options')).toEqual({ Key: true });
  });

  it('names the input, the type and the position of bad JSON without quoting the value', () => {
    const secret = 'hunter2-SECRET';
    const e = errorOf(() => parseInputValue(`["${secret}" x]`, 'list', 'Tokens'));
    expect(e.code).toBe('expression.type');
    const text = `${e.message} ${e.hint ?? ''}`;
    expect(text).toContain('"Tokens"');
    expect(text).toContain('JSON list');
    expect(text).toContain('character 19');
    expect(text).not.toMatch(/hunter|SECRET|x\]/);
  });

  it('reports bad object text at its position, and text that ends too soon', () => {
    const e = errorOf(() => parseInputValue('{"password": s3cret}', 'object', 'Login'));
    expect(`${e.message} ${e.hint ?? ''}`).not.toContain('s3cret');
    expect(e.message).toContain('character 14');
    const end = errorOf(() => parseInputValue('{"password": "s3cret"', 'object', 'Login'));
    expect(`${end.message} ${end.hint ?? ''}`).not.toContain('s3cret');
    expect(end.message).toContain('"Login"');
    expect(end.message).toContain('JSON object');
  });
});
