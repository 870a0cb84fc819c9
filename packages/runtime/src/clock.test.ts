import { describe, expect, it } from 'vitest';
import { nodeClock } from './clock.js';

describe('nodeClock', () => {
  it('sleeps and resolves', async () => {
    await expect(nodeClock.sleep(5)).resolves.toBeUndefined();
  });

  it('rejects with run.cancelled when the signal aborts during the sleep, or had aborted before', async () => {
    const ac = new AbortController();
    const sleeping = nodeClock.sleep(60_000, ac.signal);
    ac.abort();
    await expect(sleeping).rejects.toMatchObject({ code: 'run.cancelled' });
    await expect(nodeClock.sleep(10, ac.signal)).rejects.toMatchObject({ code: 'run.cancelled' });
  });

  it('tells the time as a Date', () => {
    expect(nodeClock.now()).toBeInstanceOf(Date);
  });
});
