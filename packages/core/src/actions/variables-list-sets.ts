/** Variables.ShuffleList, Variables.SubtractLists and Variables.FindCommonListItems, after PAD's list actions. */
import type { ActionDefinition } from '../contracts.js';
import { bool, list, listVariable } from './variables-params.js';
import { valueKey } from './variables-values.js';

export const listSetActions: ActionDefinition[] = [
  {
    id: 'Variables.ShuffleList',
    group: 'Variables',
    displayName: 'Shuffle list',
    description: "Puts a list's items in a random order.",
    params: [
      {
        name: 'list',
        type: 'text',
        displayName: 'List to shuffle',
        description: 'The name of the list variable, e.g. Names.',
        required: true,
        raw: true,
      },
    ],
    produces: [],
    run(ctx, p) {
      const l = listVariable(ctx, p, 'list');
      const out = [...l.value];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      ctx.setVariable(l.name, out);
    },
  },
  {
    id: 'Variables.SubtractLists',
    group: 'Variables',
    displayName: 'Subtract lists',
    description: 'The items of the first list that are not in the second, in order.',
    params: [
      { name: 'first', type: 'list', displayName: 'First list', required: true },
      { name: 'second', type: 'list', displayName: 'Second list', required: true },
      { name: 'ignoreCase', type: 'boolean', displayName: 'Ignore text case', default: false },
    ],
    produces: [{ key: 'list', defaultName: 'OutputList', type: 'list' }],
    run(_ctx, p) {
      const ic = bool(p, 'ignoreCase');
      const remove = new Set(list(p, 'second').map((x) => valueKey(x, ic)));
      return { list: list(p, 'first').filter((x) => !remove.has(valueKey(x, ic))) };
    },
  },
  {
    id: 'Variables.FindCommonListItems',
    group: 'Variables',
    displayName: 'Find common list items',
    description: 'The items of the first list that are also in the second, in order, each once.',
    params: [
      { name: 'first', type: 'list', displayName: 'First list', required: true },
      { name: 'second', type: 'list', displayName: 'Second list', required: true },
      { name: 'ignoreCase', type: 'boolean', displayName: 'Ignore text case', default: false },
    ],
    produces: [{ key: 'list', defaultName: 'IntersectionList', type: 'list' }],
    run(_ctx, p) {
      const ic = bool(p, 'ignoreCase');
      const other = new Set(list(p, 'second').map((x) => valueKey(x, ic)));
      const seen = new Set<string>();
      return {
        list: list(p, 'first').filter((x) => {
          const k = valueKey(x, ic);
          if (!other.has(k) || seen.has(k)) return false;
          seen.add(k);
          return true;
        }),
      };
    },
  },
  {
    id: 'GetLastError',
    group: 'Flow control',
    displayName: 'Get last error',
    description:
      'Gives the last error an onError policy let the flow continue past, as a custom object (Code, Message, Location, Action …), or blank when there was none.',
    params: [],
    produces: [{ key: 'error', defaultName: 'LastError', type: 'any' }],
    run(ctx) {
      return { error: ctx.getVariable('LastError') ?? null };
    },
  },
];
