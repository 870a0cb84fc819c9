import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PatchbayError } from '../errors.js';
import { applyFlowEdit, applyFlowEdits } from './apply.js';
import type { FlowEdit } from './schema.js';

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
    Object.freeze(v);
  }
  return v;
}

const set = (name: string) => ({ action: 'Variables.Set', params: { name, value: '%1%' } });

interface S {
  action: string;
  params?: Record<string, unknown>;
  disabled?: boolean;
  then?: S[];
  else?: S[];
  elseIf?: { condition: string; then: S[] }[];
  cases?: { value?: unknown; do: S[] }[];
  default?: S[];
  do?: S[];
}
interface Sample {
  schema: string;
  name: string;
  inputs: Record<string, { type: string }>;
  outputs: Record<string, { type: string }>;
  steps: S[];
  subflows: Record<string, { steps: S[] }>;
}

function sample(): Sample {
  return deepFreeze({
    schema: 'patchbay/flow@1',
    name: 'Weekly report',
    inputs: { Recipient: { type: 'text' } },
    outputs: { Sent: { type: 'number' } },
    steps: [
      set('A'),
      {
        action: 'If',
        params: { condition: '%A > 0%' },
        then: [set('B'), set('C')],
        elseIf: [{ condition: '%A < 0%', then: [set('D')] }],
        else: [set('E')],
      },
      { action: 'Switch', params: { value: '%A%' }, cases: [{ value: 1, do: [set('F')] }], default: [] },
      set('G'),
    ],
    subflows: { Cleanup: { steps: [set('H'), { action: 'CallSubflow', params: { subflow: 'Cleanup' } }] } },
  });
}

function names(list: unknown): string[] {
  return (list as { action: string; params?: { name?: string } }[]).map((s) => s.params?.name ?? s.action);
}

function expectInvalid(fn: () => unknown, pointer: string, message?: RegExp): PatchbayError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PatchbayError);
    const err = e as PatchbayError;
    expect(err.code).toBe('flow.invalid');
    expect(err.place.pointer).toBe(pointer);
    expect(err.hint).toBeTruthy();
    if (message) expect(err.message).toMatch(message);
    return err;
  }
  throw new Error('expected a PatchbayError');
}

