/**
 * Auth extraction for plain OpenAPI files: every security scheme
 * (`securityDefinitions` in Swagger 2.0, `components.securitySchemes` in
 * OpenAPI 3) becomes one auth scheme named after its key, with Power
 * Platform's parameter names (DESIGN.md §3): `api_key`, `username` and
 * `password`, `token`, `client_id` and `client_secret`.
 */
import type { AuthScheme, ConnectionParameter, OAuth2Flow, OAuth2Settings } from '../model.js';
import { isObject, obj, str, type Warnings } from './util.js';
import type { RefResolver } from './refs.js';

const API_KEY: ConnectionParameter = {
  name: 'api_key',
  type: 'securestring',
  displayName: 'API key',
  required: true,
  secret: true,
};
const USERNAME: ConnectionParameter = {
  name: 'username',
  type: 'string',
  displayName: 'Username',
  required: true,
  secret: false,
};
const PASSWORD: ConnectionParameter = {
  name: 'password',
  type: 'securestring',
  displayName: 'Password',
  required: true,
  secret: true,
};
const TOKEN: ConnectionParameter = {
  name: 'token',
  type: 'securestring',
  displayName: 'Bearer token',
  required: true,
  secret: true,
};
const CLIENT_ID: ConnectionParameter = {
  name: 'client_id',
  type: 'string',
  displayName: 'Client ID',
  required: true,
  secret: false,
};
const CLIENT_SECRET: ConnectionParameter = {
  name: 'client_secret',
  type: 'securestring',
  displayName: 'Client secret',
  required: false,
  secret: true,
};

const SWAGGER_FLOWS: Record<string, OAuth2Flow> = {
  accessCode: 'authorizationCode',
  application: 'clientCredentials',
  implicit: 'implicit',
  password: 'password',
};
const OAS3_FLOWS: Record<string, OAuth2Flow> = {
  authorizationCode: 'authorizationCode',
  clientCredentials: 'clientCredentials',
  implicit: 'implicit',
  password: 'password',
};
const FLOW_PREFERENCE: OAuth2Flow[] = ['authorizationCode', 'clientCredentials', 'password', 'implicit'];

function copy(p: ConnectionParameter, description?: string): ConnectionParameter {
  return description ? { ...p, description } : { ...p };
}

function oauth2Scheme(
  name: string,
  def: Record<string, unknown>,
  description: string | undefined,
  warnings: Warnings,
): AuthScheme {
  const flows = new Map<OAuth2Flow, Record<string, unknown>>();
  if (isObject(def.flows)) {
    for (const [k, v] of Object.entries(def.flows)) {
      const f = Object.hasOwn(OAS3_FLOWS, k) ? OAS3_FLOWS[k] : undefined;
      if (f && isObject(v)) flows.set(f, v);
      else warnings.add(`Security scheme "${name}" has an unknown OAuth2 flow "${k}"; it was skipped.`);
    }
  } else {
    const flowName = str(def.flow) ?? 'accessCode';
    flows.set(Object.hasOwn(SWAGGER_FLOWS, flowName) ? SWAGGER_FLOWS[flowName] : 'authorizationCode', def);
  }
  const grantTypes = FLOW_PREFERENCE.filter((f) => flows.has(f));
  const flow = grantTypes[0] ?? 'authorizationCode';
  const main = flows.get(flow) ?? {};
  const scopes = new Set<string>();
  for (const f of flows.values()) for (const s of Object.keys(obj(f.scopes))) scopes.add(s);
  const o: OAuth2Settings = {
    identityProvider: 'oauth2',
    flow,
    grantTypes: grantTypes.length ? grantTypes : [flow],
    scopes: [...scopes],
    pkce: flow === 'authorizationCode',
  };
  const authorizationUrl = str(main.authorizationUrl);
  const tokenUrl = str(main.tokenUrl);
  const refreshUrl = str(main.refreshUrl);
  if (authorizationUrl) o.authorizationUrl = authorizationUrl;
  if (tokenUrl) o.tokenUrl = tokenUrl;
  if (refreshUrl) o.refreshUrl = refreshUrl;
  if (!tokenUrl) warnings.add(`Security scheme "${name}" names no token URL; a connection must supply it.`);
  return {
    name,
    displayName: description ?? 'OAuth 2.0',
    type: 'oauth2',
    oauth2: o,
    parameters: [copy(CLIENT_ID), copy(CLIENT_SECRET)],
  };
}

