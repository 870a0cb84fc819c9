/**
 * OAuth2 with oauth4webapi: the authorization server and client a connection
 * uses (from its connector's auth scheme and its own parameters), the
 * authorization URL with PKCE (S256) and state, the code exchange, refresh and
 * client credentials. Provider errors become PatchbayErrors carrying the
 * provider's reason (`invalid_grant: …`), never a secret.
 *
 * oauth4webapi refuses plain http; Patchbay allows it (its documented
 * `allowInsecureRequests` option) only when every endpoint is on the loopback
 * interface, which is what tests and local development servers use.
 */
import * as oauth from 'oauth4webapi';
import { PatchbayError } from '@patchbay/core';
import type { AuthScheme, Connector, OAuth2Flow } from '@patchbay/connectors';
import type { Secrets } from '@patchbay/store';

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** ISO time; absent when the provider gives no expiry. */
  expiresAt?: string;
}

export interface OAuthSetup {
  flow: OAuth2Flow;
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  clientAuth: oauth.ClientAuth;
  scopes: string[];
  pkce: boolean;
  /** Extra parameters for the authorize and token requests (Azure AD v1 `resource`). */
  extra: Record<string, string>;
  options: oauth.TokenEndpointRequestOptions;
  /** How token responses are read: the provider's token types besides `bearer`. */
  process: oauth.ProcessTokenResponseOptions;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * The connection value a template placeholder names. Power Platform writes
 * `{CustomHost}` for the connection parameter `token:customHost`: the name
 * matches with or without the `token:` prefix, in any case.
 */
function valueFor(name: string, values: Record<string, unknown>): unknown {
  if (values[name] !== undefined) return values[name];
  const want = name.toLowerCase().replace(/^token:/, '');
  const key = Object.keys(values).find((k) => k.toLowerCase().replace(/^token:/, '') === want);
  return key === undefined ? undefined : values[key];
}

/** Fills `{name}` parts from the connection's parameters, then the scheme's templates. */
function fill(
  template: string,
  what: string,
  values: Record<string, unknown>,
  templates: Record<string, string>,
): string {
  return template.replace(/\{([^{}]+)\}/g, (_m, name: string) => {
    const v = valueFor(name, values) ?? templates[name];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number') return String(v);
    throw new PatchbayError('store.invalid', `The ${what} "${template}" needs the connection parameter "${name}".`, {
      hint: `Create the connection with --param ${name}=VALUE.`,
    });
  });
}

function url(text: string, what: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new PatchbayError('connector.invalid', `The OAuth ${what} "${text}" is not a URL.`, {
      hint: 'Fix the connector definition, or give the URL as a connection parameter.',
    });
  }
}

/** Patchbay uses OAuth for API access only: an ID token is not needed, and its issuer is often unknowable (Azure AD `common`), so it is dropped before oauth4webapi would check it. */
const withoutIdToken: (input: string, init: oauth.CustomFetchOptions<string, unknown>) => Promise<Response> = async (
  input,
  init,
) => {
  const res = await fetch(input, init as RequestInit);
  if (!(res.headers.get('content-type') ?? '').includes('json')) return res;
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, { status: res.status, headers: res.headers });
  }
  let status = res.status;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    delete b.id_token;
    // Slack answers 200 with {"ok": false, "error": "invalid_code"} when it refuses: an OAuth error response.
    if (b.ok === false && typeof b.error === 'string' && b.access_token === undefined) {
      status = 400;
      body = { error: b.error, ...(typeof b.warning === 'string' ? { error_description: b.warning } : {}) };
    }
    // Slack's user-token-only answer puts the token under `authed_user`.
    const user = b.authed_user as Record<string, unknown> | undefined;
    if (b.access_token === undefined && user && typeof user === 'object' && typeof user.access_token === 'string') {
      for (const k of ['access_token', 'token_type', 'refresh_token', 'expires_in', 'scope'])
        if (user[k] !== undefined) b[k] = user[k];
    }
  }
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
};

/** Providers known to answer with `token_type` values other than `bearer`, by token URL host. */
const KNOWN_TOKEN_TYPES: Record<string, string[]> = { 'slack.com': ['bot', 'user'] };

