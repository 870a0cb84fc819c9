/**
 * The functions of the expression language, as Power Automate for desktop
 * writes them: `Contains(Text, 'abc', True)` where the last argument is
 * *Ignore case* (False when left out), `IsEmpty(List)`. Names match in any
 * case. Each function is one condition operator of conditions.ts.
 */
import type { Value } from '../values.js';
import { testCondition, type ConditionOperator } from './conditions.js';
import { toBoolean } from './convert.js';

export interface FunctionSpec {
  /** As documented, e.g. `Contains`. */
  name: string;
  min: number;
  max: number;
  /** "2 or 3 arguments". */
  arity: string;
  usage: string;
  op: ConditionOperator;
}

const two = (name: string, op: ConditionOperator): FunctionSpec => ({
  name,
  min: 2,
  max: 3,
  arity: '2 or 3 arguments',
  usage: `Write ${name}(Value, 'text', IgnoreCase), e.g. %${name}(Name, 'ada', True)%; IgnoreCase may be left out (False).`,
  op,
});
const one = (name: string, op: ConditionOperator): FunctionSpec => ({
  name,
  min: 1,
  max: 1,
  arity: '1 argument',
  usage: `Write ${name}(Value), e.g. %${name}(Items)%.`,
  op,
});

const SPECS: FunctionSpec[] = [
  two('Contains', 'contains'),
  two('NotContains', 'notContains'),
  two('StartsWith', 'startsWith'),
  two('NotStartsWith', 'notStartsWith'),
  two('EndsWith', 'endsWith'),
  two('NotEndsWith', 'notEndsWith'),
  one('IsEmpty', 'isEmpty'),
  one('IsNotEmpty', 'isNotEmpty'),
];

/** By lower-case name. */
export const FUNCTIONS = new Map(SPECS.map((s) => [s.name.toLowerCase(), s]));

export function functionNames(): string {
  return SPECS.map((s) => s.name).join(', ');
}

/** Calls a function on evaluated arguments; `columns` are the arguments' columns. */
export function callFunction(spec: FunctionSpec, args: Value[], columns: number[], column: number): Value {
  const ignoreCase = args.length > 2 ? toBoolean(args[2], columns[2]) : false;
  return testCondition(spec.op, args[0], args.length > 1 ? args[1] : null, { ignoreCase, column });
}
