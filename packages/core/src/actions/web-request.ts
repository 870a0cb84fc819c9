/** Helpers shared by the Web actions: headers from a step, URLs for messages, body text and file names. */
import { PatchbayError } from '../errors.js';
import { formatValue } from '../expressions/index.js';
import { isValueObject, type Value } from '../values.js';
import { describeType, paramError, type Params } from './variables-params.js';

/** Headers given as a custom object (`{"Authorization": "…"}`) or as text, one `Name: value` a line. */
export function headersParam(p: Params, name: string): Record<string, string> {
  const v = p[name];
  // Header names ignore case: one given twice in different case is one header, the last one winning.
  const merged = new Map<string, [string, string]>();
  const put = (key: string, value: string): void => {
    merged.delete(key.toLowerCase());
    merged.set(key.toLowerCase(), [key, value]);
  };
  if (v === undefined || v === null || v === '') return {};
  if (isValueObject(v)) {
    for (const [k, val] of Object.entries(v)) {
      if (val !== null) put(k, formatValue(val));
    }
  } else if (typeof v === 'string') {
    for (const [i, line] of v.split(/\r?\n/).entries()) {
      if (line.trim() === '') continue;
      const colon = line.indexOf(':');
      if (colon <= 0)
        throw paramError(
          name,
          `line ${i + 1} is not "Name: value".`,
          'Write one header a line, e.g. Accept: application/json, or give a custom object.',
        );
      put(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    }
  } else {
    throw paramError(
      name,
      `expected a custom object or text, got ${describeType(v)}.`,
      "Give headers as %{'Accept': 'application/json'}% or as lines of \"Name: value\".",
    );
  }
  // fromEntries defines own properties, so a header named __proto__ stays a header.
  return Object.fromEntries(merged.values());
}

/** A header by name, ignoring case. */
export function header(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

/** A URL for messages and run records: no user name, password, query or fragment. */
export function urlForMessages(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return raw.replace(/[?#].*$/, '');
  }
}

/** The request body: text as it is, lists and custom objects as JSON, binary as bytes. */
export function bodyParam(v: Value | undefined): string | Uint8Array | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return v;
  if (Array.isArray(v) || isValueObject(v)) return JSON.stringify(v);
  return formatValue(v);
}

/** Decodes a response body by the charset of its content type (UTF-8 when none or unknown). */
export function decodeBody(body: Uint8Array, contentType: string | undefined): string {
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

export function statusError(method: string, url: string, status: number): PatchbayError {
  return new PatchbayError('action.failed', `${method} ${urlForMessages(url)} answered with status ${status}.`, {
    status,
    retryable: status === 408 || status === 429 || status >= 500,
    hint:
      status === 401 || status === 403
        ? 'Check the credentials in the headers.'
        : status === 404
          ? 'Check the URL.'
          : 'Check the request, or retry later.',
  });
}

/** A safe file name from a response: Content-Disposition, else the URL's last path segment. */
export function downloadName(url: string, contentDisposition: string | undefined): string {
  let name = '';
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(contentDisposition ?? '');
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(contentDisposition ?? '');
  try {
    if (star) name = decodeURIComponent(star[2].trim());
    else if (plain) name = plain[1].trim();
    else name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  } catch {
    name = '';
  }
  name = name.replace(/^.*[\\/]/, '').replace(/[\0<>:"|?*]/g, '_');
  return name === '' || name === '.' || name === '..' ? 'download' : name;
}
