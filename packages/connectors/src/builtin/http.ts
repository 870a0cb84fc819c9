/**
 * The built-in HTTP connector: call any URL with no auth, basic, an API key
 * (header or query, name chosen per connection), a bearer token or OAuth2
 * (authorization code, endpoints given by the connection). A connection with
 * credentials is sent only to URLs under its base URL or on the origins in
 * its `allowed_origins` parameter (`http-scope.ts`); any other URL is refused
 * before anything is sent.
 */
import { PatchbayError, isValueObject, type Value } from '@patchbay/core';
import type { AuthScheme, Connector } from '../model.js';
import { NO_AUTH, codeOperation, defineConnector, prop } from './define.js';
import { ALLOWED_ORIGINS_PARAMETER, authScopeOf, inAuthScope, scopedUrl } from './http-scope.js';

const secret = (name: string, displayName: string) => ({
  name,
  type: 'securestring' as const,
  displayName,
  required: true,
  secret: true,
});
const plain = (name: string, displayName: string, required = true, def?: string) => ({
  name,
  type: 'string' as const,
  displayName,
  required,
  secret: false,
  ...(def === undefined ? {} : { default: def }),
});

const allowedOrigins = {
  ...plain(ALLOWED_ORIGINS_PARAMETER, 'More origins the credentials may go to', false),
  description:
    "Besides the connection's base URL: origins (scheme, host and port) separated by commas, e.g. https://files.example.com.",
};

const withCredentials: AuthScheme[] = [
  {
    name: 'basic',
    displayName: 'Basic (user name and password)',
    type: 'basic',
    parameters: [plain('username', 'User name'), secret('password', 'Password')],
  },
  {
    name: 'apiKeyHeader',
    displayName: 'API key in a header',
    type: 'apiKey',
    apiKey: { in: 'header', name: '{key_name}', parameter: 'api_key' },
    parameters: [plain('key_name', 'Header name', true, 'X-API-Key'), secret('api_key', 'API key')],
  },
  {
    name: 'apiKeyQuery',
    displayName: 'API key in the query',
    type: 'apiKey',
    apiKey: { in: 'query', name: '{key_name}', parameter: 'api_key' },
    parameters: [plain('key_name', 'Query parameter name', true, 'api_key'), secret('api_key', 'API key')],
  },
  { name: 'bearer', displayName: 'Bearer token', type: 'bearer', parameters: [secret('token', 'Token')] },
  {
    name: 'oauth2',
    displayName: 'OAuth 2.0',
    type: 'oauth2',
    oauth2: {
      identityProvider: 'oauth2generic',
      flow: 'authorizationCode',
      grantTypes: ['authorizationCode', 'clientCredentials'],
      authorizationUrl: '{authorization_url}',
      tokenUrl: '{token_url}',
      scopes: [],
      pkce: true,
    },
    parameters: [
      plain('authorization_url', 'Authorization URL'),
      plain('token_url', 'Token URL'),
      plain('scope', 'Scopes', false),
      plain('client_id', 'Client ID'),
      secret('client_secret', 'Client secret'),
    ],
  },
];

const schemes: AuthScheme[] = [
  NO_AUTH,
  ...withCredentials.map((s) => ({ ...s, parameters: [...s.parameters, allowedOrigins] })),
];

const sendRequest = codeOperation({
  id: 'SendRequest',
  summary: 'Send an HTTP request',
  description: "Sends a request to any URL with the connection's authentication and returns the response.",
  visibility: 'important',
  props: {
    method: prop.text({
      displayName: 'Method',
      required: true,
      default: 'GET',
      enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
    }),
    uri: prop.text({
      displayName: 'URL',
      required: true,
      description:
        "Absolute URL, or a path relative to the connection's base URL. With credentials, only URLs under the connection's base URL (or its allowed origins).",
    }),
    headers: prop.object({ displayName: 'Headers', visibility: 'advanced' }),
    queries: prop.object({ displayName: 'Query parameters', visibility: 'advanced' }),
    body: prop.any({ displayName: 'Body', description: 'Text, binary data, or a custom object or list sent as JSON.' }),
  },
  outputs: {},
  async run({ params, call, connection, connector }) {
    const wanted = connection.scheme?.toLowerCase();
    const scheme = wanted
      ? connector.authSchemes.find((s) => s.name.toLowerCase() === wanted)
      : connector.authSchemes[0];
    let url = params.uri;
    let authScope: ((u: URL) => boolean) | undefined;
    if (!scheme || scheme.type !== 'none') {
      const scope = authScopeOf(connection);
      url = scopedUrl(scope, params.uri).href;
      authScope = (u) => inAuthScope(scope, u);
    }
    const res = await call({
      method: params.method,
      url,
      ...(authScope ? { authScope } : {}),
      headers: texts(params.headers, 'headers'),
      query: texts(params.queries, 'queries'),
      body: params.body,
      followRedirects: true,
    });
    return res;
  },
});

function texts(v: Value | undefined, name: string): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isValueObject(v))
    throw new PatchbayError('action.param', `"${name}" must be a custom object of names and values.`, {
      place: { pointer: `/params/${name}` },
      hint: 'Give {"Name": "value", …}.',
    });
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v))
    out[k] = typeof x === 'string' ? x : x instanceof Date ? x.toISOString() : JSON.stringify(x);
  return out;
}

export function httpConnector(): Connector {
  return defineConnector({
    id: 'http',
    displayName: 'HTTP',
    description: 'Call any HTTP API.',
    brandColor: '#709727',
    baseUrl: '',
    authSchemes: schemes,
    operations: [sendRequest],
  });
}