/** The token types besides `bearer` accepted from this provider; every other type is refused (RFC 6749 §7.1). */
function recognizedTokenTypes(declared: string[] | undefined, tokenUrl: URL): oauth.RecognizedTokenTypes {
  const types = declared ?? KNOWN_TOKEN_TYPES[tokenUrl.hostname.replace(/^www\./, '')] ?? [];
  const out: oauth.RecognizedTokenTypes = {};
  for (const t of types) out[t.toLowerCase() as Lowercase<string>] = () => undefined;
  return out;
}

export function oauthSetup(
  connector: Connector,
  scheme: AuthScheme,
  params: Record<string, unknown>,
  secrets: Secrets,
): OAuthSetup {
  const o = scheme.oauth2;
  if (!o)
    throw new PatchbayError(
      'connector.invalid',
      `Auth scheme "${scheme.name}" of connector ${connector.id} is not OAuth2.`,
    );
  const values = { ...params, ...pick(secrets) };
  const templates = o.templates ?? {};
  const authorize = params.authorizationUrl ?? o.authorizationUrl;
  const token = params.tokenUrl ?? o.tokenUrl;
  if (typeof token !== 'string' || token === '') {
    throw new PatchbayError(
      'connector.invalid',
      `Connector ${connector.id} names no OAuth token URL for "${scheme.name}".`,
      { hint: 'Give it as the connection parameter tokenUrl.' },
    );
  }
  const tokenUrl = url(fill(token, 'token URL', values, templates), 'token URL');
  const authorizeUrl =
    typeof authorize === 'string' && authorize !== ''
      ? url(fill(authorize, 'authorization URL', values, templates), 'authorization URL')
      : undefined;
  const all = [tokenUrl, ...(authorizeUrl ? [authorizeUrl] : [])];
  const insecure = all.some((u) => u.protocol === 'http:');
  if (insecure && !all.every((u) => LOOPBACK.has(u.hostname))) {
    throw new PatchbayError(
      'connector.invalid',
      `OAuth endpoints must use https (${all.find((u) => u.protocol === 'http:')?.origin} does not).`,
      { hint: 'Plain http is allowed only on 127.0.0.1 and localhost.' },
    );
  }
  const clientId = typeof params.client_id === 'string' && params.client_id !== '' ? params.client_id : o.clientId;
  if (!clientId)
    throw new PatchbayError('store.invalid', `The connection needs a client id for ${connector.displayName}.`, {
      hint: 'Create the connection with --param client_id=ID (the application registered with the service).',
    });
  const as: oauth.AuthorizationServer = {
    issuer: tokenUrl.origin,
    token_endpoint: tokenUrl.href,
    ...(authorizeUrl ? { authorization_endpoint: authorizeUrl.href } : {}),
  };
  const clientSecret = secrets.client_secret;
  const clientAuth = clientSecret ? oauth.ClientSecretPost(clientSecret) : oauth.None();
  const extra: Record<string, string> = {};
  if (o.resourceUri && /\/oauth2\/(authorize|token)$/.test(tokenUrl.pathname)) extra.resource = o.resourceUri;
  const scopes = [...o.scopes];
  if (o.identityProvider === 'aad' && o.resourceUri && !extra.resource && scopes.length === 0)
    scopes.push(`${o.resourceUri.replace(/\/+$/, '')}/.default`, 'offline_access');
  const options: oauth.TokenEndpointRequestOptions = {
    [oauth.customFetch]: withoutIdToken,
    ...(insecure ? { [oauth.allowInsecureRequests]: true } : {}),
  };
  const flow =
    o.grantTypes.includes('authorizationCode') && o.flow !== 'clientCredentials' ? 'authorizationCode' : o.flow;
  const process = { recognizedTokenTypes: recognizedTokenTypes(o.tokenTypes, tokenUrl) };
  return {
    flow,
    as,
    client: { client_id: clientId },
    clientAuth,
    scopes,
    pkce: o.pkce !== false,
    extra,
    options,
    process,
  };
}

function pick(secrets: Secrets): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(secrets))
    if (!k.startsWith('oauth_') && k !== 'access_token' && k !== 'refresh_token') out[k] = v;
  return out;
}

