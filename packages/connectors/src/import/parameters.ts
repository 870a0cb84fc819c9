/**
 * Operation parameters into model inputs. OpenAPI 3 parameters and request
 * bodies are first rewritten into Swagger 2.0's flat shape (`type`, `format`,
 * `in: body` with `schema`, `in: formData`), so one mapper serves both.
 */
import type { InputLocation, OperationInput } from '../model.js';
import type { RefResolver } from './refs.js';
import { type BodyParam, deferredBody, describeInput, fieldType, flattenBody, visibility } from './schema-fields.js';
import { isObject, obj, str, truthy, type Warnings } from './util.js';

/** A parameter in Swagger 2.0's shape, `$ref` resolved. */
export type FlatParam = Record<string, unknown>;

const LOCATIONS = new Set<InputLocation>(['path', 'query', 'header', 'body', 'formData']);
const JSON_TYPE = /(^application\/(.+\+)?json)|(^text\/json)|(\*\/\*)/i;

/** Swagger 2.0 keeps type keys on the parameter; OpenAPI 3 puts them in `schema`. */
export function flattenOpenApi3Param(p: Record<string, unknown>, refs: RefResolver): FlatParam {
  if (!isObject(p.schema) && !isObject(p.content)) return p;
  const schemaSource = isObject(p.schema) ? p.schema : obj(Object.values(obj(p.content))[0]).schema;
  const schema = refs.view.at(refs.share(schemaSource));
  const { schema: _s, content: _c, ...rest } = p;
  const flat: FlatParam = { ...schema, ...rest };
  if (p.in === 'query' || p.in === 'header' || p.in === 'cookie') {
    if (schema.type === 'array')
      flat.collectionFormat =
        p.explode === false || p.in === 'header'
          ? 'csv'
          : p.style === 'pipeDelimited'
            ? 'pipes'
            : p.style === 'spaceDelimited'
              ? 'ssv'
              : 'multi';
  }
  return flat;
}

/** An OpenAPI 3 `requestBody` as Swagger 2.0 parameters plus the media types it accepts. */
export function requestBodyParams(
  raw: unknown,
  op: Record<string, unknown>,
  refs: RefResolver,
): { params: FlatParam[]; consumes: string[] } {
  const body = obj(refs.deref(raw));
  const content = obj(body.content);
  const consumes = Object.keys(content);
  if (consumes.length === 0) return { params: [], consumes };
  const pick = consumes.find((c) => JSON_TYPE.test(c)) ?? consumes.find((c) => /form/i.test(c)) ?? consumes[0];
  const shared = refs.share(obj(content[pick]).schema);
  const schema = refs.view.at(shared);
  const required = body.required === true;
  if (/^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(pick) && isObject(schema.properties)) {
    const req = new Set(Array.isArray(schema.required) ? schema.required : []);
    const params = Object.entries(schema.properties).map(([name, s]) => {
      const ps = refs.view.at(s);
      const file = ps.format === 'binary' || ps.format === 'base64' || ps.type === 'file';
      return { ...ps, name, in: 'formData', required: req.has(name), ...(file ? { type: 'file' } : {}) } as FlatParam;
    });
    return { params, consumes: [pick, ...consumes.filter((c) => c !== pick)] };
  }
  const name =
    str(op['x-ms-requestBody-name']) ??
    str(op['x-codegen-request-body-name']) ??
    str(body['x-ms-requestBody-name']) ??
    'body';
  const binary = !JSON_TYPE.test(pick) && !/xml|text\//i.test(pick);
  const bodySchema = binary && Object.keys(schema).length === 0 ? { type: 'string', format: 'binary' } : shared;
  const param: FlatParam = { name, in: 'body', required, schema: bodySchema };
  for (const k of ['description', 'x-ms-visibility', 'x-ms-summary']) if (body[k] !== undefined) param[k] = body[k];
  return { params: [param], consumes: [pick, ...consumes.filter((c) => c !== pick)] };
}

