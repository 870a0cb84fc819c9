/**
 * Declarative, type-inferred built-in connectors, in the spirit of
 * Activepieces' `createAction({auth, props, run})`: `prop.*` describes an
 * input once; `httpOperation` turns props into a plain model `Operation` that
 * the invoker calls like any imported one; `codeOperation` adds a `run`
 * whose `params` type is inferred from its props, for the few operations
 * (HTTP, RSS) that need code. The result is the same `Connector` model an
 * importer produces.
 */
import type { ResolvedConnection, Value, ValueObject } from '@patchbay/core';
import type {
  AuthScheme,
  Connector,
  DynamicValues,
  FieldType,
  InputLocation,
  Operation,
  OperationInput,
  OutputField,
  Policy,
  Visibility,
} from '../model.js';

interface PropBase<T> {
  displayName: string;
  description?: string;
  required?: boolean;
  default?: T;
  in?: InputLocation;
  /** Wire name when it differs from the prop's key (`per_page`, `$top`). */
  wireName?: string;
  /** Path in the JSON body; defaults to `[key]` for body props. */
  bodyPath?: string[];
  visibility?: Visibility;
  enum?: string[];
  sensitive?: boolean;
  format?: string;
  collectionFormat?: OperationInput['collectionFormat'];
  urlEncoding?: 'single' | 'double';
  isWholeBody?: boolean;
  dynamicValues?: DynamicValues;
}

/** A prop: its options plus phantom types for the value and whether it is required. */
export interface Prop<T, R extends boolean = boolean> extends PropBase<T> {
  fieldType: FieldType;
  readonly __value?: T;
  readonly __required?: R;
}

function make<T>(fieldType: FieldType) {
  function build(o: PropBase<T> & { required: true }): Prop<T, true>;
  function build(o: PropBase<T>): Prop<T, false>;
  function build(o: PropBase<T>): Prop<T> {
    return { ...o, fieldType };
  }
  return build;
}

export const prop = {
  text: make<string>('string'),
  number: make<number>('number'),
  integer: make<number>('integer'),
  boolean: make<boolean>('boolean'),
  list: make<Value[]>('array'),
  object: make<ValueObject>('object'),
  binary: make<Uint8Array>('file'),
  any: make<Value>('any'),
};

export type Props = Record<string, Prop<any>>;
type ValueOf<P> = P extends Prop<infer T, boolean> ? T : never;
type RequiredKeys<P extends Props> = { [K in keyof P]: P[K] extends Prop<any, true> ? K : never }[keyof P];
/** The `params` type a `run` sees: required props present, the others optional. */
export type PropValues<P extends Props> = { [K in RequiredKeys<P>]: ValueOf<P[K]> } & {
  [K in Exclude<keyof P, RequiredKeys<P>>]?: ValueOf<P[K]>;
};

export interface OperationSpec<P extends Props> {
  id: string;
  summary: string;
  description?: string;
  visibility?: Visibility;
  props: P;
  /** Flattened output fields for the designer: `{id: 'string', 'value/title': 'string'}`. */
  outputs?: Record<string, FieldType>;
  binaryOutput?: boolean;
  pageable?: Operation['pageable'];
  policies?: Policy[];
  tags?: string[];
}

export interface HttpOperationSpec<P extends Props> extends OperationSpec<P> {
  method: string;
  path: string;
  bodyKind?: Operation['bodyKind'];
  consumes?: string[];
}

/** What a code operation's `run` gets: typed params, the connection, and `call` for HTTP through the invoker's auth, retry and pool. */
export interface BuiltinRunContext<P extends Props> {
  params: PropValues<P>;
  connection: ResolvedConnection;
  connector: Connector;
  signal?: AbortSignal;
  /** Sends one request with the connection's auth applied; relative URLs resolve against the connector's base URL. */
  call(req: {
    method: string;
    url: string;
    headers?: Record<string, string>;
    body?: Value;
    query?: Record<string, string>;
    followRedirects?: boolean;
    /** Where the connection's auth may go on a redirect (besides the same origin); every same-origin hop when left out. */
    authScope?: (url: URL) => boolean;
  }): Promise<{
    status: number;
    headers: Record<string, string>;
    body: Value;
    request: { method: string; url: string; headers: Record<string, string> };
  }>;
}

export type BuiltinRun = (ctx: BuiltinRunContext<Props>) => Promise<{
  status?: number;
  headers?: Record<string, string>;
  body: Value;
  request?: { method: string; url: string; headers: Record<string, string> };
}>;

/** Code behind built-in operations, looked up by the invoker. Kept beside the model so the model stays plain data. */
const runs = new WeakMap<Operation, BuiltinRun>();

