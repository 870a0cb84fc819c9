/**
 * Preparing a step once per run: its action (standard, block or connector
 * operation), its compiled parameters, its produced-variable names and the
 * executor that runs it. A step that cannot be prepared becomes a step whose
 * executor throws the reason, so the failure goes through events and
 * error policies like any other.
 */
import type { ActionContext, ActionDefinition, ParamSpec } from '../contracts.js';
import { PatchbayError } from '../errors.js';
import type { Value } from '../values.js';
import { coerceValue } from '../expressions/index.js';
import type { Step } from '../flow/schema.js';
import { nearest } from '../flow/suggest.js';
import { connectorStepProblem } from '../flow/connector-step.js';
import { pointerSegment } from '../flow/location.js';
import { compileValue, type CompiledValue } from './params.js';
import type { Frame, RunState } from './state.js';
import { REDACTED } from './redact.js';
import { executorFor, type Executor } from './executors/index.js';

export interface CompiledParam {
  name: string;
  spec: ParamSpec;
  value?: CompiledValue;
  /** Shown as *** in events and records. */
  sensitive: boolean;
  what: string;
}

export interface CompiledStep {
  step: Step;
  path: string;
  /** Action id, or `connector/operation` for connector steps. */
  action: string;
  def?: ActionDefinition;
  params: CompiledParam[];
  /** Produced key → variable name (null when turned off). */
  produces: { key: string; name: string | null }[];
  executor: Executor;
  /** True when some parameter must be redacted whole. */
  hasSensitive: boolean;
  /** The `ctx.step` actions see, made on first use. */
  ctxStep?: ActionContext['step'];
  /** The ActionContext for this step in one frame, reused across iterations. */
  ctx?: ActionContext;
  ctxFrame?: Frame;
}

function failing(error: PatchbayError): Executor {
  return () => {
    throw error;
  };
}

function resolveDef(
  step: Step,
  state: RunState,
  path: string,
): { action: string; def?: ActionDefinition; error?: PatchbayError } {
  if (step.connector !== undefined || step.operation !== undefined) {
    const action = `${step.connector ?? '?'}/${step.operation ?? '?'}`;
    if (!step.connector || !step.operation)
      return {
        action,
        error: new PatchbayError('flow.invalid', 'A connector step needs both "connector" and "operation".', {
          place: { stepPath: path, action },
        }),
      };
    if (!step.connectionReference)
      return {
        action,
        error: new PatchbayError(
          'connection.unresolved',
          `The connector step ${action} names no connection reference.`,
          {
            place: { stepPath: path, action },
            hint: 'Add "connectionReference" with the logical name of a connection reference.',
          },
        ),
      };
    if (!state.connectors)
      return {
        action,
        error: new PatchbayError(
          'connector.unknown',
          `The connector operation ${action} is not available in this run.`,
          {
            place: { stepPath: path, action },
            hint: 'Import the connector (patchbay connector import) or check the connector and operation ids.',
          },
        ),
      };
    const def = state.connectors.getOperation(step.connector, step.operation);
    const problem = connectorStepProblem(state.connectors, step.connector, step.operation, def);
    if (problem || !def)
      return {
        action,
        error: new PatchbayError(
          problem?.code ?? 'connector.unknown',
          problem?.message ?? `Unknown connector operation ${action}.`,
          { place: { stepPath: path, action }, hint: problem?.hint },
        ),
      };
    return { action, def };
  }
  const action = step.action ?? '';
  if (!action)
    return {
      action: '?',
      error: new PatchbayError('flow.invalid', 'The step names no action.', {
        place: { stepPath: path },
        hint: 'Add "action" (e.g. "Variables.Set") or "connector" and "operation".',
      }),
    };
  const def = state.actions.get(action);
  if (!def) {
    const guess = nearest(
      action,
      state.actions.list().map((d) => d.id),
    );
    return {
      action,
      error: new PatchbayError('action.unknown', `Unknown action "${action}".`, {
        place: { stepPath: path, action },
        hint: guess ? `Did you mean "${guess}"?` : 'Run `patchbay actions list` for the available actions.',
      }),
    };
  }
  return { action, def };
}

