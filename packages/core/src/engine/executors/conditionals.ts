/** If / else-if / else and Switch / case / default. */
import { formatValue, toBoolean, valuesEqual } from '../../expressions/index.js';
import { PatchbayError } from '../../errors.js';
import { isValueObject, type Value } from '../../values.js';
import type { SwitchOperator } from '../../flow/schema.js';
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
  if (toBoolean(params.condition)) return runList(s.then ?? [], `${cs.path}/then`, frame);
  const branches = s.elseIf ?? [];
  for (let i = 0; i < branches.length; i++) {
    const b = branches[i];
    const [cond] = extras(b, () => [compileValue(b.condition, `${cs.path}/elseIf/${i}/condition`)]);
    if (toBoolean(cond.evaluate(frame.scope))) return runList(b.then, `${cs.path}/elseIf/${i}/then`, frame);
  }
  if (s.else) await runList(s.else, `${cs.path}/else`, frame);
};

function isEmpty(v: Value): boolean {
  return (
    v === null || v === '' || (Array.isArray(v) && v.length === 0) || (isValueObject(v) && Object.keys(v).length === 0)
  );
}

/** Orders two values of the same kind; NaN (no case matches) when they cannot be compared. */
function compare(a: Value, b: Value): number {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = typeof a === 'number' ? a : typeof a === 'string' && a.trim() !== '' ? Number(a) : NaN;
    const y = typeof b === 'number' ? b : typeof b === 'string' && b.trim() !== '' ? Number(b) : NaN;
    return x - y;
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  const x = formatValue(a);
  const y = formatValue(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function contains(hay: Value, needle: Value): boolean {
  if (Array.isArray(hay)) return hay.some((x) => valuesEqual(x, needle));
  return formatValue(hay).toLowerCase().includes(formatValue(needle).toLowerCase());
}

/** Whether a Switch value matches one case value under an operator. */
export function caseMatches(op: SwitchOperator, v: Value, c: Value): boolean {
  switch (op) {
    case '=':
      return valuesEqual(v, c);
    case '<>':
      return !valuesEqual(v, c);
    case '<':
      return compare(v, c) < 0;
    case '<=':
      return compare(v, c) <= 0;
    case '>':
      return compare(v, c) > 0;
    case '>=':
      return compare(v, c) >= 0;
    case 'contains':
      return contains(v, c);
    case 'notContains':
      return !contains(v, c);
    case 'startsWith':
      return formatValue(v).toLowerCase().startsWith(formatValue(c).toLowerCase());
    case 'notStartsWith':
      return !formatValue(v).toLowerCase().startsWith(formatValue(c).toLowerCase());
    case 'endsWith':
      return formatValue(v).toLowerCase().endsWith(formatValue(c).toLowerCase());
    case 'notEndsWith':
      return !formatValue(v).toLowerCase().endsWith(formatValue(c).toLowerCase());
    case 'isEmpty':
      return isEmpty(v);
    case 'isNotEmpty':
      return !isEmpty(v);
    default:
      throw new PatchbayError('flow.invalid', `Unknown Switch operator "${String(op)}".`);
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
        : values.some((cv) => caseMatches(op, params.value, cv.evaluate(frame.scope)));
    if (hit) return runList(c.do, `${cs.path}/cases/${i}/do`, frame);
  }
  if (s.default) await runList(s.default, `${cs.path}/default`, frame);
};
