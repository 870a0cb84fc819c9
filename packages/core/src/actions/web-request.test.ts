import { describe, expect, it } from 'vitest';
import { header, headersParam } from './web-request.js';

describe('headersParam', () => {
  it('merges a header given twice in different case into one, the last one winning', () => {
    expect(headersParam({ headers: 'Accept: text/plain\nX-Trace: 1\naccept: application/json' }, 'headers')).toEqual({
      accept: 'application/json',
      'X-Trace': '1',
    });
    expect(
      headersParam({ headers: { 'content-type': 'text/plain', 'Content-Type': 'application/json' } }, 'headers'),
    ).toEqual({ 'Content-Type': 'application/json' });
  });

  it('keeps headers named like object internals as plain headers', () => {
    const out = headersParam({ headers: '__proto__: x\nconstructor: y' }, 'headers');
    expect(Object.keys(out).sort()).toEqual(['__proto__', 'constructor']);
    expect(header(out, '__PROTO__')).toBe('x');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('names the line that is not a header', () => {
    expect(() => headersParam({ headers: 'Accept: a\nnot a header' }, 'headers')).toThrow(
      'line 2 is not "Name: value"',
    );
  });
});