describe('add_step', () => {
  it('inserts at the top level, in a nested body and in a subflow without changing the input', () => {
    const flow = sample();
    const a = applyFlowEdit(flow, { type: 'add_step', request: { parentPath: '/steps', index: 1, step: set('X') } });
    expect(names(a.steps)).toEqual(['A', 'X', 'If', 'Switch', 'G']);
    expect(a.steps[2]).toBe(flow.steps[1]);
    expect(names(flow.steps)).toEqual(['A', 'If', 'Switch', 'G']);
    const b = applyFlowEdit(flow, {
      type: 'add_step',
      request: { parentPath: '/steps/1/elseIf/0/then', index: 1, step: set('X') },
    });
    expect(names(b.steps[1].elseIf?.[0].then)).toEqual(['D', 'X']);
    const c = applyFlowEdit(flow, {
      type: 'add_step',
      request: { parentPath: '/subflows/Cleanup/steps', index: 0, step: set('X') },
    });
    expect(names(c.subflows.Cleanup.steps)).toEqual(['X', 'H', 'CallSubflow']);
  });

  it('creates a body the block does not have yet and appends at index = length', () => {
    const flow = sample();
    const a = applyFlowEdit(flow, {
      type: 'add_step',
      request: { parentPath: '/steps/2/cases/0/do', index: 1, step: set('X') },
    });
    expect(names(a.steps[2].cases?.[0].do)).toEqual(['F', 'X']);
    const loop = applyFlowEdit(flow, {
      type: 'add_step',
      request: { parentPath: '/steps', index: 4, step: { action: 'Loop.ForEach', params: { items: '%L%' } } },
    });
    const inside = applyFlowEdit(loop, {
      type: 'add_step',
      request: { parentPath: '/steps/4/do', index: 0, step: set('Y') },
    });
    expect(names(inside.steps[4].do)).toEqual(['Y']);
  });

  it('accepts a connector step and refuses a step with no action', () => {
    const step = {
      connector: 'ledger',
      operation: 'CreateEntry',
      connectionReference: 'pb_ledger',
      params: { amount: 3 },
    };
    const a = applyFlowEdit(sample(), { type: 'add_step', request: { parentPath: '/steps', index: 0, step } });
    expect(a.steps[0]).toEqual(step);
    expectInvalid(
      () =>
        applyFlowEdit(sample(), {
          type: 'add_step',
          request: { parentPath: '/steps', index: 0, step: { params: {} } },
        }),
      '/steps/0',
      /names no action/,
    );
    expectInvalid(
      () =>
        applyFlowEdit(sample(), {
          type: 'add_step',
          request: { parentPath: '/steps', index: 0, step: { connector: 'ledger' } },
        }),
      '/steps/0',
    );
  });

  it('refuses a produced variable with a bad name', () => {
    const step = { action: 'Text.Split', params: {}, produces: { parts: '2Parts' } };
    expectInvalid(
      () => applyFlowEdit(sample(), { type: 'add_step', request: { parentPath: '/steps', index: 0, step } }),
      '/steps/0/produces/parts',
      /2Parts/,
    );
    const off = applyFlowEdit(sample(), {
      type: 'add_step',
      request: { parentPath: '/steps', index: 0, step: { ...step, produces: { parts: false } } },
    });
    expect(off.steps[0]).toMatchObject({ produces: { parts: false } });
  });

  it('names the place of a bad path', () => {
    expectInvalid(
      () => applyFlowEdit(sample(), { type: 'add_step', request: { parentPath: '/steps', index: 9, step: set('X') } }),
      '/steps/9',
      /has 4 steps/,
    );
    expectInvalid(
      () =>
        applyFlowEdit(sample(), {
          type: 'add_step',
          request: { parentPath: '/steps/7/then', index: 0, step: set('X') },
        }),
      '/steps/7/then',
      /Nothing at \/steps\/7/,
    );
    expectInvalid(
      () =>
        applyFlowEdit(sample(), {
          type: 'add_step',
          request: { parentPath: '/steps/1/body', index: 0, step: set('X') },
        }),
      '/steps/1/body',
      /"body" is not a block body/,
    );
    expectInvalid(
      () => applyFlowEdit(sample(), { type: 'add_step', request: { parentPath: 'steps', index: 0, step: set('X') } }),
      'steps',
      /not a JSON pointer/,
    );
    expectInvalid(
      () =>
        applyFlowEdit(sample(), {
          type: 'add_step',
          request: { parentPath: '/subflows/Nope/steps', index: 0, step: set('X') },
        }),
      '/subflows/Nope/steps',
    );
    expectInvalid(
      () =>
        applyFlowEdit(sample(), {
          type: 'add_step',
          request: { parentPath: '/steps/1/elseIf/0/do', index: 0, step: set('X') },
        }),
      '/steps/1/elseIf/0/do',
      /holds its steps in "then"/,
    );
  });
});

describe('add_steps', () => {
  it('pastes several steps in order', () => {
    const a = applyFlowEdit(sample(), {
      type: 'add_steps',
      request: { parentPath: '/steps/1/else', index: 1, steps: [set('X'), set('Y')] },
    });
    expect(names(a.steps[1].else)).toEqual(['E', 'X', 'Y']);
  });
});

