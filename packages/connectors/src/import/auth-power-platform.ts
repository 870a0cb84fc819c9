/**
 * Auth extraction for Power Platform folders: `apiProperties.json`
 * (`connectionParameters`, `connectionParameterSets`, `oAuthSettings`) read
 * together with the definition's `securityDefinitions`. Each parameter set
 * becomes one auth scheme; without sets, the connection parameters form one
 * scheme named `default`. Parameter names stay as written (DESIGN.md §3).
 */
import type {
  AuthScheme,
  AuthType,
  ConnectionParameter,
  ConnectionParameterType,
  OAuth2Flow,
  OAuth2Settings,
} from '../model.js';
import { isObject, list, obj, str, strings, truthy, type Warnings } from './util.js';

const PARAM_TYPES = new Set<ConnectionParameterType>([
  'string',
  'securestring',
  'int',
  'bool',
  'oauthSetting',
  'clientCertificate',
]);
const SECRET_TYPES = new Set<ConnectionParameterType>(['securestring', 'oauthSetting', 'clientCertificate']);
/** String parameters whose names say they hold a secret are treated as secrets too: hiding one too many beats leaking one. */
const SECRET_NAME = /(password|secret|api_?key|subscription_?key|signature_?key|private_?key|access_?token)/i;

/** Authorization and token endpoints of Power Platform's named identity providers. */
const KNOWN_PROVIDERS: Record<string, { authorizationUrl: string; tokenUrl: string }> = {
  github: {
    authorizationUrl: 'https://github.com/login/oauth/authorize',
    tokenUrl: 'https://github.com/login/oauth/access_token',
  },
  google: {
    authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
  },
  facebook: {
    authorizationUrl: 'https://www.facebook.com/dialog/oauth',
    tokenUrl: 'https://graph.facebook.com/oauth/access_token',
  },
  dropbox: {
    authorizationUrl: 'https://www.dropbox.com/oauth2/authorize',
    tokenUrl: 'https://api.dropboxapi.com/oauth2/token',
  },
  slack: {
    authorizationUrl: 'https://slack.com/oauth/v2/authorize',
    tokenUrl: 'https://slack.com/api/oauth.v2.access',
  },
  microsoftaccount: {
    authorizationUrl: 'https://login.live.com/oauth20_authorize.srf',
    tokenUrl: 'https://login.live.com/oauth20_token.srf',
  },
  instagram: {
    authorizationUrl: 'https://api.instagram.com/oauth/authorize',
    tokenUrl: 'https://api.instagram.com/oauth/access_token',
  },
  yahoo: {
    authorizationUrl: 'https://api.login.yahoo.com/oauth2/request_auth',
    tokenUrl: 'https://api.login.yahoo.com/oauth2/get_token',
  },
};

const SWAGGER_FLOWS: Record<string, OAuth2Flow> = {
  accessCode: 'authorizationCode',
  application: 'clientCredentials',
  implicit: 'implicit',
  password: 'password',
};

const TYPE_NAMES: Record<AuthType, string> = {
  none: 'No authentication',
  apiKey: 'API key',
  basic: 'Basic authentication',
  bearer: 'Bearer token',
  oauth2: 'OAuth 2.0',
};

/** One connection parameter from its apiProperties definition. */
export function connectionParameter(name: string, def: unknown, warnings: Warnings): ConnectionParameter {
  const d = obj(def);
  const ui = obj(d.uiDefinition);
  const constraints = obj(ui.constraints);
  let type = (str(d.type) ?? (isObject(d.oAuthSettings) ? 'oauthSetting' : 'string')) as ConnectionParameterType;
  if (!PARAM_TYPES.has(type)) {
    warnings.add(`Connection parameter "${name}" has type "${String(d.type)}", read as a string.`);
    type = 'string';
  }
  const p: ConnectionParameter = {
    name,
    type,
    displayName: str(ui.displayName) ?? str(ui.displayname) ?? name,
    required: truthy(constraints.required),
    secret: SECRET_TYPES.has(type) || SECRET_NAME.test(name),
  };
  const description = str(ui.description) ?? str(obj(ui.schema).description);
  if (description) p.description = description;
  const tooltip = str(ui.tooltip);
  if (tooltip) p.tooltip = tooltip;
  const allowed = list(constraints.allowedValues ?? d.allowedValues)
    .map((v) =>
      isObject(v)
        ? { value: str(v.value) ?? '', title: str(v.text) ?? str(v.title) ?? str(v.value) ?? '' }
        : { value: String(v), title: String(v) },
    )
    .filter((v) => v.value !== '');
  if (allowed.length > 0) p.allowedValues = allowed;
  const dflt = d.defaultValue ?? ui.defaultValue;
  if (typeof dflt === 'string' || typeof dflt === 'number' || typeof dflt === 'boolean') p.default = dflt;
  if (truthy(constraints.hidden)) p.hidden = true;
  return p;
}

