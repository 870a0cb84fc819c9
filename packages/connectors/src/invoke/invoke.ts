/**
 * `invokeOperation`: calls one operation of a connector with one connection —
 * request building (plan cached per operation), auth, policies, the per-origin
 * keep-alive pool, timeout, Power Platform's retry policy with `Retry-After`,
 * one token refresh on 401, typed response bodies, service error messages and
 * paging (`x-ms-pageable` or a `Link` header). Secrets never reach the result, errors or logs.
 */
import {
  PatchbayError,
  checkEndpoint,
  type EndpointRuleSet,
  type Logger,
  type ResolvedConnection,
  type Value,
} from '@patchbay/core';
import type { Connector, Operation, Policy } from '../model.js';
import { applyAuth, schemeFor } from './auth.js';
import { planFor } from './plan.js';
import { applyResponsePolicies, resolveBase } from './policies.js';
import { buildRawRequest, buildRequest, collectValues, type BuiltRequest } from './request.js';
import { resolveOperation } from '../resolve-operation.js';
import { builtinRunOf, type BuiltinRun, type BuiltinRunContext, type Props } from '../builtin/define.js';
import type { RequestPlan } from './plan.js';
import { parseBody, serviceMessage } from './response.js';
import { backoffMs, isRetryableStatus, parseRetryAfter, resolveRetry, sleep, type RetryPolicy } from './retry.js';
import { secretsOf, type SecretSet } from './secrets.js';
import { send, type Exchange } from './send.js';
import { followBodyPages, followLinkPages, followNextLinks, limitFirstPage, sameOriginLink } from './paging.js';

export interface InvokeOptions {
  connector: Connector;
  /** Operation id. */
  operation: string;
  params?: Record<string, Value>;
  connection: ResolvedConnection;
  signal?: AbortSignal;
  /** Per attempt; 120 s (Power Platform's limit) when not given. */
  timeoutMs?: number;
  /** Power Platform's default when not given; `{count: 0}` turns retries off. */
  retry?: Partial<RetryPolicy>;
  /** Pages to read for `x-ms-pageable` operations (1 = no paging); 20 when not given. */
  maxPages?: number;
  /**
   * The most items to gather over all pages (a step's pagination threshold).
   * A `top`/`$top` parameter the call sets lowers it: asking for 10 items
   * never returns more than 10, whatever the page size.
   */
  maxItems?: number;
  logger?: Logger;
  /**
   * Endpoint rules of the run's data-loss-prevention policies: every request
   * (each retry, page and redirect hop) is checked on its final URL first.
   */
  endpointRules?: readonly EndpointRuleSet[];
}

export interface InvokeRequestRecord {
  method: string;
  /** Secret query values redacted. */
  url: string;
  /** Auth headers redacted. */
  headers: Record<string, string>;
}

export interface InvokeResult {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, text, or bytes for binary content; `null` when empty. */
  body: Value;
  request: InvokeRequestRecord;
  /** Pages read for a pageable operation. */
  pages?: number;
}

export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_PAGES = 20;

const operationIndex = new WeakMap<Connector, Map<string, Operation>>();

/** The operation with this id, or a `connector.unknown` error listing close matches. */
export function findOperation(connector: Connector, id: string): Operation {
  let index = operationIndex.get(connector);
  if (!index) {
    index = new Map(connector.operations.map((o) => [o.id, o]));
    operationIndex.set(connector, index);
  }
  const op = index.get(id) ?? connector.operations.find((o) => o.id.toLowerCase() === id.toLowerCase());
  if (op) return resolveOperation(connector, op);
  const near = connector.operations
    .filter((o) => o.id.toLowerCase().includes(id.toLowerCase().slice(0, 4)))
    .slice(0, 5)
    .map((o) => o.id);
  throw new PatchbayError('connector.unknown', `Connector ${connector.id} has no operation "${id}".`, {
    hint: near.length
      ? `Did you mean ${near.join(', ')}?`
      : `It has: ${connector.operations
          .slice(0, 10)
          .map((o) => o.id)
          .join(', ')}${connector.operations.length > 10 ? ', …' : ''}.`,
  });
}

