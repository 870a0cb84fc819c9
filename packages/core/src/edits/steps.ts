/** What the edits check about a step before putting it into a flow (the rest is `validateFlow`'s job). */
import { PatchbayError } from '../errors.js';
import { BODY_KEYS } from './pointer.js';
import { checkVariableName } from './names.js';
import type { EditStep } from './schema.js';

/** Keys of a block step that hold nested steps, carried over by `update_step` when the new step omits them. */
export const NESTED_KEYS = [...BODY_KEYS, 'elseIf', 'cases'] as const;

export function isStepObject(v: unknown): v is EditStep {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A step names a standard action (`action`) or a connector operation (`connector` + `operation`); produced names follow PAD's rule. */
export function checkStep(step: unknown, pointer: string): asserts step is EditStep {
  if (!isStepObject(step)) {
    throw new PatchbayError('flow.invalid', `The step for ${pointer} is not an object.`, {
      place: { pointer },
      hint: 'A step looks like {"action": "Variables.Set", "params": {…}}.',
    });
  }
  const isAction = typeof step.action === 'string' && step.action !== '';
  const isConnector =
    typeof step.connector === 'string' &&
    step.connector !== '' &&
    typeof step.operation === 'string' &&
    step.operation !== '';
  if (!isAction && !isConnector) {
    throw new PatchbayError('flow.invalid', `The step for ${pointer} names no action.`, {
      place: { pointer },
      hint: 'Give "action" (e.g. "Text.Trim") or "connector" and "operation" for a connector action.',
    });
  }
  if (step.produces !== undefined) {
    if (!isStepObject(step.produces)) {
      throw new PatchbayError(
        'flow.invalid',
        `"produces" of the step for ${pointer} must be an object of variable names.`,
        { place: { pointer: `${pointer}/produces` }, hint: 'E.g. {"item": "Row"}, or false to turn a variable off.' },
      );
    }
    for (const [key, name] of Object.entries(step.produces)) {
      if (name !== false) checkVariableName(name, `${pointer}/produces/${key}`, `The variable produced as "${key}"`);
    }
  }
}
