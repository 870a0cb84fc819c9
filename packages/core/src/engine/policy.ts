/**
 * Error policies (PAD's "On error" and "On block error"): after a step's
 * retries are spent, record the last error, run the extra rules (set a
 * variable, run a subflow), then stop, continue, repeat or go to a label.
 */
import { PatchbayError } from '../errors.js';
import type { ValueObject } from '../values.js';
import type { ErrorHandling } from '../flow/schema.js';
import type { CompiledStep } from './compile.js';
import { compileValue } from './params.js';
import { GoToSignal, StepFailure } from './signals.js';
import type { Frame } from './state.js';
import { callSubflow } from './subflow.js';

export function loopLimitError(stepPath: string, action: string, limit: number): PatchbayError {
  return new PatchbayError(
    'run.loop_limit',
    `The ${action} step at ${stepPath} went past ${limit.toLocaleString('en-US')} iterations and was stopped as a runaway loop.`,
    {
      place: { stepPath, action },
      hint: 'Check the loop condition or its exit, or raise the iteration limit if the flow really needs more.',
    },
  );
}

/** The `%LastError%` custom object. */
export function lastErrorObject(err: PatchbayError, frame: Frame): ValueObject {
  const r = frame.state.redactor;
  return {
    Message: r.text(err.message),
    Code: err.code,
    Step: err.place.stepPath ?? '',
    Action: err.place.action ?? '',
    Hint: err.hint === undefined ? '' : r.text(err.hint),
  };
}

/**
 * Applies a policy to a failed step or block. Returns 'continue' (go on after
 * it) or 'repeat' (run it again); throws a StepFailure to stop, or a GoToSignal.
 */
export async function applyPolicy(
  policy: ErrorHandling | undefined,
  err: PatchbayError,
  cs: CompiledStep,
  frame: Frame,
): Promise<'continue' | 'repeat'> {
  const state = frame.state;
  state.lastError = lastErrorObject(err, frame);
  if (!policy) throw new StepFailure(err);
  if (policy.setVariable) {
    const v = compileValue(policy.setVariable.value, `${cs.path}/onError/setVariable/value`).evaluate(frame.scope);
    frame.set(policy.setVariable.name, v);
  }
  if (policy.runSubflow) await callSubflow(policy.runSubflow, {}, frame, cs);
  switch (policy.then ?? 'stop') {
    case 'continue':
      return 'continue';
    case 'repeat':
      return 'repeat';
    case 'goto':
      if (!policy.label)
        throw new StepFailure(
          new PatchbayError('flow.invalid', 'The error policy says "goto" but names no label.', {
            place: { stepPath: cs.path, action: cs.action },
            hint: 'Add "label" to onError.',
          }),
        );
      throw new GoToSignal(policy.label, cs.path);
    case 'stop':
    default:
      throw new StepFailure(err);
  }
}
