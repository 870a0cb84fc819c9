/**
 * Envelope encryption for secrets at rest.
 *
 * Each secret is sealed with AES-256-GCM under its own random data key; the
 * data key is wrapped (AES-256-GCM) by the master key. The stored text is
 *
 *     pbs1:<keyId>:<base64url(wrapIv | wrappedDataKey | wrapTag)>:<base64url(iv | ciphertext | tag)>
 *
 * where `keyId` is the first 12 hex digits of SHA-256(master key). The data
 * is bound to where it is stored (a `context` string such as
 * `connection:conn_…` used as GCM additional data), so a sealed blob copied
 * into another row does not open. Rotating the master key re-wraps data keys
 * only; the sealed data itself is untouched.
 *
 * Master keys are exactly 32 random bytes, written as 64 hex digits or as
 * base64. Passphrases are refused rather than stretched: a stretched
 * passphrase is only as strong as the passphrase, and `openssl rand -base64 32`
 * costs nothing. A key ring holds several keys (oldest first, newest last);
 * the newest seals, any of them opens.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PatchbayError } from '@patchbay/core';

const VERSION = 'pbs1';
const KEY_ID_LENGTH = 12;
const IV = 12;
const TAG = 16;

/** `substr(column, SEALED_KEY_ID_START, KEY_ID_LENGTH)` is the key id of a sealed blob, in SQL on both dialects. */
export const SEALED_KEY_ID_START = VERSION.length + 2;
export const SEALED_KEY_ID_LENGTH = KEY_ID_LENGTH;

export const KEY_FILE_NAME = 'master.key';

const KEY_HINT =
  'A master key is 32 random bytes written as 64 hex digits or base64; make one with `openssl rand -base64 32`.';

export function keyIdOf(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, KEY_ID_LENGTH);
}

/** Reads one master key from text (hex or base64). Never echoes the text in errors. */
export function parseMasterKey(text: string, where = 'PATCHBAY_MASTER_KEY'): Buffer {
  const t = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(t)) key = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) key = Buffer.from(t, 'base64');
  if (!key || key.length !== 32) {
    throw new PatchbayError(
      'secrets.key',
      `The master key in ${where} is not 32 bytes of hex or base64 (passphrases are not accepted).`,
      { hint: KEY_HINT },
    );
  }
  return key;
}

/** Master keys, oldest first; the last one seals. */
export class KeyRing {
  private keys: Buffer[];
  /** Re-reads the keys from their source (the key file), for a key another process added by rotation. */
  private readonly reload?: () => Buffer[] | null;

  constructor(keys: Buffer[], reload?: () => Buffer[] | null) {
    if (keys.length === 0) throw new PatchbayError('secrets.key', 'The master key ring is empty.', { hint: KEY_HINT });
    this.keys = keys;
    this.reload = reload;
  }

  get currentId(): string {
    return keyIdOf(this.current);
  }

  get current(): Buffer {
    return this.keys[this.keys.length - 1];
  }

  ids(): string[] {
    return this.keys.map(keyIdOf);
  }

  all(): Buffer[] {
    return [...this.keys];
  }

  replace(keys: Buffer[]): void {
    if (keys.length === 0) throw new PatchbayError('secrets.key', 'The master key ring is empty.', { hint: KEY_HINT });
    this.keys = keys;
  }

  /** The key with this id, re-reading the key file once when it is not known yet. */
  find(id: string): Buffer | undefined {
    const hit = this.keys.find((k) => keyIdOf(k) === id);
    if (hit || !this.reload) return hit;
    const fresh = this.reload();
    if (fresh && fresh.length) this.keys = fresh;
    return this.keys.find((k) => keyIdOf(k) === id);
  }
}

function gcm(key: Buffer, iv: Buffer, data: Buffer, aad: string): Buffer {
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  return Buffer.concat([iv, c.update(data), c.final(), c.getAuthTag()]);
}

function ungcm(key: Buffer, packed: Buffer, aad: string): Buffer | undefined {
  if (packed.length < IV + TAG) return undefined;
  try {
    const d = createDecipheriv('aes-256-gcm', key, packed.subarray(0, IV));
    d.setAAD(Buffer.from(aad, 'utf8'));
    d.setAuthTag(packed.subarray(packed.length - TAG));
    return Buffer.concat([d.update(packed.subarray(IV, packed.length - TAG)), d.final()]);
  } catch {
    return undefined;
  }
}

interface Parsed {
  keyId: string;
  wrapped: Buffer;
  data: Buffer;
}

function parse(blob: string, context: string): Parsed {
  const parts = blob.split(':');
  if (parts.length !== 4 || parts[0] !== VERSION || parts[1].length !== KEY_ID_LENGTH) {
    throw new PatchbayError(
      'secrets.key',
      `The sealed secret for ${context} is not in a format this Patchbay reads (${parts[0] ?? 'empty'}).`,
      { hint: 'It may have been written by a newer Patchbay; upgrade, or set the secret again.' },
    );
  }
  return { keyId: parts[1], wrapped: Buffer.from(parts[2], 'base64url'), data: Buffer.from(parts[3], 'base64url') };
}