function oneScheme(name: string, raw: unknown, refs: RefResolver, warnings: Warnings): AuthScheme | undefined {
  const def = obj(refs.deref(raw));
  const type = str(def.type);
  const description = str(def.description);
  const label = (fallback: string) => (description && description.length <= 80 ? description : fallback);
  if (type === 'apiKey') {
    const where = str(def.in);
    const placeIn = where === 'query' || where === 'cookie' ? where : 'header';
    if (where !== placeIn)
      warnings.add(`Security scheme "${name}" puts its API key in "${String(def.in)}"; Patchbay sends it as a header.`);
    return {
      name,
      displayName: label('API key'),
      type: 'apiKey',
      apiKey: { in: placeIn, name: str(def.name) ?? 'Authorization', parameter: 'api_key' },
      parameters: [copy(API_KEY, description)],
    };
  }
  if (type === 'basic' || (type === 'http' && str(def.scheme)?.toLowerCase() === 'basic')) {
    return {
      name,
      displayName: label('Basic authentication'),
      type: 'basic',
      parameters: [copy(USERNAME), copy(PASSWORD)],
    };
  }
  if (type === 'http' && str(def.scheme)?.toLowerCase() === 'bearer') {
    return { name, displayName: label('Bearer token'), type: 'bearer', parameters: [copy(TOKEN, description)] };
  }
  if (type === 'oauth2')
    return oauth2Scheme(name, def, description && description.length <= 80 ? description : undefined, warnings);
  if (type === 'openIdConnect') {
    const url = str(def.openIdConnectUrl);
    const o: OAuth2Settings = {
      identityProvider: 'openIdConnect',
      flow: 'authorizationCode',
      grantTypes: ['authorizationCode'],
      scopes: ['openid'],
      pkce: true,
    };
    if (url) o.templates = { openIdConnectUrl: url };
    return {
      name,
      displayName: label('OpenID Connect'),
      type: 'oauth2',
      oauth2: o,
      parameters: [copy(CLIENT_ID), copy(CLIENT_SECRET)],
    };
  }
  warnings.add(
    `Security scheme "${name}" of type "${type ?? 'missing'}${def.scheme ? ` ${String(def.scheme)}` : ''}" is not supported; it was skipped.`,
  );
  return undefined;
}

/** Every security scheme of an OpenAPI file, or one `none` scheme when it declares none. */
export function extractOpenApiAuth(doc: Record<string, unknown>, refs: RefResolver, warnings: Warnings): AuthScheme[] {
  const defs = isObject(doc.components) ? obj(doc.components.securitySchemes) : obj(doc.securityDefinitions);
  const schemes: AuthScheme[] = [];
  for (const [name, def] of Object.entries(defs)) {
    const s = oneScheme(name, def, refs, warnings);
    if (s) schemes.push(s);
  }
  if (schemes.length === 0)
    schemes.push({ name: 'none', displayName: 'No authentication', type: 'none', parameters: [] });
  return schemes;
}

/**
 * The auth schemes an operation accepts, from its `security` (or the file's):
 * undefined when every scheme applies, `[]` when the operation is sent
 * without auth.
 */
export function operationSecurity(
  opSecurity: unknown,
  rootSecurity: unknown,
  known: ReadonlySet<string>,
): string[] | undefined {
  const req = Array.isArray(opSecurity) ? opSecurity : Array.isArray(rootSecurity) ? rootSecurity : undefined;
  if (req === undefined) return undefined;
  if (req.length === 0) return [];
  const names = new Set<string>();
  let anonymous = false;
  for (const r of req) {
    if (!isObject(r)) continue;
    const keys = Object.keys(r);
    if (keys.length === 0) anonymous = true;
    for (const k of keys) if (known.has(k)) names.add(k);
  }
  if (anonymous || names.size === known.size) return undefined;
  return [...names];
}