describe('delete_step', () => {
  it('removes a step with its body', () => {
    const flow = sample();
    const a = applyFlowEdit(flow, { type: 'delete_step', request: { path: '/steps/1' } });
    expect(names(a.steps)).toEqual(['A', 'Switch', 'G']);
    const b = applyFlowEdit(flow, { type: 'delete_step', request: { path: '/steps/1/then/0' } });
    expect(names(b.steps[1].then)).toEqual(['C']);
    expect(b.steps[1].else).toBe(flow.steps[1].else);
  });
  it('refuses a path that is not a step', () => {
    expectInvalid(
      () => applyFlowEdit(sample(), { type: 'delete_step', request: { path: '/steps/4' } }),
      '/steps/4',
      /out of range/,
    );
    expectInvalid(
      () => applyFlowEdit(sample(), { type: 'delete_step', request: { path: '/steps/1/then' } }),
      '/steps/1/then',
      /must end with the step's number/,
    );
    expectInvalid(() => applyFlowEdit(sample(), { type: 'delete_step', request: { path: '/name/0' } }), '/name/0');
  });
});

describe('move_step', () => {
  const move = (from: string, parentPath: string, index: number) =>
    applyFlowEdit(sample(), { type: 'move_step', request: { from, to: { parentPath, index } } });

  it('moves down and up within one list (positions as before the move)', () => {
    expect(names(move('/steps/0', '/steps', 3).steps)).toEqual(['If', 'Switch', 'A', 'G']);
    expect(names(move('/steps/0', '/steps', 4).steps)).toEqual(['If', 'Switch', 'G', 'A']);
    expect(names(move('/steps/3', '/steps', 0).steps)).toEqual(['G', 'A', 'If', 'Switch']);
    expect(names(move('/steps/1', '/steps', 1).steps)).toEqual(['A', 'If', 'Switch', 'G']);
  });

  it('moves into and out of bodies, adjusting for the removed step', () => {
    const into = move('/steps/0', '/steps/1/then', 1);
    expect(names(into.steps)).toEqual(['If', 'Switch', 'G']);
    expect(names(into.steps[0].then)).toEqual(['B', 'A', 'C']);
    const out = move('/steps/1/then/1', '/steps', 0);
    expect(names(out.steps)).toEqual(['C', 'A', 'If', 'Switch', 'G']);
    expect(names(out.steps[2].then)).toEqual(['B']);
    const across = move('/steps/1/else/0', '/steps/2/cases/0/do', 0);
    expect(names(across.steps[1].else)).toEqual([]);
    expect(names(across.steps[2].cases?.[0].do)).toEqual(['E', 'F']);
    const toSub = move('/steps/3', '/subflows/Cleanup/steps', 1);
    expect(names(toSub.subflows.Cleanup.steps)).toEqual(['H', 'G', 'CallSubflow']);
  });

  it('refuses to move a block into itself', () => {
    expectInvalid(() => move('/steps/1', '/steps/1/then', 0), '/steps/1/then', /own body/);
    expectInvalid(() => move('/steps/1', '/steps/1/elseIf/0/then', 0), '/steps/1/elseIf/0/then');
    expectInvalid(() => move('/steps/9', '/steps', 0), '/steps/9');
    expectInvalid(() => move('/steps/0', '/steps', 5), '/steps/5');
  });

  it('keeps every step exactly once (property)', () => {
    const flow = sample();
    const stepPaths = [
      '/steps/0',
      '/steps/1',
      '/steps/1/then/0',
      '/steps/1/then/1',
      '/steps/1/elseIf/0/then/0',
      '/steps/1/else/0',
      '/steps/2',
      '/steps/2/cases/0/do/0',
      '/steps/3',
      '/subflows/Cleanup/steps/0',
    ];
    const lists = [
      '/steps',
      '/steps/1/then',
      '/steps/1/else',
      '/steps/1/elseIf/0/then',
      '/steps/2/cases/0/do',
      '/steps/2/default',
      '/subflows/Cleanup/steps',
    ];
    const count = (f: unknown) => JSON.stringify(f).match(/Variables\.Set/g)?.length;
    fc.assert(
      fc.property(fc.constantFrom(...stepPaths), fc.constantFrom(...lists), fc.nat(4), (from, parentPath, index) => {
        try {
          const moved = applyFlowEdit(flow, { type: 'move_step', request: { from, to: { parentPath, index } } });
          expect(count(moved)).toBe(count(flow));
        } catch (e) {
          expect(e).toBeInstanceOf(PatchbayError);
        }
      }),
    );
  });
});

