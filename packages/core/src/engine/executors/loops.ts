/** Loop (from/to/step), LoopWhile, Loop.ForEach, and Loop.Exit / Loop.Next. */
import { coerceValue } from '../../expressions/index.js';
import { conditionHolds } from '../condition.js';
import { evaluateParams } from '../compile.js';
import { PatchbayError } from '../../errors.js';
import { DataTable, type Value } from '../../values.js';
import type { CompiledStep } from '../compile.js';
import { loopLimitError } from '../policy.js';
import { LoopSignal, StepFailure } from '../signals.js';
import type { Frame } from '../state.js';
import { runList } from '../step.js';
import type { Executor } from './types.js';

const NONE: never[] = [];

/** Runs the loop body once; false when Loop.Exit left the loop. */
async function iteration(cs: CompiledStep, frame: Frame): Promise<boolean> {
  try {
    await runList(cs.step.do ?? NONE, `${cs.path}/do`, frame);
  } catch (e) {
    if (e instanceof LoopSignal) return e.kind === 'next';
    throw e;
  }
  return true;
}

function guard(cs: CompiledStep, frame: Frame, count: number): void {
  if (count > frame.state.limits.maxLoopIterations)
    throw new StepFailure(loopLimitError(cs.path, cs.action, frame.state.limits.maxLoopIterations));
}

function producedName(cs: CompiledStep, key: string): string | null {
  for (const p of cs.produces) if (p.key === key) return p.name;
  return null;
}

export const runLoop: Executor = async (cs, frame, params) => {
  const from = params.from as number;
  const to = params.to as number;
  const step = (params.step ?? 1) as number;
  if (step === 0 || !Number.isFinite(step) || !Number.isFinite(from) || !Number.isFinite(to)) {
    throw new PatchbayError(
      'action.param',
      `Loop needs finite numbers and a non-zero increment (from ${from}, to ${to}, step ${step}).`,
      { hint: 'Set "step" to 1, or -1 to count down.' },
    );
  }
  const name = producedName(cs, 'index');
  const body = cs.step.do ?? NONE;
  const pointer = `${cs.path}/do`;
  let count = 0;
  for (let i = from; step > 0 ? i <= to : i >= to; i += step) {
    guard(cs, frame, ++count);
    if (name !== null) frame.set(name, i);
    // The hot loop: the body inline rather than through iteration().
    try {
      await runList(body, pointer, frame);
    } catch (e) {
      if (!(e instanceof LoopSignal)) throw e;
      if (e.kind === 'exit') break;
    }
  }
};

export const runLoopWhile: Executor = async (cs, frame, params) => {
  const where = `${cs.path}/params`;
  let ok = conditionHolds(params, where);
  let count = 0;
  while (ok) {
    guard(cs, frame, ++count);
    if (!(await iteration(cs, frame))) break;
    ok = conditionHolds(evaluateParams(cs, frame), where);
  }
};

export const runForEach: Executor = async (cs, frame, params) => {
  const given = params.items;
  // JSON text of a list still reads as the list, as when the parameter was typed 'list'.
  const items = typeof given === 'string' ? coerceValue(given, 'list', 'Parameter "items" of Loop.ForEach') : given;
  if (!Array.isArray(items) && !(items instanceof DataTable))
    throw new PatchbayError('expression.type', 'Loop.ForEach needs a list or a data table to iterate.', {
      hint: 'Give a list or data table variable such as %Rows%.',
    });
  const name = producedName(cs, 'item');
  // Iterate over a snapshot, as PAD does: the body may change the list. A data table gives its rows.
  const snapshot: Value[] = items instanceof DataTable ? items.rows.map((_r, i) => items.row(i)) : items.slice();
  let count = 0;
  for (const item of snapshot) {
    guard(cs, frame, ++count);
    if (name !== null) frame.set(name, item);
    if (!(await iteration(cs, frame))) break;
  }
};

export const runExit: Executor = (cs) => {
  throw new LoopSignal('exit', cs.path);
};

export const runNext: Executor = (cs) => {
  throw new LoopSignal('next', cs.path);
};
