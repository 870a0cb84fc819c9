/**
 * Walking a flow's step tree: every nested step list a step holds (then,
 * elseIf[i].then, else, cases[i].do, default, do) with its JSON pointer.
 * A walk may run before the schema check (to decide what to load), so parts
 * of the wrong shape are skipped, never a crash: the schema check names them.
 */
import type { Flow, Step } from './schema.js';
import { pointerSegment } from './location.js';

export interface StepList {
  /** Pointer of the list itself, e.g. `/steps/3/then`. */
  pointer: string;
  steps: Step[];
}

/** The step lists nested directly inside one step, in document order. */
export function childLists(step: Step, path: string): StepList[] {
  const out: StepList[] = [];
  if (step.then) out.push({ pointer: `${path}/then`, steps: step.then });
  if (step.elseIf)
    step.elseIf.forEach(
      (b, i) => b && Array.isArray(b.then) && out.push({ pointer: `${path}/elseIf/${i}/then`, steps: b.then }),
    );
  if (step.else) out.push({ pointer: `${path}/else`, steps: step.else });
  if (step.cases)
    step.cases.forEach(
      (c, i) => c && Array.isArray(c.do) && out.push({ pointer: `${path}/cases/${i}/do`, steps: c.do }),
    );
  if (step.default) out.push({ pointer: `${path}/default`, steps: step.default });
  if (step.do) out.push({ pointer: `${path}/do`, steps: step.do });
  return out;
}

/** The top-level step lists of a flow: the main steps and each subflow's steps. */
export function rootLists(flow: Flow): StepList[] {
  const out: StepList[] = [{ pointer: '/steps', steps: flow.steps }];
  const subflows: unknown = flow.subflows;
  if (subflows && typeof subflows === 'object' && !Array.isArray(subflows))
    for (const [name, sub] of Object.entries(subflows as Record<string, { steps?: Step[] } | null>))
      if (sub && typeof sub === 'object')
        out.push({ pointer: `/subflows/${pointerSegment(name)}/steps`, steps: sub.steps as Step[] });
  return out;
}

function walkList(list: StepList, visit: (step: Step, path: string) => void): void {
  if (!Array.isArray(list.steps)) return;
  list.steps.forEach((step, i) => {
    if (step === null || typeof step !== 'object' || Array.isArray(step)) return;
    const path = `${list.pointer}/${i}`;
    visit(step, path);
    for (const child of childLists(step, path)) walkList(child, visit);
  });
}

/** Visits every step of the flow and its subflows, parents before children, with its JSON pointer. */
export function walkSteps(flow: Flow, visit: (step: Step, path: string) => void): void {
  for (const list of rootLists(flow)) walkList(list, visit);
}