describe('update_step', () => {
  it('replaces the configuration and keeps the bodies the new step omits', () => {
    const flow = sample();
    const a = applyFlowEdit(flow, {
      type: 'update_step',
      request: { path: '/steps/1', step: { action: 'If', params: { condition: '%A = 2%' }, comment: 'two' } },
    });
    expect(a.steps[1]).toMatchObject({ params: { condition: '%A = 2%' }, comment: 'two' });
    expect(a.steps[1].then).toBe(flow.steps[1].then);
    expect(a.steps[1].else).toBe(flow.steps[1].else);
    const b = applyFlowEdit(flow, {
      type: 'update_step',
      request: { path: '/steps/1', step: { action: 'If', params: {}, else: [] } },
    });
    expect(b.steps[1].else).toEqual([]);
  });
  it('refuses a bad step or path', () => {
    expectInvalid(
      () => applyFlowEdit(sample(), { type: 'update_step', request: { path: '/steps/0', step: {} } }),
      '/steps/0',
    );
    expectInvalid(
      () => applyFlowEdit(sample(), { type: 'update_step', request: { path: '/steps/1/then/5', step: set('X') } }),
      '/steps/1/then/5',
    );
  });
});

describe('set_disabled', () => {
  it('disables and enables a step', () => {
    const off = applyFlowEdit(sample(), { type: 'set_disabled', request: { path: '/steps/1/then/0', disabled: true } });
    expect(off.steps[1].then?.[0]).toMatchObject({ disabled: true });
    const on = applyFlowEdit(off, { type: 'set_disabled', request: { path: '/steps/1/then/0', disabled: false } });
    expect(on.steps[1].then?.[0]).toEqual(set('B'));
  });
});

describe('flow properties', () => {
  it('renames the flow and sets its description', () => {
    expect(applyFlowEdit(sample(), { type: 'rename_flow', request: { name: '  Monthly  ' } }).name).toBe('Monthly');
    expectInvalid(() => applyFlowEdit(sample(), { type: 'rename_flow', request: { name: ' ' } }), '/name');
    expect(applyFlowEdit(sample(), { type: 'set_description', request: { description: 'Sends it' } })).toMatchObject({
      description: 'Sends it',
    });
  });

  it('sets inputs and outputs with valid, distinct names', () => {
    const a = applyFlowEdit(sample(), {
      type: 'set_inputs',
      request: { inputs: { Recipient: { type: 'text' }, Rows: { type: 'list', required: true } } },
    });
    expect(Object.keys(a.inputs)).toEqual(['Recipient', 'Rows']);
    expectInvalid(
      () => applyFlowEdit(sample(), { type: 'set_inputs', request: { inputs: { '1st': { type: 'text' } } } }),
      '/inputs/1st',
      /not valid/,
    );
    expectInvalid(
      () => applyFlowEdit(sample(), { type: 'set_outputs', request: { outputs: { Recipient: { type: 'text' } } } }),
      '/outputs/Recipient',
      /both an input and an output/,
    );
    const b = applyFlowEdit(sample(), { type: 'set_outputs', request: { outputs: {} } });
    expect(b.outputs).toEqual({});
  });

  it('adds, renames (updating calls) and deletes subflows', () => {
    const added = applyFlowEdit(sample(), { type: 'add_subflow', request: { name: 'Notify' } });
    expect(added.subflows).toMatchObject({ Notify: { steps: [] } });
    expectInvalid(
      () => applyFlowEdit(added, { type: 'add_subflow', request: { name: 'Notify' } }),
      '/subflows/Notify',
      /already exists/,
    );
    expectInvalid(
      () => applyFlowEdit(sample(), { type: 'add_subflow', request: { name: 'bad name' } }),
      '/subflows/bad name',
    );
    const renamed = applyFlowEdit(sample(), { type: 'rename_subflow', request: { from: 'Cleanup', to: 'Tidy' } });
    expect(Object.keys(renamed.subflows)).toEqual(['Tidy']);
    expect(renamed.subflows.Tidy.steps[1]).toMatchObject({ params: { subflow: 'Tidy' } });
    expectInvalid(
      () => applyFlowEdit(sample(), { type: 'rename_subflow', request: { from: 'Nope', to: 'X' } }),
      '/subflows/Nope',
    );
    const deleted = applyFlowEdit(sample(), { type: 'delete_subflow', request: { name: 'Cleanup' } });
    expect(deleted.subflows).toEqual({});
    expectInvalid(
      () => applyFlowEdit(sample(), { type: 'delete_subflow', request: { name: 'Nope' } }),
      '/subflows/Nope',
    );
  });

  it('treats subflow names that objects inherit (constructor, toString) as ordinary names', () => {
    const added = applyFlowEdit(sample(), { type: 'add_subflow', request: { name: 'constructor' } });
    expect(Object.keys(added.subflows)).toEqual(['Cleanup', 'constructor']);
    const renamed = applyFlowEdit(sample(), { type: 'rename_subflow', request: { from: 'Cleanup', to: 'toString' } });
    expect(Object.keys(renamed.subflows)).toEqual(['toString']);
    expectInvalid(
      () => applyFlowEdit(sample(), { type: 'rename_subflow', request: { from: 'valueOf', to: 'X' } }),
      '/subflows/valueOf',
      /no subflow named "valueOf"/,
    );
    expectInvalid(
      () => applyFlowEdit(sample(), { type: 'delete_subflow', request: { name: 'hasOwnProperty' } }),
      '/subflows/hasOwnProperty',
      /no subflow named/,
    );
  });
});

