/**
 * What Copy puts on the system clipboard and what Paste takes from it:
 * Patchbay's own steps (a private format) and Robin, Power Automate for
 * desktop's text, so a PAD user can paste Patchbay's steps into PAD and
 * PAD's into Patchbay. Robin is read with the same rules as
 * `patchbay robin import`.
 */
import { exportRobin, importRobin, type RobinActionLookup, type UnsupportedStatement } from '@patchbay/core';
import type { StepDoc } from '../api/types.js';

export const STEPS_MIME = 'application/x-patchbay-steps+json';
export const UNSUPPORTED_ACTION = 'Robin.Unsupported';

/** Robin for copied steps. */
export function robinForSteps(steps: StepDoc[], name: string, actions?: RobinActionLookup): string {
  return exportRobin({ schema: 'patchbay/flow@1', name, steps: steps as never }, { actions }).text;
}

/**
 * Steps from the clipboard: Patchbay's own format first, else Robin text.
 * Undefined when the clipboard holds neither; a Robin error (with its line
 * and column) is thrown, and nothing is pasted.
 */
export function stepsFromClipboard(stepsJson: string, text: string): ClipboardSteps | undefined {
  if (stepsJson) {
    const steps: unknown = JSON.parse(stepsJson);
    if (Array.isArray(steps)) return { steps: steps as StepDoc[], unsupported: [], subflows: {} };
  }
  if (!text.trim()) return undefined;
  const { flow, unsupported } = importRobin(text);
  const subflows = Object.fromEntries(
    Object.entries(flow.subflows ?? {}).map(([name, sub]) => [name, sub.steps as StepDoc[]]),
  );
  return { steps: flow.steps as StepDoc[], unsupported, subflows };
}

export interface ClipboardSteps {
  steps: StepDoc[];
  unsupported: UnsupportedStatement[];
  /** Subflows of a pasted stored definition (`FUNCTION Name … END FUNCTION`), by name. */
  subflows: Record<string, StepDoc[]>;
}
