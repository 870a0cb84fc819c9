/**
 * The connector model: one shape for built-in connectors, imported Power
 * Platform custom connectors and imported OpenAPI files. The importers
 * (`./import/`) produce it; the invoker, the catalog adapter, the designer and
 * `patchbay connector inspect` read it. Plain data (JSON-serialisable), so it
 * can be stored and sent to the designer as is.
 */

/**
 * A JSON Schema fragment as found in a definition, in the shared form: a
 * schema the definition refers to is a component of the connector
 * (`components`), referred to as `{"$ref": "#/components/NAME"}`. Read
 * schemas through `schemaView(connector)` (`../schemas.ts`).
 */
export type JsonSchema = Record<string, unknown>;

/** Where a connector came from. */
export interface ConnectorSource {
  kind: 'power-platform' | 'openapi' | 'builtin';
  /** Folder or file it was imported from. */
  path?: string;
  /** `swagger` / `openapi` version of the definition (`2.0`, `3.0.3`, `3.1.0`). */
  specVersion?: string;
}

export interface Connector {
  /** Stable id: `opts.id`, else `info.title` in lower-case kebab form (see `normalizeConnectorId`). */
  id: string;
  displayName: string;
  description: string;
  /** Icon as given by the definition (`x-ms-connector-metadata`, `info.x-logo`…). */
  iconUrl?: string;
  /** `data:image/png;base64,…` from a Power Platform folder's `icon.png`. */
  iconData?: string;
  /** `#rrggbb`; `#007ee5` when the definition says nothing. */
  brandColor: string;
  publisher?: string;
  version?: string;
  /**
   * `scheme://host/basePath`, no trailing slash. May contain `{name}` parts that
   * a `dynamichosturl` policy or a connection's base URL override fills in;
   * empty when the definition names no host (a connection must then give one).
   */
  baseUrl: string;
  /** Every way to authenticate; an empty list never happens (a connector without auth has one `none` scheme). */
  authSchemes: AuthScheme[];
  operations: Operation[];
  /** Connector-wide policy templates (each may be scoped to some operations). */
  policies: Policy[];
  /** The operation that tests a connection (`x-ms-capabilities.testConnection`). */
  testOperationId?: string;
  /** Fixed parameters for the test operation. */
  testOperationParameters?: Record<string, unknown>;
  /** `apiProperties.capabilities` (`actions`, `triggers`, `gateway`, `cloud`…). */
  capabilities?: string[];
  source: ConnectorSource;
  /** Things the importer accepted but could not use as written; shown by `inspect`. */
  warnings: string[];
  /** Requests the service sends (OpenAPI 3.1 `webhooks`, 3.x `callbacks`), kept for triggers. */
  events?: ConnectorEvent[];
  /**
   * Shared schemas by name, each written once; schemas anywhere in the model
   * refer to them as `{"$ref": "#/components/NAME"}` (cycles allowed).
   */
  components?: Record<string, JsonSchema>;
}

/** A request the service sends to a URL it is given: a webhook, or a callback of one operation. */
export interface ConnectorEvent {
  kind: 'webhook' | 'callback';
  /** The webhook's name, or the callback's name inside its operation. */
  name: string;
  method: string;
  /** Callbacks: the runtime expression of the URL (`{$request.body#/callbackUrl}`). */
  expression?: string;
  /** Callbacks: the operation that registers it. */
  parentOperationId?: string;
  operationId?: string;
  summary?: string;
}

export type AuthType = 'none' | 'apiKey' | 'basic' | 'bearer' | 'oauth2';

export interface AuthScheme {
  /** Power Platform: the parameter set name (or `default` without sets); OpenAPI: the `securitySchemes` key. */
  name: string;
  displayName: string;
  type: AuthType;
  /** API key placement; the key's value is the connection parameter `parameter` (usually `api_key`). */
  apiKey?: { in: 'header' | 'query' | 'cookie'; name: string; parameter: string };
  /** More API keys sent with every request (a definition with several apiKey security definitions, e.g. an account id and a key). */
  additionalApiKeys?: { in: 'header' | 'query' | 'cookie'; name: string; parameter: string }[];
  oauth2?: OAuth2Settings;
  /** What a connection of this scheme asks for (secrets have `secret: true`). */
  parameters: ConnectionParameter[];
}

