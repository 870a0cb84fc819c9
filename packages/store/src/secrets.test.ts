import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PatchbayError } from '@patchbay/core';
import {
  KeyRing,
  Sealer,
  createKeyFile,
  findKeySource,
  keyIdOf,
  parseMasterKey,
  readKeyFile,
  writeKeyFile,
} from './secrets.js';

const key = () => randomBytes(32);

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof PatchbayError ? e.code : 'not a PatchbayError';
  }
  return undefined;
}

describe('envelope sealing', () => {
  it('round-trips any text and never stores it in the clear', () => {
    const sealer = new Sealer(new KeyRing([key()]));
    fc.assert(
      fc.property(fc.string({ minLength: 4 }), (text) => {
        const blob = sealer.seal(text, 'connection:c1');
        expect(sealer.open(blob, 'connection:c1')).toBe(text);
        expect(blob.startsWith(`pbs1:${sealer.ring.currentId}:`)).toBe(true);
        expect(blob.includes(text)).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it('seals the same text differently each time (fresh data key and IV)', () => {
    const sealer = new Sealer(new KeyRing([key()]));
    expect(sealer.seal('same', 'x')).not.toBe(sealer.seal('same', 'x'));
  });

  it('refuses a blob moved to another record', () => {
    const sealer = new Sealer(new KeyRing([key()]));
    const blob = sealer.seal('s3cret', 'connection:a');
    expect(code(() => sealer.open(blob, 'connection:b'))).toBe('secrets.key');
  });

  it('names the missing key id when opened with another key', () => {
    const a = new Sealer(new KeyRing([key()]));
    const b = new Sealer(new KeyRing([key()]));
    const blob = a.seal('s3cret', 'ctx');
    try {
      b.open(blob, 'ctx');
      expect.unreachable();
    } catch (e) {
      expect((e as PatchbayError).code).toBe('secrets.key');
      expect((e as PatchbayError).message).toContain(a.ring.currentId);
      expect((e as PatchbayError).message).not.toContain('s3cret');
    }
  });

  it('detects tampering with the data or the wrapped key', () => {
    const sealer = new Sealer(new KeyRing([key()]));
    const blob = sealer.seal('s3cret', 'ctx');
    const parts = blob.split(':');
    const flip = (s: string) => {
      const b = Buffer.from(s, 'base64url');
      b[b.length - 1] ^= 1;
      return b.toString('base64url');
    };
    expect(code(() => sealer.open([parts[0], parts[1], flip(parts[2]), parts[3]].join(':'), 'ctx'))).toBe(
      'secrets.key',
    );
    expect(code(() => sealer.open([parts[0], parts[1], parts[2], flip(parts[3])].join(':'), 'ctx'))).toBe(
      'secrets.key',
    );
    expect(code(() => sealer.open('garbage', 'ctx'))).toBe('secrets.key');
  });

  it('re-wraps under the newest key without touching the sealed data', () => {
    const oldKey = key();
    const newKey = key();
    const ring = new KeyRing([oldKey]);
    const sealer = new Sealer(ring);
    const blob = sealer.seal('s3cret', 'ctx');
    ring.replace([oldKey, newKey]);
    const moved = sealer.rewrap(blob, 'ctx');
    expect(moved.split(':')[1]).toBe(keyIdOf(newKey));
    expect(moved.split(':')[3]).toBe(blob.split(':')[3]);
    expect(new Sealer(new KeyRing([newKey])).open(moved, 'ctx')).toBe('s3cret');
  });
});

describe('master keys', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'patchbay-keys-'));
    dirs.push(d);
    return d;
  };

  it('reads hex and base64 keys and refuses anything else without echoing it', () => {
    const k = key();
    expect(parseMasterKey(k.toString('hex')).equals(k)).toBe(true);
    expect(parseMasterKey(k.toString('base64')).equals(k)).toBe(true);
    expect(parseMasterKey(k.toString('base64url')).equals(k)).toBe(true);
    for (const bad of ['correct horse battery staple', k.subarray(0, 16).toString('hex'), '']) {
      try {
        parseMasterKey(bad);
        expect.unreachable();
      } catch (e) {
        expect((e as PatchbayError).code).toBe('secrets.key');
        if (bad) expect((e as PatchbayError).message).not.toContain(bad);
      }
    }
  });

  it('generates a key file once, mode 0600, and never replaces it', () => {
    const home = dir();
    const path = join(home, 'master.key');
    const first = createKeyFile(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = createKeyFile(path);
    expect(again.map(keyIdOf)).toEqual(first.map(keyIdOf));
    expect(findKeySource(home, undefined)).toMatchObject({ kind: 'file', path });
  });

  it('keeps several keys in the file, newest last, and PATCHBAY_MASTER_KEY wins over the file', () => {
    const home = dir();
    const path = join(home, 'master.key');
    const [a, b] = [key(), key()];
    writeKeyFile(path, [a, b]);
    expect(readKeyFile(path).map(keyIdOf)).toEqual([keyIdOf(a), keyIdOf(b)]);
    expect(new KeyRing(readKeyFile(path)).currentId).toBe(keyIdOf(b));
    const given = findKeySource(home, `${a.toString('hex')},${b.toString('base64')}`);
    expect(given.kind).toBe('given');
    expect(given.kind !== 'none' && given.keys.map(keyIdOf)).toEqual([keyIdOf(a), keyIdOf(b)]);
    expect(readFileSync(path, 'utf8')).toContain('#');
  });

  it('names the line of a broken key file', () => {
    const home = dir();
    const path = join(home, 'master.key');
    writeFileSync(path, '# keys\nnot-a-key\n');
    expect(() => readKeyFile(path)).toThrow(`${path}:2`);
  });

  it('finds a key another process added to the file', () => {
    const home = dir();
    const path = join(home, 'master.key');
    const [a, b] = [key(), key()];
    writeKeyFile(path, [a]);
    const ring = new KeyRing(readKeyFile(path), () => readKeyFile(path));
    const blob = new Sealer(new KeyRing([a, b])).seal('s3cret', 'ctx');
    writeKeyFile(path, [a, b]);
    expect(new Sealer(ring).open(blob, 'ctx')).toBe('s3cret');
  });
});
