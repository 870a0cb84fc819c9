/** If / else-if / else and Switch / case / default. */
import { CONDITION_OPERATORS, testCondition } from '../../expressions/index.js';
import { PatchbayError } from '../../errors.js';
import type { Value } from '../../values.js';
import type { SwitchOperator } from '../../flow/schema.js';
import { compileCondition, conditionHolds } from '../condition.js';
import type { Scope } from '../state.js';
import { compileValue, type CompiledValue } from '../params.js';
import { runList } from '../step.js';
import type { Executor } from './types.js';

const compiledExtras = new WeakMap<object, CompiledValue[]>();

/** Compiles values that live outside `params` (else-if conditions, case values) once per owner object. */
function extras(owner: object, make: () => CompiledValue[]): CompiledValue[] {
  let c = compiledExtras.get(owner);
  if (!c) {
    c = make();
    compiledExtras.set(owner, c);
  }
  return c;
}

export const runIf: Executor = async (cs, frame, params) => {
  const s = cs.step;
  if (conditionHolds(params, `${cs.path}/params`)) return runList(s.then ?? [], `${cs.path}/then`, frame);
  const branches = s.elseIf ?? [];
  for (let i = 0; i < branches.length; i++) {
    const b = branches[i];
    const holds = elseIfConditions(b, () => compileCondition(b, `${cs.path}/elseIf/${i}`));
    if (holds(frame.scope)) return runList(b.then, `${cs.path}/elseIf/${i}/then`, frame);
  }
  if (s.else) await runList(s.else, `${cs.path}/else`, frame);
};

const compiledConditions = new WeakMap<object, (scope: Scope) => boolean>();

function elseIfConditions(owner: object, make: () => (scope: Scope) => boolean): (scope: Scope) => boolean {
  let c = compiledConditions.get(owner);
  if (!c) {
    c = make();
    compiledConditions.set(owner, c);
  }
  return c;
}

const TEXT_OPERATORS = new Set<SwitchOperator>([
  'contains',
  'notContains',
  'startsWith',
  'notStartsWith',
  'endsWith',
  'notEndsWith',
]);

/**
 * Whether a Switch value matches one case value under an operator. Without
 * `ignoreCase` the text operators ignore case (as Case did before it had the
 * option) and the others do not.
 */
export function caseMatches(op: SwitchOperator, v: Value, c: Value, ignoreCase?: boolean): boolean {
  if (!(CONDITION_OPERATORS as readonly string[]).includes(op))
    throw new PatchbayError('flow.invalid', `Unknown Switch operator "${String(op)}".`);
  try {
    return testCondition(op, v, c, { ignoreCase: ignoreCase ?? TEXT_OPERATORS.has(op) });
  } catch (e) {
    // Values that cannot be ordered against each other match no ordering case.
    if (e instanceof PatchbayError && e.code === 'expression.type') return false;
    throw e;
  }
}

export const runSwitch: Executor = async (cs, frame, params) => {
  const s = cs.step;
  const cases = s.cases ?? [];
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    const op = c.operator ?? '=';
    const values = extras(c, () =>
      (c.values ?? [c.value]).map((v, j) =>
        compileValue(v, c.values ? `${cs.path}/cases/${i}/values/${j}` : `${cs.path}/cases/${i}/value`),
      ),
    );
    const hit =
      op === 'isEmpty' || op === 'isNotEmpty'
        ? caseMatches(op, params.value, null)
        : values.some((cv) => caseMatches(op, params.value, cv.evaluate(frame.scope), c.ignoreCase));
    if (hit) return runList(c.do, `${cs.path}/cases/${i}/do`, frame);
  }
  if (s.default) await runList(s.default, `${cs.path}/default`, frame);
};