export function builtinRunOf(op: Operation): BuiltinRun | undefined {
  return runs.get(op);
}

export function httpOperation<const P extends Props>(spec: HttpOperationSpec<P>): Operation {
  const inputs = Object.entries(spec.props).map(([key, p]) => toInput(key, p));
  const bodyInputs = inputs.filter((i) => i.in === 'body');
  const bodyKind = spec.bodyKind ?? (bodyInputs.length ? 'json' : 'none');
  return {
    id: spec.id,
    method: spec.method.toUpperCase(),
    path: spec.path,
    summary: spec.summary,
    description: spec.description ?? spec.summary,
    visibility: spec.visibility ?? 'none',
    deprecated: false,
    isTrigger: false,
    usableAsAction: true,
    tags: spec.tags,
    inputs,
    bodyKind,
    consumes: spec.consumes ?? (bodyKind === 'json' ? ['application/json'] : []),
    produces: spec.binaryOutput ? ['application/octet-stream'] : ['application/json'],
    outputs: { status: '200', binary: spec.binaryOutput, fields: outputFields(spec.outputs) },
    pageable: spec.pageable,
    policies: spec.policies ?? [],
  };
}

export function codeOperation<const P extends Props>(
  spec: OperationSpec<P> & { run(ctx: BuiltinRunContext<P>): ReturnType<BuiltinRun> },
): Operation {
  const op = httpOperation({ ...spec, method: 'POST', path: '/', bodyKind: 'none' });
  // The run's params type is narrower than BuiltinRun's; the invoker checks required props and defaults before calling it.
  runs.set(op, spec.run as unknown as BuiltinRun);
  return op;
}

function toInput(key: string, p: Prop<unknown>): OperationInput {
  const where = p.in ?? 'body';
  const input: OperationInput = {
    name: key,
    key: where === 'body' ? `body/${(p.bodyPath ?? [key]).join('/')}` : key,
    in: where,
    wireName: p.wireName ?? key,
    displayName: p.displayName,
    description: p.description,
    type: p.fieldType,
    format: p.format,
    required: p.required === true,
    default: p.default,
    enum: p.enum,
    visibility: p.visibility ?? 'none',
    urlEncoding: p.urlEncoding ?? 'single',
    collectionFormat: p.collectionFormat,
    dynamicValues: p.dynamicValues,
    sensitive: p.sensitive,
  };
  if (where === 'body') {
    if (p.isWholeBody) input.isWholeBody = true;
    else input.bodyPath = p.bodyPath ?? [key];
  }
  return input;
}

function outputFields(outputs: Record<string, FieldType> | undefined): OutputField[] {
  const fields: OutputField[] = [{ key: 'body', path: [], displayName: 'Body', type: 'any', visibility: 'none' }];
  for (const [path, type] of Object.entries(outputs ?? {})) {
    const segs = path.split('/');
    fields.push({ key: `body/${path}`, path: segs, displayName: segs[segs.length - 1], type, visibility: 'none' });
  }
  return fields;
}

export const NO_AUTH: AuthScheme = { name: 'none', displayName: 'No authentication', type: 'none', parameters: [] };

/** An OAuth2 authorization-code scheme with the service's endpoints and scopes; the connection brings `client_id` and `client_secret`. */
export function oauth2Scheme(o: {
  name?: string;
  displayName: string;
  identityProvider: string;
  authorizationUrl: string;
  tokenUrl: string;
  scopes: string[];
  pkce?: boolean;
  tokenTypes?: string[];
}): AuthScheme {
  return {
    name: o.name ?? 'oauth2',
    displayName: o.displayName,
    type: 'oauth2',
    oauth2: {
      identityProvider: o.identityProvider,
      flow: 'authorizationCode',
      grantTypes: ['authorizationCode'],
      authorizationUrl: o.authorizationUrl,
      tokenUrl: o.tokenUrl,
      scopes: o.scopes,
      pkce: o.pkce ?? true,
      ...(o.tokenTypes ? { tokenTypes: o.tokenTypes } : {}),
    },
    parameters: [
      { name: 'client_id', type: 'string', displayName: 'Client ID', required: true, secret: false },
      { name: 'client_secret', type: 'securestring', displayName: 'Client secret', required: true, secret: true },
    ],
  };
}

export function defineConnector(c: {
  id: string;
  displayName: string;
  description: string;
  brandColor: string;
  baseUrl: string;
  authSchemes: AuthScheme[];
  operations: Operation[];
  publisher?: string;
  iconUrl?: string;
  testOperationId?: string;
}): Connector {
  return {
    ...c,
    publisher: c.publisher ?? 'Patchbay',
    policies: [],
    source: { kind: 'builtin' },
    warnings: [],
  };
}
