/** Calling a subflow: its own frame with its inputs, the call-depth limit, Subflow.Exit, and its outputs back. */
import { PatchbayError } from '../errors.js';
import type { Value } from '../values.js';
import { pointerSegment } from '../flow/location.js';
import type { CompiledStep } from './compile.js';
import { bindInputs, bindVariables, collectOutputs } from './inputs.js';
import { GoToSignal, LoopSignal, ReturnSignal } from './signals.js';
import { Frame } from './state.js';
import { runList } from './step.js';
import { subflowScope } from '../flow/scope.js';

export async function callSubflow(
  name: string,
  inputs: Record<string, unknown>,
  caller: Frame,
  cs: CompiledStep,
): Promise<Record<string, Value>> {
  const state = caller.state;
  const sub = state.flow.subflows && Object.hasOwn(state.flow.subflows, name) ? state.flow.subflows[name] : undefined;
  if (!sub) {
    const names = Object.keys(state.flow.subflows ?? {});
    throw new PatchbayError('flow.invalid', `There is no subflow "${name}".`, {
      place: { stepPath: cs.path, action: cs.action },
      hint: names.length
        ? `The subflows are: ${names.join(', ')}.`
        : 'The flow has no subflows; add one under "subflows".',
    });
  }
  const depth = caller.depth + 1;
  if (depth > state.limits.maxCallDepth) {
    throw new PatchbayError(
      'run.loop_limit',
      `Subflow calls nested deeper than ${state.limits.maxCallDepth} levels at "${name}".`,
      {
        place: { stepPath: cs.path, action: cs.action },
        hint: 'A subflow probably calls itself without an end condition.',
      },
    );
  }
  const pointer = `/subflows/${pointerSegment(name)}`;
  const local = subflowScope(sub) === 'local';
  const frame = new Frame(state, depth, name, { root: caller.root, shareRoot: !local });
  if (!local && Object.keys(inputs).length)
    throw new PatchbayError('flow.invalid', `Subflow "${name}" is Global, so it takes no inputs.`, {
      place: { stepPath: cs.path, action: cs.action },
      hint: 'A Global subflow shares every variable of the flow; make it "scope": "local" to pass inputs.',
    });
  bindInputs(frame, sub.inputs, inputs, { pointer: `${pointer}/inputs`, what: `subflow "${name}"` });
  bindVariables(frame, sub.variables, `${pointer}/variables`);
  try {
    await runList(sub.steps, `${pointer}/steps`, frame);
  } catch (e) {
    if (!(e instanceof ReturnSignal)) rethrowOutside(e, name);
  }
  return local ? collectOutputs(frame, sub.outputs, false) : {};
}

/** Signals that must not leave a subflow become errors; anything else goes on up. */
function rethrowOutside(e: unknown, name: string): never {
  if (e instanceof LoopSignal)
    throw new PatchbayError(
      'flow.invalid',
      `${e.kind === 'exit' ? 'Loop.Exit' : 'Loop.Next'} outside a loop in subflow "${name}".`,
      { place: { stepPath: e.stepPath } },
    );
  if (e instanceof GoToSignal)
    throw new PatchbayError('flow.invalid', `GoTo "${e.label}": no such label in subflow "${name}".`, {
      place: { stepPath: e.stepPath },
      hint: 'A GoTo jumps to a Label in its own step list or an enclosing one, within the same subflow.',
    });
  throw e;
}
