import { describe, expect, it } from 'vitest';
import { encodeFrame, frameReader, isPlainJson } from './frames.js';

function roundTrip(messages: unknown[], chunkSize: number): unknown[] {
  const out: unknown[] = [];
  const read = frameReader(
    (m) => out.push(m),
    (e) => {
      throw e;
    },
  );
  const all = Buffer.concat(messages.map(encodeFrame));
  for (let i = 0; i < all.length; i += chunkSize) read(all.subarray(i, i + chunkSize));
  return out;
}

describe('gateway pipe frames', () => {
  const plain = { type: 'gateway.result', runId: 'r1', callId: 7, ok: true, value: { body: { é: ['ü', 1.5, null] } } };
  const rich = {
    type: 'gateway.result',
    runId: 'r1',
    callId: 8,
    ok: true,
    value: { when: new Date('2026-01-02T03:04:05Z'), bytes: new Uint8Array([0, 1, 255]), missing: undefined, n: NaN },
  };

  it('carries plain data as JSON and anything else as a structured clone, unchanged either way', () => {
    expect(isPlainJson(plain)).toBe(true);
    expect(isPlainJson(rich)).toBe(false);
    expect(encodeFrame(plain)[0]).toBe(0x4a);
    expect(encodeFrame(rich)[0]).toBe(0x56);
    for (const size of [1, 3, 64, 1 << 20]) {
      const [a, b, c] = roundTrip([plain, rich, plain], size) as (typeof rich)[];
      expect(a).toEqual(plain);
      expect(c).toEqual(plain);
      expect(b.value.when).toBeInstanceOf(Date);
      expect(b.value.when.toISOString()).toBe('2026-01-02T03:04:05.000Z');
      expect(b.value.bytes).toBeInstanceOf(Uint8Array);
      expect([...b.value.bytes]).toEqual([0, 1, 255]);
      expect('missing' in b.value).toBe(true);
      expect(b.value.n).toBeNaN();
    }
  });

  it('stops at a frame it cannot read and says so', () => {
    const errors: unknown[] = [];
    const out: unknown[] = [];
    const read = frameReader(
      (m) => out.push(m),
      (e) => errors.push(e),
    );
    const bad = Buffer.from([0x4a, 3, 0, 0, 0, 0x7b, 0x7b, 0x7b]);
    read(Buffer.concat([encodeFrame(plain), bad, encodeFrame(plain)]));
    expect(out).toEqual([plain]);
    expect(errors).toHaveLength(1);
    read(encodeFrame(plain));
    expect(out).toHaveLength(1);
  });
});