describe('malformed edits', () => {
  it('refuses an unknown type or a malformed request with the field', () => {
    expectInvalid(
      () => applyFlowEdit(sample(), { type: 'explode', request: {} } as unknown as FlowEdit),
      '/type',
      /Unknown flow edit type "explode"/,
    );
    expectInvalid(
      () => applyFlowEdit(sample(), { type: 'add_step', request: { parentPath: '/steps', index: -1, step: set('X') } }),
      '/request/index',
    );
    expectInvalid(
      () => applyFlowEdit(sample(), { type: 'set_disabled', request: { path: '/steps/0' } } as unknown as FlowEdit),
      '/request/disabled',
    );
  });

  it('never throws anything but PatchbayError on random edits (property)', () => {
    const anyEdit = fc.record({
      type: fc.constantFrom(
        'add_step',
        'move_step',
        'delete_step',
        'update_step',
        'set_disabled',
        'rename_flow',
        'set_inputs',
        'add_subflow',
        'nope',
      ),
      request: fc.anything(),
    });
    fc.assert(
      fc.property(anyEdit, (edit) => {
        try {
          applyFlowEdit(sample(), edit as FlowEdit);
        } catch (e) {
          expect(e).toBeInstanceOf(PatchbayError);
        }
      }),
    );
  });
});

describe('applyFlowEdits', () => {
  it('applies edits in order and names the failing edit', () => {
    const flow = sample();
    const edits: FlowEdit[] = [
      { type: 'add_step', request: { parentPath: '/steps', index: 0, step: set('X') } },
      { type: 'set_disabled', request: { path: '/steps/0', disabled: true } },
      { type: 'move_step', request: { from: '/steps/0', to: { parentPath: '/steps', index: 5 } } },
    ];
    const out = applyFlowEdits(flow, edits);
    expect(names(out.steps)).toEqual(['A', 'If', 'Switch', 'G', 'X']);
    expect(out.steps[4]).toMatchObject({ disabled: true });
    const err = expectInvalid(
      () => applyFlowEdits(flow, [...edits, { type: 'delete_step', request: { path: '/steps/9' } }]),
      '/steps/9',
    );
    expect(err.message).toMatch(/^Edit 3 \(delete_step\)/);
    expect(flow.steps).toHaveLength(4);
  });
});
