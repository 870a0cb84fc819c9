import { describe, expect, it } from 'vitest';
import { actionError, runAction, testContext } from './variables.test-support.js';
import { decimalPart, roundHalfAwayFromZero } from './variables.js';

describe('Variables.Set / Increase / Decrease', () => {
  it('sets, increases and decreases a variable', async () => {
    const ctx = testContext();
    await runAction('Variables.Set', { name: 'Total', value: 5 }, ctx);
    await runAction('Variables.Increase', { name: 'Total', by: 2.5 }, ctx);
    await runAction('Variables.Decrease', { name: '%Total%' }, ctx);
    expect(ctx.vars.get('Total')).toBe(6.5);
  });
  it('adds and subtracts decimals as decimals, and refuses a result too large to be a number', async () => {
    const ctx = testContext({ vars: { Total: 0, Left: 1 } });
    for (let i = 0; i < 3; i++) {
      await runAction('Variables.Increase', { name: 'Total', by: 0.1 }, ctx);
      await runAction('Variables.Decrease', { name: 'Left', by: 0.1 }, ctx);
    }
    expect([ctx.vars.get('Total'), ctx.vars.get('Left')]).toEqual([0.3, 0.7]);
    const big = await actionError(
      'Variables.Increase',
      { name: 'Max', by: Number.MAX_VALUE },
      testContext({ vars: { Max: Number.MAX_VALUE } }),
    );
    expect(big.message).toMatch(/too large to be a number/);
  });
  it('increases a variable holding numeric text', async () => {
    const ctx = testContext({ vars: { N: '41' } });
    await runAction('Variables.Increase', { name: 'N' }, ctx);
    expect(ctx.vars.get('N')).toBe(42);
  });
  it('rejects invalid names, missing variables and non-numbers', async () => {
    expect((await actionError('Variables.Set', { name: '1abc', value: 1 })).message).toBe(
      "Parameter 'name': '1abc' is not a valid variable name.",
    );
    expect((await actionError('Variables.Set', { name: '', value: 1 })).code).toBe('action.param');
    const missing = await actionError('Variables.Increase', { name: 'Nope' });
    expect(missing.message).toBe("Parameter 'name': variable 'Nope' does not exist.");
    expect(missing.hint).toContain('Variables.Set');
    const notNum = await actionError('Variables.Increase', { name: 'T' }, testContext({ vars: { T: 'abc' } }));
    expect(notNum.code).toBe('action.failed');
    expect(notNum.message).toBe("Variable 'T' holds text that is not a number.");
  });
});

describe('Variables.TruncateNumber', () => {
  it('gets the integer part, decimal part and rounds', async () => {
    expect(await runAction('Variables.TruncateNumber', { number: -12.345 })).toEqual({ result: -12 });
    expect(await runAction('Variables.TruncateNumber', { number: 12.345, operation: 'decimalPart' })).toEqual({
      result: 0.345,
    });
    expect(await runAction('Variables.TruncateNumber', { number: 1.005, operation: 'round', decimals: 2 })).toEqual({
      result: 1.01,
    });
    expect(await runAction('Variables.TruncateNumber', { number: -2.5, operation: 'round' })).toEqual({ result: -3 });
  });
  it('rejects unknown operations and bad decimals', async () => {
    expect((await actionError('Variables.TruncateNumber', { number: 1, operation: 'floor' })).message).toBe(
      "Parameter 'operation': 'floor' is not one of 'integerPart', 'decimalPart', 'round'.",
    );
    expect(
      (await actionError('Variables.TruncateNumber', { number: 1, operation: 'round', decimals: 1.5 })).message,
    ).toBe("Parameter 'decimals': expected a whole number, got 1.5.");
  });
  it('rounding helpers keep decimal digits', () => {
    expect(roundHalfAwayFromZero(2.675, 2)).toBe(2.68);
    expect(roundHalfAwayFromZero(1234.5, 0)).toBe(1235);
    expect(decimalPart(5)).toBe(0);
    expect(decimalPart(-0.25)).toBe(-0.25);
  });
});

describe('Variables.GenerateRandomNumber', () => {
  it('stays within the bounds, both included', async () => {
    const seen = new Set<unknown>();
    for (let i = 0; i < 200; i++)
      seen.add((await runAction('Variables.GenerateRandomNumber', { minimum: 3, maximum: 5 })).result);
    expect([...seen].sort()).toEqual([3, 4, 5]);
  });
  it('rejects a maximum below the minimum', async () => {
    expect((await actionError('Variables.GenerateRandomNumber', { minimum: 10, maximum: 1 })).message).toBe(
      "Parameter 'maximum': the maximum 1 is below the minimum 10.",
    );
  });
});