export async function invokeOperation(opts: InvokeOptions): Promise<InvokeResult> {
  const { connector, connection } = opts;
  const op = findOperation(connector, opts.operation);
  if (op.needsCustomCode) {
    throw new PatchbayError(
      'connector.unsupported',
      `Operation ${op.id} of connector ${connector.id} relies on the connector's custom code script (script.csx), which cannot run in Patchbay.`,
      {
        hint: 'Use another operation, or call the service with the HTTP connector.',
      },
    );
  }
  const plan = planFor(op);
  const code = builtinRunOf(op);
  if (code) return runBuiltin(code, { ...opts, op, plan });
  if (!plan.warned && (plan.unknownPolicies.length || plan.unsendableHeaders.length)) {
    plan.warned = true;
    if (plan.unknownPolicies.length)
      opts.logger?.warn(
        `Connector ${connector.id}: policy templates ${plan.unknownPolicies.join(', ')} are not supported and were skipped for ${op.id}.`,
      );
    if (plan.unsendableHeaders.length)
      opts.logger?.warn(
        `Connector ${connector.id}: ${op.id} declares header parameters that HTTP cannot carry (${plan.unsendableHeaders.map((h) => `"${h}"`).join(', ')}); they are not sent.`,
      );
  }
  const secrets = secretsOf(connector, connection);
  const scheme = schemeFor(connector, op, connection);
  const retry = resolveRetry(opts.retry);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const params = opts.params ?? {};

  // Synchronous unless OAuth2 or a multipart body needs to wait: the hot path awaits nothing before sending.
  const build = (forceRefresh: boolean): BuiltRequest | Promise<BuiltRequest> => {
    const auth = applyAuth(scheme, connection, secrets, { forceRefresh });
    return auth instanceof Promise
      ? auth.then((a) => buildRequest({ connector, plan, params, connection, auth: a, secrets }))
      : buildRequest({ connector, plan, params, connection, auth, secrets });
  };
  const built = build(false);
  let req = built instanceof Promise ? await built : built;
  let refreshed = false;
  const sending = {
    retry,
    timeoutMs,
    signal: opts.signal,
    logger: opts.logger,
    secrets,
    connector: connector.id,
    endpointRules: opts.endpointRules,
  };
  const exchange = async (r: BuiltRequest): Promise<Exchange> => {
    for (;;) {
      const res = await sendWithRetry(r, sending);
      if (res.status === 401 && scheme?.type === 'oauth2' && connection.getAccessToken && !refreshed) {
        refreshed = true;
        const fresh = await build(true);
        const wasFirst = r === req;
        req = fresh;
        // A page request keeps its own URL and gets the fresh token.
        r = wasFirst
          ? fresh
          : {
              origin: r.origin,
              method: r.method,
              path: r.path,
              headers: { ...r.headers, authorization: fresh.headers.authorization },
              body: r.body,
              record: r.record,
            };
        continue;
      }
      return res;
    }
  };

  const first = await exchange(req);
  const read = (res: Exchange, r: BuiltRequest): InvokeResult =>
    toResult(res, r, secrets, connection, plan.responsePolicies);
  const result = read(first, req);
  if (!op.pageable) return result;
  const maxItems = itemLimit(op, params, opts.maxItems);
  const maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
  const paging = { op, req, exchange, read, maxPages, maxItems, logger: opts.logger, secrets };
  if (op.pageable.linkHeader) return followLinkPages(result, paging);
  return op.pageable.nextLinkName ? followBodyPages(result, paging) : limitFirstPage(result, paging);
}

/** Parameter names that ask for at most N items (OData's `$top`, and the `top` of many APIs). */
const TOP_NAMES = new Set(['top', '$top']);

