/**
 * List actions. Lists are values: an action that changes a list variable
 * builds a new list and stores it, so a list that another variable (or a step
 * record) still holds never changes under it.
 */
import type { ActionDefinition, ParamSpec } from '../contracts.js';
import { isValueObject, type Value, type ValueObject } from '../values.js';
import { bool, failed, int, list, listVariable, option, paramError, text, describeType } from './variables-params.js';
import { compareValues, sameValue, valueKey, valueText } from './variables-values.js';
import { compileRegex, escapeRegex, replacementForRegex } from './text-regex.js';

const listParam: ParamSpec = {
  name: 'list',
  type: 'text',
  displayName: 'List',
  description: 'The name of the list variable, e.g. Names.',
  required: true,
  raw: true,
};

/** A custom object's own property, or blank: names every object inherits (constructor, toString) are not properties. */
function propertyOrBlank(o: ValueObject, prop: string): Value {
  return Object.hasOwn(o, prop) ? o[prop] : null;
}

function sortList(items: Value[], by: 'value' | 'properties', properties: string[], descending: boolean): Value[] {
  const dir = descending ? -1 : 1;
  if (by === 'value') return [...items].sort((a, b) => dir * compareValues(a, b));
  items.forEach((item, i) => {
    if (!isValueObject(item))
      throw failed(
        `Item ${i} of the list is ${describeType(item)}, not a custom object, so it has no properties to sort by.`,
        'Sort by value instead, or fill the list with custom objects.',
      );
  });
  return [...items].sort((a, b) => {
    for (const prop of properties) {
      const c = compareValues(propertyOrBlank(a as ValueObject, prop), propertyOrBlank(b as ValueObject, prop));
      if (c !== 0) return dir * c;
    }
    return 0;
  });
}

