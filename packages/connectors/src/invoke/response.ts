/**
 * Turns a response body into a typed output by its content type (JSON, text
 * or binary) and finds the service's own message in an error response.
 */
import { isValueObject, type Value } from '@patchbay/core';

export type BodyKind = 'json' | 'text' | 'binary' | 'empty';

export function bodyKind(contentType: string | undefined, length: number): BodyKind {
  if (length === 0) return 'empty';
  const ct = (contentType ?? '').toLowerCase();
  if (ct.includes('json')) return 'json';
  if (
    ct.startsWith('text/') ||
    ct.includes('xml') ||
    ct.includes('javascript') ||
    ct.includes('x-www-form-urlencoded') ||
    ct.includes('csv')
  )
    return 'text';
  // No content type: JSON when it looks like JSON, else bytes.
  if (ct === '') return 'json';
  return 'binary';
}

/** Parses a response body; JSON that does not parse falls back to text, so a lying content type never crashes a run. */
export function parseBody(bytes: Uint8Array, contentType: string | undefined): Value {
  const kind = bodyKind(contentType, bytes.byteLength);
  if (kind === 'empty') return null;
  if (kind === 'binary') return bytes;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (kind === 'text') return text;
  try {
    return JSON.parse(text) as Value;
  } catch {
    return contentType ? text : bytes;
  }
}

/** The service's own message from the common error shapes, or undefined. */
export function serviceMessage(body: Value): string | undefined {
  if (typeof body === 'string') return clip(body.trim()) || undefined;
  if (Array.isArray(body)) return body.length > 0 ? serviceMessage(body[0]) : undefined;
  if (!isValueObject(body)) return undefined;
  const o = body;
  const parts: string[] = [];
  const push = (v: Value | undefined): void => {
    if (typeof v === 'string' && v.trim() && !parts.includes(v.trim())) parts.push(v.trim());
  };
  const err = o.error;
  if (isValueObject(err)) {
    push(err.message);
    if (!parts.length) push(err.code);
  } else push(err);
  push(o.error_description);
  push(o.message ?? o.Message);
  if (!parts.length && Array.isArray(o.errors) && o.errors.length) {
    const first = serviceMessage(o.errors[0]);
    if (first) parts.push(first);
  }
  if (!parts.length) {
    push(o.detail);
    push(o.title);
  }
  return parts.length ? clip(parts.join(': ')) : undefined;
}

function clip(text: string): string {
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
