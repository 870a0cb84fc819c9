/**
 * Checks of one step on its own: its action or connector operation, its
 * parameters (unknown, missing, mistyped, expression syntax) and the
 * variable names it reads and sets.
 */
import type { ActionDefinition, ConnectorCatalog, ActionRegistry, ParamSpec } from '../contracts.js';
import { PatchbayError } from '../errors.js';
import { coerceValue, compileTemplate } from '../expressions/index.js';
import type { Step } from './schema.js';
import { nearest } from './suggest.js';
import { connectorStepProblem } from './connector-step.js';
import { policyRetries } from './error-kinds.js';

export interface Finding {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  hint?: string;
  /** Pointer of the offending part (defaults to the step). */
  pointer?: string;
  /** Column inside a parameter's text (expression errors). */
  textColumn?: number;
}

export interface StepInfo {
  action: string;
  def?: ActionDefinition;
}

/** Pass as `out` to resolve without reporting (and without computing suggestions). */
export const QUIET: Finding[] = [];

export function resolveStep(
  step: Step,
  opts: { actions: ActionRegistry; connectors?: ConnectorCatalog },
  path: string,
  report: Finding[],
): StepInfo {
  const quiet = report === QUIET;
  const out = quiet ? [] : report;
  if (step.connector !== undefined || step.operation !== undefined || step.connectionReference !== undefined) {
    const action = `${step.connector ?? '?'}/${step.operation ?? '?'}`;
    if (step.action !== undefined)
      out.push({
        severity: 'error',
        code: 'flow.invalid',
        message: 'A step has either "action" or "connector" and "operation", not both.',
        pointer: `${path}/action`,
      });
    if (!step.connector)
      out.push({
        severity: 'error',
        code: 'flow.invalid',
        message: 'The connector step names no connector.',
        hint: 'Add "connector" with the connector id.',
      });
    if (!step.operation)
      out.push({
        severity: 'error',
        code: 'flow.invalid',
        message: 'The connector step names no operation.',
        hint: 'Add "operation" with the operation id.',
      });
    if (!step.connectionReference)
      out.push({
        severity: 'error',
        code: 'connection.unresolved',
        message: `The connector step ${action} names no connection reference.`,
        hint: 'Add "connectionReference" with the logical name of a connection reference (flows never name connections).',
      });
    if (!step.connector || !step.operation || !opts.connectors) return { action };
    const def = opts.connectors.getOperation(step.connector, step.operation);
    if (!quiet) {
      const problem = connectorStepProblem(opts.connectors, step.connector, step.operation, def);
      if (problem)
        out.push({
          severity: 'error',
          code: problem.code,
          message: problem.message,
          pointer: `${path}/${problem.key}`,
          hint: problem.hint,
        });
      if (def && !problem && step.pagination && !def.pageable)
        out.push({
          severity: 'warning',
          code: 'flow.invalid',
          message: `${action} does not return its items over several pages, so "pagination" has no effect.`,
          pointer: `${path}/pagination`,
          hint: 'Remove "pagination" from this step.',
        });
    }
    return { action, def };
  }
  if (!step.action) {
    out.push({
      severity: 'error',
      code: 'flow.invalid',
      message: 'The step names no action.',
      hint: 'Add "action" (e.g. "Variables.Set") or "connector", "operation" and "connectionReference".',
    });
    return { action: '?' };
  }
  const def = opts.actions.get(step.action);
  if (!def && !quiet) {
    const guess = nearest(
      step.action,
      opts.actions.list().map((d) => d.id),
    );
    out.push({
      severity: 'error',
      code: 'action.unknown',
      message: `Unknown action "${step.action}".`,
      pointer: `${path}/action`,
      hint: guess ? `Did you mean "${guess}"?` : 'Run `patchbay actions list` for the available actions.',
    });
  }
  return { action: step.action, def };
}

/** Whether a parameter names a variable the action writes (Variables.Set's "name", for instance). */
export function namesVariable(def: ActionDefinition, spec: ParamSpec): boolean {
  return (
    def.kind !== 'block' &&
    spec.raw === true &&
    spec.type === 'text' &&
    /^(name|variable|variableName)$/.test(spec.name)
  );
}

const OPTION_VALUE = (o: { value: string } | string): string => (typeof o === 'string' ? o : o.value);

/** Checks one parameter value (recursively); collects the variables it reads. */
export function checkValue(
  raw: unknown,
  pointer: string,
  out: Finding[],
  reads: { name: string; pointer: string }[],
): { literal: boolean } {
  if (typeof raw === 'string') {
    try {
      const t = compileTemplate(raw);
      for (const v of t.variables) reads.push({ name: v, pointer });
      return { literal: t.isLiteral };
    } catch (e) {
      if (!(e instanceof PatchbayError)) throw e;
      out.push({
        severity: 'error',
        code: e.code,
        message: e.message,
        hint: e.hint,
        pointer,
        textColumn: e.place.column,
      });
      return { literal: false };
    }
  }
  if (Array.isArray(raw)) raw.forEach((x, i) => checkValue(x, `${pointer}/${i}`, out, reads));
  else if (raw !== null && typeof raw === 'object')
    for (const [k, x] of Object.entries(raw))
      checkValue(x, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out, reads);
  return { literal: true };
}