/** The most items a paged call may return: the caller's limit, lowered by a `top` parameter the call sets. */
export function itemLimit(op: Operation, params: Record<string, Value>, maxItems: number | undefined): number {
  let limit = maxItems !== undefined && maxItems > 0 ? maxItems : Infinity;
  for (const input of op.inputs) {
    if (input.in !== 'query' || !TOP_NAMES.has(input.wireName.toLowerCase())) continue;
    const top = Number(params[input.name] ?? input.default);
    if (Number.isInteger(top) && top > 0) limit = Math.min(limit, top);
  }
  return limit;
}

async function sendWithRetry(
  req: BuiltRequest,
  o: {
    retry: RetryPolicy;
    timeoutMs: number;
    signal?: AbortSignal;
    logger?: Logger;
    secrets: SecretSet;
    connector: string;
    endpointRules?: readonly EndpointRuleSet[];
  },
): Promise<Exchange> {
  if (o.endpointRules?.length) {
    try {
      checkEndpoint(o.endpointRules, { connector: o.connector }, `${req.origin}${req.path}`);
    } catch (e) {
      throw scrubError(e, o.secrets);
    }
  }
  for (let attempt = 0; ; attempt++) {
    let res: Exchange | undefined;
    let failure: PatchbayError | undefined;
    try {
      res = await send({
        origin: req.origin,
        method: req.method,
        path: req.path,
        headers: req.headers,
        body: req.body,
        timeoutMs: o.timeoutMs,
        signal: o.signal,
        safeUrl: () => req.record.url,
      });
    } catch (e) {
      if (!(e instanceof PatchbayError) || e.code !== 'connector.http' || !e.retryable) throw scrubError(e, o.secrets);
      failure = scrubError(e, o.secrets);
    }
    const retryable = failure !== undefined || (res !== undefined && isRetryableStatus(res.status));
    if (!retryable || attempt >= o.retry.count) {
      if (failure) throw failure;
      return res as Exchange;
    }
    const wait = (res && parseRetryAfter(res.headers['retry-after'])) ?? backoffMs(o.retry, attempt + 1);
    o.logger?.info(
      `${req.method} ${req.record.url} ${res ? `answered ${res.status}` : 'failed'}; retry ${attempt + 1} of ${o.retry.count} in ${wait} ms.`,
    );
    await sleep(wait, o.signal);
  }
}

function toResult(
  res: Exchange,
  req: BuiltRequest,
  secrets: SecretSet,
  connection: ResolvedConnection,
  policies: readonly Policy[],
): InvokeResult {
  const body = parseBody(res.bytes, res.headers['content-type']);
  if (res.status < 200 || res.status >= 300) {
    const said = serviceMessage(body);
    throw new PatchbayError(
      'connector.http',
      secrets.scrub(`${req.method} ${req.record.url} answered ${res.status}${said ? `: ${said}` : '.'}`),
      {
        status: res.status,
        retryable: isRetryableStatus(res.status),
        retryAfterMs: parseRetryAfter(res.headers['retry-after']),
        hint: hintFor(res.status),
      },
    );
  }
  const result: InvokeResult = new Result(res.status, res.headers, body, req);
  if (policies.length) applyResponsePolicies(policies, body, res.headers, connection, req.method);
  return result;
}

/** A result whose redacted request record is worked out when read (most callers never read it). */
class Result implements InvokeResult {
  // A private field: spreading or logging a result never shows the unredacted request.
  readonly #req: BuiltRequest;

  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly body: Value,
    req: BuiltRequest,
  ) {
    this.#req = req;
  }

  get request(): InvokeRequestRecord {
    return this.#req.record;
  }

  toJSON(): Omit<InvokeResult, 'pages'> {
    return { status: this.status, headers: this.headers, body: this.body, request: this.request };
  }
}

function hintFor(status: number): string {
  if (status === 401)
    return "The service did not accept the connection's credentials: sign in again or update the key.";
  if (status === 403) return "The connection's account is not allowed to do this.";
  if (status === 404) return "Check the ids and names in the step's parameters.";
  if (status === 429) return 'The service is limiting requests: try again later or slow the flow down.';
  if (status >= 500) return 'The service had a problem: try again later.';
  return "Check the step's parameters against what the service expects.";
}

