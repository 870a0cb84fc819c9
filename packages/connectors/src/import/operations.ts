/**
 * Operation extractor: walks `paths` of a Swagger 2.0 or OpenAPI 3 document
 * and builds the model's operations, tolerating what real connector files
 * contain (missing or duplicate operation ids, parameters without types,
 * path-level `$ref` parameters, undeclared path parameters).
 */
import type { BodyKind, Operation, OperationInput, OperationOutputs } from '../model.js';
import { linkDynamicReferences, readDynamicSchema } from './dynamic.js';
import { mergeParameters, paramsToInputs, requestBodyParams, type FlatParam } from './parameters.js';
import type { RefResolver } from './refs.js';
import { outputFields, visibility } from './schema-fields.js';
import { isObject, obj, str, strings, type Warnings } from './util.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const JSON_MEDIA = /(^application\/(.+\+)?json)|(^text\/json)/i;

export interface OperationContext {
  doc: Record<string, unknown>;
  refs: RefResolver;
  warnings: Warnings;
  isOpenApi3: boolean;
  /** Operations covered by `script.csx` (`'*'` for all). */
  scriptOperations?: ReadonlySet<string>;
  /** Names of the connector's auth schemes, for OpenAPI `security`. */
  security?: (op: Record<string, unknown>) => string[] | undefined;
}

function bodyKind(inputs: OperationInput[], consumes: string[]): BodyKind {
  if (inputs.some((i) => i.in === 'formData')) {
    return consumes.some((c) => /multipart\/form-data/i.test(c)) ||
      inputs.some((i) => i.in === 'formData' && i.type === 'file')
      ? 'multipart'
      : 'form';
  }
  const body = inputs.filter((i) => i.in === 'body');
  if (body.length === 0) return 'none';
  if (
    body.length === 1 &&
    body[0].isWholeBody &&
    (body[0].type === 'file' || (consumes.length > 0 && !consumes.some((c) => JSON_MEDIA.test(c) || c === '*/*')))
  )
    return 'binary';
  return 'json';
}

function pickResponse(responses: Record<string, unknown>): [string, unknown] | undefined {
  const codes = Object.keys(responses);
  const ok = codes.filter((c) => /^2\d\d$|^2XX$/i.test(c)).sort();
  const code = ok.find((c) => c === '200') ?? ok[0] ?? codes.find((c) => c === 'default');
  return code === undefined ? undefined : [code, responses[code]];
}

function outputsOf(
  op: Record<string, unknown>,
  produces: string[],
  ctx: OperationContext,
): { outputs: OperationOutputs; media: string[]; dynamic?: Operation['dynamicSchemaOutput'] } {
  const picked = pickResponse(obj(op.responses));
  if (!picked) return { outputs: { fields: [] }, media: produces };
  const response = obj(ctx.refs.deref(picked[1]));
  let rawSchema: unknown = response.schema;
  let media = produces;
  if (ctx.isOpenApi3) {
    const content = obj(response.content);
    media = Object.keys(content);
    const pick = media.find((m) => JSON_MEDIA.test(m)) ?? media[0];
    rawSchema = pick === undefined ? undefined : obj(content[pick]).schema;
  }
  // A schema that is not an object (a reference to null, say) is no schema.
  const schema = isObject(rawSchema) ? ctx.refs.share(rawSchema) : undefined;
  const resolved = schema ? ctx.refs.view.at(schema) : undefined;
  const binary =
    (resolved !== undefined &&
      (resolved.type === 'file' || (resolved.type === 'string' && resolved.format === 'binary'))) ||
    (schema === undefined &&
      media.length > 0 &&
      media.every((m) => !JSON_MEDIA.test(m) && !/text\/|xml|\*\/\*/i.test(m)));
  // Output fields of a schema are computed when the operation is resolved (`resolveOperation`).
  const outputs: OperationOutputs = {
    status: picked[0],
    fields: schema && !binary ? [] : outputFields(schema, binary, ctx.refs.view),
  };
  if (schema) outputs.schema = schema;
  if (binary) outputs.binary = true;
  const dynamic = resolved ? readDynamicSchema(resolved) : undefined;
  return dynamic ? { outputs, media, dynamic } : { outputs, media };
}

function addUndeclaredPathParams(path: string, params: FlatParam[], where: string, warnings: Warnings): void {
  const declared = new Set(params.filter((p) => p.in === 'path').map((p) => String(p.name)));
  for (const m of path.matchAll(/\{([^}]+)\}/g)) {
    if (!declared.has(m[1])) {
      warnings.add(`${where}: path parameter "${m[1]}" is not declared; it was added as a required text input.`);
      params.push({ name: m[1], in: 'path', required: true, type: 'string' });
      declared.add(m[1]);
    }
  }
}