export function checkParams(
  step: Step,
  info: StepInfo,
  path: string,
  out: Finding[],
  reads: { name: string; pointer: string }[],
): void {
  const given = step.params ?? {};
  const def = info.def;
  // A step that cannot run at all (a trigger) is reported once, not once per parameter.
  if (!def || def.notUsableReason !== undefined) {
    for (const [k, v] of Object.entries(given)) checkValue(v, `${path}/params/${k}`, out, reads);
    return;
  }
  const specs = new Map(def.params.map((p) => [p.name, p]));
  // A parameter whose fields the service gives (x-ms-dynamic-schema) takes them as parameters of their own.
  const dynamicBody = def.params.find((p) => p.dynamicSchema);
  for (const [name, raw] of Object.entries(given)) {
    const pointer = `${path}/params/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const spec = specs.get(name);
    if (!spec && dynamicBody) {
      checkValue(raw, pointer, out, reads);
      continue;
    }
    if (!spec) {
      const guess = nearest(name, specs.keys());
      out.push({
        severity: 'error',
        code: 'action.param',
        message: `${info.action} has no parameter "${name}".`,
        pointer,
        hint: guess ? `Did you mean "${guess}"?` : `Its parameters are: ${[...specs.keys()].join(', ') || 'none'}.`,
      });
      continue;
    }
    if (spec.raw) {
      if (raw !== null && typeof raw !== 'string' && spec.type === 'text')
        out.push({
          severity: 'error',
          code: 'action.param',
          message: `Parameter "${name}" of ${info.action} must be text.`,
          pointer,
        });
      continue;
    }
    const { literal } = checkValue(raw, pointer, out, reads);
    if (!literal || raw === null || spec.type === 'any') continue;
    try {
      const v = typeof raw === 'string' ? compileTemplate(raw).evaluate({ get: () => undefined }) : (raw as never);
      coerceValue(v, spec.type, `Parameter "${name}" of ${info.action}`);
      if (spec.options && spec.options.length && typeof v === 'string' && !spec.options.map(OPTION_VALUE).includes(v)) {
        out.push({
          severity: 'error',
          code: 'action.param',
          message: `Parameter "${name}" of ${info.action} must be one of: ${spec.options.map(OPTION_VALUE).join(', ')}.`,
          pointer,
        });
      }
    } catch (e) {
      if (!(e instanceof PatchbayError)) throw e;
      out.push({ severity: 'error', code: 'action.param', message: e.message, hint: e.hint, pointer });
    }
  }
  const dynamicFieldsGiven = dynamicBody !== undefined && Object.keys(given).some((k) => !specs.has(k));
  for (const spec of def.params) {
    if (spec.dynamicSchema && dynamicFieldsGiven) continue;
    if (spec.required && spec.default === undefined && !Object.hasOwn(given, spec.name)) {
      out.push({
        severity: 'error',
        code: 'action.param',
        message: `Parameter "${spec.name}" of ${info.action} is required.`,
        pointer: `${path}/params`,
        hint: `Add "${spec.name}" (${spec.displayName}).`,
      });
    }
  }
}

/** Variable names a step sets when it runs (produced variables and variable-name parameters). */
export function namesSetBy(
  step: Step,
  def: ActionDefinition | undefined,
  subflowOutputs?: (name: string) => string[] | undefined,
): string[] {
  const names: string[] = [];
  const renames = step.produces ?? {};
  if (def) {
    for (const p of def.produces) {
      const r = Object.hasOwn(renames, p.key) ? renames[p.key] : undefined;
      if (r !== false) names.push(typeof r === 'string' ? r : p.defaultName);
    }
    for (const spec of def.params) {
      const v = step.params?.[spec.name];
      if (typeof v === 'string' && namesVariable(def, spec)) names.push(v);
    }
  }
  if (step.action === 'CallSubflow' && typeof step.params?.subflow === 'string') {
    for (const out of subflowOutputs?.(step.params.subflow) ?? []) {
      const r = Object.hasOwn(renames, out) ? renames[out] : undefined;
      if (r !== false) names.push(typeof r === 'string' ? r : out);
    }
  }
  for (const policy of [step.onError, step.onBlockError]) {
    if (!policy) continue;
    if (policy.setVariable) names.push(policy.setVariable.name);
    for (const rule of policy.rules ?? []) if (rule.setVariable) names.push(rule.setVariable.name);
  }
  return names;
}

/** `retry` belongs to connector steps, and retries never multiply: a step has `retry` (HTTP retries) or `onError.retry` (retries of the step), not both. */
export function checkRetry(step: Step, path: string, out: Finding[]): void {
  const isConnector = step.connector !== undefined || step.operation !== undefined;
  if (step.pagination && !isConnector)
    out.push({
      severity: 'error',
      code: 'flow.invalid',
      message: '"pagination" only applies to connector steps (next-page links of a service call).',
      pointer: `${path}/pagination`,
      hint: 'Remove "pagination", or put it on the connector step that lists the items.',
    });
  if (!step.retry) return;
  if (!isConnector) {
    out.push({
      severity: 'error',
      code: 'flow.invalid',
      message: '"retry" only applies to connector steps (HTTP retries of the service call).',
      pointer: `${path}/retry`,
      hint: 'Use "onError": {"retry": N} to retry this step.',
    });
  } else if (policyRetries(step.onError)) {
    out.push({
      severity: 'error',
      code: 'flow.invalid',
      message: 'The step has both "retry" and "onError.retry", so its retries would multiply.',
      pointer: `${path}/retry`,
      hint: 'Keep "retry" to let the connector retry busy or failing services (408, 429, 5xx), or "onError.retry" to retry the whole step on any error; not both.',
    });
  }
}
