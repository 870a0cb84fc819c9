import { describe, expect, it } from 'vitest';
import { PatchbayError, describeError, fromErrorData, toErrorData } from './errors.js';

describe('errors', () => {
  it('round-trip as data across process boundaries', () => {
    const e = new PatchbayError('expression.syntax', 'Expected a value', {
      place: { stepPath: '/steps/1', action: 'Variables.Set', column: 4 },
      hint: 'Close the parenthesis.',
    });
    const back = fromErrorData(JSON.parse(JSON.stringify(toErrorData(e))));
    expect(back.code).toBe('expression.syntax');
    expect(back.place).toEqual({ stepPath: '/steps/1', action: 'Variables.Set', column: 4 });
    expect(describeError(back)).toBe(
      'step /steps/1 (Variables.Set), column 4: Expected a value — Close the parenthesis.',
    );
  });
  it('turns foreign errors into internal ones', () => {
    expect(toErrorData(new TypeError('boom'))).toEqual({ code: 'internal', message: 'boom', retryable: false });
  });
});
