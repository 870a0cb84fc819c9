/**
 * Applies flow edits: pure functions, one small handler per edit type. The
 * input flow is never changed; the result shares every part the edit did not
 * touch. A bad edit (unknown type, malformed request, a path that names
 * nothing) throws a `flow.invalid` PatchbayError naming the place.
 */
import Value from 'typebox/value';
import { PatchbayError } from '../errors.js';
import { formatPointer, parseListPointer, parseStepPointer } from './pointer.js';
import { getIn, updateIn } from './tree.js';
import { checkStep, isStepObject, NESTED_KEYS } from './steps.js';
import { checkVariableName } from './names.js';
import {
  flowEditRequestSchemas,
  FLOW_EDIT_TYPES,
  type EditStep,
  type FlowEdit,
  type FlowEditOf,
  type FlowEditType,
} from './schema.js';

type Json = Record<string, unknown>;
type Handler<K extends FlowEditType> = (flow: Json, request: FlowEditOf<K>['request']) => Json;

function invalid(message: string, pointer: string, hint: string): PatchbayError {
  return new PatchbayError('flow.invalid', message, { place: { pointer }, hint });
}

function asList(old: unknown, pointer: string): unknown[] {
  if (old === undefined) return [];
  if (!Array.isArray(old))
    throw invalid(`${pointer} is not a list of steps.`, pointer, 'Point at a list such as /steps or /steps/2/then.');
  return old;
}

function checkIndex(index: number, length: number, pointer: string, inclusive: boolean): void {
  const max = inclusive ? length : length - 1;
  if (index > max) {
    throw invalid(
      `${pointer}/${index} is out of range: the list has ${length} step${length === 1 ? '' : 's'}.`,
      `${pointer}/${index}`,
      inclusive ? `Use an index from 0 to ${length}.` : 'The flow may have changed; reload it and try again.',
    );
  }
}

function insertSteps(flow: Json, parentPath: string, index: number, steps: unknown[]): Json {
  const list = parseListPointer(parentPath);
  steps.forEach((s, i) => checkStep(s, `${parentPath}/${index + i}`));
  return updateIn(flow, list, (old) => {
    const arr = asList(old, parentPath);
    checkIndex(index, arr.length, parentPath, true);
    return [...arr.slice(0, index), ...steps, ...arr.slice(index)];
  }) as Json;
}

function updateStep(flow: Json, path: string, update: (old: EditStep) => EditStep): Json {
  const { list, index } = parseStepPointer(path);
  return updateIn(flow, list, (old) => {
    const arr = asList(old, formatPointer(list));
    checkIndex(index, arr.length, formatPointer(list), false);
    const step = arr[index];
    if (!isStepObject(step)) throw invalid(`${path} is not a step.`, path, 'Check the flow document.');
    const copy = arr.slice();
    copy[index] = update(step);
    return copy;
  }) as Json;
}

function stepAt(flow: Json, path: string): EditStep {
  const { list, index } = parseStepPointer(path);
  const arr = getIn(flow, list);
  const length = Array.isArray(arr) ? arr.length : 0;
  checkIndex(index, length, formatPointer(list), false);
  const step = (arr as unknown[])[index];
  if (!isStepObject(step)) throw invalid(`${path} is not a step.`, path, 'Check the flow document.');
  return step;
}

function startsWith(tokens: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= tokens.length && prefix.every((t, i) => tokens[i] === t);
}