function missingKey(keyId: string, context: string): PatchbayError {
  return new PatchbayError(
    'secrets.key',
    `The secret for ${context} is sealed with master key ${keyId}, which is not in the current key ring.`,
    {
      hint: `Set PATCHBAY_MASTER_KEY to the key with id ${keyId}, or restore the ${KEY_FILE_NAME} file that holds it.`,
    },
  );
}

/** Seals and opens secrets with a key ring. */
export class Sealer {
  constructor(readonly ring: KeyRing) {}

  seal(plaintext: string, context: string): string {
    const keyId = this.ring.currentId;
    const dataKey = randomBytes(32);
    const data = gcm(dataKey, randomBytes(IV), Buffer.from(plaintext, 'utf8'), context);
    const wrapped = gcm(this.ring.current, randomBytes(IV), dataKey, `${VERSION}:${keyId}`);
    return `${VERSION}:${keyId}:${wrapped.toString('base64url')}:${data.toString('base64url')}`;
  }

  private dataKey(p: Parsed, context: string): Buffer {
    const master = this.ring.find(p.keyId);
    if (!master) throw missingKey(p.keyId, context);
    const dataKey = ungcm(master, p.wrapped, `${VERSION}:${p.keyId}`);
    if (!dataKey)
      throw new PatchbayError(
        'secrets.key',
        `The data key of the secret for ${context} does not open with master key ${p.keyId}; the stored value is damaged.`,
        { hint: 'Set the secret again.' },
      );
    return dataKey;
  }

  open(blob: string, context: string): string {
    const p = parse(blob, context);
    const plain = ungcm(this.dataKey(p, context), p.data, context);
    if (!plain)
      throw new PatchbayError(
        'secrets.key',
        `The secret stored for ${context} does not open: it is damaged or belongs to another record.`,
        { hint: 'Set the secret again.' },
      );
    return plain.toString('utf8');
  }

  /** The same secret with its data key wrapped by the newest master key (the data itself is not touched). */
  rewrap(blob: string, context: string): string {
    const p = parse(blob, context);
    if (p.keyId === this.ring.currentId) return blob;
    const dataKey = this.dataKey(p, context);
    const keyId = this.ring.currentId;
    const wrapped = gcm(this.ring.current, randomBytes(IV), dataKey, `${VERSION}:${keyId}`);
    return `${VERSION}:${keyId}:${wrapped.toString('base64url')}:${p.data.toString('base64url')}`;
  }
}

// ---- where keys come from -------------------------------------------------

export type KeySource =
  { kind: 'given'; keys: Buffer[] } | { kind: 'file'; path: string; keys: Buffer[] } | { kind: 'none'; path: string };

export function keyFilePath(home: string): string {
  return join(home, KEY_FILE_NAME);
}

export function readKeyFile(path: string): Buffer[] {
  const text = readFileSync(path, 'utf8');
  const keys: Buffer[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (t && !t.startsWith('#')) keys.push(parseMasterKey(t, `${path}:${i + 1}`));
  });
  if (keys.length === 0)
    throw new PatchbayError('secrets.key', `The key file ${path} holds no master key.`, {
      place: { file: path },
      hint: 'Restore the key file from a backup, or set PATCHBAY_MASTER_KEY.',
    });
  return keys;
}

function keyFileText(keys: Buffer[]): string {
  return [
    '# Patchbay master keys, oldest first. The last key seals new secrets; the others still open what they sealed.',
    '# Keep this file secret and back it up: without it, stored connection secrets cannot be read.',
    ...keys.map((k) => k.toString('base64')),
    '',
  ].join('\n');
}

/** Writes the key file whole (temp file + rename), mode 0600, so a crash never leaves half a key ring. */
export function writeKeyFile(path: string, keys: Buffer[]): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, keyFileText(keys), { mode: 0o600 });
  renameSync(tmp, path);
}

/** Creates the key file with one new key; never replaces an existing file. Returns the keys now in the file. */
export function createKeyFile(path: string): Buffer[] {
  try {
    writeFileSync(path, keyFileText([randomBytes(32)]), { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return readKeyFile(path);
}

/**
 * Finds the master keys: `masterKey` (or PATCHBAY_MASTER_KEY; several keys may
 * be given comma-separated, oldest first), else the key file in `home`.
 */
export function findKeySource(home: string, masterKey: string | undefined): KeySource {
  const path = keyFilePath(home);
  if (masterKey !== undefined && masterKey.trim() !== '') {
    return { kind: 'given', keys: masterKey.split(',').map((k) => parseMasterKey(k)) };
  }
  if (existsSync(path)) return { kind: 'file', path, keys: readKeyFile(path) };
  return { kind: 'none', path };
}
