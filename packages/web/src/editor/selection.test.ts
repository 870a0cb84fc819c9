import { describe, expect, it } from 'vitest';
import { flattenFlow } from './rows.js';
import { EMPTY_SELECTION, select, selectAll, selectionRoots, stepBeside } from './selection.js';
import type { StepDoc } from '../api/types.js';

const set = (name: string): StepDoc => ({ action: 'Variables.Set', params: { name } });
const rows = flattenFlow([
  set('A'),
  { action: 'If', params: {}, then: [set('B'), set('C')], else: [set('D')] },
  set('E'),
]);

describe('selecting several steps', () => {
  it('a click selects one step; clicking off the steps selects none', () => {
    const one = select(EMPTY_SELECTION, rows, '/steps/2');
    expect(one).toEqual({ paths: ['/steps/2'], anchor: '/steps/2', focus: '/steps/2' });
    expect(select(one, rows, null)).toEqual(EMPTY_SELECTION);
  });

  it('Shift+click selects the lines between the anchor and the clicked step, either way, nested ones included', () => {
    const from = select(EMPTY_SELECTION, rows, '/steps/1/then/1');
    expect(select(from, rows, '/steps/2', 'range').paths).toEqual(['/steps/1/then/1', '/steps/1/else/0', '/steps/2']);
    const up = select(from, rows, '/steps/0', 'range');
    expect(up.paths).toEqual(['/steps/0', '/steps/1', '/steps/1/then/0', '/steps/1/then/1']);
    // The anchor stays: a second Shift+click replaces the range.
    expect(select(up, rows, '/steps/1/then/0', 'range').paths).toEqual(['/steps/1/then/0', '/steps/1/then/1']);
  });

  it('Ctrl+click adds a step and removes a selected one', () => {
    let sel = select(EMPTY_SELECTION, rows, '/steps/2');
    sel = select(sel, rows, '/steps/0', 'toggle');
    expect(sel.paths).toEqual(['/steps/2', '/steps/0']);
    sel = select(sel, rows, '/steps/2', 'toggle');
    expect(sel).toEqual({ paths: ['/steps/0'], anchor: '/steps/2', focus: '/steps/0' });
  });

  it('Shift+click with nothing selected selects the clicked step', () => {
    expect(select(EMPTY_SELECTION, rows, '/steps/2', 'range').paths).toEqual(['/steps/2']);
  });

  it('the arrow keys move between step lines, into and out of blocks, and stop at the ends', () => {
    expect(stepBeside(rows, '/steps/1', 1)).toBe('/steps/1/then/0');
    expect(stepBeside(rows, '/steps/1/else/0', 1)).toBe('/steps/2');
    expect(stepBeside(rows, '/steps/2', 1)).toBeUndefined();
    expect(stepBeside(rows, '/steps/0', -1)).toBeUndefined();
    expect(stepBeside(rows, null, 1)).toBe('/steps/0');
  });

  it('Ctrl+A selects every line; its roots are the top-level steps', () => {
    const all = selectAll(rows);
    expect(all.paths).toEqual([
      '/steps/0',
      '/steps/1',
      '/steps/1/then/0',
      '/steps/1/then/1',
      '/steps/1/else/0',
      '/steps/2',
    ]);
    expect(selectionRoots(all.paths, rows)).toEqual(['/steps/0', '/steps/1', '/steps/2']);
    expect(selectAll([])).toEqual(EMPTY_SELECTION);
  });

  it('copies and deletes roots in workspace order: a selected block takes its body along', () => {
    expect(selectionRoots(['/steps/2', '/steps/1/then/0', '/steps/1', '/steps/0'], rows)).toEqual([
      '/steps/0',
      '/steps/1',
      '/steps/2',
    ]);
    expect(selectionRoots(['/steps/2', '/steps/1/else/0', '/steps/1/then/1'], rows)).toEqual([
      '/steps/1/then/1',
      '/steps/1/else/0',
      '/steps/2',
    ]);
    // A path that is no longer a step (after an edit) is dropped.
    expect(selectionRoots(['/steps/9'], rows)).toEqual([]);
  });
});