export interface OAuth2Settings {
  /** `aad`, `aadcertificate`, `oauth2`, `oauth2generic`, `github`, `google`, …, or `openapi` for an OpenAPI scheme. */
  identityProvider: string;
  /** Main flow; `grantTypes` lists every one the scheme allows. */
  flow: OAuth2Flow;
  grantTypes: OAuth2Flow[];
  /** May contain `{name}` parts filled from connection parameters (`{tenantId}`, `{CustomHost}`). */
  authorizationUrl?: string;
  tokenUrl?: string;
  refreshUrl?: string;
  scopes: string[];
  /** Proof key for code exchange (OpenAPI has no flag; Patchbay uses it unless the provider is known to reject it). */
  pkce?: boolean;
  /** Client id given by the definition (often a placeholder; the connection normally supplies `client_id`). */
  clientId?: string;
  /** Azure AD: tenant (`common` by default), resource URI and login host. */
  tenantId?: string;
  resourceUri?: string;
  loginUri?: string;
  /** oauth2generic templates and other custom parameters, as `{name: value}`. */
  templates?: Record<string, string>;
  /**
   * `token_type` values besides `bearer` that this provider answers with
   * (Slack: `bot`, `user`); such tokens are sent as bearer tokens. Any other
   * type is refused, as RFC 6749 asks.
   */
  tokenTypes?: string[];
}

export type OAuth2Flow = 'authorizationCode' | 'clientCredentials' | 'implicit' | 'password';

export type ConnectionParameterType = 'string' | 'securestring' | 'int' | 'bool' | 'oauthSetting' | 'clientCertificate';

export interface ConnectionParameter {
  name: string;
  type: ConnectionParameterType;
  displayName: string;
  description?: string;
  tooltip?: string;
  required: boolean;
  allowedValues?: { value: string; title: string }[];
  default?: string | number | boolean;
  hidden?: boolean;
  /** Encrypted at rest, never shown, logged or exported (securestring, oauthSetting, clientCertificate, passwords, keys, tokens). */
  secret: boolean;
}

export type Visibility = 'important' | 'advanced' | 'internal' | 'none';

export type InputLocation = 'path' | 'query' | 'header' | 'body' | 'formData';

/** JSON Schema type of an input or output field; `file` is binary content. */
export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'file' | 'any';

export interface Operation {
  /** `operationId`, or `METHOD /path` when missing; unique inside the connector (duplicates get `_2`, `_3`…). */
  id: string;
  method: string;
  /** Path template relative to `baseUrl`, e.g. `/issues/{issueKey}`. */
  path: string;
  summary: string;
  description: string;
  visibility: Visibility;
  deprecated: boolean;
  isTrigger: boolean;
  /** False for triggers and webhooks; `notUsableReason` says why. */
  usableAsAction: boolean;
  notUsableReason?: string;
  /** Groups in the actions pane (`tags`). */
  tags?: string[];
  inputs: OperationInput[];
  bodyKind: BodyKind;
  consumes: string[];
  produces: string[];
  outputs: OperationOutputs;
  /**
   * `x-ms-pageable`: follow `nextLinkName` and gather `itemsName`. With
   * `linkHeader`, follow the response's `Link: <…>; rel="next"` header
   * instead (GitHub) and gather the list each page's body is.
   */
  pageable?: { nextLinkName: string | null; itemsName: string; linkHeader?: boolean };
  /** `x-ms-dynamic-schema` on the response: the output shape is loaded at design time. */
  dynamicSchemaOutput?: DynamicSchema;
  /** Covered by the connector's `script.csx`, which Patchbay cannot run: invoking it fails saying so. */
  needsCustomCode?: boolean;
  /** Policies that apply to this operation (connector-wide ones and those scoped to it). */
  policies: Policy[];
  /** Names of the auth schemes this operation accepts (OpenAPI `security`); absent means all, `[]` means it is sent without auth. */
  authSchemes?: string[];
  /** `x-ms-api-annotation` (family, revision, status). */
  annotation?: { family?: string; revision?: number; status?: string };
  /**
   * As imported, the operation keeps its JSON body whole (one input with
   * `flatten`) and no output fields, so the model stays the size of its
   * definition; `resolveOperation` gives the operation with one input per
   * body property and its output fields (every consumer reads it that way).
   */
  deferred?: boolean;
}

