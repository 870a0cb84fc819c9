/**
 * OpenAPI 3.1 `webhooks` and 3.x operation `callbacks`: requests the service
 * sends, not calls a flow makes. They are kept in the model (for the triggers
 * that will use them) and named in a warning, never dropped without a word.
 */
import type { ConnectorEvent } from '../model.js';
import type { RefResolver } from './refs.js';
import { isObject, obj, str } from './util.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function eventsOf(
  item: unknown,
  refs: RefResolver,
  base: Omit<ConnectorEvent, 'method' | 'operationId' | 'summary'>,
): ConnectorEvent[] {
  const path = obj(refs.deref(item));
  const out: ConnectorEvent[] = [];
  for (const method of METHODS) {
    const op = path[method];
    if (!isObject(op)) continue;
    const e: ConnectorEvent = { ...base, method: method.toUpperCase() };
    const id = str(op.operationId);
    if (id) e.operationId = id;
    const summary = str(op.summary) ?? str(op.description);
    if (summary) e.summary = summary;
    out.push(e);
  }
  return out;
}

/** The webhooks and callbacks of a definition, with a warning naming them when there are any. */
export function extractEvents(
  doc: Record<string, unknown>,
  refs: RefResolver,
): { events: ConnectorEvent[]; warning?: string } {
  const events: ConnectorEvent[] = [];
  for (const [name, item] of Object.entries(obj(doc.webhooks)))
    events.push(...eventsOf(item, refs, { kind: 'webhook', name }));
  for (const [path, rawItem] of Object.entries(obj(doc.paths))) {
    const item = obj(refs.deref(rawItem));
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op) || !isObject(op.callbacks)) continue;
      const parent = str(op.operationId) ?? `${method.toUpperCase()} ${path}`;
      for (const [name, rawCallback] of Object.entries(op.callbacks)) {
        const callback = obj(refs.deref(rawCallback));
        for (const [expression, cbItem] of Object.entries(callback))
          events.push(...eventsOf(cbItem, refs, { kind: 'callback', name, expression, parentOperationId: parent }));
      }
    }
  }
  if (events.length === 0) return { events };
  const webhooks = [...new Set(events.filter((e) => e.kind === 'webhook').map((e) => e.name))];
  const callbacks = [
    ...new Set(events.filter((e) => e.kind === 'callback').map((e) => `${e.parentOperationId}/${e.name}`)),
  ];
  const parts: string[] = [];
  if (webhooks.length) parts.push(`${webhooks.length} webhook${webhooks.length === 1 ? '' : 's'} (${list(webhooks)})`);
  if (callbacks.length)
    parts.push(`${callbacks.length} callback${callbacks.length === 1 ? '' : 's'} (${list(callbacks)})`);
  return {
    events,
    warning: `The definition describes ${parts.join(' and ')}: requests the service sends, not actions a flow calls. They are kept with the connector for triggers; flows start on demand today.`,
  };
}

function list(names: string[]): string {
  return names.length > 5 ? `${names.slice(0, 5).join(', ')}, …` : names.join(', ');
}
