/**
 * Power Platform policy templates, applied to a request being built (and, for
 * `setproperty` / `setheader` in the Response section, to a response):
 * `setheader`, `setqueryparameter`, `routerequesttoendpoint`, `setproperty`
 * and `dynamichosturl` (through `resolveBase`). Template ids are compared
 * case-insensitively; unknown ones are skipped with a warning by the invoker.
 */
import { PatchbayError, isValueObject, type ResolvedConnection, type Value } from '@patchbay/core';
import type { Connector, Policy } from '../model.js';
import { connectionParameterLookup, renderTemplate, type TemplateScope } from './template.js';

/** The mutable request the builder hands to the policies. */
export interface DraftRequest {
  method: string;
  /** Path after the base URL, starting with `/`; already encoded. */
  path: string;
  query: [string, string][];
  headers: Record<string, string>;
  /** JSON body object, when the operation sends JSON. */
  json?: unknown;
}

const P = 'x-ms-apimTemplateParameter.';

function param(p: Policy, name: string): string | undefined {
  const v = p.parameters[P + name];
  return v === undefined || v === null ? undefined : String(v);
}

export function scopeFor(draft: DraftRequest, connection: ResolvedConnection): TemplateScope {
  return {
    connectionParameter: connectionParameterLookup(connection.params),
    header: (n) => draft.headers[n.toLowerCase()],
    queryParameter: (n) => draft.query.find(([k]) => k === n)?.[1],
    method: draft.method,
  };
}

/** Applies request-section policies in definition order. `pathValues` fills `{name}` parts of a new path. */
export function applyRequestPolicies(
  policies: readonly Policy[],
  draft: DraftRequest,
  connection: ResolvedConnection,
  pathValues: (name: string) => string | undefined,
): void {
  for (const p of policies) {
    const scope = scopeFor(draft, connection);
    switch (p.templateId.toLowerCase()) {
      case 'setheader': {
        const name = param(p, 'name');
        if (!name) break;
        const key = name.toLowerCase();
        const value = renderTemplate(param(p, 'value') ?? '', scope);
        const action = (param(p, 'existsAction') ?? 'override').toLowerCase();
        if (action === 'skip' && draft.headers[key] !== undefined) break;
        if (action === 'delete') delete draft.headers[key];
        else if (action === 'append' && draft.headers[key] !== undefined)
          draft.headers[key] = `${draft.headers[key]},${value}`;
        else draft.headers[key] = value;
        break;
      }
      case 'setqueryparameter': {
        const name = param(p, 'name');
        if (!name) break;
        const value = renderTemplate(param(p, 'value') ?? '', scope);
        const action = (param(p, 'existsAction') ?? 'override').toLowerCase();
        const exists = draft.query.some(([k]) => k === name);
        if (action === 'skip' && exists) break;
        if (action !== 'append') draft.query = draft.query.filter(([k]) => k !== name);
        if (action !== 'delete') draft.query.push([name, value]);
        break;
      }
      case 'routerequesttoendpoint': {
        const newPath = param(p, 'newPath');
        if (newPath) {
          const rendered = renderTemplate(newPath, scope).replace(/\{([^}]+)\}/g, (whole, name: string) => {
            const v = pathValues(name);
            return v === undefined ? whole : v;
          });
          draft.path = rendered.startsWith('/') || /^[a-z]+:\/\//i.test(rendered) ? rendered : `/${rendered}`;
        }
        const method = param(p, 'httpMethod');
        if (method && !/^@Request\.OriginalHTTPMethod$/i.test(method.trim()))
          draft.method = renderTemplate(method, scope).toUpperCase();
        break;
      }
      case 'setproperty':
        if (draft.json !== undefined && isValueObject(draft.json as Value))
          setProperty(p, draft.json as Record<string, unknown>, scope);
        break;
      default:
        break;
    }
  }
}

/** Applies response-section policies (`setproperty` on the body, `setheader` on the headers). */
export function applyResponsePolicies(
  policies: readonly Policy[],
  body: Value,
  headers: Record<string, string>,
  connection: ResolvedConnection,
  method: string,
): void {
  for (const p of policies) {
    const scope: TemplateScope = {
      connectionParameter: connectionParameterLookup(connection.params),
      header: (n) => headers[n.toLowerCase()],
      queryParameter: () => undefined,
      method,
    };
    if (p.templateId.toLowerCase() === 'setproperty' && isValueObject(body))
      setProperty(p, body as Record<string, unknown>, scope);
    else if (p.templateId.toLowerCase() === 'setheader') {
      const name = param(p, 'name');
      if (name) headers[name.toLowerCase()] = renderTemplate(param(p, 'value') ?? '', scope);
    }
  }
}