/** Path-level and operation-level parameters merged (the operation's win, by `in` + `name`), `$ref`s resolved. */
export function mergeParameters(
  pathLevel: unknown,
  opLevel: unknown,
  refs: RefResolver,
  isOpenApi3: boolean,
): FlatParam[] {
  const byKey = new Map<string, FlatParam>();
  for (const raw of [...(Array.isArray(pathLevel) ? pathLevel : []), ...(Array.isArray(opLevel) ? opLevel : [])]) {
    const resolved = refs.deref(raw);
    if (!isObject(resolved)) continue;
    const p = isOpenApi3 ? flattenOpenApi3Param(resolved, refs) : resolved;
    byKey.set(`${String(p.in)}\u0000${String(p.name)}`, p);
  }
  return [...byKey.values()];
}

/** Model inputs from flat parameters: body parameters flattened, names made unique. */
export function paramsToInputs(
  params: FlatParam[],
  ctx: { refs: RefResolver; warnings: Warnings; where: string },
): OperationInput[] {
  const inputs: OperationInput[] = [];
  for (const p of params) {
    const name = str(p.name);
    let loc = str(p.in) as InputLocation | 'cookie' | undefined;
    if (loc === 'cookie') {
      ctx.warnings.add(`${ctx.where}: cookie parameter "${name ?? '?'}" is sent as a Cookie header.`);
      loc = 'header';
    }
    if (!name || !loc || !LOCATIONS.has(loc)) {
      ctx.warnings.add(
        `${ctx.where}: a parameter without a valid name or "in" (${JSON.stringify(p.name ?? null)}, ${JSON.stringify(p.in ?? null)}) was skipped.`,
      );
      continue;
    }
    const vis = visibility(p['x-ms-visibility']);
    if (loc === 'body') {
      const schema = p.schema === undefined ? {} : ctx.refs.share(p.schema);
      const body: BodyParam = {
        name,
        schema,
        required: truthy(p.required),
        visibility: vis,
        displayName: str(p['x-ms-summary']),
        description: str(p.description),
      };
      // An object body stays whole until the operation is resolved (`resolveOperation`).
      const deferred = deferredBody(body, ctx.refs.view);
      inputs.push(
        ...(deferred ? [deferred] : flattenBody(body, (m) => ctx.warnings.add(`${ctx.where}: ${m}`), ctx.refs.view)),
      );
      continue;
    }
    const type = p.type === 'file' ? 'file' : fieldType(p);
    const input: OperationInput = {
      name,
      key: name,
      in: loc,
      wireName: name,
      displayName: str(p['x-ms-summary']) ?? name,
      type: type === 'any' ? 'string' : type,
      required: loc === 'path' ? true : truthy(p.required),
      visibility: vis,
      urlEncoding: p['x-ms-url-encoding'] === 'double' ? 'double' : 'single',
    };
    describeInput(input, p);
    const cf = str(p.collectionFormat);
    if (cf === 'csv' || cf === 'ssv' || cf === 'tsv' || cf === 'pipes' || cf === 'multi') input.collectionFormat = cf;
    if ((input.type === 'array' || input.type === 'object') && (p.items !== undefined || p.properties !== undefined))
      input.schema = ctx.refs.share(p.type === 'array' ? { type: 'array', items: p.items } : p);
    inputs.push(input);
  }
  return uniqueNames(inputs);
}

/** Flow names and keys unique inside an operation: a colliding later input falls back to its `in/name` key. */
export function uniqueNames(inputs: OperationInput[]): OperationInput[] {
  const keys = new Set<string>();
  for (const i of inputs) {
    if (keys.has(i.key)) i.key = `${i.in}/${i.key}`;
    for (let n = 2; keys.has(i.key); n++) i.key = `${i.in}/${i.wireName}_${n}`;
    keys.add(i.key);
  }
  for (const i of inputs) if (!i.bodyPath) i.name = i.key;
  const names = new Set(inputs.filter((i) => !i.bodyPath).map((i) => i.name));
  for (const i of inputs.filter((x) => x.bodyPath)) {
    if (names.has(i.name)) i.name = i.key;
    names.add(i.name);
  }
  return inputs;
}
