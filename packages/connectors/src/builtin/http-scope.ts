/**
 * Where the HTTP connector may send a connection's credentials: URLs under
 * the connection's base URL, or on one of the origins listed in its
 * `allowed_origins` parameter. Everything is compared on parsed URLs (WHATWG
 * parsing, as the request is sent): the same scheme, host and port (so
 * `https://api.example.com.evil.test`, `https://api.example.com@evil.test`,
 * another port or `http:` instead of `https:` do not pass), no user name or
 * password in the URL, and a path under the base path on a segment boundary
 * (`/v1` allows `/v1` and `/v1/x`, not `/v10` nor `/v1/../admin`, which the
 * parser already folds into `/admin`; encoded slashes are refused).
 */
import { PatchbayError } from '@patchbay/core';

/** The connection parameter with more origins the credentials may go to (comma- or space-separated). */
export const ALLOWED_ORIGINS_PARAMETER = 'allowed_origins';

export interface AuthScope {
  /** `https://api.example.com` and a path prefix without a trailing slash (`''` for any path). */
  bases: { origin: string; path: string }[];
  /** The base URL relative URLs resolve under (the connection's), if any. */
  relativeBase?: { origin: string; path: string };
  /** For messages: what the scope was built from. */
  describe: string;
}

function scopeError(message: string, hint: string): PatchbayError {
  return new PatchbayError('connection.denied', message, { place: { pointer: '/params/uri' }, hint });
}

function parseHttp(raw: string): URL | undefined {
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}

/** The scope of a connection: its base URL and its allowed origins. Bad entries are errors naming the parameter. */
export function authScopeOf(connection: { baseUrl?: string; params: Record<string, unknown> }): AuthScope {
  const bases: AuthScope['bases'] = [];
  const parts: string[] = [];
  let relativeBase: AuthScope['relativeBase'];
  if (connection.baseUrl) {
    const u = parseHttp(connection.baseUrl);
    if (!u || u.username || u.password)
      throw scopeError(
        `The connection's base URL "${connection.baseUrl}" is not an absolute http(s) URL without a user name.`,
        'Edit the connection and give a base URL such as https://api.example.com/v1.',
      );
    relativeBase = { origin: u.origin, path: u.pathname.replace(/\/+$/, '') };
    bases.push(relativeBase);
    parts.push(`its base URL ${u.origin}${u.pathname}`);
  }
  const listed = connection.params[ALLOWED_ORIGINS_PARAMETER];
  if (typeof listed === 'string' && listed.trim() !== '') {
    for (const entry of listed.split(/[\s,]+/).filter(Boolean)) {
      const u = parseHttp(entry);
      if (!u || u.username || u.password || u.pathname !== '/' || u.search || u.hash)
        throw scopeError(
          `"${entry}" in the connection's ${ALLOWED_ORIGINS_PARAMETER} is not an origin.`,
          'List origins only (scheme, host and port), such as https://api.example.com, https://files.example.com:8443.',
        );
      bases.push({ origin: u.origin, path: '' });
    }
    parts.push(`the origins in its ${ALLOWED_ORIGINS_PARAMETER}`);
  }
  return { bases, ...(relativeBase ? { relativeBase } : {}), describe: parts.join(' and ') };
}

/** Whether `url` (already parsed) is inside the scope. */
export function inAuthScope(scope: AuthScope, url: URL): boolean {
  if (url.username || url.password) return false;
  if (/%2f|%5c/i.test(url.pathname)) return false;
  return scope.bases.some(
    (b) =>
      url.origin === b.origin && (b.path === '' || url.pathname === b.path || url.pathname.startsWith(`${b.path}/`)),
  );
}

/**
 * The absolute URL a request goes to, checked against the scope: a relative
 * URL resolves under the base URL; an absolute one must lie inside the scope.
 * Refuses (before anything is sent) with a message saying where the
 * credentials may go.
 */
export function scopedUrl(scope: AuthScope, raw: string): URL {
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(raw);
  let url: URL | undefined;
  if (absolute) url = parseHttp(raw);
  else if (scope.relativeBase) {
    const base = scope.relativeBase;
    url = parseHttp(`${base.origin}${base.path}${raw.startsWith('/') ? '' : '/'}${raw}`);
  } else
    throw new PatchbayError(
      'connection.unresolved',
      `"${raw}" is a relative URL, but the connection has no base URL to resolve it against.`,
      {
        place: { pointer: '/params/uri' },
        hint: 'Give an absolute URL, or give the connection a base URL (--base-url).',
      },
    );
  if (!url)
    throw new PatchbayError('action.param', `"${raw}" is not an http(s) URL.`, {
      place: { pointer: '/params/uri' },
      hint: 'Give an http(s) URL such as https://api.example.com/items.',
    });
  if (!inAuthScope(scope, url)) {
    const where = scope.bases.length
      ? `only to ${scope.describe}`
      : 'nowhere: the connection has no base URL and no allowed origins';
    throw scopeError(
      `The HTTP connector does not send this connection's credentials to ${url.origin}${url.pathname}: they go ${where}.`,
      `Call a URL under ${scope.bases.map((b) => `${b.origin}${b.path}/`).join(' or ') || "the connection's base URL"}, or ask the connection's owner to set its base URL (--base-url) or list the origin in its ${ALLOWED_ORIGINS_PARAMETER} parameter.`,
    );
  }
  return url;
}