function moveStep(flow: Json, { from, to }: FlowEditOf<'move_step'>['request']): Json {
  const src = parseStepPointer(from);
  const step = stepAt(flow, from);
  const dest = parseListPointer(to.parentPath);
  const srcTokens = [...src.list, String(src.index)];
  if (startsWith(dest, srcTokens)) {
    throw invalid(
      `Cannot move ${from} into its own body (${to.parentPath}).`,
      to.parentPath,
      'Drop the block outside itself.',
    );
  }
  checkIndex(to.index, asList(getIn(flow, dest), to.parentPath).length, to.parentPath, true);
  // Positions are given in the flow before the move; removing the step first shifts later siblings (and their bodies) up by one.
  let index = to.index;
  const adjusted = dest.slice();
  if (dest.length === src.list.length && startsWith(dest, src.list)) {
    if (index > src.index) index -= 1;
  } else if (startsWith(dest, src.list) && Number(dest[src.list.length]) > src.index) {
    adjusted[src.list.length] = String(Number(dest[src.list.length]) - 1);
  }
  const removed = updateIn(flow, src.list, (old) => {
    const arr = asList(old, formatPointer(src.list));
    return [...arr.slice(0, src.index), ...arr.slice(src.index + 1)];
  });
  return updateIn(removed, adjusted, (old) => {
    const arr = asList(old, to.parentPath);
    return [...arr.slice(0, index), step, ...arr.slice(index)];
  }) as Json;
}

function checkDecls(decls: Record<string, unknown>, key: 'inputs' | 'outputs', other: unknown): void {
  const taken = isStepObject(other) ? other : {};
  for (const name of Object.keys(decls)) {
    checkVariableName(name, `/${key}/${name}`, key === 'inputs' ? 'The input variable' : 'The output variable');
    if (Object.prototype.hasOwnProperty.call(taken, name)) {
      throw invalid(
        `"${name}" is both an input and an output variable.`,
        `/${key}/${name}`,
        'Give the input and the output different names.',
      );
    }
  }
}

function subflows(flow: Json): Json {
  return isStepObject(flow.subflows) ? flow.subflows : {};
}

function renameCalls(node: unknown, from: string, to: string): unknown {
  if (Array.isArray(node)) {
    let changed = false;
    const out = node.map((n) => {
      const r = renameCalls(n, from, to);
      if (r !== n) changed = true;
      return r;
    });
    return changed ? out : node;
  }
  if (!isStepObject(node)) return node;
  let out: Json = node;
  for (const [k, v] of Object.entries(node)) {
    const r = renameCalls(v, from, to);
    if (r !== v) out = { ...out, [k]: r };
  }
  if (out.action === 'CallSubflow' && isStepObject(out.params) && out.params.subflow === from) {
    out = { ...out, params: { ...out.params, subflow: to } };
  }
  return out;
}

const handlers: { [K in FlowEditType]: Handler<K> } = {
  add_step: (flow, r) => insertSteps(flow, r.parentPath, r.index, [r.step]),
  add_steps: (flow, r) => insertSteps(flow, r.parentPath, r.index, r.steps),
  move_step: moveStep,
  delete_step: (flow, { path }) => {
    const { list, index } = parseStepPointer(path);
    stepAt(flow, path);
    return updateIn(flow, list, (old) => {
      const arr = asList(old, formatPointer(list));
      return [...arr.slice(0, index), ...arr.slice(index + 1)];
    }) as Json;
  },
  update_step: (flow, { path, step }) => {
    checkStep(step, path);
    return updateStep(flow, path, (old) => {
      const next: EditStep = { ...step };
      for (const key of NESTED_KEYS) if (!(key in next) && key in old) next[key] = old[key];
      return next;
    });
  },
  set_disabled: (flow, { path, disabled }) =>
    updateStep(flow, path, (old) => {
      const { disabled: _was, ...rest } = old;
      return disabled ? { ...rest, disabled: true } : rest;
    }),
  rename_flow: (flow, { name }) => {
    const trimmed = name.trim();
    if (trimmed === '') throw invalid('A flow needs a name.', '/name', 'Type a name for the flow.');
    return { ...flow, name: trimmed };
  },
  set_description: (flow, { description }) => ({ ...flow, description }),
  set_inputs: (flow, { inputs }) => {
    checkDecls(inputs, 'inputs', flow.outputs);
    return { ...flow, inputs };
  },
  set_outputs: (flow, { outputs }) => {
    checkDecls(outputs, 'outputs', flow.inputs);
    return { ...flow, outputs };
  },
  add_subflow: (flow, { name }) => {
    checkVariableName(name, `/subflows/${name}`, 'The subflow name');
    if (Object.hasOwn(subflows(flow), name))
      throw invalid(`A subflow named "${name}" already exists.`, `/subflows/${name}`, 'Choose another name.');
    return { ...flow, subflows: { ...subflows(flow), [name]: { steps: [] } } };
  },
  rename_subflow: (flow, { from, to }) => {
    const all = subflows(flow);
    if (!Object.hasOwn(all, from))
      throw invalid(
        `There is no subflow named "${from}".`,
        `/subflows/${from}`,
        `Subflows: ${Object.keys(all).join(', ') || 'none'}.`,
      );
    checkVariableName(to, `/subflows/${to}`, 'The subflow name');
    if (Object.hasOwn(all, to) && to !== from)
      throw invalid(`A subflow named "${to}" already exists.`, `/subflows/${to}`, 'Choose another name.');
    const renamed = Object.fromEntries(Object.entries(all).map(([k, v]) => [k === from ? to : k, v]));
    return renameCalls({ ...flow, subflows: renamed }, from, to) as Json;
  },
  delete_subflow: (flow, { name }) => {
    const all = subflows(flow);
    if (!Object.hasOwn(all, name))
      throw invalid(
        `There is no subflow named "${name}".`,
        `/subflows/${name}`,
        `Subflows: ${Object.keys(all).join(', ') || 'none'}.`,
      );
    const { [name]: _gone, ...rest } = all;
    return { ...flow, subflows: rest };
  },
};

