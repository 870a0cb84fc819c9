import { describe, expect, it } from 'vitest';
import { PatchbayError } from '../errors.js';
import { int, num } from './variables-params.js';

function paramErrorOf(fn: () => unknown): PatchbayError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PatchbayError) return e;
    throw e;
  }
  throw new Error('expected a PatchbayError');
}

describe('num', () => {
  it('reads numbers and decimal number text', () => {
    expect(num({ by: 2.5 }, 'by')).toBe(2.5);
    expect(num({ by: ' -12.5 ' }, 'by')).toBe(-12.5);
    expect(num({ by: '1e3' }, 'by')).toBe(1000);
    expect(num({}, 'by', 7)).toBe(7);
  });

  it('rejects hexadecimal, binary, octal and other non-decimal text with a parameter error', () => {
    for (const text of ['0x10', '0b11', '0o17', 'Infinity', '1_000', '12abc']) {
      const e = paramErrorOf(() => num({ by: text }, 'by'));
      expect(e.code).toBe('action.param');
      expect(e.message).toBe("Parameter 'by': the text is not a decimal number.");
    }
    expect(paramErrorOf(() => int({ count: '0x10' }, 'count')).code).toBe('action.param');
  });

  it('does not read blank text as 0: it is missing, like empty text', () => {
    const e = paramErrorOf(() => num({ by: '   ' }, 'by'));
    expect(e.code).toBe('action.param');
    expect(e.message).toBe("Parameter 'by': a number is required.");
    expect(num({ by: ' \t' }, 'by', 1)).toBe(1);
  });
});
