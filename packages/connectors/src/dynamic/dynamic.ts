/**
 * Design-time lookups for the designer's dropdowns and dynamic forms:
 * `getDynamicValues` calls the operation named by `x-ms-dynamic-values` /
 * `x-ms-dynamic-list` and reads `{value, title}` options from its response;
 * `getDynamicSchema` calls the operation named by `x-ms-dynamic-schema` /
 * `x-ms-dynamic-properties` and turns the schema it returns into fields.
 */
import { PatchbayError, isValueObject, type Logger, type ResolvedConnection, type Value } from '@patchbay/core';
import type {
  Connector,
  DynamicParameter,
  FieldType,
  JsonSchema,
  Operation,
  OperationInput,
  Visibility,
} from '../model.js';
import { findOperation, invokeOperation } from '../invoke/invoke.js';

export interface DynamicRequest {
  connector: Connector;
  /** The operation whose parameter is being filled in. */
  operation: string;
  /** That parameter's name (or key / wire name). For `getDynamicSchema`, omit it to resolve the operation's dynamic output schema. */
  parameter?: string;
  connection: ResolvedConnection;
  /** Values already chosen for the operation's other parameters. */
  params?: Record<string, Value>;
  signal?: AbortSignal;
  timeoutMs?: number;
  logger?: Logger;
}

export interface DynamicOption {
  value: Value;
  title: string;
}

export interface DynamicField {
  /** Name a step uses in `params` (the path inside the schema joined by `/`). */
  name: string;
  /** Power Automate key, e.g. `body/address/city`. */
  key: string;
  path: string[];
  displayName: string;
  description?: string;
  type: FieldType;
  format?: string;
  required: boolean;
  visibility: Visibility;
  enum?: unknown[];
}

export async function getDynamicValues(req: DynamicRequest & { parameter: string }): Promise<DynamicOption[]> {
  const { op, input } = target(req);
  const dv = input?.dynamicValues;
  if (!input || !dv) {
    throw new PatchbayError('action.param', `Parameter "${req.parameter}" of ${op.id} has no dynamic values.`, {
      place: { pointer: `/params/${req.parameter}` },
      hint: 'Type a value instead.',
    });
  }
  if (dv.capability || !dv.operationId) {
    throw new PatchbayError(
      'connector.unsupported',
      `Parameter "${input.name}" of ${op.id} uses the "${dv.capability ?? 'unknown'}" picker, which Patchbay does not offer.`,
      { hint: 'Type the value instead.' },
    );
  }
  const body = await call(req, op, dv.operationId, dv.parameters);
  const items = dv.itemsPath ? at(body, dv.itemsPath) : body;
  const list = Array.isArray(items)
    ? items
    : isValueObject(body) && Array.isArray(body.value) && !dv.itemsPath
      ? body.value
      : undefined;
  if (!list) {
    throw new PatchbayError(
      'connector.invalid',
      `${dv.operationId} did not return a list${dv.itemsPath ? ` at "${dv.itemsPath}"` : ''}, so the options for "${input.name}" cannot be shown.`,
      {
        hint: "Check the connector definition's value-collection, or type the value.",
      },
    );
  }
  return list.map((item) => {
    const value = dv.valuePath ? at(item, dv.valuePath) : item;
    const title = dv.titlePath ? at(item, dv.titlePath) : undefined;
    return { value: value ?? null, title: textOf(title ?? value) };
  });
}

export async function getDynamicSchema(req: DynamicRequest): Promise<{ schema: JsonSchema; fields: DynamicField[] }> {
  const { op, input } = target(req);
  const ds = req.parameter === undefined ? op.dynamicSchemaOutput : input?.dynamicSchema;
  if (!ds) {
    throw new PatchbayError(
      'action.param',
      req.parameter === undefined
        ? `${op.id} has no dynamic output schema.`
        : `Parameter "${req.parameter}" of ${op.id} has no dynamic schema.`,
      { hint: 'Its shape is fixed by the connector definition.' },
    );
  }
  const body = await call(req, op, ds.operationId, ds.parameters);
  let schema = ds.valuePath ? at(body, ds.valuePath) : body;
  if (ds.source === 'x-ms-dynamic-properties' && isValueObject(schema) && !schema.type && !schema.properties)
    schema = { type: 'object', properties: schema };
  if (!isValueObject(schema)) {
    throw new PatchbayError(
      'connector.invalid',
      `${ds.operationId} did not return a schema${ds.valuePath ? ` at "${ds.valuePath}"` : ''}.`,
      { hint: "Check the connector definition's value-path." },
    );
  }
  const prefix = req.parameter === undefined ? ['body'] : input?.bodyPath ? ['body', ...input.bodyPath] : ['body'];
  return { schema: schema as JsonSchema, fields: fieldsOf(schema as JsonSchema, prefix) };
}

