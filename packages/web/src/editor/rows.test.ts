import { describe, expect, it } from 'vitest';
import { flattenFlow } from './rows.js';
import type { StepDoc } from '../api/types.js';

const set = (name: string): StepDoc => ({ action: 'Variables.Set', params: { name } });

describe('flattenFlow', () => {
  it('numbers lines, indents bodies and adds PAD marker lines with drop targets', () => {
    const steps: StepDoc[] = [
      set('A'),
      {
        action: 'If',
        params: {},
        then: [set('B')],
        elseIf: [{ condition: '', then: [] }],
        else: [set('C')],
        disabled: true,
      },
      { action: 'Loop.ForEach', params: {}, do: [set('D')] },
    ];
    const rows = flattenFlow(steps);
    expect(
      rows.map((r) => [
        r.line,
        r.depth,
        r.kind === 'step' ? (r.step?.params?.name ?? r.step?.action) : (r.label ?? 'empty'),
      ]),
    ).toEqual([
      [1, 0, 'A'],
      [2, 0, 'If'],
      [3, 1, 'B'],
      [4, 0, 'Else if'],
      [0, 1, 'empty'],
      [5, 0, 'Else'],
      [6, 1, 'C'],
      [7, 0, 'End'],
      [8, 0, 'Loop.ForEach'],
      [9, 1, 'D'],
      [10, 0, 'End'],
    ]);
    expect(rows[2]).toMatchObject({
      path: '/steps/1/then/0',
      disabled: true,
      dropTarget: { parentPath: '/steps/1/then', index: 0 },
    });
    expect(rows[4].dropTarget).toEqual({ parentPath: '/steps/1/elseIf/0/then', index: 0 });
    expect(rows[7].dropTarget).toEqual({ parentPath: '/steps/1/else', index: 1 });
    expect(rows[8].disabled).toBe(false);
    expect(rows[10].dropTarget).toEqual({ parentPath: '/steps/2/do', index: 1 });
  });

  it('shows an empty body of a new block as a drop place', () => {
    const rows = flattenFlow(
      [{ action: 'Switch', params: {}, cases: [{ value: 1, do: [] }] }],
      '/subflows/Cleanup/steps',
    );
    expect(rows.map((r) => r.label ?? r.kind)).toEqual(['step', 'Case', 'empty', 'End']);
    expect(rows[2].dropTarget).toEqual({ parentPath: '/subflows/Cleanup/steps/0/cases/0/do', index: 0 });
  });
});
