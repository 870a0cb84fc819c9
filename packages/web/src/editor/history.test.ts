import { describe, expect, it } from 'vitest';
import { edit, initHistory, isDirty, redo, savePlan, saved, undo } from './history.js';
import type { FlowDoc } from '../api/types.js';
import type { FlowEdit } from '@patchbay/core';

const flow: FlowDoc = { schema: 'patchbay/flow@1', name: 'F', steps: [] };
const add = (name: string, index = 0): FlowEdit => ({
  type: 'add_step',
  request: { parentPath: '/steps', index, step: { action: 'Variables.Set', params: { name } } },
});

describe('editor history', () => {
  it('undoes and redoes, and is clean again at the saved state', () => {
    let h = initHistory(flow, 1);
    expect(isDirty(h)).toBe(false);
    h = edit(h, [add('A')]);
    h = edit(h, [add('B', 1)]);
    expect(h.present.flow.steps).toHaveLength(2);
    h = undo(h);
    expect(h.present.flow.steps).toHaveLength(1);
    h = redo(h);
    expect(h.present.flow.steps).toHaveLength(2);
    h = undo(undo(h));
    expect(isDirty(h)).toBe(false);
    expect(undo(h)).toBe(h);
  });

  it('a new edit clears redo; a bad edit throws and keeps the state', () => {
    let h = edit(initHistory(flow, 1), [add('A')]);
    h = edit(undo(h), [add('C')]);
    expect(h.future).toEqual([]);
    expect(() => edit(h, [{ type: 'delete_step', request: { path: '/steps/5' } }])).toThrow(/out of range/);
  });

  it('plans a save as edits from the base version, or as the whole definition after undoing past a save', () => {
    let h = edit(initHistory(flow, 3), [add('A')]);
    h = edit(h, [add('B', 1)]);
    const plan = savePlan(h);
    expect(plan).toMatchObject({ kind: 'edits', baseVersion: 3 });
    expect(plan.kind === 'edits' && plan.edits).toHaveLength(2);
    h = saved(h, h.present.flow, 4);
    expect(savePlan(h)).toEqual({ kind: 'none' });
    h = undo(h);
    expect(savePlan(h)).toMatchObject({ kind: 'definition', baseVersion: 4 });
    h = edit(h, [add('C')]);
    expect(savePlan(h).kind).toBe('definition');
  });
});
