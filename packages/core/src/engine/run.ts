/**
 * Running a flow: inputs checked and coerced before the first step, the main
 * step list, and the result with outputs, the error and step records.
 */
import type { RunResources } from '../contracts.js';
import { PatchbayError, toErrorData, type ErrorData } from '../errors.js';
import type { Value } from '../values.js';
import type { Flow } from '../flow/schema.js';
import { flowSource } from '../flow/sources.js';
import { SourceMap } from '../flow/location.js';
import { bindInputs, bindVariables, collectOutputs } from './inputs.js';
import { REDACTED, Redactor } from './redact.js';
import { toJsonData } from '../expressions/format.js';
import { GoToSignal, LoopSignal, ReturnSignal, StepFailure, StopSignal } from './signals.js';
import { DEFAULT_MAX_STEP_RECORDS, Frame, RunState, type StepRecord } from './state.js';
import { runList } from './step.js';

export type { StepRecord } from './state.js';

export interface RunResult {
  status: 'succeeded' | 'failed' | 'cancelled';
  outputs: Record<string, Value>;
  error?: ErrorData;
  /** Step records (the first `maxStepRecords`, plus every failed step). */
  steps: StepRecord[];
  /** Steps run in all, including those not kept in `steps`. */
  stepCount: number;
  /**
   * The final value of every flow variable, as PAD's Variables pane shows
   * after a run: JSON data (data tables as `{columns, rows}`, datetimes as
   * ISO text), sensitive ones as `***`, secrets scrubbed from the rest.
   */
  variables?: Record<string, unknown>;
}

export interface RunOptions {
  inputs?: Record<string, unknown>;
  resources: RunResources;
  /** Step records kept in the result (default 1000; failed steps are always kept). */
  maxStepRecords?: number;
}

function sensitiveNames(flow: Flow, resources: RunResources): string[] {
  const names = [...(resources.sensitive ?? [])];
  for (const group of [flow.inputs, flow.outputs, flow.variables])
    for (const [n, d] of Object.entries(group ?? {})) if (d.sensitive) names.push(n);
  return names;
}

function errorOf(e: unknown): PatchbayError {
  if (e instanceof StepFailure) return e.error;
  if (e instanceof PatchbayError) return e;
  if (e instanceof LoopSignal)
    return new PatchbayError('flow.invalid', `${e.kind === 'exit' ? 'Loop.Exit' : 'Loop.Next'} outside a loop.`, {
      place: { stepPath: e.stepPath },
    });
  if (e instanceof ReturnSignal)
    return new PatchbayError('flow.invalid', 'Subflow.Exit outside a subflow.', {
      place: { stepPath: e.stepPath, action: 'Subflow.Exit' },
      hint: 'Use StopFlow to end the main flow.',
    });
  if (e instanceof GoToSignal)
    return new PatchbayError('flow.invalid', `GoTo "${e.label}": no such label.`, {
      place: { stepPath: e.stepPath },
      hint: 'A GoTo jumps to a Label in its own step list or an enclosing one.',
    });
  const d = toErrorData(e);
  return new PatchbayError(d.code, d.message, { cause: e });
}

export async function runFlow(flow: Flow, opts: RunOptions): Promise<RunResult> {
  const resources = opts.resources;
  const redactor = new Redactor(sensitiveNames(flow, resources));
  for (const n of resources.sensitive ?? []) {
    const v = resources.environmentVariables?.[n];
    if (v !== undefined) redactor.addSecret(v);
  }
  const state = new RunState(flow, resources, redactor, opts.maxStepRecords ?? DEFAULT_MAX_STEP_RECORDS);
  const frame = new Frame(state, 0);
  let status: RunResult['status'] = 'succeeded';
  let error: PatchbayError | undefined;
  try {
    bindInputs(frame, flow.inputs, opts.inputs ?? {}, { pointer: '/inputs', what: `flow "${flow.name}"` });
    bindVariables(frame, flow.variables, '/variables');
    await runList(flow.steps, '/steps', frame);
  } catch (e) {
    if (e instanceof StopSignal) {
      if (e.mode === 'error') {
        status = 'failed';
        error = new PatchbayError('run.stopped', e.message || 'The flow stopped with an error.', {
          place: { stepPath: e.stepPath, action: 'StopFlow' },
        });
      }
    } else {
      error = errorOf(e);
      status = error.code === 'run.cancelled' ? 'cancelled' : 'failed';
    }
  }
  let outputs: Record<string, Value> = {};
  try {
    outputs = collectOutputs(frame, flow.outputs, true);
  } catch (e) {
    if (!error) {
      status = 'failed';
      error = errorOf(e);
    }
  }
  const result: RunResult = {
    status,
    outputs,
    steps: state.records,
    stepCount: state.runStep,
    variables: finalVariables(frame, redactor),
  };
  if (error) result.error = placeInSource(redactor.error(toErrorData(error)), flow);
  return result;
}

function finalVariables(frame: Frame, redactor: Redactor): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of [...frame.vars].sort(([a], [b]) => a.localeCompare(b))) {
    if (redactor.isSensitiveName(name)) out[name] = REDACTED;
    else if (v instanceof Uint8Array) out[name] = redactor.value(v);
    else out[name] = redactor.value(toJsonData(v));
  }
  return out;
}

/**
 * A flow parsed from text: the error's line:column in that text (an
 * expression error's column inside its parameter's text becomes the file's).
 */
function placeInSource(d: ErrorData, flow: Flow): ErrorData {
  const source = flowSource(flow);
  if (!source || d.line !== undefined) return d;
  const inFlow = (p: string | undefined): p is string => p !== undefined && /^\/(steps|subflows)\//.test(p);
  const pointer = inFlow(d.pointer) ? d.pointer : inFlow(d.stepPath) ? d.stepPath : undefined;
  if (!pointer) return d;
  const map = new SourceMap(source.text);
  const value = d.column !== undefined && pointer === d.pointer ? map.locateValue(pointer) : undefined;
  const at = value ? { line: value.line, column: value.column + (d.column ?? 0) } : map.locate(pointer);
  if (!at) return d;
  const placed: ErrorData = { ...d, line: at.line, column: at.column };
  if (source.file !== undefined && placed.file === undefined) placed.file = source.file;
  return placed;
}