export function compileStep(step: Step, path: string, state: RunState): CompiledStep {
  const { action, def, error } = resolveDef(step, state, path);
  const base: CompiledStep = {
    step,
    path,
    action,
    def,
    params: [],
    produces: [],
    executor: failing(error as PatchbayError),
    hasSensitive: false,
  };
  if (error || !def) return base;
  try {
    const given = step.params ?? {};
    const known = new Set(def.params.map((p) => p.name));
    // A parameter whose fields the service gives (x-ms-dynamic-schema) takes them as parameters of their own.
    const dynamicBody = def.params.find((p) => p.dynamicSchema);
    const fields = dynamicBody ? Object.keys(given).filter((name) => !known.has(name)) : [];
    for (const name of Object.keys(given)) {
      if (!known.has(name) && !dynamicBody) {
        throw new PatchbayError('action.param', `${action} has no parameter "${name}".`, {
          place: { stepPath: path, action, pointer: `${path}/params/${name}` },
          hint: `Its parameters are: ${def.params.map((p) => p.name).join(', ') || 'none'}.`,
        });
      }
    }
    const specs: ParamSpec[] = [
      ...def.params.filter((p) => !(p.dynamicSchema && fields.length > 0 && !Object.hasOwn(given, p.name))),
      ...fields.map((name): ParamSpec => ({ name, type: 'any', displayName: name, in: 'body' })),
    ];
    for (const spec of specs) {
      const what = `Parameter "${spec.name}" of ${action}`;
      const raw = Object.hasOwn(given, spec.name) ? given[spec.name] : undefined;
      let value: CompiledValue | undefined;
      if (raw !== undefined) {
        value = spec.raw
          ? { evaluate: () => raw as Value, variables: [] }
          : compileValue(raw, `${path}/params/${spec.name}`);
      } else if (spec.default !== undefined) {
        const d = spec.default;
        value = { evaluate: () => d, variables: [] };
      } else if (spec.required) {
        throw new PatchbayError('action.param', `${what} is required.`, {
          place: { stepPath: path, action, pointer: `${path}/params` },
          hint: `Add "${spec.name}" to the step's params.`,
        });
      }
      const sensitive =
        spec.sensitive === true || (value !== undefined && state.redactor.anySensitive(value.variables));
      base.hasSensitive ||= sensitive;
      base.params.push({ name: spec.name, spec, value, sensitive, what });
    }
    const renames = step.produces ?? {};
    for (const p of def.produces) {
      const r = Object.hasOwn(renames, p.key) ? renames[p.key] : undefined;
      base.produces.push({ key: p.key, name: r === false ? null : typeof r === 'string' ? r : p.defaultName });
    }
    base.executor = executorFor(def);
  } catch (e) {
    base.executor = failing(
      e instanceof PatchbayError ? e.at({ stepPath: path, action }) : new PatchbayError('internal', String(e)),
    );
  }
  return base;
}

/** Evaluates and type-checks the step's parameters in the frame's scope. */
export function evaluateParams(cs: CompiledStep, frame: Frame): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const p of cs.params) {
    if (!p.value) continue;
    try {
      const v = p.value.evaluate(frame.scope);
      out[p.name] = p.spec.type === 'any' || p.spec.raw ? v : coerceValue(v, p.spec.type, p.what);
    } catch (e) {
      // The parameter's place, so the run's error can give line:column in the file.
      throw e instanceof PatchbayError ? e.at({ pointer: `${cs.path}/params/${pointerSegment(p.name)}` }) : e;
    }
  }
  return out;
}

/** Parameters as shown in events and records. */
export function shownParams(cs: CompiledStep, params: Record<string, Value>, state: RunState): Record<string, unknown> {
  if (!cs.hasSensitive && !state.redactor.active) return params;
  const out: Record<string, unknown> = {};
  for (const p of cs.params) {
    if (!Object.hasOwn(params, p.name)) continue;
    out[p.name] = p.sensitive ? REDACTED : state.redactor.value(params[p.name]);
  }
  return out;
}