export const listActions: ActionDefinition[] = [
  {
    id: 'Variables.CreateNewList',
    group: 'Variables',
    displayName: 'Create new list',
    description: 'Creates an empty list.',
    params: [],
    produces: [{ key: 'list', defaultName: 'List', type: 'list' }],
    run() {
      return { list: [] };
    },
  },
  {
    id: 'Variables.AddItemToList',
    group: 'Variables',
    displayName: 'Add item to list',
    description: 'Adds an item at the end of a list.',
    params: [
      { name: 'item', type: 'any', displayName: 'Add item', required: true },
      { ...listParam, displayName: 'Into list' },
    ],
    produces: [],
    run(ctx, p) {
      const l = listVariable(ctx, p, 'list');
      ctx.setVariable(l.name, [...l.value, p.item ?? null]);
    },
  },
  {
    id: 'Variables.RemoveItemFromList',
    group: 'Variables',
    displayName: 'Remove item from list',
    description: 'Removes an item from a list by its index (from 0) or by its value.',
    params: [
      {
        name: 'removeBy',
        type: 'text',
        displayName: 'Remove item by',
        default: 'index',
        options: [
          { value: 'index', title: 'Index' },
          { value: 'value', title: 'Value' },
        ],
      },
      { name: 'index', type: 'number', displayName: 'At index', description: 'Lists count from 0.' },
      { name: 'value', type: 'any', displayName: 'Value' },
      { name: 'allOccurrences', type: 'boolean', displayName: 'Remove all occurrences', default: false },
      { ...listParam, displayName: 'From list' },
    ],
    produces: [],
    run(ctx, p) {
      const l = listVariable(ctx, p, 'list');
      if (option(p, 'removeBy', ['index', 'value'], 'index') === 'index') {
        const i = int(p, 'index');
        if (i < 0 || i >= l.value.length)
          throw paramError(
            'index',
            `index ${i} is outside list '${l.name}', which has ${l.value.length} item(s).`,
            `Use an index from 0 to ${l.value.length - 1}.`,
          );
        ctx.setVariable(
          l.name,
          l.value.filter((_x, j) => j !== i),
        );
        return;
      }
      const target = p.value ?? null;
      const first = l.value.findIndex((x) => sameValue(x, target));
      if (first < 0)
        throw failed(
          `List '${l.name}' has no item equal to the value to remove.`,
          'Check the value, or look it up first with Variables.FindOrReplaceInList.',
        );
      ctx.setVariable(
        l.name,
        bool(p, 'allOccurrences')
          ? l.value.filter((x) => !sameValue(x, target))
          : l.value.filter((_x, j) => j !== first),
      );
    },
  },
  {
    id: 'Variables.SortList',
    group: 'Variables',
    displayName: 'Sort list',
    description: "Sorts a list by its items' values, or a list of custom objects by some of their properties.",
    params: [
      { ...listParam, displayName: 'List to sort' },
      {
        name: 'by',
        type: 'text',
        displayName: 'Sort by',
        default: 'value',
        options: [
          { value: 'value', title: 'Value' },
          { value: 'properties', title: 'Custom object properties' },
        ],
      },
      {
        name: 'properties',
        type: 'text',
        displayName: 'Properties',
        description: 'Comma-separated property names, compared in order, e.g. LastName, FirstName.',
      },
      { name: 'descending', type: 'boolean', displayName: 'Descending', default: false },
    ],
    produces: [],
    run(ctx, p) {
      const l = listVariable(ctx, p, 'list');
      const by = option(p, 'by', ['value', 'properties'], 'value');
      const props = text(p, 'properties')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (by === 'properties' && props.length === 0)
        throw paramError('properties', 'name at least one property to sort by.', 'e.g. LastName, FirstName');
      ctx.setVariable(l.name, sortList(l.value, by, props, bool(p, 'descending')));
    },
  },
  {
    id: 'Variables.ReverseList',
    group: 'Variables',
    displayName: 'Reverse list',
    description: "Reverses the order of a list's items.",
    params: [{ ...listParam, displayName: 'List to reverse' }],
    produces: [],
    run(ctx, p) {
      const l = listVariable(ctx, p, 'list');
      ctx.setVariable(l.name, [...l.value].reverse());
    },
  },
  {
    id: 'Variables.RemoveDuplicateItemsFromList',
    group: 'Variables',
    displayName: 'Remove duplicate items from list',
    description: 'Keeps the first occurrence of each item.',
    params: [
      { ...listParam, displayName: 'List' },
      { name: 'ignoreCase', type: 'boolean', displayName: 'Ignore text case', default: false },
    ],
    produces: [],
    run(ctx, p) {
      const l = listVariable(ctx, p, 'list');
      const ignoreCase = bool(p, 'ignoreCase');
      const seen = new Set<string>();
      ctx.setVariable(
        l.name,
        l.value.filter((x) => {
          const k = valueKey(x, ignoreCase);
          if (seen.has(k)) return false;
          seen.add(k);
          return true;
        }),
      );
    },
  },
  {
    id: 'Variables.MergeLists',
    group: 'Variables',
    displayName: 'Merge lists',
    description: 'Makes a new list with the items of the first list followed by those of the second.',
    params: [
      { name: 'first', type: 'list', displayName: 'First list', required: true },
      { name: 'second', type: 'list', displayName: 'Second list', required: true },
    ],
    produces: [{ key: 'list', defaultName: 'OutputList', type: 'list' }],
    run(_ctx, p) {
      return { list: [...list(p, 'first'), ...list(p, 'second')] };
    },
  },
  {
    id: 'Variables.ClearList',
    group: 'Variables',
    displayName: 'Clear list',
    description: 'Removes every item from a list.',
    params: [{ ...listParam, displayName: 'List to clear' }],
    produces: [],
    run(ctx, p) {
      const l = listVariable(ctx, p, 'list');
      ctx.setVariable(l.name, []);
    },
  },
  {
    id: 'Variables.FindOrReplaceInList',
    group: 'Variables',
    displayName: 'Find or replace in list',
    description:
      'Finds the items of a list that match a text (whole item, part of it, or a regular expression) and optionally replaces the match.',
    params: [
      { ...listParam, displayName: 'List' },
      { name: 'find', type: 'text', displayName: 'Text to find', required: true },
      { name: 'matchWholeItem', type: 'boolean', displayName: 'Match whole item', default: true },
      { name: 'useRegex', type: 'boolean', displayName: 'Use regular expression', default: false },
      { name: 'ignoreCase', type: 'boolean', displayName: 'Ignore case', default: false },
      { name: 'replace', type: 'boolean', displayName: 'Replace matches', default: false },
      {
        name: 'replaceWith',
        type: 'text',
        displayName: 'Replace with',
        description: 'With a regular expression, $1 or ${name} insert groups.',
      },
    ],
    produces: [
      {
        key: 'index',
        defaultName: 'ItemIndex',
        type: 'number',
        description: 'Index of the first matching item, or -1.',
      },
      { key: 'indices', defaultName: 'ItemIndices', type: 'list', description: 'Indexes of every matching item.' },
    ],
    run(ctx, p) {
      const l = listVariable(ctx, p, 'list');
      const find = text(p, 'find');
      if (find === '')
        throw paramError('find', 'the text to find is empty.', 'Give the text (or pattern) to look for.');
      const whole = bool(p, 'matchWholeItem', true);
      const source = bool(p, 'useRegex') ? compileRegex(find, { param: 'find' }).source : escapeRegex(find);
      const re = compileRegex(whole ? `^(?:${source})$` : source, { param: 'find', ignoreCase: bool(p, 'ignoreCase') });
      const test = compileRegex(re.source, { param: 'find', ignoreCase: re.ignoreCase, global: false });
      const indices: number[] = [];
      l.value.forEach((item, i) => {
        if (test.test(valueText(item))) indices.push(i);
      });
      if (bool(p, 'replace') && indices.length > 0) {
        const replaceWith = text(p, 'replaceWith');
        const replacement = bool(p, 'useRegex') ? replacementForRegex(replaceWith) : replaceWith.replace(/\$/g, '$$$$');
        const hits = new Set(indices);
        ctx.setVariable(
          l.name,
          l.value.map((item, i) => (hits.has(i) ? valueText(item).replace(re, replacement) : item)),
        );
      }
      return { index: indices.length > 0 ? indices[0] : -1, indices };
    },
  },
];
