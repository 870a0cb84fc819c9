/**
 * Connector operations as engine actions. `createConnectorCatalog` gives the
 * engine a `ConnectorCatalog`: each operation becomes an `ActionDefinition`
 * (kind `connector`) whose params come from the operation's inputs and whose
 * `run` resolves the step's connection reference and calls the invoker.
 */
import {
  PatchbayError,
  type ActionContext,
  type ActionDefinition,
  type ConnectorCatalog,
  type ParamSpec,
  type ProducedSpec,
  type Value,
  type ValueType,
  valueTypeOfSchema,
} from '@patchbay/core';
import type { Connector, DynamicSchema, FieldType, Operation, OperationInput } from '../model.js';
import { invokeOperation } from '../invoke/invoke.js';
import { schemaView } from '../schemas.js';
import { resolveOperation } from '../resolve-operation.js';
import type { RetryPolicy } from '../invoke/retry.js';
import { filePartParams, type FilePartParam } from '../invoke/plan.js';

export interface CatalogOptions {
  /** Per-attempt timeout for every call (the invoker's default otherwise). */
  timeoutMs?: number;
  /**
   * The most pages a step with pagination on reads (a guard against a service
   * that never stops); 1,000 when not given. A step without `pagination`
   * reads one page, as in Power Platform.
   */
  maxPages?: number;
  /** Retry policy used when a step sets none (Power Platform's default otherwise). */
  retry?: Partial<RetryPolicy>;
}

/** Pages a step with pagination on reads at most, unless the catalog sets another guard. */
export const PAGINATION_MAX_PAGES = 1000;

export function createConnectorCatalog(
  connectors: readonly Connector[] | ((id: string) => Connector | undefined),
  opts: CatalogOptions = {},
): ConnectorCatalog {
  const lookup = typeof connectors === 'function' ? connectors : indexOf(connectors);
  const cache = new WeakMap<Operation, ActionDefinition>();
  return {
    getOperation(connectorId, operationId) {
      const connector = lookup(connectorId) ?? lookup(connectorId.toLowerCase());
      if (!connector) return undefined;
      const op =
        connector.operations.find((o) => o.id === operationId) ??
        connector.operations.find((o) => o.id.toLowerCase() === operationId.toLowerCase());
      if (!op) return undefined;
      let def = cache.get(op);
      if (!def) {
        def = operationAction(connector, op, opts);
        cache.set(op, def);
      }
      return def;
    },
    listOperations(connectorId) {
      const connector = lookup(connectorId) ?? lookup(connectorId.toLowerCase());
      return connector?.operations.map((o) => o.id);
    },
    ...(typeof connectors === 'function' ? {} : { listConnectors: () => connectors.map((c) => c.id) }),
  };
}

function indexOf(list: readonly Connector[]): (id: string) => Connector | undefined {
  const byId = new Map<string, Connector>();
  for (const c of list) {
    byId.set(c.id, c);
    if (!byId.has(c.id.toLowerCase())) byId.set(c.id.toLowerCase(), c);
  }
  return (id) => byId.get(id);
}

/** The action for one operation; exported for the designer's action list. */
export function operationAction(connector: Connector, stored: Operation, opts: CatalogOptions = {}): ActionDefinition {
  const op = resolveOperation(connector, stored);
  return {
    id: `${connector.id}.${op.id}`,
    group: connector.displayName,
    displayName: op.summary || op.id,
    description: op.description || op.summary || '',
    kind: 'connector',
    params: [...op.inputs.map((i) => paramSpec(i, op)), ...filePartParams(op).map(filePartSpec)],
    produces: producedFor(connector, op),
    ...(op.pageable ? { pageable: true } : {}),
    ...(op.dynamicSchemaOutput ? { dynamicOutputs: { dependsOn: dependsOn(op, op.dynamicSchemaOutput) } } : {}),
    ...(op.usableAsAction
      ? {}
      : {
          notUsableReason: `it is a trigger${op.notUsableReason ? ` (${op.notUsableReason})` : ''}, and Patchbay flows start on demand`,
        }),
    async run(ctx: ActionContext, params: Record<string, Value>) {
      if (!op.usableAsAction) {
        throw new PatchbayError(
          'connector.unsupported',
          `${op.id} of connector ${connector.id} is a trigger${op.notUsableReason ? ` (${op.notUsableReason})` : ''}; it cannot run as an action.`,
          {
            place: { stepPath: ctx.step.path, action: ctx.step.action },
            hint: 'Pick an action of this connector instead.',
          },
        );
      }
      const ref = ctx.step.connectionReference;
      if (!ref) {
        throw new PatchbayError(
          'connection.unresolved',
          `The step calls connector ${connector.id} but names no connection reference.`,
          {
            place: { stepPath: ctx.step.path, action: ctx.step.action },
            hint: `Add "connectionReference" with a reference to a ${connector.displayName} connection.`,
          },
        );
      }
      if (!ctx.connections) {
        throw new PatchbayError(
          'connection.unresolved',
          `No connections are available to this run, so connection reference "${ref}" cannot be used.`,
          {
            place: { stepPath: ctx.step.path, action: ctx.step.action },
            hint: 'Run the flow where its connection references are bound (patchbay run --connection REF=ID).',
          },
        );
      }
      const connection = await ctx.connections.resolve(ref, connector.id);
      const stepRetry = ctx.step.retry;
      const retry =
        stepRetry && (stepRetry.count !== undefined || stepRetry.intervalMs !== undefined)
          ? { ...opts.retry, ...definedRetry(stepRetry) }
          : opts.retry;
      try {
        const result = await invokeOperation({
          connector,
          operation: op.id,
          params,
          connection,
          signal: ctx.signal,
          retry,
          timeoutMs: opts.timeoutMs,
          ...(ctx.step.pagination
            ? { maxPages: opts.maxPages ?? PAGINATION_MAX_PAGES, maxItems: ctx.step.pagination.threshold }
            : { maxPages: 1 }),
          logger: ctx.logger,
          ...(ctx.endpointRules ? { endpointRules: ctx.endpointRules } : {}),
        });
        return { body: result.body, status: result.status, headers: result.headers };
      } catch (e) {
        throw e instanceof PatchbayError ? e.at({ stepPath: ctx.step.path, action: ctx.step.action }) : e;
      }
    },
  };
}

