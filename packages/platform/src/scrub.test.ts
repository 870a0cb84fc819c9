import { describe, expect, it } from 'vitest';
import { DataTable } from '@patchbay/core';
import { Scrubber } from './scrub.js';

describe('Scrubber.clean', () => {
  const scrubber = new Scrubber();
  scrubber.add('sk-live-123456');
  scrubber.add('abc');

  it('hands back a value without a secret as it is', () => {
    const answer = { body: { results: [{ id: '1', name: 'Acme' }], paging: null }, status: 200, headers: { a: 'b' } };
    expect(scrubber.clean(answer)).toBe(answer);
  });

  it('removes a secret anywhere inside, as value does, without changing the original', () => {
    const answer = { body: { results: [{ note: 'key sk-live-123456 echoed' }, 'abc'] }, status: 401 };
    const cleaned = scrubber.clean(answer);
    expect(cleaned).toEqual({ body: { results: [{ note: 'key *** echoed' }, '***'] }, status: 401 });
    expect(cleaned).toEqual(scrubber.value(answer));
    expect(answer.body.results[1]).toBe('abc');
  });

  it('copies anything that is not plain data the way value does', () => {
    const table = new DataTable(['Name'], [['sk-live-123456']]);
    const answer = { body: table };
    expect(scrubber.clean(answer)).toEqual(scrubber.value(answer));
    expect(scrubber.clean(answer)).not.toBe(answer);
  });
});
