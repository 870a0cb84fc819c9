/**
 * Builds the HTTP request for one call from a precomputed plan: input values
 * (with defaults and required checks), path, query, headers and body, then
 * the operation's policies and the auth scheme. Also produces the redacted
 * record of the request that callers may show and store.
 */
import { PatchbayError, isValueObject, type ResolvedConnection, type Value } from '@patchbay/core';
import type { Connector, OperationInput } from '../model.js';
import type { AppliedAuth } from './auth.js';
import { formUrlEncoded, multipart, scalarText, setAtPath, toBytes, toJson, urlEncode, wireTexts } from './encode.js';
import type { RequestPlan } from './plan.js';
import { applyRequestPolicies, resolveBase, type DraftRequest } from './policies.js';
import { REDACTED, type SecretSet } from './secrets.js';

export interface BuiltRequest {
  origin: string;
  method: string;
  /** Path and query, as sent to the origin. */
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array | string;
  /** What callers may see: URL with secret query values redacted, headers with auth redacted. */
  record: { method: string; url: string; headers: Record<string, string> };
}

/** How one multipart file part is sent: its file name and content type. */
export interface PartOptions {
  fileName?: string;
  contentType?: string;
}

/** Input values for the call, keyed by input, with defaults applied; throws one error naming every missing required input. */
export function collectValues(
  plan: RequestPlan,
  params: Record<string, Value>,
): { values: Map<OperationInput, Value>; extra: [string, Value][]; parts: Map<OperationInput, PartOptions> } {
  const values = new Map<OperationInput, Value>();
  const extra: [string, Value][] = [];
  const parts = new Map<OperationInput, PartOptions>();
  for (const [name, v] of Object.entries(params)) {
    const input = plan.byName.get(name);
    if (input) {
      if (v !== null && v !== undefined) values.set(input, v);
      continue;
    }
    const part = plan.fileParts.size ? plan.fileParts.get(name) : undefined;
    if (!part) extra.push([name, v]);
    else if (v !== null && v !== undefined && v !== '') {
      const options = parts.get(part.input) ?? {};
      options[part.field] = filePartText(name, v);
      parts.set(part.input, options);
    }
  }
  const missing: string[] = [];
  for (const input of plan.operation.inputs) {
    if (values.has(input)) continue;
    if (input.default !== undefined && input.default !== null && (input.required || input.visibility === 'internal'))
      values.set(input, input.default as Value);
    else if (
      input.required &&
      !(input.bodyPath && input.bodyPath.length > 1 && hasParentValue(values, input)) &&
      // The open body given field by field (its fields come from a dynamic schema).
      !(input === plan.openBody && extra.length > 0)
    )
      missing.push(input.name);
  }
  if (missing.length) {
    throw new PatchbayError(
      'action.param',
      `Operation ${plan.operation.id} needs ${missing.map((m) => `"${m}"`).join(', ')}.`,
      {
        place: { pointer: `/params/${missing[0]}` },
        hint: `Give ${missing.length > 1 ? 'these parameters' : 'this parameter'} a value in the step.`,
      },
    );
  }
  if (extra.length && !plan.openBody) {
    const known = plan.operation.inputs.map((i) => i.name);
    throw new PatchbayError('action.param', `Operation ${plan.operation.id} has no parameter "${extra[0][0]}".`, {
      place: { pointer: `/params/${extra[0][0]}` },
      hint: known.length ? `Use one of: ${known.join(', ')}.` : 'This operation takes no parameters.',
    });
  }
  return { values, extra, parts };
}