/** `setproperty`: `newPropertyParentPathTemplate` (`@body()` or `@body().a.b`), `newPropertySubPathTemplate` (a name), `propertyValuePathTemplate` (`{@body().next}` or text). */
function setProperty(p: Policy, body: Record<string, unknown>, scope: TemplateScope): void {
  const sub = param(p, 'newPropertySubPathTemplate');
  if (!sub) return;
  const parent = bodyPath(body, param(p, 'newPropertyParentPathTemplate') ?? '@body()');
  if (!parent || typeof parent !== 'object' || Array.isArray(parent)) return;
  const template = param(p, 'propertyValuePathTemplate') ?? '';
  const ref = /^\{?\s*(@body\(\)[^}]*)\}?$/i.exec(template.trim());
  const value = ref ? bodyPath(body, ref[1]) : renderTemplate(template, scope);
  (parent as Record<string, unknown>)[renderTemplate(sub, scope)] = value ?? null;
}

function bodyPath(body: unknown, expr: string): unknown {
  const m = /^@body\(\)((?:\.[^.]+|\['[^']*'\])*)$/i.exec(expr.trim());
  if (!m) return undefined;
  let node: unknown = body;
  for (const seg of m[1].match(/\.[^.[]+|\['[^']*'\]/g) ?? []) {
    const key = seg.startsWith('.') ? seg.slice(1) : seg.slice(2, -2);
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A base URL split for the connection pool: `origin` (scheme://host:port) and the path prefix. */
export interface Base {
  origin: string;
  prefix: string;
}

const ABSOLUTE = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)([^?#]*)/i;

/** Splits an absolute URL into origin and path; undefined when it is not absolute http(s). */
export function splitUrl(url: string): Base | undefined {
  const m = ABSOLUTE.exec(url);
  if (!m || !/^https?:/i.test(m[1])) return undefined;
  return { origin: m[1].toLowerCase(), prefix: m[2].replace(/\/+$/, '') };
}

const baseCache = new WeakMap<ResolvedConnection, Map<Connector, Base>>();

/**
 * Where requests go: the connection's base URL when it has one, else the
 * `dynamichosturl` policy's URL, else the connector's. A base with no path
 * beyond `/` keeps the connector's base path (`http://127.0.0.1:8080` + `/rest/api/2`).
 * `{name}` parts are filled from connection parameters.
 */
export function resolveBase(
  connector: Connector,
  hostPolicy: Policy | undefined,
  connection: ResolvedConnection,
): Base {
  let perConnection = baseCache.get(connection);
  const cached = perConnection?.get(connector);
  if (cached && !hostPolicy) return cached;
  const own = splitUrl(connector.baseUrl);
  const basePath = own ? own.prefix : connector.baseUrl.startsWith('/') ? connector.baseUrl.replace(/\/+$/, '') : '';
  let url: string;
  let source: string;
  const lookup = connectionParameterLookup(connection.params);
  if (connection.baseUrl) {
    url = connection.baseUrl;
    source = `the base URL of connection ${connection.connectionId}`;
  } else if (hostPolicy && typeof hostPolicy.parameters[P + 'urlTemplate'] === 'string') {
    const missing: string[] = [];
    url = renderTemplate(
      String(hostPolicy.parameters[P + 'urlTemplate']),
      { connectionParameter: lookup, header: () => undefined, queryParameter: () => undefined, method: '' },
      missing,
    );
    if (missing.length) {
      throw new PatchbayError(
        'connection.unresolved',
        `Connector ${connector.id} builds its host from ${missing.join(', ')}, which connection ${connection.connectionId} does not set.`,
        {
          hint: 'Edit the connection and fill in that parameter, or give the connection a base URL.',
        },
      );
    }
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = `https://${url}`;
    source = `the "${hostPolicy.title}" host policy`;
  } else {
    url = connector.baseUrl;
    source = `connector ${connector.id}`;
  }
  url = url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const v = lookup(name);
    if (v === undefined) {
      throw new PatchbayError(
        'connection.unresolved',
        `The base URL from ${source} needs "${name}", which connection ${connection.connectionId} does not set.`,
        {
          hint: `Set the connection parameter ${name}, or give the connection a base URL.`,
        },
      );
    }
    return v;
  });
  const split = splitUrl(url);
  if (!split) {
    throw new PatchbayError(
      'connection.unresolved',
      `Connector ${connector.id} has no usable base URL (${url ? `"${url}" from ${source} is not an absolute http(s) URL` : 'its definition names no host'}).`,
      {
        hint: 'Give the connection a base URL such as https://api.example.com.',
      },
    );
  }
  const base = split.prefix === '' ? { origin: split.origin, prefix: basePath === '/' ? '' : basePath } : split;
  if (!hostPolicy) {
    if (!perConnection) baseCache.set(connection, (perConnection = new Map()));
    perConnection.set(connector, base);
  }
  return base;
}
