/**
 * Declarations of the blocks the interpreter runs itself (If, Switch, loops,
 * subflow calls, labels…), so the designer and `patchbay actions list` show
 * them like any action and the validator checks their parameters.
 */
import type { ActionDefinition, ParamSpec } from '../contracts.js';
import { CONDITION_OPERATORS, CONDITION_OPERATOR_TITLES } from '../expressions/conditions.js';

const block = (d: Omit<ActionDefinition, 'kind'>): ActionDefinition => ({ kind: 'block', ...d });

/**
 * A condition as PAD's dialogs write it — first operand, operator, second
 * operand, Ignore case — or one boolean expression in `condition`.
 */
export const conditionParams: ParamSpec[] = [
  { name: 'first', type: 'any', displayName: 'First operand', description: 'The value to test, e.g. %Count%.' },
  {
    name: 'operator',
    type: 'text',
    displayName: 'Operator',
    options: CONDITION_OPERATORS.map((value) => ({ value, title: CONDITION_OPERATOR_TITLES[value] })),
  },
  { name: 'second', type: 'any', displayName: 'Second operand', description: 'Not used by Is empty / Is not empty.' },
  { name: 'ignoreCase', type: 'boolean', displayName: 'Ignore case', description: 'Compare text without case.' },
  {
    name: 'condition',
    type: 'boolean',
    displayName: 'Condition',
    description: 'Instead of the operands: one expression such as %Count > 3%.',
    advanced: true,
  },
];

export const blockActions: ActionDefinition[] = [
  block({
    id: 'If',
    group: 'Conditionals',
    displayName: 'If',
    description:
      'Runs `then` when the condition is true (first operand, operator, second operand, or one expression); otherwise the first `elseIf` whose condition is true, or `else`.',
    params: conditionParams,
    produces: [],
    bodies: ['then', 'elseIf', 'else'],
  }),
  block({
    id: 'Switch',
    group: 'Conditionals',
    displayName: 'Switch',
    description: 'Runs the first case whose value matches, or `default`.',
    params: [{ name: 'value', type: 'any', displayName: 'Value to check', required: true }],
    produces: [],
    bodies: ['cases', 'default'],
  }),
  block({
    id: 'Loop',
    group: 'Loops',
    displayName: 'Loop',
    description: 'Repeats `do` for an index from `from` to `to` (inclusive), adding `step` each time.',
    params: [
      { name: 'from', type: 'number', displayName: 'Start from', required: true, default: 0 },
      { name: 'to', type: 'number', displayName: 'End to', required: true },
      { name: 'step', type: 'number', displayName: 'Increment by', default: 1 },
    ],
    produces: [{ key: 'index', defaultName: 'LoopIndex', type: 'number' }],
    bodies: ['do'],
  }),
  block({
    id: 'LoopWhile',
    group: 'Loops',
    displayName: 'Loop condition',
    description: 'Repeats `do` while the condition is true (checked before each iteration).',
    params: conditionParams,
    produces: [],
    bodies: ['do'],
  }),
  block({
    id: 'Loop.ForEach',
    group: 'Loops',
    displayName: 'For each',
    description: 'Repeats `do` for each item of a list, or each row of a data table.',
    params: [
      {
        name: 'items',
        type: 'any',
        displayName: 'Value to iterate',
        required: true,
        description: 'A list, or a data table (each row is a data row).',
      },
    ],
    produces: [{ key: 'item', defaultName: 'CurrentItem', type: 'any' }],
    bodies: ['do'],
  }),
  block({
    id: 'Loop.Exit',
    group: 'Loops',
    displayName: 'Exit loop',
    description: 'Leaves the innermost loop.',
    params: [],
    produces: [],
  }),
  block({
    id: 'Loop.Next',
    group: 'Loops',
    displayName: 'Next loop',
    description: 'Goes to the next iteration of the innermost loop.',
    params: [],
    produces: [],
  }),
  block({
    id: 'CallSubflow',
    group: 'Flow control',
    displayName: 'Run subflow',
    description: 'Runs a subflow with inputs; its outputs become variables.',
    params: [
      { name: 'subflow', type: 'text', displayName: 'Subflow', required: true, raw: true },
      { name: 'inputs', type: 'object', displayName: 'Inputs', default: {} },
    ],
    produces: [],
  }),
  block({
    id: 'Subflow.Exit',
    group: 'Flow control',
    displayName: 'Exit subflow',
    description:
      "Leaves the running subflow and goes back to the step after its call; the subflow's outputs are handed back as they are.",
    params: [],
    produces: [],
  }),
  block({
    id: 'StopFlow',
    group: 'Flow control',
    displayName: 'Stop flow',
    description: 'Ends the run, successfully or with an error message.',
    params: [
      {
        name: 'mode',
        type: 'text',
        displayName: 'End flow',
        default: 'success',
        options: [
          { value: 'success', title: 'Successfully' },
          { value: 'error', title: 'With error message' },
        ],
      },
      { name: 'message', type: 'text', displayName: 'Error message', default: '' },
    ],
    produces: [],
  }),
  block({
    id: 'Wait',
    group: 'Flow control',
    displayName: 'Wait',
    description: 'Waits a number of seconds (cancellable).',
    params: [{ name: 'seconds', type: 'number', displayName: 'Duration (seconds)', required: true }],
    produces: [],
  }),
  block({
    id: 'WaitForCondition',
    group: 'Flow control',
    displayName: 'Wait for condition',
    description:
      'Waits until the condition is true, checking it every interval; fails with run.timeout after the time limit (0: no limit).',
    params: [
      ...conditionParams,
      { name: 'intervalSeconds', type: 'number', displayName: 'Check every (seconds)', default: 1 },
      { name: 'timeoutSeconds', type: 'number', displayName: 'Fail after (seconds)', default: 0 },
    ],
    produces: [],
  }),
  block({
    id: 'Block',
    group: 'Flow control',
    displayName: 'On block error',
    description: 'Runs `do`; an error inside that its step does not handle applies `onBlockError`.',
    params: [{ name: 'name', type: 'text', displayName: 'Name', raw: true, default: '' }],
    produces: [],
    bodies: ['do', 'onBlockError'],
  }),
  block({
    id: 'Label',
    group: 'Flow control',
    displayName: 'Label',
    description: 'A place `GoTo` can jump to.',
    params: [{ name: 'name', type: 'text', displayName: 'Label name', required: true, raw: true }],
    produces: [],
  }),
  block({
    id: 'GoTo',
    group: 'Flow control',
    displayName: 'Go to',
    description: 'Jumps to a label in the same step list or an enclosing one.',
    params: [{ name: 'label', type: 'text', displayName: 'Label', required: true, raw: true }],
    produces: [],
  }),
];
