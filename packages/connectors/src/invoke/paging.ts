/**
 * Paging: `x-ms-pageable` (a next link inside the body, items under
 * `itemsName`) and the `Link: <…>; rel="next"` response header (GitHub, where
 * the body is the list itself). Pages are read up to a limit, on the first
 * page's origin only, so the connection's credentials never go elsewhere.
 */
import { isValueObject, type Logger, type Value } from '@patchbay/core';
import type { Operation } from '../model.js';
import type { BuiltRequest } from './request.js';
import type { Exchange } from './send.js';
import type { InvokeResult } from './invoke.js';
import type { SecretSet } from './secrets.js';

export interface PagingContext {
  op: Operation;
  req: BuiltRequest;
  exchange: (r: BuiltRequest) => Promise<Exchange>;
  /** Checks the status and parses one page like the first. */
  read: (res: Exchange, req: BuiltRequest) => InvokeResult;
  maxPages: number;
  /** The most items to gather (Infinity: no limit but the pages). */
  maxItems: number;
  logger?: Logger;
  secrets: SecretSet;
}

/** The `rel="next"` target of a `Link` header (RFC 8288), or undefined. */
export function nextFromLinkHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const m of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]*)*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(m[2]);
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (rels.includes('next')) return m[1];
  }
  return undefined;
}

/** The next page's URL when it is on `origin`; undefined (with a warning) when it is not a URL or leaves the origin. */
export function sameOriginLink(
  next: string,
  origin: string,
  op: Operation,
  logger?: Logger,
  base?: string,
): URL | undefined {
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    logger?.warn(`${op.id}: the next page link is not a URL; paging stopped.`);
    return undefined;
  }
  if (url.origin !== origin) {
    logger?.warn(
      `${op.id}: the next page link points to another host; paging stopped so the connection's credentials stay with ${origin}.`,
    );
    return undefined;
  }
  return url;
}

/** A GET for the next page on the same origin, or undefined (with a warning) when the link leaves it. */
function pageRequest(next: string, o: PagingContext): BuiltRequest | undefined {
  const url = sameOriginLink(next, o.req.origin, o.op, o.logger, `${o.req.origin}${o.req.path}`);
  if (!url) return undefined;
  const headers = { ...o.req.headers };
  delete headers['content-type'];
  const record = { ...o.req.record, method: 'GET', url: o.secrets.scrub(`${url.origin}${url.pathname}${url.search}`) };
  return { origin: o.req.origin, method: 'GET', path: `${url.pathname}${url.search}`, headers, record };
}

/** What a body pager needs: the limits, and how to fetch the page a next link names (undefined: stop). */
export interface BodyPager {
  op: Operation;
  maxPages: number;
  maxItems: number;
  fetchPage(next: string): Promise<InvokeResult | undefined>;
}

/**
 * `x-ms-pageable`: follows `nextLinkName` in the body and concatenates
 * `itemsName`, up to the page and item limits. Where the page limit stops
 * paging, the last next link stays so the caller can go on; the item limit
 * is the answer asked for, cut to it.
 */
export async function followNextLinks(first: InvokeResult, o: BodyPager): Promise<InvokeResult> {
  const { nextLinkName, itemsName } = o.op.pageable as { nextLinkName: string; itemsName: string };
  if (!isValueObject(first.body) || !Array.isArray(first.body[itemsName])) return first;
  const page = first.body;
  const items: Value[] = [...(page[itemsName] as Value[])];
  let next = page[nextLinkName];
  let pages = 1;
  while (typeof next === 'string' && next !== '' && pages < o.maxPages && items.length < o.maxItems) {
    const res = await o.fetchPage(next);
    if (!res) break;
    pages++;
    if (!isValueObject(res.body)) break;
    const more = res.body[itemsName];
    if (Array.isArray(more)) items.push(...more);
    next = res.body[nextLinkName];
  }
  const full = items.length >= o.maxItems;
  const body: Record<string, Value> = { ...page, [itemsName]: full ? items.slice(0, o.maxItems) : items };
  if (!full && typeof next === 'string' && next !== '' && pages >= o.maxPages) body[nextLinkName] = next;
  else delete body[nextLinkName];
  return { ...first, body, pages };
}

/** `x-ms-pageable` for a request the invoker built: next pages are GETs on the first page's origin only. */
export function followBodyPages(first: InvokeResult, o: PagingContext): Promise<InvokeResult> {
  return followNextLinks(first, {
    ...o,
    async fetchPage(next) {
      const req = pageRequest(next, o);
      return req ? o.read(await o.exchange(req), req) : undefined;
    },
  });
}

/**
 * `Link` header paging: the body of each page is a list; the lists are
 * concatenated. When the limit stops paging, the result's `link` header is
 * the last page's, so its `rel="next"` says where to go on.
 */
export async function followLinkPages(first: InvokeResult, o: PagingContext): Promise<InvokeResult> {
  if (!Array.isArray(first.body)) return first;
  const items: Value[] = [...first.body];
  let link = first.headers.link;
  let next = nextFromLinkHeader(link);
  let pages = 1;
  while (next !== undefined && pages < o.maxPages && items.length < o.maxItems) {
    const req = pageRequest(next, o);
    if (!req) break;
    const res = o.read(await o.exchange(req), req);
    pages++;
    if (!Array.isArray(res.body)) break;
    items.push(...res.body);
    link = res.headers.link;
    next = nextFromLinkHeader(link);
  }
  const full = items.length >= o.maxItems;
  const headers = { ...first.headers };
  if (!full && next !== undefined && link !== undefined) headers.link = link;
  else delete headers.link;
  return {
    status: first.status,
    headers,
    body: full ? items.slice(0, o.maxItems) : items,
    request: first.request,
    pages,
  };
}

/** A pageable operation without a next link to follow: the first page, cut to the item limit. */
export function limitFirstPage(first: InvokeResult, o: PagingContext): InvokeResult {
  if (!Number.isFinite(o.maxItems)) return first;
  const itemsName = o.op.pageable?.itemsName;
  if (Array.isArray(first.body) && first.body.length > o.maxItems)
    return { ...first, body: first.body.slice(0, o.maxItems) };
  if (itemsName && isValueObject(first.body)) {
    const items = first.body[itemsName];
    if (Array.isArray(items) && items.length > o.maxItems)
      return { ...first, body: { ...first.body, [itemsName]: items.slice(0, o.maxItems) } };
  }
  return first;
}
