/**
 * Actions that carry Power Automate for desktop's own kinds of step across:
 * comments and regions (which do nothing when the flow runs), and the
 * disabled step that keeps the Robin text of an action Patchbay does not
 * have, so it exports back unchanged.
 */
import type { ActionDefinition } from '../contracts.js';
import { PatchbayError } from '../errors.js';
import { tokenize } from './lexer.js';

export const UNSUPPORTED_ACTION = 'Robin.Unsupported';

export const padActions: ActionDefinition[] = [
  {
    id: 'Comment',
    group: 'Flow control',
    displayName: 'Comment',
    description: 'A note in the flow; does nothing when the flow runs.',
    params: [{ name: 'text', type: 'text', displayName: 'Comment', raw: true, default: '' }],
    produces: [],
    run: () => undefined,
  },
  {
    id: 'Region',
    group: 'Flow control',
    displayName: 'Region',
    description: 'Starts a named region of steps (the designer groups them); does nothing when the flow runs.',
    params: [{ name: 'name', type: 'text', displayName: 'Name', raw: true, default: '' }],
    produces: [],
    run: () => undefined,
  },
  {
    id: 'EndRegion',
    group: 'Flow control',
    displayName: 'End region',
    description: 'Ends the region a Region step started.',
    params: [],
    produces: [],
    run: () => undefined,
  },
  {
    id: UNSUPPORTED_ACTION,
    group: 'Power Automate for desktop',
    displayName: 'Power Automate for desktop action',
    description:
      'An action from Power Automate for desktop that Patchbay does not have (UI automation, Excel, Outlook, …). It keeps its Robin text, stays disabled, and `patchbay robin export` writes it back unchanged.',
    params: [{ name: 'text', type: 'text', displayName: 'Robin text', required: true, raw: true }],
    produces: [],
    notUsableReason: 'Patchbay has no such action; the step keeps its Robin text for Power Automate for desktop.',
    run: () => {
      throw new PatchbayError('action.failed', 'This Power Automate for desktop action is not available in Patchbay.', {
        hint: 'Keep the step disabled, or replace it with a Patchbay action.',
      });
    },
  },
];

/** The variables a kept Robin statement sets (`Out=> Var`, `@Response=> Var`), so steps that read them are flagged as reading a disabled step's variable. */
export function robinOutputs(text: string): string[] {
  try {
    const t = tokenize(text);
    const out: string[] = [];
    for (let i = 1; i + 1 < t.length; i++)
      if (t[i].kind === 'punct' && t[i].value === '=>' && t[i + 1].kind === 'ident') out.push(t[i + 1].value);
    return out;
  } catch {
    return [];
  }
}
