/**
 * Running step lists and single steps: cancellation at each boundary, step
 * events and records, the step's error policy, and jumps to labels.
 */
import { PatchbayError, toErrorData } from '../errors.js';
import type { Step } from '../flow/schema.js';
import { compileStep, evaluateParams, shownParams, type CompiledStep } from './compile.js';
import { GoToSignal, isControlSignal, StepFailure } from './signals.js';
import type { Frame, RunState } from './state.js';
import { applyPolicy, lastErrorObject, loopLimitError } from './policy.js';
import { handlingFor } from '../flow/error-kinds.js';
import type { ErrorHandling } from '../flow/schema.js';

const EMPTY: Record<string, unknown> = {};
const labelIndexes = new WeakMap<Step[], Map<string, number>>();

function labelsOf(list: Step[]): Map<string, number> {
  let m = labelIndexes.get(list);
  if (!m) {
    m = new Map();
    list.forEach((s, i) => {
      const name = s.action === 'Label' ? s.params?.name : undefined;
      if (typeof name === 'string' && !s.disabled && !m!.has(name)) m!.set(name, i);
    });
    labelIndexes.set(list, m);
  }
  return m;
}

export function prepare(step: Step, pointer: string, index: number, state: RunState): CompiledStep {
  let cs = state.compiled.get(step);
  if (!cs) {
    cs = compileStep(step, `${pointer}/${index}`, state);
    state.compiled.set(step, cs);
  }
  return cs;
}

/** Turns anything thrown by an action into a PatchbayError placed at the step. */
export function asStepError(e: unknown, cs: CompiledStep): PatchbayError {
  if (e instanceof PatchbayError) return e.at({ stepPath: cs.path, action: cs.action });
  const d = toErrorData(e);
  if (d.code === 'run.cancelled')
    return new PatchbayError('run.cancelled', d.message, { place: { stepPath: cs.path, action: cs.action } });
  return new PatchbayError('action.failed', `${cs.action} failed: ${d.message}`, {
    place: { stepPath: cs.path, action: cs.action },
    cause: e,
  });
}

/** Runs the steps of one list in order; a GoTo to a label of this list jumps inside it. */
export async function runList(list: Step[], pointer: string, frame: Frame): Promise<void> {
  const state = frame.state;
  let jumps = 0;
  let i = 0;
  while (i < list.length) {
    const step = list[i];
    if (step.disabled) {
      i++;
      continue;
    }
    try {
      const r = runStep(prepare(step, pointer, i, state), frame);
      if (r !== undefined) await r;
      i++;
    } catch (e) {
      if (!(e instanceof GoToSignal)) throw e;
      const at = labelsOf(list).get(e.label);
      if (at === undefined) throw e;
      if (++jumps > state.limits.maxLoopIterations)
        throw new StepFailure(loopLimitError(e.stepPath, 'GoTo', state.limits.maxLoopIterations));
      i = at;
    }
  }
}

function finished(
  cs: CompiledStep,
  state: RunState,
  runStep: number,
  startedAt: string,
  t0: number,
  inputs: Record<string, unknown>,
  out: Record<string, unknown> | void,
): void {
  const outputs = out ?? EMPTY;
  const t1 = performance.now();
  const durationMs = t1 - t0;
  state.emit({
    type: 'step.finished',
    runStep,
    stepPath: cs.path,
    action: cs.action,
    at: state.isoAt(t1),
    durationMs,
    outputs,
  });
  state.record({
    runStep,
    stepPath: cs.path,
    action: cs.action,
    status: 'succeeded',
    startedAt,
    durationMs,
    inputs,
    outputs,
  });
}

/**
 * Reports a failed attempt (events and record) and returns the error to act
 * on; control signals and failures of nested steps are reported and rethrown.
 */
function failed(
  cs: CompiledStep,
  state: RunState,
  runStep: number,
  startedAt: string,
  t0: number,
  inputs: Record<string, unknown>,
  e: unknown,
  willRetry: (err: PatchbayError) => boolean,
): PatchbayError {
  const t1 = performance.now();
  const durationMs = t1 - t0;
  if (isControlSignal(e)) {
    state.emit({
      type: 'step.finished',
      runStep,
      stepPath: cs.path,
      action: cs.action,
      at: state.isoAt(t1),
      durationMs,
      outputs: EMPTY,
    });
    throw e;
  }
  const nested = e instanceof StepFailure;
  const err = nested ? e.error : asStepError(e, cs);
  const error = state.redactor.error(toErrorData(err));
  const retry = !nested && err.code !== 'run.cancelled' && willRetry(err);
  state.emit({
    type: 'step.failed',
    runStep,
    stepPath: cs.path,
    action: cs.action,
    at: state.isoAt(t1),
    durationMs,
    error,
    willRetry: retry,
  });
  state.record({
    runStep,
    stepPath: cs.path,
    action: cs.action,
    status: 'failed',
    startedAt,
    durationMs,
    inputs,
    error,
  });
  // A nested step already failed and its policy let the error through: this block fails with it.
  if (nested) throw e;
  if (err.code === 'run.cancelled') throw new StepFailure(err);
  return err;
}