function target(req: DynamicRequest): { op: Operation; input?: OperationInput } {
  const op = findOperation(req.connector, req.operation);
  if (req.parameter === undefined) return { op };
  const input =
    op.inputs.find((i) => i.name === req.parameter) ??
    op.inputs.find((i) => i.key === req.parameter || i.wireName === req.parameter);
  if (!input) {
    throw new PatchbayError('action.param', `${op.id} has no parameter "${req.parameter}".`, {
      place: { pointer: `/params/${req.parameter}` },
      hint: `It has: ${op.inputs.map((i) => i.name).join(', ') || 'no parameters'}.`,
    });
  }
  return { op, input };
}

/** Calls the lookup operation with literal parameters and references to values already chosen. */
async function call(
  req: DynamicRequest,
  op: Operation,
  operationId: string,
  parameters: Record<string, DynamicParameter>,
): Promise<Value> {
  const chosen = req.params ?? {};
  const params: Record<string, Value> = {};
  for (const [name, p] of Object.entries(parameters)) {
    if ('value' in p) {
      params[name] = p.value as Value;
      continue;
    }
    const source = op.inputs.find((i) => i.wireName === p.parameter || i.name === p.parameter || i.key === p.parameter);
    const v = source ? (chosen[source.name] ?? chosen[source.key] ?? chosen[source.wireName]) : chosen[p.parameter];
    if (v === undefined || v === null || v === '') {
      throw new PatchbayError(
        'action.param',
        `Choose "${source?.displayName ?? p.parameter}" first: the options depend on it.`,
        {
          place: { pointer: `/params/${source?.name ?? p.parameter}` },
          hint: `Fill in ${source?.name ?? p.parameter}, then load the options again.`,
        },
      );
    }
    params[name] = v;
  }
  const result = await invokeOperation({
    connector: req.connector,
    operation: operationId,
    params,
    connection: req.connection,
    signal: req.signal,
    timeoutMs: req.timeoutMs,
    logger: req.logger,
    retry: { count: 1, intervalMs: 500 },
  });
  return result.body;
}

/** A value at a `/`- or `.`-separated path (`value`, `data/items`, `properties.name`). */
function at(v: Value, path: string): Value | undefined {
  let node: Value | undefined = v;
  for (const seg of path.split(/[/.]/).filter(Boolean)) {
    if (Array.isArray(node) && /^\d+$/.test(seg)) node = node[Number(seg)];
    else if (node !== undefined && isValueObject(node)) node = node[seg];
    else return undefined;
  }
  return node;
}

function textOf(v: Value | undefined): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

const FIELD_TYPES = new Set<FieldType>(['string', 'integer', 'number', 'boolean', 'array', 'object', 'file']);

function fieldsOf(schema: JsonSchema, prefix: string[], path: string[] = [], depth = 0): DynamicField[] {
  const props = schema.properties;
  if (!props || typeof props !== 'object' || depth > 6) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const out: DynamicField[] = [];
  for (const [name, raw] of Object.entries(props as Record<string, unknown>)) {
    if (!raw || typeof raw !== 'object') continue;
    const s = raw as JsonSchema;
    const p = [...path, name];
    const type = FIELD_TYPES.has(s.type as FieldType) ? (s.type as FieldType) : 'any';
    if (type === 'object' && s.properties) {
      out.push(...fieldsOf(s, prefix, p, depth + 1));
      continue;
    }
    const field: DynamicField = {
      name: p.join('/'),
      key: [...prefix, ...p].join('/'),
      path: p,
      displayName: String(s['x-ms-summary'] ?? s.title ?? name),
      type,
      required: required.has(name),
      visibility: (['important', 'advanced', 'internal'].includes(String(s['x-ms-visibility']))
        ? s['x-ms-visibility']
        : 'none') as Visibility,
    };
    if (typeof s.description === 'string') field.description = s.description;
    if (typeof s.format === 'string') field.format = s.format;
    if (Array.isArray(s.enum)) field.enum = s.enum;
    out.push(field);
  }
  return out;
}