function buildOperation(
  method: string,
  path: string,
  op: Record<string, unknown>,
  pathItem: Record<string, unknown>,
  ctx: OperationContext,
): Operation {
  const { doc, refs, warnings } = ctx;
  const rawId = str(op.operationId);
  const where = rawId ?? `${method.toUpperCase()} ${path}`;
  const params = mergeParameters(pathItem.parameters, op.parameters, refs, ctx.isOpenApi3);
  let consumes = strings(op.consumes ?? doc.consumes);
  if (ctx.isOpenApi3 && op.requestBody !== undefined) {
    const rb = requestBodyParams(op.requestBody, op, refs);
    params.push(...rb.params);
    consumes = rb.consumes;
  }
  if (params.filter((p) => p.in === 'body').length > 1)
    warnings.add(`${where}: more than one body parameter; all are kept but only one can be sent.`);
  addUndeclaredPathParams(path, params, where, warnings);
  const inputs = paramsToInputs(params, { refs, warnings, where });
  linkDynamicReferences(inputs);
  const produces = strings(op.produces ?? doc.produces);
  const { outputs, media, dynamic } = outputsOf(op, produces, ctx);
  const trigger = str(op['x-ms-trigger']);
  const annotation = obj(op['x-ms-api-annotation']);
  const operation: Operation = {
    id: rawId ?? `${method.toUpperCase()} ${path}`,
    method: method.toUpperCase(),
    path,
    summary: str(op.summary) ?? str(op['x-ms-summary']) ?? rawId ?? `${method.toUpperCase()} ${path}`,
    description: str(op.description) ?? '',
    visibility: visibility(op['x-ms-visibility']),
    deprecated: op.deprecated === true,
    isTrigger: trigger !== undefined,
    usableAsAction: trigger === undefined,
    inputs,
    bodyKind: bodyKind(inputs, consumes),
    consumes,
    produces: media,
    outputs,
    policies: [],
  };
  if ((outputs.schema && !outputs.binary) || inputs.some((i) => i.flatten)) operation.deferred = true;
  if (trigger !== undefined)
    operation.notUsableReason = `"${operation.id}" is a trigger (x-ms-trigger: ${trigger}); Patchbay flows start on demand, so it cannot run as an action.`;
  const tags = strings(op.tags);
  if (tags.length) operation.tags = tags;
  if (dynamic) operation.dynamicSchemaOutput = dynamic;
  const pageable = op['x-ms-pageable'];
  if (isObject(pageable))
    operation.pageable = {
      nextLinkName: pageable.nextLinkName === null ? null : (str(pageable.nextLinkName) ?? 'nextLink'),
      itemsName: str(pageable.itemName) ?? str(pageable.itemsName) ?? 'value',
    };
  if (Object.keys(annotation).length) {
    operation.annotation = {};
    if (str(annotation.family)) operation.annotation.family = str(annotation.family);
    if (typeof annotation.revision === 'number') operation.annotation.revision = annotation.revision;
    if (str(annotation.status)) operation.annotation.status = str(annotation.status);
  }
  if (
    ctx.scriptOperations &&
    (ctx.scriptOperations.has('*') || (rawId !== undefined && ctx.scriptOperations.has(rawId)))
  )
    operation.needsCustomCode = true;
  const security = ctx.security?.(op);
  if (security) operation.authSchemes = security;
  return operation;
}

/** Every operation under `paths`, ids made unique (`_2`, `_3`…) with a warning. */
export function extractOperations(ctx: OperationContext): Operation[] {
  const out: Operation[] = [];
  const ids = new Set<string>();
  const refOperations: string[] = [];
  for (const [path, rawItem] of Object.entries(obj(ctx.doc.paths))) {
    const pathItem = obj(ctx.refs.deref(rawItem));
    for (const method of METHODS) {
      let op = pathItem[method];
      if (op === undefined) continue;
      // Not standard OpenAPI, but published that way: an operation written as a reference to its text.
      if (isObject(op) && typeof op.$ref === 'string') {
        refOperations.push(`${method.toUpperCase()} ${path}`);
        op = ctx.refs.deref(op);
      }
      if (!isObject(op)) {
        ctx.warnings.add(`${method.toUpperCase()} ${path}: the operation is not an object; it was skipped.`);
        continue;
      }
      const operation = buildOperation(method, path, op, pathItem, ctx);
      if (ids.has(operation.id)) {
        let n = 2;
        while (ids.has(`${operation.id}_${n}`)) n++;
        ctx.warnings.add(
          `Operation id "${operation.id}" is used more than once; ${method.toUpperCase()} ${path} was renamed "${operation.id}_${n}".`,
        );
        operation.id = `${operation.id}_${n}`;
      }
      ids.add(operation.id);
      out.push(operation);
    }
  }
  if (refOperations.length) ctx.warnings.add(refOperationsWarning(refOperations));
  return out;
}

/** Operations written as `$ref`s (`get: {$ref: "ops/list.yaml"}`) in a definition's paths, as `GET /pets`. */
export function refOperationsOf(doc: unknown): string[] {
  const out: string[] = [];
  for (const [path, item] of Object.entries(obj(obj(doc).paths)))
    for (const method of METHODS) {
      const op = obj(item)[method];
      if (isObject(op) && typeof op.$ref === 'string') out.push(`${method.toUpperCase()} ${path}`);
    }
  return out;
}

export function refOperationsWarning(ops: string[]): string {
  return `${ops.length} operation${ops.length === 1 ? ' is' : 's are'} written as a $ref (${ops.slice(0, 3).join(', ')}${ops.length > 3 ? ', …' : ''}), which OpenAPI does not define; Patchbay followed ${ops.length === 1 ? 'it' : 'them'}.`;
}