const NEVER = (): boolean => false;

/** No policy: the error becomes %LastError% and the flow stops at it. */
function stopAt(err: PatchbayError, frame: Frame): never {
  frame.state.lastError = lastErrorObject(err, frame);
  throw new StepFailure(err);
}

/**
 * Runs one step with events and records. Steps without an error policy take
 * a synchronous path when their executor is synchronous (the hot path of
 * loops over simple actions); the result is a promise only when needed.
 */
export function runStep(cs: CompiledStep, frame: Frame): Promise<void> | void {
  if (cs.step.onError !== undefined) return runStepWithPolicy(cs, frame);
  const state = frame.state;
  state.checkCancelled(cs.path);
  const runStep = ++state.runStep;
  const t0 = performance.now();
  const startedAt = state.isoAt(t0);
  let inputs: Record<string, unknown> = EMPTY;
  let r;
  try {
    const params = evaluateParams(cs, frame);
    inputs = shownParams(cs, params, state);
    state.emit({ type: 'step.started', runStep, stepPath: cs.path, action: cs.action, at: startedAt, inputs });
    r = cs.executor(cs, frame, params);
  } catch (e) {
    stopAt(failed(cs, state, runStep, startedAt, t0, inputs, e, NEVER), frame);
  }
  if (r instanceof Promise) {
    const shown = inputs;
    return r.then(
      (out) => finished(cs, state, runStep, startedAt, t0, shown, out),
      (e: unknown) => stopAt(failed(cs, state, runStep, startedAt, t0, shown, e, NEVER), frame),
    );
  }
  finished(cs, state, runStep, startedAt, t0, inputs, r);
}

/** A step with an `onError` policy: retries, then the policy's rules and its next move. */
async function runStepWithPolicy(cs: CompiledStep, frame: Frame): Promise<void> {
  const state = frame.state;
  const policy = cs.step.onError;
  let attempt = 0;
  let repeats = 0;
  for (;;) {
    state.checkCancelled(cs.path);
    const runStep = ++state.runStep;
    const t0 = performance.now();
    const startedAt = state.isoAt(t0);
    let inputs: Record<string, unknown> = EMPTY;
    try {
      const params = evaluateParams(cs, frame);
      inputs = shownParams(cs, params, state);
      state.emit({ type: 'step.started', runStep, stepPath: cs.path, action: cs.action, at: startedAt, inputs });
      const r = cs.executor(cs, frame, params);
      finished(cs, state, runStep, startedAt, t0, inputs, r instanceof Promise ? await r : r);
      return;
    } catch (e) {
      // The handling depends on the kind of error (PAD's "Advanced" rules).
      let handling: ErrorHandling | undefined;
      const err = failed(cs, state, runStep, startedAt, t0, inputs, e, (er) => {
        handling = policy && handlingFor(policy, er);
        return attempt < (handling?.retry ?? 0);
      });
      if (attempt < (handling?.retry ?? 0)) {
        attempt++;
        await sleepSeconds(retryWaitSeconds(handling?.retryIntervalSeconds, err), state, cs.path);
        continue;
      }
      const next = await applyPolicy(handling ?? (policy && handlingFor(policy, err)), err, cs, frame);
      if (next === 'continue') return;
      // 'repeat': run the step again from its first attempt.
      if (++repeats > state.limits.maxLoopIterations)
        throw new StepFailure(loopLimitError(cs.path, cs.action, state.limits.maxLoopIterations));
      attempt = 0;
    }
  }
}

/** The wait before retrying a step: the policy's interval (2 s by default), or the service's `Retry-After` when that is longer. */
export function retryWaitSeconds(intervalSeconds: number | undefined, err: PatchbayError): number {
  const interval = intervalSeconds ?? 2;
  return err.retryAfterMs !== undefined && err.retryAfterMs / 1000 > interval ? err.retryAfterMs / 1000 : interval;
}

export async function sleepSeconds(seconds: number, state: RunState, stepPath: string): Promise<void> {
  if (!(seconds > 0)) return state.checkCancelled(stepPath);
  try {
    await state.resources.clock.sleep(seconds * 1000, state.signal);
  } catch (e) {
    if (state.signal.aborted)
      throw new PatchbayError('run.cancelled', 'The run was cancelled.', { place: { stepPath } });
    throw e;
  }
  state.checkCancelled(stepPath);
}