export type BodyKind = 'json' | 'form' | 'multipart' | 'binary' | 'none';

export interface OperationInput {
  /**
   * The name a flow step uses in `params`: the parameter's name, or for a
   * flattened body property its property name when unique in the operation,
   * else its `key`.
   */
  name: string;
  /** Power Automate's key: the parameter name, or `body/To`, `body/address/city` for body properties. */
  key: string;
  in: InputLocation;
  /** For `path`/`query`/`header`/`formData`: the wire name (same as the parameter name). */
  wireName: string;
  displayName: string;
  description?: string;
  type: FieldType;
  format?: string;
  required: boolean;
  default?: unknown;
  enum?: unknown[];
  /** Items or properties for array/object inputs. */
  schema?: JsonSchema;
  visibility: Visibility;
  urlEncoding: 'single' | 'double';
  /** Arrays in query/header/formData (`collectionFormat`, `style`/`explode`): `csv`, `multi`, … */
  collectionFormat?: 'csv' | 'ssv' | 'tsv' | 'pipes' | 'multi';
  dynamicValues?: DynamicValues;
  dynamicSchema?: DynamicSchema;
  /** For a flattened body property: the path inside the body (`['address','city']`). */
  bodyPath?: string[];
  /** The input is the whole body (a non-object body, or an object body with no known properties). */
  isWholeBody?: boolean;
  /** Secret inputs (`format: password`) are redacted in run records. */
  sensitive?: boolean;
  /** A JSON body kept whole in a deferred operation: `resolveOperation` flattens it into one input per property. */
  flatten?: boolean;
}

/** `x-ms-dynamic-values` and `x-ms-dynamic-list`, one shape. */
export interface DynamicValues {
  source: 'x-ms-dynamic-values' | 'x-ms-dynamic-list';
  operationId: string;
  parameters: Record<string, DynamicParameter>;
  /** Path to the list in the response (`value`); absent when the response is the list. */
  itemsPath?: string;
  /** Path inside an item to its value and title. */
  valuePath?: string;
  titlePath?: string;
  /** `capability` (file picker and similar) instead of an operation. */
  capability?: string;
}

/** `x-ms-dynamic-schema` and `x-ms-dynamic-properties`, one shape. */
export interface DynamicSchema {
  source: 'x-ms-dynamic-schema' | 'x-ms-dynamic-properties';
  operationId: string;
  parameters: Record<string, DynamicParameter>;
  /** Path in the response where the schema is (`schema`); absent when the response is the schema. */
  valuePath?: string;
}

/** A parameter of a dynamic call: a fixed value, or the value of another input of the same operation (by wire name). */
export type DynamicParameter = { value: unknown } | { parameter: string };

export interface OperationOutputs {
  /** Response status the schema is for (`200`, `201`, `default`). */
  status?: string;
  schema?: JsonSchema;
  /** The response is binary content (`type: file`, `format: binary`, or a non-JSON `produces`). */
  binary?: boolean;
  /** Flattened, typed fields for the designer (`body/value`, `body/id`); empty in a deferred operation. */
  fields: OutputField[];
}

export interface OutputField {
  /** Power Automate path: `body`, `body/id`, `body/owner/login`; array items as `body/value/title` with `inArray`. */
  key: string;
  /** Path segments in the response body (empty for the whole body). */
  path: string[];
  displayName: string;
  description?: string;
  type: FieldType;
  format?: string;
  visibility: Visibility;
  /** Inside an array's items (one value per item). */
  inArray?: boolean;
}

export interface Policy {
  /** Lower-cased: `setheader`, `setqueryparameter`, `routerequesttoendpoint`, `dynamichosturl`, `setproperty`, … */
  templateId: string;
  title: string;
  /** As written, except that `x-ms-apimTemplate-operationName` moves to `operations`. */
  parameters: Record<string, unknown>;
  /** Operation ids it is scoped to; absent means every operation. */
  operations?: string[];
}

/** Default brand colour when a definition gives none (Power Platform's custom connector blue). */
export const DEFAULT_BRAND_COLOR = '#007ee5';