/** The provider's sign-in page URL for the authorization code flow. */
export async function authorizationUrl(
  setup: OAuthSetup,
  input: { redirectUri: string; state: string; codeVerifier: string },
): Promise<string> {
  if (!setup.as.authorization_endpoint)
    throw new PatchbayError('connector.invalid', 'The connector names no OAuth authorization URL.', {
      hint: 'Give it as the connection parameter authorizationUrl.',
    });
  const u = new URL(setup.as.authorization_endpoint);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('client_id', setup.client.client_id);
  u.searchParams.set('redirect_uri', input.redirectUri);
  u.searchParams.set('state', input.state);
  if (setup.scopes.length) u.searchParams.set('scope', setup.scopes.join(' '));
  if (setup.pkce) {
    u.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(input.codeVerifier));
    u.searchParams.set('code_challenge_method', 'S256');
  }
  for (const [k, v] of Object.entries(setup.extra)) u.searchParams.set(k, v);
  return u.href;
}

export const newCodeVerifier = oauth.generateRandomCodeVerifier;
export const newState = oauth.generateRandomState;

function tokens(r: oauth.TokenEndpointResponse, now: Date): TokenSet {
  const t: TokenSet = { accessToken: r.access_token };
  if (r.refresh_token) t.refreshToken = r.refresh_token;
  if (typeof r.expires_in === 'number') t.expiresAt = new Date(now.getTime() + r.expires_in * 1000).toISOString();
  return t;
}

/** Exchanges the code from the redirect (the state is checked by the caller and again here). */
export async function exchangeCode(
  setup: OAuthSetup,
  input: { callback: URLSearchParams; state: string; redirectUri: string; codeVerifier: string; now: Date },
): Promise<TokenSet> {
  return provider(async () => {
    const params = oauth.validateAuthResponse(setup.as, setup.client, input.callback, input.state);
    const extra = new URLSearchParams(setup.extra);
    const res = await oauth.authorizationCodeGrantRequest(
      setup.as,
      setup.client,
      setup.clientAuth,
      params,
      input.redirectUri,
      setup.pkce ? input.codeVerifier : oauth.nopkce,
      { ...setup.options, additionalParameters: extra },
    );
    return tokens(await oauth.processAuthorizationCodeResponse(setup.as, setup.client, res, setup.process), input.now);
  });
}

export async function refreshTokens(setup: OAuthSetup, refreshToken: string, now: Date): Promise<TokenSet> {
  return provider(async () => {
    const res = await oauth.refreshTokenGrantRequest(setup.as, setup.client, setup.clientAuth, refreshToken, {
      ...setup.options,
      additionalParameters: new URLSearchParams(setup.extra),
    });
    return tokens(await oauth.processRefreshTokenResponse(setup.as, setup.client, res, setup.process), now);
  });
}

export async function clientCredentials(setup: OAuthSetup, now: Date): Promise<TokenSet> {
  return provider(async () => {
    const params = new URLSearchParams(setup.extra);
    if (setup.scopes.length) params.set('scope', setup.scopes.join(' '));
    const res = await oauth.clientCredentialsGrantRequest(
      setup.as,
      setup.client,
      setup.clientAuth,
      params,
      setup.options,
    );
    return tokens(await oauth.processClientCredentialsResponse(setup.as, setup.client, res, setup.process), now);
  });
}

/**
 * What the provider said when it refused (`invalid_grant: Token revoked`),
 * as `connection.needs_reauth`; an unreachable provider is a retryable
 * `connector.http` that leaves the connection as it is.
 */
async function provider<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof oauth.ResponseBodyError || e instanceof oauth.AuthorizationResponseError) {
      const reason = `${e.error}${e.error_description ? `: ${e.error_description}` : ''}`;
      throw new PatchbayError('connection.needs_reauth', `The sign-in provider refused: ${reason}.`, {
        hint: 'Sign in to the connection again (patchbay connection reconnect ID).',
        status: e instanceof oauth.ResponseBodyError ? e.status : undefined,
      });
    }
    if (e instanceof PatchbayError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof oauth.OperationProcessingError) {
      throw new PatchbayError(
        'connection.needs_reauth',
        `The sign-in provider answered in a way Patchbay cannot use: ${message}.`,
        { hint: "Check the connector's OAuth URLs, then sign in again." },
      );
    }
    throw new PatchbayError('connector.http', `The sign-in provider could not be reached: ${message}.`, {
      retryable: true,
      hint: 'Check the network and the token URL, then try again.',
    });
  }
}