function definedRetry(r: { count?: number; intervalMs?: number }): Partial<RetryPolicy> {
  const out: Partial<RetryPolicy> = {};
  if (r.count !== undefined) out.count = r.count;
  if (r.intervalMs !== undefined) out.intervalMs = r.intervalMs;
  return out;
}

export function valueTypeOf(type: FieldType, format?: string): ValueType {
  return valueTypeOfSchema(type, format);
}

/** The inputs (by the name a step uses) whose values a dynamic call reads. */
function dependsOn(op: Operation, ds: DynamicSchema): string[] {
  const names: string[] = [];
  for (const p of Object.values(ds.parameters)) {
    if (!('parameter' in p)) continue;
    const input = op.inputs.find((i) => i.wireName === p.parameter || i.name === p.parameter || i.key === p.parameter);
    if (input && !names.includes(input.name)) names.push(input.name);
  }
  return names;
}

function paramSpec(input: OperationInput, op: Operation): ParamSpec {
  const spec: ParamSpec = {
    name: input.name,
    type: valueTypeOf(input.type, input.format),
    displayName: input.displayName || input.name,
    in: input.in,
  };
  if (input.description) spec.description = input.description;
  if (input.required) spec.required = true;
  if (input.default !== undefined && input.default !== null && isValue(input.default)) spec.default = input.default;
  if (input.enum?.length) spec.options = input.enum.map((v) => String(v));
  if (input.visibility === 'advanced') spec.advanced = true;
  if (input.visibility === 'internal') spec.internal = true;
  if (input.sensitive || input.format === 'password') spec.sensitive = true;
  if (input.dynamicSchema) spec.dynamicSchema = { dependsOn: dependsOn(op, input.dynamicSchema) };
  const dv = input.dynamicValues;
  if (dv && !dv.capability) {
    spec.dynamicValues = { operationId: dv.operationId, parameters: dv.parameters };
    if (dv.itemsPath) spec.dynamicValues.valueCollection = dv.itemsPath;
    if (dv.valuePath) spec.dynamicValues.valuePath = dv.valuePath;
    if (dv.titlePath) spec.dynamicValues.valueTitle = dv.titlePath;
  }
  return spec;
}

/** `<file>.fileName` and `<file>.contentType` of a multipart file part, folded under "Advanced". */
function filePartSpec(p: FilePartParam): ParamSpec {
  const what = p.input.displayName || p.input.name;
  return p.field === 'fileName'
    ? {
        name: p.name,
        type: 'text',
        displayName: `${what}: file name`,
        description: `The file name sent with ${what} (its field name when not given).`,
        in: p.input.in,
        advanced: true,
      }
    : {
        name: p.name,
        type: 'text',
        displayName: `${what}: content type`,
        description: `The content type of ${what}, e.g. text/csv (application/octet-stream when not given).`,
        in: p.input.in,
        advanced: true,
      };
}

function isValue(v: unknown): v is Value {
  return v === null || ['string', 'number', 'boolean', 'object'].includes(typeof v);
}

/** PAD-style default variable names: `GetIssueResult`, plus its status code and headers. */
function producedFor(connector: Connector, op: Operation): ProducedSpec[] {
  const base = variableName(op.id);
  const bodyType: ValueType = op.outputs.binary
    ? 'binary'
    : op.outputs.schema
      ? valueTypeOf(String(schemaView(connector).at(op.outputs.schema).type ?? 'any') as FieldType)
      : 'any';
  return [
    {
      key: 'body',
      defaultName: `${base}Result`,
      type: bodyType,
      description: 'The response body: a custom object, a list, text or binary data.',
    },
    {
      key: 'status',
      defaultName: `${base}StatusCode`,
      type: 'number',
      description: 'The HTTP status code of the response.',
    },
    { key: 'headers', defaultName: `${base}Headers`, type: 'object', description: 'The response headers.' },
  ];
}

/** Letters, digits and underscores, not starting with a digit. */
export function variableName(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'Connector';
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}
