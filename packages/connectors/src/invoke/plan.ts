/**
 * A request plan: everything about an operation that does not change between
 * calls, worked out once and cached per operation object — the parsed path
 * template, the inputs grouped by where they go, the content type and the
 * policies sorted by when they apply. The hot path only fills in values.
 */
import type { BodyKind, Operation, OperationInput, Policy } from '../model.js';

export type PathPart = string | OperationInput;

export interface RequestPlan {
  operation: Operation;
  method: string;
  /** Literal text and path inputs, in order; `{name}` parts with no input stay literal and are reported by `missingPath`. */
  path: PathPart[];
  missingPath: string[];
  query: OperationInput[];
  headers: OperationInput[];
  /** Body fields (flattened, with `bodyPath`) and whole-body inputs. */
  body: OperationInput[];
  form: OperationInput[];
  bodyKind: BodyKind;
  /** Content type to send when the step gives none. */
  contentType?: string;
  /** Input that takes body fields no other input names (a dynamic-schema or free-form object body). */
  openBody?: OperationInput;
  /** Every name a step may use for an input: `name`, `key` and wire name. */
  byName: Map<string, OperationInput>;
  /** Multipart file parts: `<input>.fileName` and `<input>.contentType`, by name. */
  fileParts: Map<string, FilePartParam>;
  hostPolicy?: Policy;
  requestPolicies: Policy[];
  responsePolicies: Policy[];
  /** Template ids Patchbay does not apply (warned once per operation). */
  unknownPolicies: string[];
  /** Header inputs whose names HTTP cannot carry (`Type Card`): not sent, warned once. */
  unsendableHeaders: string[];
  warned: boolean;
}

const KNOWN_REQUEST = new Set(['setheader', 'setqueryparameter', 'routerequesttoendpoint', 'setproperty']);
/** Applied elsewhere or only meaningful for triggers: not "unknown". */
const HANDLED_ELSEWHERE = new Set(['dynamichosturl', 'pollingtrigger', 'updatenextlink', 'updatetriggerstate']);

/** RFC 9110 token characters. */
const HEADER_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const plans = new WeakMap<Operation, RequestPlan>();

/** A parameter that names or types one file part of a multipart body. */
export interface FilePartParam {
  name: string;
  input: OperationInput;
  field: 'fileName' | 'contentType';
}

/**
 * The file-part parameters of a multipart operation: for each file input,
 * `<name>.fileName` (the part's file name; the input's name when not given)
 * and `<name>.contentType`, unless the operation already has inputs so named.
 */
export function filePartParams(op: Operation): FilePartParam[] {
  if (op.bodyKind !== 'multipart') return [];
  const taken = new Set(op.inputs.flatMap((i) => [i.name, i.key, i.wireName]));
  const out: FilePartParam[] = [];
  for (const input of op.inputs) {
    if ((input.in !== 'formData' && input.in !== 'body') || input.type !== 'file') continue;
    for (const field of ['fileName', 'contentType'] as const) {
      const name = `${input.name}.${field}`;
      if (!taken.has(name)) out.push({ name, input, field });
    }
  }
  return out;
}

export function planFor(operation: Operation): RequestPlan {
  let plan = plans.get(operation);
  if (!plan) {
    plan = compilePlan(operation);
    plans.set(operation, plan);
  }
  return plan;
}

function compilePlan(op: Operation): RequestPlan {
  const plan: RequestPlan = {
    operation: op,
    method: op.method.toUpperCase(),
    path: [],
    missingPath: [],
    query: [],
    headers: [],
    body: [],
    form: [],
    bodyKind: op.bodyKind,
    byName: new Map(),
    fileParts: new Map(filePartParams(op).map((f) => [f.name, f])),
    requestPolicies: [],
    responsePolicies: [],
    unknownPolicies: [],
    unsendableHeaders: [],
    warned: false,
  };
  for (const input of op.inputs) {
    for (const n of [input.wireName, input.key, input.name]) plan.byName.set(n, input);
    if (input.in === 'query') plan.query.push(input);
    else if (input.in === 'header') {
      if (HEADER_TOKEN.test(input.wireName)) plan.headers.push(input);
      else plan.unsendableHeaders.push(input.wireName);
    } else if (input.in === 'formData') plan.form.push(input);
    else if (input.in === 'body') {
      plan.body.push(input);
      if ((input.isWholeBody && (input.type === 'object' || input.type === 'any')) || input.dynamicSchema)
        plan.openBody = input;
    }
  }
  const pathInputs = new Map(op.inputs.filter((i) => i.in === 'path').map((i) => [i.wireName, i]));
  for (const [i, part] of op.path.split(/\{([^}]+)\}/).entries()) {
    if (i % 2 === 0) {
      if (part) plan.path.push(part);
      continue;
    }
    const input = pathInputs.get(part);
    if (input) plan.path.push(input);
    else {
      plan.path.push(`{${part}}`);
      plan.missingPath.push(part);
    }
  }
  plan.contentType = contentTypeFor(op);
  for (const p of op.policies) {
    const id = p.templateId.toLowerCase();
    const section = String(p.parameters['x-ms-apimTemplate-policySection'] ?? 'Request').toLowerCase();
    if (id === 'dynamichosturl') plan.hostPolicy = p;
    else if (section === 'response' && (id === 'setproperty' || id === 'setheader')) plan.responsePolicies.push(p);
    else if (KNOWN_REQUEST.has(id)) plan.requestPolicies.push(p);
    else if (!HANDLED_ELSEWHERE.has(id)) plan.unknownPolicies.push(p.templateId);
  }
  return plan;
}

function contentTypeFor(op: Operation): string | undefined {
  switch (op.bodyKind) {
    case 'json':
      return op.consumes.find((c) => c.toLowerCase().includes('json')) ?? 'application/json';
    case 'form':
      return 'application/x-www-form-urlencoded';
    case 'multipart':
      return undefined; // the encoder adds the boundary
    case 'binary':
      return op.consumes.find((c) => !c.toLowerCase().includes('json')) ?? 'application/octet-stream';
    default:
      return undefined;
  }
}