/** Checks an edit that came from outside (an HTTP body) against its schema; throws `flow.invalid` naming the bad field. */
export function checkFlowEdit(edit: unknown): asserts edit is FlowEdit {
  if (!isStepObject(edit) || typeof edit.type !== 'string' || !(FLOW_EDIT_TYPES as string[]).includes(edit.type)) {
    const type = isStepObject(edit) ? JSON.stringify(edit.type) : 'missing';
    throw invalid(`Unknown flow edit type ${type}.`, '/type', `Use one of: ${FLOW_EDIT_TYPES.join(', ')}.`);
  }
  const schema = flowEditRequestSchemas[edit.type as FlowEditType];
  if (!Value.Check(schema, edit.request)) {
    const first = Value.Errors(schema, edit.request)[0];
    const params = (first?.params ?? {}) as { requiredProperties?: string[] };
    const missing =
      first?.keyword === 'required' && params.requiredProperties?.length ? `/${params.requiredProperties[0]}` : '';
    const where = `/request${first?.instancePath ?? ''}${missing}`;
    throw invalid(
      `The ${edit.type} edit is malformed at ${where}: ${first?.message ?? 'invalid'}.`,
      where,
      `See the FlowEdit schema for "${edit.type}".`,
    );
  }
}

/** Applies one edit to a flow and returns the new flow; the input is not changed. */
export function applyFlowEdit<F extends object>(flow: F, edit: FlowEdit): F {
  if (!isStepObject(flow)) throw invalid('The flow is not an object.', '', 'Pass a flow document.');
  checkFlowEdit(edit);
  const handler = handlers[edit.type] as Handler<FlowEditType>;
  return handler(flow, edit.request) as F;
}

/** Applies edits in order; an error names the edit (index and type) that failed, and nothing is applied. */
export function applyFlowEdits<F extends object>(flow: F, edits: readonly FlowEdit[]): F {
  let current = flow;
  edits.forEach((edit, i) => {
    try {
      current = applyFlowEdit(current, edit);
    } catch (e) {
      if (!(e instanceof PatchbayError)) throw e;
      const type = isStepObject(edit) && typeof edit.type === 'string' ? edit.type : 'edit';
      throw new PatchbayError(e.code, `Edit ${i} (${type}): ${e.message}`, { place: e.place, hint: e.hint, cause: e });
    }
  });
  return current;
}
