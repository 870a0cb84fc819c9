/**
 * Applies a connection's auth scheme to a request: API key (header, query or
 * cookie), basic, bearer, OAuth2 (access token from the connection, refreshed
 * on demand) or none. Reports which header and query names carry secrets so
 * the request record can redact them.
 */
import { PatchbayError, type ResolvedConnection } from '@patchbay/core';
import type { AuthScheme, Connector, Operation } from '../model.js';
import type { SecretSet } from './secrets.js';

export interface AppliedAuth {
  headers: [string, string][];
  query: [string, string][];
  /** Lower-cased header names and query names whose values are secret. */
  secretHeaders: string[];
  secretQuery: string[];
}

const NO_AUTH: AppliedAuth = { headers: [], query: [], secretHeaders: [], secretQuery: [] };

/** The scheme a connection uses for an operation: the connection's own, else the first the operation accepts. */
export function schemeFor(
  connector: Connector,
  operation: Operation,
  connection: ResolvedConnection,
): AuthScheme | undefined {
  // `security: []` on the operation: it is sent without auth.
  if (operation.authSchemes && operation.authSchemes.length === 0) return undefined;
  if (connection.scheme) {
    const wanted = connection.scheme.toLowerCase();
    const found = connector.authSchemes.find((s) => s.name.toLowerCase() === wanted);
    if (!found) {
      throw new PatchbayError(
        'connection.unresolved',
        `Connection ${connection.connectionId} uses the auth scheme "${connection.scheme}", which connector ${connector.id} does not have.`,
        {
          hint: `Recreate the connection with one of: ${connector.authSchemes.map((s) => s.name).join(', ')}.`,
        },
      );
    }
    return found;
  }
  const accepted = operation.authSchemes;
  return (
    (accepted ? connector.authSchemes.find((s) => accepted.includes(s.name)) : undefined) ?? connector.authSchemes[0]
  );
}

// API key, basic and bearer auth depend only on the connection's parameters: worked out once per connection and scheme.
const staticAuth = new WeakMap<ResolvedConnection, Map<AuthScheme, AppliedAuth>>();

/**
 * The auth to apply: synchronous for API key, basic and bearer (cached per
 * connection), a promise only for OAuth2, whose token may need a refresh.
 */
export function applyAuth(
  scheme: AuthScheme | undefined,
  connection: ResolvedConnection,
  secrets: SecretSet,
  opts: { forceRefresh?: boolean } = {},
): AppliedAuth | Promise<AppliedAuth> {
  if (!scheme || scheme.type === 'none') return NO_AUTH;
  if (scheme.type === 'oauth2') return oauth2Auth(scheme, connection, secrets, opts);
  let byScheme = staticAuth.get(connection);
  let auth = byScheme?.get(scheme);
  if (!auth) {
    auth = staticAuthOf(scheme, connection, secrets);
    if (!byScheme) staticAuth.set(connection, (byScheme = new Map()));
    byScheme.set(scheme, auth);
  }
  return auth;
}

async function oauth2Auth(
  scheme: AuthScheme,
  connection: ResolvedConnection,
  secrets: SecretSet,
  opts: { forceRefresh?: boolean },
): Promise<AppliedAuth> {
  let token: string | undefined;
  if (connection.getAccessToken)
    token = await connection.getAccessToken(opts.forceRefresh ? { forceRefresh: true } : undefined);
  else if (typeof connection.params.access_token === 'string') token = connection.params.access_token;
  if (!token) {
    throw new PatchbayError(
      'connection.needs_reauth',
      `Connection ${connection.connectionId} has no OAuth access token.`,
      { hint: 'Sign in again to the connection.' },
    );
  }
  secrets.add(token);
  return bearerLike(`Bearer ${token}`);
}

function staticAuthOf(scheme: AuthScheme, connection: ResolvedConnection, secrets: SecretSet): AppliedAuth {
  switch (scheme.type) {
    case 'apiKey': {
      const out: AppliedAuth = { headers: [], query: [], secretHeaders: [], secretQuery: [] };
      const cookies: string[] = [];
      for (let placement of [
        scheme.apiKey ?? { in: 'header' as const, name: 'api_key', parameter: 'api_key' },
        ...(scheme.additionalApiKeys ?? []),
      ]) {
        const key = textParam(connection, placement.parameter, scheme);
        secrets.add(key);
        // A `{param}` name is chosen per connection (the built-in HTTP connector's header or query name).
        const named = /^\{(.+)\}$/.exec(placement.name);
        if (named) placement = { ...placement, name: textParam(connection, named[1], scheme) };
        if (placement.in === 'query') {
          out.query.push([placement.name, key]);
          out.secretQuery.push(placement.name);
        } else if (placement.in === 'cookie') cookies.push(`${placement.name}=${encodeURIComponent(key)}`);
        else {
          out.headers.push([placement.name, key]);
          out.secretHeaders.push(placement.name.toLowerCase());
        }
      }
      if (cookies.length) {
        out.headers.push(['cookie', cookies.join('; ')]);
        out.secretHeaders.push('cookie');
      }
      return out;
    }
    case 'basic': {
      const user = textParam(connection, 'username', scheme);
      const password = textParam(connection, 'password', scheme, true);
      const encoded = Buffer.from(`${user}:${password}`).toString('base64');
      secrets.add(password);
      secrets.add(encoded);
      return bearerLike(`Basic ${encoded}`);
    }
    case 'bearer': {
      const token = textParam(connection, connection.params.token !== undefined ? 'token' : 'access_token', scheme);
      secrets.add(token);
      return bearerLike(`Bearer ${token}`);
    }
    default:
      return NO_AUTH;
  }
}

function bearerLike(value: string): AppliedAuth {
  return { headers: [['authorization', value]], query: [], secretHeaders: ['authorization'], secretQuery: [] };
}

function textParam(connection: ResolvedConnection, name: string, scheme: AuthScheme, allowEmpty = false): string {
  const v = connection.params[name];
  if (typeof v === 'string' && (allowEmpty || v !== '')) return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const p = scheme.parameters.find((x) => x.name === name);
  throw new PatchbayError(
    'connection.needs_reauth',
    `Connection ${connection.connectionId} has no value for "${p?.displayName ?? name}" (${name}), which the ${scheme.displayName} sign-in needs.`,
    {
      hint: `Edit the connection and set ${name}.`,
    },
  );
}
