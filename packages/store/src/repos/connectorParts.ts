/**
 * How a connector model is kept: a summary row (what `connector list`, the
 * API's catalog and the designer's actions pane read, without the model), the
 * model's head (everything but its operations) and one row per operation, so
 * a call or the designer loads one operation at a time. Shared schemas
 * (`components`, referred to as `{"$ref": "#/components/NAME"}`) get a row
 * each, and an operation is loaded with the components it reaches. The store
 * knows only this much of the model's shape.
 */

/** A reference to a shared schema, as written in stored JSON. */
const COMPONENT_REF = /"\$ref":"#\/components\/((?:[^"\\]|\\.)*)"/g;

/** Names of the components a JSON text refers to (JSON pointer tokens unescaped). */
export function componentRefs(json: string): string[] {
  const out = new Set<string>();
  for (const m of json.matchAll(COMPONENT_REF)) {
    let token: string;
    try {
      token = JSON.parse(`"${m[1]}"`) as string;
    } catch {
      continue;
    }
    out.add(token.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  return [...out];
}

/**
 * What the catalog shows of one operation. Keys at their usual value are left
 * out (no description, visibility `none`, not deprecated, not a trigger,
 * usable as an action), which halves a catalog of thousands of operations.
 */
export interface OperationSummary {
  id: string;
  summary: string;
  description?: string;
  visibility?: string;
  deprecated?: true;
  isTrigger?: true;
  usableAsAction?: false;
}

/** The summary of one operation of a model. */
export function operationSummary(o: { [K in keyof OperationSummary]?: unknown }): OperationSummary {
  const s: OperationSummary = { id: String(o.id), summary: text(o.summary) };
  if (text(o.description)) s.description = text(o.description);
  if (text(o.visibility, 'none') !== 'none') s.visibility = text(o.visibility);
  if (o.deprecated === true) s.deprecated = true;
  if (o.isTrigger === true) s.isTrigger = true;
  if (o.usableAsAction === false) s.usableAsAction = false;
  return s;
}

/** What listing a connector reads: never the operations' inputs, outputs or schemas. */
export interface ConnectorSummaryRecord {
  id: string;
  displayName: string;
  description: string;
  iconUrl?: string;
  brandColor: string;
  publisher?: string;
  /** The model's auth schemes (small: names, types, connection parameters). */
  authSchemes: unknown[];
  /** Kinds of those schemes (`none`, `apiKey`, `oauth2`…), each once. */
  authKinds: string[];
  counts: { operations: number; actions: number; triggers: number };
  operations: OperationSummary[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

/** The parts a model is stored as; refuses a model that is not an object or whose operations have no ids. */
export function splitConnectorModel(model: unknown): {
  head: Record<string, unknown>;
  operations: { id: string; model: Record<string, unknown> }[];
  components: { name: string; model: unknown }[];
  summary: ConnectorSummaryRecord;
} {
  if (!isObject(model)) throw new TypeError('a connector model is an object');
  const { operations: rawOps, components: rawComponents, ...head } = model;
  if (rawComponents !== undefined && !isObject(rawComponents))
    throw new TypeError('the components of the connector model are not an object');
  const components = Object.entries(rawComponents ?? {}).map(([name, m]) => ({ name, model: m }));
  const operations = (Array.isArray(rawOps) ? rawOps : []).map((op, i) => {
    if (!isObject(op) || typeof op.id !== 'string' || op.id === '')
      throw new TypeError(`operation ${i} of the connector model has no id`);
    return { id: op.id, model: op };
  });
  return {
    head,
    operations,
    components,
    summary: summaryOf(
      head,
      operations.map((o) => o.model),
    ),
  };
}

function summaryOf(head: Record<string, unknown>, ops: Record<string, unknown>[]): ConnectorSummaryRecord {
  const authSchemes = Array.isArray(head.authSchemes) ? head.authSchemes : [];
  const operations = ops.map((o) => operationSummary(o));
  const s: ConnectorSummaryRecord = {
    id: text(head.id),
    displayName: text(head.displayName, text(head.id)),
    description: text(head.description),
    brandColor: text(head.brandColor),
    authSchemes,
    authKinds: [...new Set(authSchemes.map((a) => (isObject(a) ? text(a.type) : '')).filter(Boolean))],
    counts: {
      operations: operations.length,
      actions: operations.filter((o) => o.usableAsAction !== false).length,
      triggers: operations.filter((o) => o.isTrigger).length,
    },
    operations,
  };
  if (typeof head.iconUrl === 'string') s.iconUrl = head.iconUrl;
  if (typeof head.publisher === 'string') s.publisher = head.publisher;
  return s;
}
