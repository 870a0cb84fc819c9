import { describe, expect, it } from 'vitest';
import { actionError, runAction, testContext } from './variables.test-support.js';

describe('list actions', () => {
  it('create, add, reverse, clear without changing lists other variables hold', async () => {
    const ctx = testContext();
    const { list } = await runAction('Variables.CreateNewList', {}, ctx);
    ctx.vars.set('L', list);
    await runAction('Variables.AddItemToList', { item: 'a', list: 'L' }, ctx);
    await runAction('Variables.AddItemToList', { item: 2, list: '%L%' }, ctx);
    const before = ctx.vars.get('L');
    await runAction('Variables.ReverseList', { list: 'L' }, ctx);
    expect(ctx.vars.get('L')).toEqual([2, 'a']);
    expect(before).toEqual(['a', 2]);
    await runAction('Variables.ClearList', { list: 'L' }, ctx);
    expect(ctx.vars.get('L')).toEqual([]);
    expect(list).toEqual([]);
  });
  it('refuses to add to a variable that is not a list', async () => {
    const e = await actionError(
      'Variables.AddItemToList',
      { item: 1, list: 'S' },
      testContext({ vars: { S: 'text' } }),
    );
    expect(e.message).toBe("Parameter 'list': variable 'S' holds text, not a list.");
    expect((await actionError('Variables.AddItemToList', { item: 1, list: 'Missing' })).hint).toContain(
      'Variables.CreateNewList',
    );
  });
  it('removes by index and by value, one or all occurrences', async () => {
    const ctx = testContext({ vars: { L: ['a', 'b', 'a', 'c'] } });
    await runAction('Variables.RemoveItemFromList', { list: 'L', index: 1 }, ctx);
    expect(ctx.vars.get('L')).toEqual(['a', 'a', 'c']);
    await runAction('Variables.RemoveItemFromList', { list: 'L', removeBy: 'value', value: 'a' }, ctx);
    expect(ctx.vars.get('L')).toEqual(['a', 'c']);
    ctx.vars.set('L', ['a', 'b', 'a']);
    await runAction(
      'Variables.RemoveItemFromList',
      { list: 'L', removeBy: 'value', value: 'a', allOccurrences: true },
      ctx,
    );
    expect(ctx.vars.get('L')).toEqual(['b']);
    expect((await actionError('Variables.RemoveItemFromList', { list: 'L', index: 3 }, ctx)).message).toBe(
      "Parameter 'index': index 3 is outside list 'L', which has 1 item(s).",
    );
    expect(
      (await actionError('Variables.RemoveItemFromList', { list: 'L', removeBy: 'value', value: 'zz' }, ctx)).message,
    ).toBe("List 'L' has no item equal to the value to remove.");
  });
  it('sorts by value and by custom-object properties, descending', async () => {
    const ctx = testContext({ vars: { N: [10, 2, 'b', 'a', null, true] } });
    await runAction('Variables.SortList', { list: 'N' }, ctx);
    expect(ctx.vars.get('N')).toEqual([null, true, 2, 10, 'a', 'b']);
    ctx.vars.set('P', [
      { Last: 'Lee', First: 'Bo' },
      { Last: 'Ash', First: 'Cy' },
      { Last: 'Lee', First: 'Al' },
    ]);
    await runAction(
      'Variables.SortList',
      { list: 'P', by: 'properties', properties: 'Last, First', descending: true },
      ctx,
    );
    expect(ctx.vars.get('P')).toEqual([
      { Last: 'Lee', First: 'Bo' },
      { Last: 'Lee', First: 'Al' },
      { Last: 'Ash', First: 'Cy' },
    ]);
    const e = await actionError('Variables.SortList', { list: 'N', by: 'properties', properties: 'X' }, ctx);
    expect(e.message).toBe(
      'Item 0 of the list is nothing (empty), not a custom object, so it has no properties to sort by.',
    );
    expect((await actionError('Variables.SortList', { list: 'P', by: 'properties' }, ctx)).message).toBe(
      "Parameter 'properties': name at least one property to sort by.",
    );
  });
  it('sorts objects that lack a property first, even for names every object inherits', async () => {
    const ctx = testContext({ vars: { P: [{ constructor: 'b', N: 1 }, { N: 2 }, { constructor: 'a', N: 3 }] } });
    await runAction('Variables.SortList', { list: 'P', by: 'properties', properties: 'constructor' }, ctx);
    expect((ctx.vars.get('P') as { N: number }[]).map((o) => o.N)).toEqual([2, 3, 1]);
  });
  it('removes duplicates, optionally ignoring case, and merges', async () => {
    const ctx = testContext({ vars: { L: ['A', 'a', 1, 1, { x: [1] }, { x: [1] }] } });
    await runAction('Variables.RemoveDuplicateItemsFromList', { list: 'L' }, ctx);
    expect(ctx.vars.get('L')).toEqual(['A', 'a', 1, { x: [1] }]);
    await runAction('Variables.RemoveDuplicateItemsFromList', { list: 'L', ignoreCase: true }, ctx);
    expect(ctx.vars.get('L')).toEqual(['A', 1, { x: [1] }]);
    expect(await runAction('Variables.MergeLists', { first: [1], second: [2, 3] })).toEqual({ list: [1, 2, 3] });
    expect((await actionError('Variables.MergeLists', { first: [1], second: 'x' })).message).toBe(
      "Parameter 'second': expected a list, got text.",
    );
  });
  it('finds and replaces items', async () => {
    const ctx = testContext({ vars: { L: ['apple', 'Banana', 'apple pie', 42] } });
    expect(await runAction('Variables.FindOrReplaceInList', { list: 'L', find: 'apple' }, ctx)).toEqual({
      index: 0,
      indices: [0],
    });
    expect(
      await runAction(
        'Variables.FindOrReplaceInList',
        { list: 'L', find: 'APPLE', matchWholeItem: false, ignoreCase: true },
        ctx,
      ),
    ).toEqual({ index: 0, indices: [0, 2] });
    expect(await runAction('Variables.FindOrReplaceInList', { list: 'L', find: 'cherry' }, ctx)).toEqual({
      index: -1,
      indices: [],
    });
    expect(await runAction('Variables.FindOrReplaceInList', { list: 'L', find: '4\\d', useRegex: true }, ctx)).toEqual({
      index: 3,
      indices: [3],
    });
    await runAction(
      'Variables.FindOrReplaceInList',
      { list: 'L', find: '(a)pple', useRegex: true, matchWholeItem: false, replace: true, replaceWith: '${1}$$1' },
      ctx,
    );
    expect(ctx.vars.get('L')).toEqual(['a$1', 'Banana', 'a$1 pie', 42]);
    const e = await actionError('Variables.FindOrReplaceInList', { list: 'L', find: '(', useRegex: true }, ctx);
    expect(e.message).toBe("Parameter 'find': '(' is not a valid regular expression (Unterminated group).");
  });
});
