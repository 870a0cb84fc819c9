/**
 * Conditions of If, Else if, Loop condition and Wait for condition: PAD's
 * first operand, operator, second operand and Ignore case, or one boolean
 * expression in `condition` (the older single-expression form).
 */
import { PatchbayError } from '../errors.js';
import type { Value } from '../values.js';
import { toBoolean, testCondition, type ConditionOperator } from '../expressions/index.js';
import { CONDITION_OPERATORS } from '../expressions/conditions.js';
import { compileValue, type CompiledValue } from './params.js';
import type { Scope } from './state.js';

export interface ConditionFields {
  condition?: unknown;
  first?: unknown;
  operator?: unknown;
  second?: unknown;
  ignoreCase?: unknown;
}

function missing(pointer: string): PatchbayError {
  return new PatchbayError('flow.invalid', 'The condition has neither an operator nor a "condition" expression.', {
    place: { pointer },
    hint: 'Give "first", "operator" (=, <>, >, contains, isEmpty, …) and "second", or "condition": "%Count > 3%".',
  });
}

/** Whether evaluated condition values hold. `pointer` places errors. */
export function conditionHolds(v: Record<string, Value | undefined>, pointer: string): boolean {
  const op = v.operator;
  if (op !== undefined && op !== null && op !== '') {
    if (typeof op !== 'string' || !(CONDITION_OPERATORS as readonly string[]).includes(op))
      throw new PatchbayError('action.param', `"${String(op)}" is not a condition operator.`, {
        place: { pointer: `${pointer}/operator` },
        hint: `Use one of ${CONDITION_OPERATORS.join(', ')}.`,
      });
    const ignoreCase = v.ignoreCase === undefined || v.ignoreCase === null ? false : toBoolean(v.ignoreCase);
    return testCondition(op as ConditionOperator, v.first ?? null, v.second ?? null, { ignoreCase });
  }
  if (v.condition === undefined) throw missing(pointer);
  return toBoolean(v.condition);
}

/** A condition held outside `params` (an Else if branch), compiled once. */
export function compileCondition(fields: ConditionFields, pointer: string): (scope: Scope) => boolean {
  const parts: [keyof ConditionFields, CompiledValue][] = [];
  for (const key of ['condition', 'first', 'operator', 'second', 'ignoreCase'] as const)
    if (fields[key] !== undefined) parts.push([key, compileValue(fields[key], `${pointer}/${key}`)]);
  return (scope) => {
    const v: Record<string, Value> = {};
    for (const [k, c] of parts) v[k] = c.evaluate(scope);
    try {
      return conditionHolds(v, pointer);
    } catch (e) {
      throw e instanceof PatchbayError ? e.at({ pointer }) : e;
    }
  };
}
