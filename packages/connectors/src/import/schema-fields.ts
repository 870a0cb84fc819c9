/**
 * Schema mapper: JSON Schemas (in the shared form, read through a
 * `SchemaView`) into the typed fields the designer shows. Request bodies are flattened the way Power Automate does
 * (`body/To`, `body/address/city`), keeping the path to rebuild the body;
 * responses become output fields (`body/value`, `body/id`).
 */
import type { FieldType, JsonSchema, OperationInput, OutputField, Visibility } from '../model.js';
import { componentName, type SchemaView } from '../schemas.js';
import { readDynamicSchema, readDynamicValues } from './dynamic.js';
import { isObject, list, obj, str } from './util.js';

const MAX_FLATTEN_DEPTH = 6;
const MAX_FIELDS = 400;
const TYPES = new Set<FieldType>(['string', 'integer', 'number', 'boolean', 'array', 'object', 'file']);

/** The field type of a schema: its `type` (first non-null of a list), else inferred from its keys; binary strings are `file`. */
export function fieldType(schema: Record<string, unknown>): FieldType {
  let t: unknown = schema.type;
  if (Array.isArray(t)) t = t.find((x) => x !== 'null');
  if (t === 'string' && schema.format === 'binary') return 'file';
  if (typeof t === 'string' && TYPES.has(t as FieldType)) return t as FieldType;
  if (isObject(schema.properties) || isObject(schema.additionalProperties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return 'any';
}

export function visibility(v: unknown): Visibility {
  const s = typeof v === 'string' ? v.toLowerCase() : '';
  return s === 'important' || s === 'advanced' || s === 'internal' ? s : 'none';
}

/** Object schema with properties worth flattening. */
function hasProperties(schema: Record<string, unknown>): boolean {
  return isObject(schema.properties) && Object.keys(schema.properties).length > 0;
}

/** The components on the way to a node, plus the one it refers to; `cyclic` when that one is already on the way. */
function enter(stack: readonly string[], raw: unknown): { stack: readonly string[]; cyclic: boolean } {
  const name = componentName(raw);
  if (name === undefined) return { stack, cyclic: false };
  return stack.includes(name) ? { stack, cyclic: true } : { stack: [...stack, name], cyclic: false };
}

/** Reads the common descriptive keys of a schema or parameter into an input. */
export function describeInput(input: OperationInput, node: Record<string, unknown>): OperationInput {
  const description = str(node.description);
  if (description) input.description = description;
  const format = str(node.format);
  if (format) input.format = format;
  if (node.default !== undefined) input.default = node.default;
  if (Array.isArray(node.enum)) input.enum = node.enum;
  if (format === 'password') input.sensitive = true;
  const dv = readDynamicValues(node);
  if (dv) input.dynamicValues = dv;
  const ds = readDynamicSchema(node);
  if (ds) input.dynamicSchema = ds;
  return input;
}

export interface BodyParam {
  name: string;
  /** In the shared form; `view` reads it. */
  schema: JsonSchema;
  required: boolean;
  visibility: Visibility;
  displayName?: string;
  description?: string;
}

/** The input that stands for a JSON body in a deferred operation, or undefined when the body is not one to flatten. */
export function deferredBody(body: BodyParam, view: SchemaView): OperationInput | undefined {
  const root = view.at(body.schema);
  if (!hasProperties(root) || readDynamicSchema(root)) return undefined;
  const input: OperationInput = {
    name: body.name,
    key: body.name,
    in: 'body',
    wireName: body.name,
    displayName: body.displayName ?? body.name,
    type: 'object',
    required: body.required,
    visibility: body.visibility,
    urlEncoding: 'single',
    schema: body.schema,
    flatten: true,
  };
  if (body.description) input.description = body.description;
  return input;
}

/** Inputs for a JSON body: one per leaf property, or one whole-body input when the body is not an object with properties. */
export function flattenBody(
  body: BodyParam,
  onTruncate: (message: string) => void,
  view: SchemaView,
): OperationInput[] {
  const root = view.at(body.schema);
  const whole = (): OperationInput[] => {
    const input: OperationInput = {
      name: body.name,
      key: body.name,
      in: 'body',
      wireName: body.name,
      displayName: body.displayName ?? str(root['x-ms-summary']) ?? str(root.title) ?? body.name,
      type: fieldType(root),
      required: body.required,
      visibility: body.visibility,
      urlEncoding: 'single',
      isWholeBody: true,
      schema: body.schema,
    };
    describeInput(input, root);
    if (body.description) input.description = body.description;
    return [input];
  };
  if (!hasProperties(root) || readDynamicSchema(root)) return whole();
  const out: OperationInput[] = [];
  const walk = (
    schema: Record<string, unknown>,
    path: string[],
    parentVisibility: Visibility,
    depth: number,
    stack: readonly string[],
  ) => {
    const required = new Set(list(schema.required).filter((r): r is string => typeof r === 'string'));
    for (const [prop, raw] of Object.entries(obj(schema.properties))) {
      if (out.length >= MAX_FIELDS) {
        onTruncate(`Body of "${body.name}" has more than ${MAX_FIELDS} fields; the rest are not shown.`);
        return;
      }
      const p = view.at(raw);
      const inner = enter(stack, raw);
      const vis =
        parentVisibility === 'internal'
          ? 'internal'
          : visibility(p['x-ms-visibility']) === 'none'
            ? parentVisibility
            : visibility(p['x-ms-visibility']);
      const here = [...path, prop];
      if (p.readOnly === true) continue;
      if (!inner.cyclic && hasProperties(p) && depth < MAX_FLATTEN_DEPTH && !readDynamicSchema(p)) {
        walk(p, here, vis, depth + 1, inner.stack);
        continue;
      }
      const input: OperationInput = {
        name: here.join('.'),
        key: `${body.name}/${here.join('/')}`,
        in: 'body',
        wireName: prop,
        displayName: str(p['x-ms-summary']) ?? str(p.title) ?? prop,
        type: fieldType(p),
        required: required.has(prop),
        visibility: vis,
        urlEncoding: 'single',
        bodyPath: here,
      };
      if (input.type === 'array' || input.type === 'object') input.schema = obj(raw);
      out.push(describeInput(input, p));
    }
  };
  walk(root, [], body.visibility === 'none' ? 'none' : body.visibility, 0, enter([], body.schema).stack);
  return out.length > 0 ? out : whole();
}

/** Output fields of a response schema (shared form, read through `view`): the whole body, then its properties (array items marked `inArray`). */
export function outputFields(schema: JsonSchema | undefined, binary: boolean, view: SchemaView): OutputField[] {
  if (binary) return [{ key: 'body', path: [], displayName: 'File content', type: 'file', visibility: 'none' }];
  if (!schema) return [];
  const root = view.at(schema);
  const fields: OutputField[] = [
    {
      key: 'body',
      path: [],
      displayName: str(root['x-ms-summary']) ?? str(root.title) ?? 'Body',
      type: fieldType(root),
      visibility: 'none',
    },
  ];
  const walk = (
    s: Record<string, unknown>,
    path: string[],
    inArray: boolean,
    depth: number,
    stack: readonly string[],
  ) => {
    if (depth > MAX_FLATTEN_DEPTH) return;
    let target = s;
    if (fieldType(s) === 'array' && isObject(s.items)) {
      const items = enter(stack, s.items);
      if (items.cyclic) return;
      target = view.at(s.items);
      stack = items.stack;
    }
    const itemLevel = target !== s;
    for (const [prop, raw] of Object.entries(obj(target.properties))) {
      if (fields.length >= MAX_FIELDS) return;
      const p = view.at(raw);
      const inner = enter(stack, raw);
      const here = [...path, prop];
      const f: OutputField = {
        key: `body/${here.join('/')}`,
        path: here,
        displayName: str(p['x-ms-summary']) ?? str(p.title) ?? prop,
        type: fieldType(p),
        visibility: visibility(p['x-ms-visibility']),
      };
      const description = str(p.description);
      if (description) f.description = description;
      const format = str(p.format);
      if (format) f.format = format;
      if (inArray || itemLevel) f.inArray = true;
      fields.push(f);
      if (!inner.cyclic) walk(p, here, inArray || itemLevel, depth + 1, inner.stack);
    }
  };
  walk(root, [], false, 0, enter([], schema).stack);
  return fields;
}
