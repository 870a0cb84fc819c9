/**
 * `Host.http` over undici: one keep-alive pool for the process, redirects
 * followed (up to 10, unless the request says `followRedirects: false`), an overall timeout, cancellation through the run's
 * abort signal, and errors that never echo a URL's query or credentials.
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Dispatcher } from 'undici';
import { PatchbayError, type HostHttpRequest, type HostHttpResponse } from '@patchbay/core';
import { cancelledError } from './clock.js';
import { fsError } from './fs-errors.js';

const DEFAULT_TIMEOUT_MS = 100_000;

// undici loads on the first request, so flows that never call the web start fast.
let shared: Promise<{ agent: Dispatcher; direct: Dispatcher; request: typeof import('undici').request }> | undefined;
function client() {
  shared ??= import('undici').then(({ Agent, interceptors, request }) => {
    const direct = new Agent({ keepAliveTimeout: 10_000 });
    return { agent: direct.compose(interceptors.redirect({ maxRedirections: 10 })), direct, request };
  });
  return shared;
}

/** The URL as it may appear in messages: no user name, password, query or fragment. */
export function safeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** A URL that did not parse, as it may appear in messages: without its query, fragment or `user:password@`, and short. */
export function shownInvalidUrl(raw: string): string {
  const shown = raw.replace(/[?#].*$/s, '').replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/]*@/i, '$1');
  return shown.length > 80 ? `${shown.slice(0, 80)}…` : shown;
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PatchbayError('action.param', `"${shownInvalidUrl(raw)}" is not a valid URL.`, {
      hint: 'Give an absolute URL such as https://example.com/api.',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PatchbayError('action.param', `The URL scheme ${url.protocol} is not supported.`, {
      hint: 'Use an http:// or https:// URL.',
    });
  }
  return url;
}

const NET_REASONS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name could not be resolved',
  EAI_AGAIN: 'the host name could not be resolved (temporary failure)',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  UND_ERR_SOCKET: 'the connection was closed unexpectedly',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate could not be verified',
};

function errorCode(e: unknown): string {
  let cur: unknown = e;
  for (let i = 0; i < 4 && typeof cur === 'object' && cur !== null; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_ABORTED') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return '';
}

export async function httpRequest(req: HostHttpRequest & { saveTo?: string }): Promise<HostHttpResponse> {
  const url = parseUrl(req.url);
  if (req.signal?.aborted) throw cancelledError();
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const method = req.method.toUpperCase();
  try {
    const { agent, direct, request } = await client();
    const res = await request(url, {
      method: method as Dispatcher.HttpMethod,
      headers: req.headers,
      body:
        req.body === undefined || req.body === ''
          ? undefined
          : typeof req.body === 'string'
            ? req.body
            : Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength),
      signal,
      dispatcher: req.followRedirects === false ? direct : agent,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    if (req.saveTo !== undefined) {
      try {
        await pipeline(res.body, createWriteStream(req.saveTo));
      } catch (e) {
        if (signal.aborted) throw e;
        throw fsError(e, req.saveTo);
      }
      return { status: res.statusCode, headers, body: new Uint8Array() };
    }
    const body = new Uint8Array(await res.body.arrayBuffer());
    return { status: res.statusCode, headers, body };
  } catch (e) {
    if (req.signal?.aborted) throw cancelledError();
    if (timeout.aborted) {
      throw new PatchbayError('action.failed', `${method} ${safeUrl(url)} timed out after ${timeoutMs / 1000} s.`, {
        retryable: true,
        hint: 'Raise the timeout, or check that the service is responding.',
      });
    }
    if (e instanceof PatchbayError) throw e;
    const code = errorCode(e);
    if (code === 'UND_ERR_REQ_RETRY' || /redirect/i.test((e as Error).message ?? '')) {
      throw new PatchbayError('action.failed', `${method} ${safeUrl(url)} was redirected too many times.`, {
        hint: 'Check the URL; the service redirects in a loop.',
      });
    }
    if (code === 'UND_ERR_INVALID_ARG') {
      throw new PatchbayError(
        'action.param',
        `The request to ${safeUrl(url)} is invalid: ${(e as Error).message.replace(/\.$/, '')}.`,
        { hint: 'Check the header names and values.' },
      );
    }
    const reason = NET_REASONS[code] ?? (e instanceof Error ? e.message : String(e));
    throw new PatchbayError('action.failed', `${method} ${safeUrl(url)} failed: ${reason}.`, {
      retryable: true,
      hint: 'Check the URL and that the service is running and reachable.',
      cause: e,
    });
  }
}
