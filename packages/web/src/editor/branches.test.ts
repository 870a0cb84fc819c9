import { describe, expect, it } from 'vitest';
import { applyFlowEdits, validateFlow, standardActions, blockActions, createActionRegistry } from '@patchbay/core';
import type { FlowDoc, StepDoc } from '../api/types.js';
import { addBranch, addableBranches, branchSettings, branchSummary, removeBranch, setBranch } from './branches.js';
import { flattenFlow } from './rows.js';

const set = (name: string): StepDoc => ({ action: 'Variables.Set', params: { name, value: '%1%' } });
const flow = (steps: StepDoc[]): FlowDoc => ({ schema: 'patchbay/flow@1', name: 'Branches', steps });
const at = (f: FlowDoc, i = 0) => f.steps[i];
const apply = (f: FlowDoc, edits: Parameters<typeof applyFlowEdits>[1]) => applyFlowEdits(f, edits) as FlowDoc;

describe('If branches', () => {
  it('adds Else if branches in order and one Else, which the workspace shows before End', () => {
    let f = flow([set('A'), { action: 'If', params: { condition: '%A = 1%' }, then: [set('B')] }]);
    expect(addableBranches(at(f, 1))).toEqual(['elseIf', 'else']);
    f = apply(f, [addBranch('/steps/1', at(f, 1), 'elseIf', { condition: '%A = 2%' })]);
    f = apply(f, [addBranch('/steps/1', at(f, 1), 'else')]);
    f = apply(f, [addBranch('/steps/1', at(f, 1), 'elseIf', { condition: '%A = 3%' })]);
    expect(at(f, 1).elseIf?.map((b) => b.condition)).toEqual(['%A = 2%', '%A = 3%']);
    expect(at(f, 1).then).toEqual([set('B')]);
    expect(addableBranches(at(f, 1))).toEqual(['elseIf']);
    expect(flattenFlow(f.steps).map((r) => r.label ?? r.kind)).toEqual([
      'step',
      'step',
      'step',
      'Else if',
      'empty',
      'Else if',
      'empty',
      'Else',
      'empty',
      'End',
    ]);
    const registry = createActionRegistry([...standardActions, ...blockActions]);
    expect(validateFlow(f, { actions: registry }).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('changes a condition and deletes a branch with its actions, keeping the others', () => {
    let f = flow([
      {
        action: 'If',
        params: { condition: 'true' },
        then: [set('A')],
        elseIf: [
          { condition: '%1%', then: [set('B')] },
          { condition: '%2%', then: [set('C')] },
        ],
        else: [set('D')],
      },
    ]);
    expect(branchSettings(at(f), { kind: 'elseIf', index: 1 })).toEqual({ condition: '%2%' });
    const edit = setBranch('/steps/0', at(f), { kind: 'elseIf', index: 1 }, { condition: '%Two%' });
    f = apply(f, edit ? [edit] : []);
    expect(at(f).elseIf?.[1]).toEqual({ condition: '%Two%', then: [set('C')] });
    f = apply(f, removeBranch('/steps/0', at(f), { kind: 'elseIf', index: 0 }));
    expect(at(f).elseIf).toEqual([{ condition: '%Two%', then: [set('C')] }]);
    f = apply(f, removeBranch('/steps/0', at(f), { kind: 'else' }));
    expect(at(f).else).toBeUndefined();
    f = apply(f, removeBranch('/steps/0', at(f), { kind: 'elseIf', index: 0 }));
    expect(at(f)).toEqual({ action: 'If', params: { condition: 'true' }, then: [set('A')] });
  });
});

describe('Switch branches', () => {
  it('adds cases with operators and values (numbers stay numbers) and a default', () => {
    let f = flow([{ action: 'Switch', params: { value: '%N%' }, cases: [{ value: 1, do: [set('A')] }] }]);
    f = apply(f, [addBranch('/steps/0', at(f), 'case', { operator: '>', value: '10' })]);
    f = apply(f, [addBranch('/steps/0', at(f), 'case', { operator: 'isEmpty', value: 'ignored' })]);
    f = apply(f, [addBranch('/steps/0', at(f), 'default')]);
    expect(at(f).cases).toEqual([
      { value: 1, do: [set('A')] },
      { operator: '>', value: 10, do: [] },
      { operator: 'isEmpty', do: [] },
    ]);
    expect(at(f).default).toEqual([]);
    expect(addableBranches(at(f))).toEqual(['case']);
    expect([0, 1, 2].map((index) => branchSummary(at(f), { kind: 'case', index }))).toEqual([
      '= 1',
      '> 10',
      'is empty',
    ]);
    expect(branchSettings(at(f), { kind: 'case', index: 1 })).toEqual({ operator: '>', value: '10' });
    const edit = setBranch('/steps/0', at(f), { kind: 'case', index: 0 }, { operator: 'contains', value: 'abc' });
    f = apply(f, edit ? [edit] : []);
    expect(at(f).cases?.[0]).toEqual({ operator: 'contains', value: 'abc', do: [set('A')] });
  });

  it('keeps the last case and removes the default', () => {
    let f = flow([{ action: 'Switch', params: { value: '%N%' }, cases: [{ value: 1, do: [] }], default: [set('Z')] }]);
    expect(removeBranch('/steps/0', at(f), { kind: 'case', index: 0 })).toEqual([]);
    f = apply(f, removeBranch('/steps/0', at(f), { kind: 'default' }));
    expect(at(f).default).toBeUndefined();
    expect(addableBranches({ action: 'Loop', params: {}, do: [] })).toEqual([]);
  });
});

describe('conditions with operators', () => {
  it('writes an Else if as first operand, operator, second operand and Ignore case, and reads it back', () => {
    let f = flow([set('A'), { action: 'If', params: { first: '%A%', operator: '=', second: 1 }, then: [] }]);
    const settings = { first: '%A%', operator: 'startsWith' as const, second: 'ab', ignoreCase: true };
    f = apply(f, [addBranch('/steps/1', at(f, 1), 'elseIf', settings)]);
    expect(at(f, 1).elseIf).toEqual([
      { first: '%A%', operator: 'startsWith', second: 'ab', ignoreCase: true, then: [] },
    ]);
    expect(branchSettings(at(f, 1), { kind: 'elseIf', index: 0 })).toEqual(settings);
    expect(branchSummary(at(f, 1), { kind: 'elseIf', index: 0 })).toBe('%A% starts with ab (ignore case)');
    const edit = setBranch('/steps/1', at(f, 1), { kind: 'elseIf', index: 0 }, { first: '%A%', operator: 'isEmpty' });
    f = apply(f, [edit!]);
    expect(at(f, 1).elseIf).toEqual([{ first: '%A%', operator: 'isEmpty', then: [] }]);
    const actions = createActionRegistry([...blockActions, ...standardActions]);
    expect(validateFlow(f, { actions }).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('keeps a Case ignore-case choice', () => {
    let f = flow([{ action: 'Switch', params: { value: 'x' }, cases: [{ value: 1, do: [] }] }]);
    const edit = setBranch(
      '/steps/0',
      at(f),
      { kind: 'case', index: 0 },
      { operator: 'contains', value: 'AB', ignoreCase: false },
    );
    f = apply(f, [edit!]);
    expect(at(f).cases).toEqual([{ operator: 'contains', value: 'AB', ignoreCase: false, do: [] }]);
    expect(branchSettings(at(f), { kind: 'case', index: 0 })).toEqual({
      operator: 'contains',
      value: 'AB',
      ignoreCase: false,
    });
  });
});