function isPlaceholder(v: string | undefined): boolean {
  return v === undefined || /[<>[\]{}]|client ?id/i.test(v);
}

function customParameters(settings: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(settings.customParameters))) {
    const value = isObject(v) ? str(v.value) : str(v);
    if (value !== undefined) out[k] = value;
  }
  return out;
}

function splitScopes(v: unknown): string[] {
  return strings(v)
    .flatMap((s) => s.split(/[\s,]+/))
    .filter((s) => s !== '');
}

/** OAuth2 settings from an `oAuthSettings` block, falling back to the definition's oauth2 security definition for URLs. */
function oauthFromSettings(
  settings: Record<string, unknown>,
  swaggerDef: Record<string, unknown> | undefined,
  warnings: Warnings,
): OAuth2Settings {
  const provider = (str(settings.identityProvider) ?? 'oauth2').toLowerCase();
  const custom = customParameters(settings);
  const o: OAuth2Settings = {
    identityProvider: provider,
    flow: 'authorizationCode',
    grantTypes: ['authorizationCode'],
    scopes: splitScopes(settings.scopes),
  };
  if (provider === 'aad' || provider === 'aadcertificate') {
    const loginUri = (custom.loginUri ?? 'https://login.microsoftonline.com').replace(/\/+$/, '');
    o.loginUri = loginUri;
    o.tenantId = custom.tenantId ?? 'common';
    o.authorizationUrl = `${loginUri}/${o.tenantId}/oauth2/authorize`;
    o.tokenUrl = `${loginUri}/${o.tenantId}/oauth2/token`;
    const resource = custom.resourceUri ?? str(obj(settings.properties).AzureActiveDirectoryResourceId);
    if (resource) o.resourceUri = resource;
  } else if (provider === 'oauth2generic') {
    o.authorizationUrl = custom.authorizationUrlTemplate;
    o.tokenUrl = custom.tokenUrlTemplate;
    o.refreshUrl = custom.refreshUrlTemplate;
  } else if (Object.hasOwn(KNOWN_PROVIDERS, provider)) {
    Object.assign(o, KNOWN_PROVIDERS[provider]);
  } else {
    o.authorizationUrl = custom.authorizationUrl;
    o.tokenUrl = custom.tokenUrl;
    o.refreshUrl = custom.refreshUrl;
  }
  o.authorizationUrl ??= str(swaggerDef?.authorizationUrl);
  o.tokenUrl ??= str(swaggerDef?.tokenUrl);
  if (!o.refreshUrl) delete o.refreshUrl;
  if (!o.authorizationUrl || !o.tokenUrl)
    warnings.add(
      `OAuth2 provider "${provider}" names no ${o.authorizationUrl ? 'token' : 'authorization'} URL; a connection must supply it.`,
    );
  const clientId = str(settings.clientId);
  if (clientId && !isPlaceholder(clientId)) o.clientId = clientId;
  if (Object.keys(custom).length > 0) o.templates = custom;
  return o;
}

function oauthFromSwagger(def: Record<string, unknown>): OAuth2Settings {
  const flowName = str(def.flow) ?? 'accessCode';
  const flow = Object.hasOwn(SWAGGER_FLOWS, flowName) ? SWAGGER_FLOWS[flowName] : 'authorizationCode';
  const o: OAuth2Settings = {
    identityProvider: 'oauth2',
    flow,
    grantTypes: [flow],
    scopes: Object.keys(obj(def.scopes))
      .flatMap((s) => s.split(/\s+/))
      .filter(Boolean),
  };
  const authorizationUrl = str(def.authorizationUrl);
  const tokenUrl = str(def.tokenUrl);
  if (authorizationUrl) o.authorizationUrl = authorizationUrl;
  if (tokenUrl) o.tokenUrl = tokenUrl;
  return o;
}

/** The connection must supply the OAuth client registration unless the set already asks for it. */
function clientParameters(params: ConnectionParameter[], oauth: OAuth2Settings): ConnectionParameter[] {
  const names = new Set(params.map((p) => p.name.toLowerCase()));
  const out = [...params];
  if (!names.has('client_id') && !names.has('token:clientid')) {
    const p: ConnectionParameter = {
      name: 'client_id',
      type: 'string',
      displayName: 'Client ID',
      description: 'The client (application) id registered with the service.',
      required: oauth.clientId === undefined,
      secret: false,
    };
    if (oauth.clientId !== undefined) p.default = oauth.clientId;
    out.push(p);
  }
  if (!names.has('client_secret') && !names.has('token:clientsecret')) {
    const certificate = oauth.identityProvider === 'aadcertificate';
    out.push(
      certificate
        ? {
            name: 'client_certificate',
            type: 'clientCertificate',
            displayName: 'Client certificate',
            description: 'The PFX certificate registered with the application.',
            required: true,
            secret: true,
          }
        : {
            name: 'client_secret',
            type: 'securestring',
            displayName: 'Client secret',
            description: 'The client secret registered with the service.',
            required: false,
            secret: true,
          },
    );
  }
  return out;
}

