/**
 * The flow variables the Variables pane lists: what each enabled step
 * produces (renamed or turned off by the step), plus the variables
 * Variables.Set creates. A disabled step's variables disappear, as in PAD.
 */
import type { ActionInfo, FlowDoc, StepDoc } from '../api/types.js';
import type { ValueType } from '@patchbay/core';

export interface FlowVariable {
  name: string;
  type: ValueType;
  producedBy: string;
  /** Typed fields of a connector response whose shape the service gives (dynamic output schema). */
  fields?: { path: string; type: string }[];
}

/** Every enabled step of the flow and its subflows, with its path. */
export function enabledSteps(flow: FlowDoc): { step: StepDoc; path: string }[] {
  const out: { step: StepDoc; path: string }[] = [];
  visit(flow.steps, '/steps', (step, path) => out.push({ step, path }));
  for (const [name, sub] of Object.entries(flow.subflows ?? {}))
    visit(sub.steps, `/subflows/${name}/steps`, (step, path) => out.push({ step, path }));
  return out;
}

/** Finds the action declaration of a step (standard action, block or connector operation). */
export type ActionLookup = (step: StepDoc) => ActionInfo | undefined;

function visit(
  steps: readonly StepDoc[] | undefined,
  pointer: string,
  fn: (step: StepDoc, path: string) => void,
): void {
  (steps ?? []).forEach((step, i) => {
    const path = `${pointer}/${i}`;
    if (step.disabled) return;
    fn(step, path);
    visit(step.then, `${path}/then`, fn);
    (step.elseIf ?? []).forEach((b, j) => visit(b.then, `${path}/elseIf/${j}/then`, fn));
    visit(step.else, `${path}/else`, fn);
    (step.cases ?? []).forEach((c, j) => visit(c.do, `${path}/cases/${j}/do`, fn));
    visit(step.default, `${path}/default`, fn);
    visit(step.do, `${path}/do`, fn);
  });
}

/** The variables a step produces, after its renames; `false` turns one off. */
export function producedBy(
  step: StepDoc,
  action: ActionInfo | undefined,
): { key: string; name: string; type: ValueType }[] {
  const out: { key: string; name: string; type: ValueType }[] = [];
  for (const p of action?.produces ?? []) {
    const renamed = step.produces?.[p.key];
    if (renamed === false) continue;
    out.push({ key: p.key, name: typeof renamed === 'string' && renamed ? renamed : p.defaultName, type: p.type });
  }
  return out;
}

export function flowVariables(
  flow: FlowDoc,
  lookup: ActionLookup,
  /** Response fields by step path, for steps whose output schema the service gave. */
  outputFields: ReadonlyMap<string, { path: string; type: string }[]> = new Map(),
): FlowVariable[] {
  const seen = new Map<string, FlowVariable>();
  const add = (v: FlowVariable) => {
    if (!seen.has(v.name)) seen.set(v.name, v);
  };
  const walk = (steps: readonly StepDoc[], pointer: string) =>
    visit(steps, pointer, (step, path) => {
      if (step.action === 'Variables.Set' && typeof step.params?.name === 'string' && step.params.name)
        add({ name: step.params.name, type: 'any', producedBy: path });
      for (const p of producedBy(step, lookup(step))) {
        const fields = p.key === 'body' ? outputFields.get(path) : undefined;
        add({ name: p.name, type: p.type, producedBy: path, ...(fields ? { fields } : {}) });
      }
    });
  walk(flow.steps, '/steps');
  for (const [name, sub] of Object.entries(flow.subflows ?? {})) walk(sub.steps, `/subflows/${name}/steps`);
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}
