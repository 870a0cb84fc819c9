/**
 * The designer's only door to the server: JSON over fetch with the session
 * cookie, the CSRF header on every mutating request, and errors turned into
 * `ApiError` with the server's code, message and hint.
 */
let csrfToken = '';

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly hint?: string;
  readonly pointer?: string;
  readonly stepPath?: string;
  readonly details: unknown;

  constructor(status: number, body: unknown) {
    const err = (
      typeof body === 'object' && body !== null && 'error' in body
        ? (body as { error: Record<string, unknown> }).error
        : {}
    ) as Record<string, unknown>;
    super(typeof err.message === 'string' ? err.message : `The server answered ${status}.`);
    this.name = 'ApiError';
    this.status = status;
    this.code = typeof err.code === 'string' ? err.code : 'internal';
    this.hint = typeof err.hint === 'string' ? err.hint : undefined;
    this.pointer = typeof err.pointer === 'string' ? err.pointer : undefined;
    this.stepPath = typeof err.stepPath === 'string' ? err.stepPath : undefined;
    this.details = body;
  }
}

/** A message for people: the server's message and its hint. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.hint ? `${e.message} ${e.hint}` : e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function send(
  method: Method,
  path: string,
  body?: BodyInit,
  headers: Record<string, string> = {},
): Promise<Response> {
  const h: Record<string, string> = { ...headers };
  if (method !== 'GET' && csrfToken) h['x-csrf-token'] = csrfToken;
  const res = await fetch(path, { method, body, headers: h, credentials: 'same-origin' });
  if (!res.ok) {
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { error: { message: text || `The server answered ${res.status}.` } };
    }
    throw new ApiError(res.status, parsed);
  }
  return res;
}

export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const res = await send(
    method,
    path,
    body === undefined ? undefined : JSON.stringify(body),
    body === undefined ? {} : { 'content-type': 'application/json' },
  );
  const text = await res.text();
  return (text ? JSON.parse(text) : {}) as T;
}

/** Uploads raw bytes or a form (solutions). */
export async function upload<T>(path: string, body: Blob | FormData, contentType?: string): Promise<T> {
  const res = await send('POST', path, body, contentType ? { 'content-type': contentType } : {});
  return (await res.json()) as T;
}

/** Downloads a file the server builds (solution zips) and saves it under `fileName`. */
export async function download(path: string, fileName: string): Promise<void> {
  const res = await send('GET', path);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const enc = encodeURIComponent;
