/**
 * Values to the wire: text for path, query and header parts (with
 * `collectionFormat` for lists and `x-ms-url-encoding`), and the four body
 * kinds — JSON, form-urlencoded, multipart and binary.
 */
import { PatchbayError, isValueObject, type Value } from '@patchbay/core';
import type { OperationInput } from '../model.js';

const encoder = new TextEncoder();

/** One scalar as text: dates in ISO 8601, objects and lists as JSON, bytes as base64. */
export function scalarText(v: Value): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return '';
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  return JSON.stringify(toJson(v));
}

const SEPARATORS = { csv: ',', ssv: ' ', tsv: '\t', pipes: '|' } as const;

/** The texts a query/header/form input sends: one per value for `multi`, else one joined text. */
export function wireTexts(input: OperationInput, v: Value): string[] {
  if (!Array.isArray(v)) return [scalarText(v)];
  const texts = v.map(scalarText);
  const format = input.collectionFormat ?? 'csv';
  if (format === 'multi') return texts;
  return [texts.join(SEPARATORS[format])];
}

/** Percent-encodes a path segment or query component, twice for `x-ms-url-encoding: double`. */
export function urlEncode(text: string, encoding: 'single' | 'double'): string {
  const once = encodeURIComponent(text);
  return encoding === 'double' ? encodeURIComponent(once) : once;
}

/** A Value as plain JSON: dates as ISO text, bytes as base64 (Power Platform's `format: byte`). */
export function toJson(v: Value): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return scalarText(v);
  if (Array.isArray(v)) return v.map(toJson);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = toJson(x);
  return out;
}

/** Puts a flattened body field back at its path in the body object, creating parents as needed. */
export function setAtPath(
  target: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
  pointer: string,
): void {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i];
    const next = node[seg];
    if (next === undefined || next === null) {
      const created: Record<string, unknown> = {};
      node[seg] = created;
      node = created;
    } else if (typeof next === 'object' && !Array.isArray(next)) {
      node = next as Record<string, unknown>;
    } else {
      throw new PatchbayError(
        'action.param',
        `The body field ${pointer} cannot be set because body/${path.slice(0, i + 1).join('/')} is not an object.`,
        {
          place: { pointer: `/params/${pointer}` },
          hint: 'Give either the whole object or its fields, not both with conflicting shapes.',
        },
      );
    }
  }
  node[path[path.length - 1]] = value;
}

/** Bytes for a binary body: bytes as they are, text as UTF-8, anything else as JSON. */
export function toBytes(v: Value): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return encoder.encode(v);
  return encoder.encode(JSON.stringify(toJson(v)));
}

export function formUrlEncoded(fields: [string, string][]): string {
  return new URLSearchParams(fields).toString();
}

/**
 * A multipart/form-data body, serialised by the platform's own FormData
 * encoder so it can be resent on retry. Binary values are file parts (named
 * `fileName`, or the field's name); a text value with a `fileName` is a file
 * part too.
 */
export async function multipart(
  fields: { name: string; value: Value; fileName?: string; contentType?: string }[],
): Promise<{ bytes: Uint8Array; contentType: string }> {
  const form = new FormData();
  for (const f of fields) {
    const type = f.contentType === undefined ? {} : { type: f.contentType };
    if (f.value instanceof Uint8Array)
      form.append(f.name, new Blob([new Uint8Array(f.value)], type), f.fileName ?? f.name);
    else if (typeof f.value === 'string' && f.fileName !== undefined)
      form.append(f.name, new Blob([f.value], type), f.fileName);
    else if (Array.isArray(f.value)) for (const item of f.value) form.append(f.name, scalarText(item));
    else if (isValueObject(f.value))
      form.append(
        f.name,
        new Blob([JSON.stringify(toJson(f.value))], { type: 'application/json' }),
        f.fileName ?? `${f.name}.json`,
      );
    else form.append(f.name, scalarText(f.value));
  }
  const req = new Request('http://127.0.0.1/', { method: 'POST', body: form });
  return {
    bytes: new Uint8Array(await req.arrayBuffer()),
    contentType: req.headers.get('content-type') ?? 'multipart/form-data',
  };
}
