/** CallSubflow, Subflow.Exit, StopFlow, Wait, Label and GoTo. */
import { PatchbayError } from '../../errors.js';
import { isValueObject, type Value } from '../../values.js';
import { REDACTED } from '../redact.js';
import { GoToSignal, ReturnSignal, StopSignal } from '../signals.js';
import { sleepSeconds } from '../step.js';
import { callSubflow } from '../subflow.js';
import { conditionHolds } from '../condition.js';
import { evaluateParams } from '../compile.js';
import type { Executor } from './types.js';

export const runCallSubflow: Executor = async (cs, frame, params) => {
  const name = String(params.subflow ?? '');
  const inputs = params.inputs ?? {};
  if (!isValueObject(inputs))
    throw new PatchbayError('action.param', 'CallSubflow "inputs" must be an object of input names to values.');
  const outputs = await callSubflow(name, inputs, frame, cs);
  const renames = cs.step.produces ?? {};
  const shown: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(outputs) as [string, Value][]) {
    const r = Object.hasOwn(renames, key) ? renames[key] : undefined;
    if (r === false) continue;
    const target = typeof r === 'string' ? r : key;
    frame.set(target, v);
    shown[target] = frame.state.redactor.isSensitiveName(target) ? REDACTED : frame.state.redactor.value(v);
  }
  return shown;
};

export const runExitSubflow: Executor = (cs) => {
  throw new ReturnSignal(cs.path);
};

export const runStopFlow: Executor = (cs, _frame, params) => {
  const mode = params.mode ?? 'success';
  if (mode !== 'success' && mode !== 'error')
    throw new PatchbayError('action.param', `StopFlow mode must be "success" or "error", not "${String(mode)}".`);
  throw new StopSignal(mode, String(params.message ?? ''), cs.path);
};

export const runWait: Executor = async (cs, frame, params) => {
  const seconds = params.seconds as number;
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new PatchbayError('action.param', `Wait needs a number of seconds of 0 or more, not ${String(seconds)}.`);
  await sleepSeconds(seconds, frame.state, cs.path);
};

export const runWaitForCondition: Executor = async (cs, frame, params) => {
  const interval = params.intervalSeconds as number;
  const timeout = params.timeoutSeconds as number;
  if (!Number.isFinite(interval) || interval < 0 || !Number.isFinite(timeout) || timeout < 0)
    throw new PatchbayError('action.param', 'Wait for condition needs intervals and time limits of 0 seconds or more.');
  const where = `${cs.path}/params`;
  const clock = frame.state.resources.clock;
  const started = clock.now().getTime();
  let values = params;
  while (!conditionHolds(values, where)) {
    if (timeout > 0 && clock.now().getTime() - started >= timeout * 1000)
      throw new PatchbayError('run.timeout', `The condition was still false after ${timeout} seconds.`, {
        place: { stepPath: cs.path, action: cs.action },
        hint: 'Raise "timeoutSeconds", or handle the error with onError.',
      });
    await sleepSeconds(interval, frame.state, cs.path);
    values = evaluateParams(cs, frame);
  }
};

export const runLabel: Executor = () => undefined;

export const runGoTo: Executor = (cs, _frame, params) => {
  throw new GoToSignal(String(params.label ?? ''), cs.path);
};
