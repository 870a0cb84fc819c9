/**
 * The built-in RSS connector: lists the items of an RSS 2.0 or Atom feed.
 * XML is read with fast-xml-parser (no entity expansion beyond the XML ones).
 */
import { PatchbayError, type Value, type ValueObject } from '@patchbay/core';
import { XMLParser } from 'fast-xml-parser';
import type { Connector } from '../model.js';
import { NO_AUTH, codeOperation, defineConnector, prop } from './define.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  processEntities: true,
  htmlEntities: true,
  parseTagValue: false,
  trimValues: true,
});

export interface FeedItem extends ValueObject {
  id: string;
  title: string;
  primaryLink: string;
  links: string[];
  summary: string;
  publishDate: string;
  updatedOn: string;
  authors: string[];
  categories: string[];
}

const listItems = codeOperation({
  id: 'ListFeedItems',
  summary: 'List all RSS feed items',
  visibility: 'important',
  props: {
    feedUrl: prop.text({ displayName: 'The RSS feed URL', required: true }),
    since: prop.text({
      displayName: 'Since',
      description: 'Only items published after this date and time (ISO 8601).',
      visibility: 'advanced',
    }),
    top: prop.integer({ displayName: 'Top', description: 'At most this many items.', visibility: 'advanced' }),
  },
  outputs: {
    'value/title': 'string',
    'value/primaryLink': 'string',
    'value/publishDate': 'string',
    'value/summary': 'string',
  },
  async run({ params, call }) {
    const res = await call({
      method: 'GET',
      url: params.feedUrl,
      headers: { accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8' },
      followRedirects: true,
    });
    const text =
      typeof res.body === 'string'
        ? res.body
        : res.body instanceof Uint8Array
          ? new TextDecoder().decode(res.body)
          : '';
    let items = parseFeed(text, params.feedUrl);
    if (params.since) {
      const since = Date.parse(params.since);
      if (Number.isNaN(since))
        throw new PatchbayError('action.param', `"${params.since}" is not a date and time.`, {
          place: { pointer: '/params/since' },
          hint: 'Use ISO 8601, e.g. 2024-05-01T00:00:00Z.',
        });
      items = items.filter((i) => Date.parse(i.publishDate || i.updatedOn) > since);
    }
    if (params.top !== undefined) items = items.slice(0, Math.max(0, params.top));
    return { status: res.status, headers: res.headers, body: { value: items }, request: res.request };
  },
});

/** Items of an RSS 2.0 or Atom document; a clear error for anything else. */
export function parseFeed(xml: string, source = 'the feed'): FeedItem[] {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml, true) as Record<string, unknown>;
  } catch (e) {
    throw new PatchbayError(
      'connector.http',
      `${source} is not well-formed XML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
      { hint: 'Check that the URL points at an RSS or Atom feed.' },
    );
  }
  const rss = doc.rss as Record<string, unknown> | undefined;
  const channel = (rss?.channel ?? (doc['rdf:RDF'] as Record<string, unknown> | undefined)) as
    Record<string, unknown> | undefined;
  if (channel) return many(channel.item ?? (doc['rdf:RDF'] as Record<string, unknown> | undefined)?.item).map(rssItem);
  const feed = doc.feed as Record<string, unknown> | undefined;
  if (feed) return many(feed.entry).map(atomEntry);
  throw new PatchbayError('connector.http', `${source} is neither an RSS nor an Atom feed.`, {
    hint: 'Check that the URL points at an RSS or Atom feed.',
  });
}

function many(v: unknown): Record<string, unknown>[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (Array.isArray(v)) return text(v[0]);
  if (typeof v === 'object')
    return text((v as Record<string, unknown>)['#text'] ?? (v as Record<string, unknown>)['@href'] ?? '');
  return '';
}

function isoDate(v: string): string {
  const t = Date.parse(v);
  return Number.isNaN(t) ? v : new Date(t).toISOString();
}

function rssItem(i: Record<string, unknown>): FeedItem {
  const link = text(i.link);
  return {
    id: text(i.guid) || link,
    title: text(i.title),
    primaryLink: link,
    links: link ? [link] : [],
    summary: text(i.description ?? i['content:encoded']),
    publishDate: isoDate(text(i.pubDate ?? i['dc:date'])),
    updatedOn: isoDate(text(i['atom:updated'] ?? i.pubDate ?? i['dc:date'])),
    authors: [text(i.author ?? i['dc:creator'])].filter(Boolean),
    categories: many(i.category)
      .map(text)
      .concat(
        (Array.isArray(i.category) ? i.category : [i.category]).filter((c): c is string => typeof c === 'string'),
      ),
  };
}

function atomEntry(e: Record<string, unknown>): FeedItem {
  const links = (Array.isArray(e.link) ? e.link : [e.link]).filter(Boolean) as Value[];
  const hrefs = links
    .map((l) =>
      typeof l === 'object' && l !== null && !Array.isArray(l)
        ? text((l as Record<string, unknown>)['@href'])
        : text(l),
    )
    .filter(Boolean);
  const alternate = links.find(
    (l) =>
      typeof l === 'object' &&
      l !== null &&
      !Array.isArray(l) &&
      ((l as Record<string, unknown>)['@rel'] ?? 'alternate') === 'alternate',
  );
  return {
    id: text(e.id),
    title: text(e.title),
    primaryLink: alternate ? text((alternate as Record<string, unknown>)['@href']) : (hrefs[0] ?? ''),
    links: hrefs,
    summary: text(e.summary ?? e.content),
    publishDate: isoDate(text(e.published ?? e.updated)),
    updatedOn: isoDate(text(e.updated ?? e.published)),
    authors: many(e.author)
      .map((a) => text(a.name))
      .filter(Boolean),
    categories: many(e.category)
      .map((c) => text(c['@term']))
      .filter(Boolean),
  };
}

export function rssConnector(): Connector {
  return defineConnector({
    id: 'rss',
    displayName: 'RSS',
    description: 'Read items from RSS and Atom feeds.',
    brandColor: '#ff9900',
    baseUrl: '',
    authSchemes: [NO_AUTH],
    operations: [listItems],
  });
}
