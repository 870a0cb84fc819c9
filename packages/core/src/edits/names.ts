/** Names people type in the designer: variables (inputs, outputs, produced) and subflows. */
import { PatchbayError } from '../errors.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/; // the flow schema's NAME_PATTERN

/** PAD's rule: letters, digits and underscores, not starting with a digit. */
export function isValidVariableName(name: unknown): name is string {
  return typeof name === 'string' && NAME.test(name);
}

/** Throws `flow.invalid` at `pointer` when `name` breaks the rule. */
export function checkVariableName(name: unknown, pointer: string, what = 'A variable name'): asserts name is string {
  if (!isValidVariableName(name)) {
    throw new PatchbayError('flow.invalid', `${what} "${String(name)}" is not valid.`, {
      place: { pointer },
      hint: 'Use letters, digits and underscores, not starting with a digit (e.g. Customer_2).',
    });
  }
}