interface SchemeInput {
  name: string;
  displayName?: string;
  params: Record<string, unknown>;
}

function buildScheme(
  input: SchemeInput,
  securityDefinitions: Record<string, unknown>,
  fromSet: boolean,
  warnings: Warnings,
): AuthScheme {
  const params = Object.entries(input.params).map(([n, d]) => connectionParameter(n, d, warnings));
  const names = new Set(params.map((p) => p.name));
  const defs = Object.entries(securityDefinitions).filter(([, d]) => isObject(d)) as [
    string,
    Record<string, unknown>,
  ][];
  const byType = (t: string) => defs.filter(([, d]) => d.type === t);
  const setDef = fromSet ? obj(securityDefinitions[input.name]) : {};
  const scheme = (type: AuthType, parameters: ConnectionParameter[]): AuthScheme => ({
    name: input.name,
    displayName: input.displayName ?? TYPE_NAMES[type],
    type,
    parameters,
  });

  const oauthParam = Object.entries(input.params).find(
    ([, d]) => isObject(d) && (d.type === 'oauthSetting' || isObject(d.oAuthSettings)),
  );
  if (oauthParam) {
    const oauth = oauthFromSettings(obj(obj(oauthParam[1]).oAuthSettings), byType('oauth2')[0]?.[1], warnings);
    return { ...scheme('oauth2', clientParameters(params, oauth)), oauth2: oauth };
  }
  const type = str(setDef.type) ?? (names.has('username') && names.has('password') ? 'basic' : undefined);
  if (
    type === 'basic' ||
    (type === undefined && byType('basic').length > 0 && !byType('apiKey').length && names.has('username'))
  )
    return scheme('basic', params);
  const keyDefs =
    type === 'apiKey'
      ? [[input.name, setDef] as [string, Record<string, unknown>]]
      : type === undefined
        ? byType('apiKey')
        : [];
  if (keyDefs.length > 0) {
    const secretParams = params.filter((p) => p.secret);
    const keyParam = (defName: string) =>
      names.has(defName) ? defName : names.has('api_key') ? 'api_key' : (secretParams[0]?.name ?? 'api_key');
    const placed = keyDefs.map(([defName, d]) => ({
      in: (['header', 'query', 'cookie'].includes(String(d.in)) ? d.in : 'header') as 'header' | 'query' | 'cookie',
      name: str(d.name) ?? 'Authorization',
      parameter: keyParam(defName),
    }));
    const primaryIndex = Math.max(
      0,
      placed.findIndex((k) => k.parameter === 'api_key'),
    );
    const s: AuthScheme = { ...scheme('apiKey', params), apiKey: placed[primaryIndex] };
    const others = placed.filter((k, i) => i !== primaryIndex && k.parameter !== placed[primaryIndex].parameter);
    if (others.length > 0) s.additionalApiKeys = others;
    if (!names.has(s.apiKey!.parameter))
      warnings.add(
        `Auth scheme "${input.name}" sends an API key but has no connection parameter for it; add "api_key" to the connection.`,
      );
    return s;
  }
  if (type === 'oauth2' || (type === undefined && byType('oauth2').length > 0)) {
    const def = type === 'oauth2' ? setDef : byType('oauth2')[0][1];
    const oauth = oauthFromSwagger(def);
    return { ...scheme('oauth2', clientParameters(params, oauth)), oauth2: oauth };
  }
  return scheme('none', params);
}

/** Every auth scheme of a Power Platform connector. */
export function extractPowerPlatformAuth(
  apiProperties: Record<string, unknown>,
  definition: Record<string, unknown>,
  warnings: Warnings,
): AuthScheme[] {
  const props = obj(apiProperties.properties);
  const securityDefinitions = obj(definition.securityDefinitions);
  const sets = list(obj(props.connectionParameterSets).values).filter(isObject);
  if (sets.length > 0) {
    const seen = new Set<string>();
    return sets.map((set, i) => {
      let name = str(set.name) ?? `set${i + 1}`;
      while (seen.has(name)) name = `${name}_${i + 1}`;
      seen.add(name);
      const ui = obj(set.uiDefinition);
      return buildScheme(
        { name, displayName: str(ui.displayName) ?? str(ui.displayname), params: obj(set.parameters) },
        securityDefinitions,
        true,
        warnings,
      );
    });
  }
  return [
    buildScheme({ name: 'default', params: obj(props.connectionParameters) }, securityDefinitions, false, warnings),
  ];
}