function filePartText(name: string, v: Value): string {
  const text = scalarText(v);
  if (/[\r\n\0"]/.test(text))
    throw new PatchbayError('action.param', `"${name}" cannot hold line breaks or double quotes.`, {
      place: { pointer: `/params/${name}` },
      hint: 'Give a plain file name such as statement.csv, or a content type such as text/csv.',
    });
  return text;
}

/** A required nested body field is not missing when its parent object is given whole. */
function hasParentValue(values: Map<OperationInput, Value>, input: OperationInput): boolean {
  for (const [other] of values)
    if (
      other.in === 'body' &&
      (other.isWholeBody ||
        (other.bodyPath &&
          input.bodyPath &&
          other.bodyPath.length < input.bodyPath.length &&
          other.bodyPath.every((s, i) => input.bodyPath?.[i] === s)))
    )
      return true;
  return false;
}

/** The request for one call; synchronous except for multipart bodies, which the platform's encoder builds asynchronously. */
export function buildRequest(args: {
  connector: Connector;
  plan: RequestPlan;
  params: Record<string, Value>;
  connection: ResolvedConnection;
  auth: AppliedAuth;
  secrets: SecretSet;
}): BuiltRequest | Promise<BuiltRequest> {
  const { connector, plan, connection, auth, secrets } = args;
  const { values, extra, parts } = collectValues(plan, args.params);
  const base = resolveBase(connector, plan.hostPolicy, connection);

  let path = '';
  for (const part of plan.path) {
    if (typeof part === 'string') path += part;
    else {
      const v = values.get(part);
      path += v === undefined ? '' : urlEncode(scalarText(v), part.urlEncoding);
    }
  }
  if (plan.missingPath.length) {
    throw new PatchbayError(
      'connector.invalid',
      `Operation ${plan.operation.id} has {${plan.missingPath[0]}} in its path but no path parameter of that name.`,
      {
        hint: 'Fix the connector definition: declare the path parameter.',
      },
    );
  }

  const query: [string, string][] = [];
  for (const input of plan.query) {
    const v = values.get(input);
    if (v !== undefined) for (const t of wireTexts(input, v)) query.push([input.wireName, t]);
  }
  const headers: Record<string, string> = {};
  for (const input of plan.headers) {
    const v = values.get(input);
    if (v !== undefined) headers[input.wireName.toLowerCase()] = headerValue(input, wireTexts(input, v).join(','));
  }

  const draft: DraftRequest = { method: plan.method, path, query, headers };
  let body: Uint8Array | string | undefined;
  const kind = plan.bodyKind === 'none' && plan.body.length ? 'json' : plan.bodyKind;
  if (kind === 'json') draft.json = jsonBody(plan, values, extra);

  if (plan.requestPolicies.length) {
    applyRequestPolicies(plan.requestPolicies, draft, connection, (name) => {
      const input = plan.operation.inputs.find((i) => i.in === 'path' && i.wireName === name);
      const v = input && values.get(input);
      return v === undefined ? undefined : urlEncode(scalarText(v), input?.urlEncoding ?? 'single');
    });
  }

  if (kind === 'json') {
    if (draft.json !== undefined) body = JSON.stringify(draft.json);
  } else if (kind === 'form') {
    body = formUrlEncoded(formFields(plan, values).map(([n, v]) => [n, scalarText(v)]));
  } else if (kind === 'multipart') {
    return multipart(
      formFields(plan, values).map(([name, value, input]) => ({ name, value, ...parts.get(input) })),
    ).then((encoded) => {
      if (!draft.headers['content-type']) draft.headers['content-type'] = encoded.contentType;
      return finish(draft, encoded.bytes, { plan, base, auth, secrets });
    });
  } else if (kind === 'binary') {
    const input = plan.body[0];
    const v = input && values.get(input);
    if (v !== undefined) body = toBytes(v);
  }
  return finish(draft, body, { plan, base, auth, secrets });
}

/** Content type, auth, and the origin and path the request goes to. */
function finish(
  draft: DraftRequest,
  body: Uint8Array | string | undefined,
  o: { plan: RequestPlan; base: { origin: string; prefix: string }; auth: AppliedAuth; secrets: SecretSet },
): BuiltRequest {
  const { plan, base, auth, secrets } = o;
  if (body !== undefined && plan.contentType && !draft.headers['content-type'])
    draft.headers['content-type'] = plan.contentType;

  for (const [n, v] of auth.headers) draft.headers[n.toLowerCase()] = v;
  for (const pair of auth.query) draft.query.push(pair);

  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(draft.path);
  const origin = absolute
    ? (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(draft.path)?.[0].toLowerCase() ?? base.origin)
    : base.origin;
  const pathOnly = absolute
    ? draft.path.slice(origin.length) || '/'
    : base.prefix + (draft.path.startsWith('/') || draft.path === '' ? draft.path : `/${draft.path}`) || '/';
  const qs = draft.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const fullPath = qs ? `${pathOnly}${pathOnly.includes('?') ? '&' : '?'}${qs}` : pathOnly;

  return withRecord(
    { origin, method: draft.method, path: fullPath, headers: draft.headers, body },
    { origin, pathOnly, method: draft.method, query: draft.query, headers: draft.headers },
    auth,
    secrets,
  );
}

/** The request with its redacted record, worked out only when someone reads it (most calls never do). */
class Built implements BuiltRequest {
  private made?: BuiltRequest['record'];
  readonly origin: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Uint8Array | string;

  constructor(
    req: Omit<BuiltRequest, 'record'>,
    private readonly parts: Parameters<typeof recordOf>[0],
    private readonly auth: AppliedAuth,
    private readonly secrets: SecretSet,
  ) {
    this.origin = req.origin;
    this.method = req.method;
    this.path = req.path;
    this.headers = req.headers;
    if (req.body !== undefined) this.body = req.body;
  }

  get record(): BuiltRequest['record'] {
    return (this.made ??= recordOf(this.parts, this.auth, this.secrets));
  }
}

function withRecord(
  req: Omit<BuiltRequest, 'record'>,
  r: Parameters<typeof recordOf>[0],
  auth: AppliedAuth,
  secrets: SecretSet,
): BuiltRequest {
  return new Built(req, r, auth, secrets);
}

function jsonBody(plan: RequestPlan, values: Map<OperationInput, Value>, extra: [string, Value][]): unknown {
  let root: unknown;
  const fields: [OperationInput, Value][] = [];
  for (const input of plan.body) {
    const v = values.get(input);
    if (v === undefined) continue;
    if (input.isWholeBody || !input.bodyPath || input.bodyPath.length === 0) root = toJson(v);
    else fields.push([input, v]);
  }
  if (extra.length && plan.openBody) {
    const prefix = plan.openBody.bodyPath ?? [];
    for (const [name, v] of extra)
      fields.push([{ ...plan.openBody, name, bodyPath: [...prefix, ...name.replace(/^body\//, '').split('/')] }, v]);
  }
  if (fields.length === 0) return root;
  const obj: Record<string, unknown> =
    root !== undefined && isValueObject(root as Value) ? (root as Record<string, unknown>) : {};
  // Shallow fields first, so a nested field lands inside an object given whole.
  fields.sort((a, b) => (a[0].bodyPath?.length ?? 0) - (b[0].bodyPath?.length ?? 0));
  for (const [input, v] of fields) setAtPath(obj, input.bodyPath ?? [input.wireName], toJson(v), input.name);
  return obj;
}

function formFields(plan: RequestPlan, values: Map<OperationInput, Value>): [string, Value, OperationInput][] {
  const out: [string, Value, OperationInput][] = [];
  for (const input of plan.form) {
    const v = values.get(input);
    if (v !== undefined) out.push([input.wireName, v, input]);
  }
  for (const input of plan.body) {
    const v = values.get(input);
    if (v === undefined) continue;
    if (input.bodyPath && input.bodyPath.length) out.push([input.bodyPath.join('.'), v, input]);
    else if (isValueObject(v)) for (const [k, x] of Object.entries(v)) out.push([k, x, input]);
    else out.push([input.wireName, v, input]);
  }
  return out;
}

function recordOf(
  r: { origin: string; pathOnly: string; method: string; query: [string, string][]; headers: Record<string, string> },
  auth: AppliedAuth,
  secrets: SecretSet,
): BuiltRequest['record'] {
  const qs = r.query
    .map(
      ([k, v]) =>
        `${encodeURIComponent(k)}=${auth.secretQuery.includes(k) ? REDACTED : encodeURIComponent(secrets.scrub(v))}`,
    )
    .join('&');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers))
    headers[k] = auth.secretHeaders.includes(k) || k === 'authorization' ? REDACTED : secrets.scrub(v);
  const sep = r.pathOnly.includes('?') ? '&' : '?';
  return { method: r.method, url: secrets.scrub(`${r.origin}${r.pathOnly}${qs ? `${sep}${qs}` : ''}`), headers };
}

/** A request to any URL (built-in HTTP and RSS operations) with the connection's auth applied. Relative URLs resolve against `base`. */
export function buildRawRequest(args: {
  method: string;
  url: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  body?: Value;
  base?: { origin: string; prefix: string };
  auth: AppliedAuth;
  secrets: SecretSet;
}): BuiltRequest {
  const { auth, secrets } = args;
  let url: URL;
  try {
    url =
      args.base && !/^[a-z][a-z0-9+.-]*:/i.test(args.url)
        ? new URL(`${args.base.origin}${args.base.prefix}${args.url.startsWith('/') ? '' : '/'}${args.url}`)
        : new URL(args.url);
  } catch {
    throw new PatchbayError('action.param', `"${secrets.scrub(args.url)}" is not a URL.`, {
      place: { pointer: '/params/uri' },
      hint: 'Give an absolute URL such as https://api.example.com/items.',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PatchbayError('action.param', `Only http and https URLs can be called, not ${url.protocol}.`, {
      place: { pointer: '/params/uri' },
      hint: 'Give an http(s) URL.',
    });
  }
  const query: [string, string][] = [...url.searchParams.entries(), ...Object.entries(args.query ?? {}), ...auth.query];
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(args.headers ?? {})) headers[k.toLowerCase()] = v;
  let body: Uint8Array | string | undefined;
  const v = args.body;
  if (v !== undefined && v !== null && v !== '') {
    if (v instanceof Uint8Array || typeof v === 'string') body = v;
    else {
      body = JSON.stringify(toJson(v));
      headers['content-type'] ??= 'application/json';
    }
  }
  for (const [n, x] of auth.headers) headers[n.toLowerCase()] = x;
  const origin = url.origin;
  const pathOnly = url.pathname;
  const qs = query.map(([k, x]) => `${encodeURIComponent(k)}=${encodeURIComponent(x)}`).join('&');
  const method = args.method.toUpperCase();
  return withRecord(
    { origin, method, path: qs ? `${pathOnly}?${qs}` : pathOnly, headers, body },
    { origin, pathOnly, method, query, headers },
    auth,
    secrets,
  );
}

/** Header values cannot hold line breaks (they would split the request). */
function headerValue(input: OperationInput, text: string): string {
  if (/[\r\n\0]/.test(text)) {
    throw new PatchbayError(
      'action.param',
      `The header parameter "${input.name}" contains a line break, which HTTP headers cannot carry.`,
      { place: { pointer: `/params/${input.name}` }, hint: 'Remove the line breaks from the value.' },
    );
  }
  return text;
}