function scrubError(e: unknown, secrets: SecretSet): PatchbayError {
  if (!(e instanceof PatchbayError))
    return new PatchbayError('internal', secrets.scrub(e instanceof Error ? e.message : String(e)));
  if (!secrets.has(e.message)) return e;
  return new PatchbayError(e.code, secrets.scrub(e.message), {
    place: e.place,
    hint: e.hint,
    retryable: e.retryable,
    status: e.status,
    retryAfterMs: e.retryAfterMs,
  });
}

/** Built-in operations with code (HTTP, RSS): typed params in, `call` for requests with the connection's auth, retry and pool. */
async function runBuiltin(
  run: BuiltinRun,
  opts: InvokeOptions & { op: Operation; plan: RequestPlan },
): Promise<InvokeResult> {
  const { connector, connection, op } = opts;
  const { values } = collectValues(opts.plan, opts.params ?? {});
  const params: Record<string, Value> = {};
  for (const [input, v] of values) params[input.name] = v;
  const secrets = secretsOf(connector, connection);
  const scheme = schemeFor(connector, op, connection);
  const retry = resolveRetry(opts.retry);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let last: InvokeRequestRecord | undefined;
  const call: BuiltinRunContext<Props>['call'] = async (r) => {
    const base = /^[a-z][a-z0-9+.-]*:/i.test(r.url) ? undefined : resolveBase(connector, undefined, connection);
    const build = async (forceRefresh: boolean): Promise<BuiltRequest> =>
      buildRawRequest({ ...r, base, auth: await applyAuth(scheme, connection, secrets, { forceRefresh }), secrets });
    const o = {
      retry,
      timeoutMs,
      signal: opts.signal,
      logger: opts.logger,
      secrets,
      connector: connector.id,
      endpointRules: opts.endpointRules,
    };
    let req = await build(false);
    let res = await sendWithRetry(req, o);
    if (res.status === 401 && scheme?.type === 'oauth2' && connection.getAccessToken) {
      req = await build(true);
      res = await sendWithRetry(req, o);
    }
    // Redirects (OneDrive downloads answer 302 to a pre-signed URL): credentials go only to the same origin
    // (and, when the operation gives an auth scope, only inside it).
    for (
      let hops = 0;
      r.followRedirects && hops < 5 && [301, 302, 303, 307, 308].includes(res.status) && res.headers.location;
      hops++
    ) {
      const target = new URL(res.headers.location, `${req.origin}${req.path}`);
      const sameOrigin = target.origin === req.origin && (r.authScope?.(target) ?? true);
      const auth = sameOrigin
        ? await applyAuth(scheme, connection, secrets)
        : { headers: [], query: [], secretHeaders: [], secretQuery: [] };
      const keep = res.status === 307 || res.status === 308;
      req = buildRawRequest({
        method: keep ? req.method : 'GET',
        url: target.href,
        headers: keep ? r.headers : undefined,
        body: keep ? r.body : undefined,
        auth,
        secrets,
      });
      res = await sendWithRetry(req, o);
    }
    last = req.record;
    return toResult(res, req, secrets, connection, []);
  };
  const out = await run({ params, connection, connector, signal: opts.signal, call });
  const result: InvokeResult = {
    status: out.status ?? 200,
    headers: out.headers ?? {},
    body: out.body,
    request: out.request ?? last ?? { method: op.method, url: `builtin:${connector.id}/${op.id}`, headers: {} },
  };
  if (!op.pageable?.nextLinkName) return result;
  // Operations written in code (OneDrive's folder listing) page on the first request's origin only.
  let origin: string;
  try {
    origin = new URL(result.request.url).origin;
  } catch {
    return result;
  }
  return followNextLinks(result, {
    op,
    maxPages: opts.maxPages ?? DEFAULT_MAX_PAGES,
    maxItems: itemLimit(op, params, opts.maxItems),
    async fetchPage(next) {
      const url = sameOriginLink(next, origin, op, opts.logger);
      return url ? call({ method: 'GET', url: url.href }) : undefined;
    },
  });
}
