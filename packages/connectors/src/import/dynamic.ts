/**
 * `x-ms-dynamic-values`, `x-ms-dynamic-list`, `x-ms-dynamic-schema` and
 * `x-ms-dynamic-properties`, read into the model's two shapes. References to
 * other inputs (`{parameter: "x"}`, `{parameterReference: "body/x"}`) are
 * later pointed at the operation's input keys by `linkDynamicReferences`.
 */
import type { DynamicParameter, DynamicSchema, DynamicValues, OperationInput } from '../model.js';
import { isObject, obj, str } from './util.js';

function dynamicParameters(raw: unknown): Record<string, DynamicParameter> {
  const out: Record<string, DynamicParameter> = {};
  for (const [name, v] of Object.entries(obj(raw))) {
    if (isObject(v) && typeof (v.parameter ?? v.parameterReference) === 'string')
      out[name] = { parameter: String(v.parameter ?? v.parameterReference) };
    else if (isObject(v) && 'value' in v) out[name] = { value: v.value };
    else out[name] = { value: v };
  }
  return out;
}

/** Dynamic values of a parameter or property, from either extension (`x-ms-dynamic-list` wins, as in Power Automate). */
export function readDynamicValues(node: Record<string, unknown>): DynamicValues | undefined {
  const dl = node['x-ms-dynamic-list'];
  if (isObject(dl) && str(dl.operationId)) {
    const d: DynamicValues = {
      source: 'x-ms-dynamic-list',
      operationId: str(dl.operationId)!,
      parameters: dynamicParameters(dl.parameters),
    };
    const itemsPath = str(dl.itemsPath);
    const valuePath = str(dl.itemValuePath);
    const titlePath = str(dl.itemTitlePath);
    if (itemsPath) d.itemsPath = itemsPath;
    if (valuePath) d.valuePath = valuePath;
    if (titlePath) d.titlePath = titlePath;
    return d;
  }
  const dv = node['x-ms-dynamic-values'];
  if (isObject(dv) && (str(dv.operationId) || str(dv.capability))) {
    const d: DynamicValues = {
      source: 'x-ms-dynamic-values',
      operationId: str(dv.operationId) ?? '',
      parameters: dynamicParameters(dv.parameters),
    };
    const itemsPath = str(dv['value-collection']);
    const valuePath = str(dv['value-path']);
    const titlePath = str(dv['value-title']);
    const capability = str(dv.capability);
    if (itemsPath) d.itemsPath = itemsPath;
    if (valuePath) d.valuePath = valuePath;
    if (titlePath) d.titlePath = titlePath;
    if (capability) d.capability = capability;
    return d;
  }
  return undefined;
}

/** A dynamic schema on a parameter, property or response schema. */
export function readDynamicSchema(node: Record<string, unknown>): DynamicSchema | undefined {
  const dp = node['x-ms-dynamic-properties'];
  if (isObject(dp) && str(dp.operationId)) {
    const d: DynamicSchema = {
      source: 'x-ms-dynamic-properties',
      operationId: str(dp.operationId)!,
      parameters: dynamicParameters(dp.parameters),
    };
    const valuePath = str(dp.itemValuePath);
    if (valuePath) d.valuePath = valuePath;
    return d;
  }
  const ds = node['x-ms-dynamic-schema'];
  if (isObject(ds) && str(ds.operationId)) {
    const d: DynamicSchema = {
      source: 'x-ms-dynamic-schema',
      operationId: str(ds.operationId)!,
      parameters: dynamicParameters(ds.parameters),
    };
    const valuePath = str(ds['value-path']);
    if (valuePath) d.valuePath = valuePath;
    return d;
  }
  return undefined;
}

/** Points `{parameter: ref}` at the referenced input's key (matching key, wire name or flow name), so callers need one lookup. */
export function linkDynamicReferences(inputs: OperationInput[]): void {
  const byRef = new Map<string, string>();
  for (const i of inputs) for (const r of [i.name, i.wireName, i.key]) if (!byRef.has(r)) byRef.set(r, i.key);
  const relink = (params: Record<string, DynamicParameter>) => {
    for (const [k, p] of Object.entries(params)) {
      if ('parameter' in p)
        params[k] = {
          parameter: byRef.get(p.parameter) ?? byRef.get(p.parameter.replace(/^body\//, '')) ?? p.parameter,
        };
    }
  };
  for (const i of inputs) {
    if (i.dynamicValues) relink(i.dynamicValues.parameters);
    if (i.dynamicSchema) relink(i.dynamicSchema.parameters);
  }
}
