/** PAD's conditions in If, Else if, Loop condition, Case and Wait for condition. */
import { describe, expect, it } from 'vitest';
import { blockActions } from '../flow/blocks.js';
import { createActionRegistry } from './registry.js';
import { standardActions } from '../actions/index.js';
import { validateFlow } from '../flow/validate.js';
import { flowOf, run } from './test-support.js';

const set = (name: string, value: unknown) => ({ action: 'Variables.Set', params: { name, value } });

describe('conditions with operators', () => {
  const ifFlow = flowOf({
    inputs: { Op: { type: 'text' }, A: { type: 'any' }, B: { type: 'any' }, IC: { type: 'boolean', default: false } },
    outputs: { Out: { type: 'text' } },
    steps: [
      {
        action: 'If',
        params: { first: '%A%', operator: '%Op%', second: '%B%', ignoreCase: '%IC%' },
        then: [set('Out', 'then')],
        else: [set('Out', 'else')],
      },
    ],
  });
  const holds = async (Op: string, A: unknown, B: unknown, IC = false): Promise<boolean> => {
    const r = await run(ifFlow, { inputs: { Op, A, B, IC } });
    expect(r.error).toBeUndefined();
    return r.outputs.Out === 'then';
  };

  it.each([
    ['=', 'Ada', 'ada', false, true],
    ['<>', 'Ada', 'ada', true, false],
    ['>', 12, 9, true, true],
    ['>=', 'B', 'b', true, true],
    ['<', 'B', 'b', false, false],
    ['<=', 3, 3, true, true],
    ['contains', 'Hello World', 'WORLD', false, true],
    ['notContains', 'Hello World', 'WORLD', true, false],
    ['startsWith', 'Invoice-7', 'INV', false, true],
    ['notStartsWith', 'Invoice-7', 'INV', true, false],
    ['endsWith', 'a.PDF', '.pdf', false, true],
    ['notEndsWith', 'a.PDF', '.pdf', true, false],
    ['isEmpty', '', null, true, true],
    ['isNotEmpty', 'x', null, true, true],
  ])('If %s %j %j: %s, with Ignore case %s', async (op, a, b, plain, ignoring) => {
    expect(await holds(op, a, b)).toBe(plain);
    expect(await holds(op, a, b, true)).toBe(ignoring);
  });

  it('keeps the single-expression If and mixes forms across Else if', async () => {
    const flow = flowOf({
      inputs: { N: { type: 'text' } },
      outputs: { Out: { type: 'text' } },
      steps: [
        {
          action: 'If',
          params: { condition: "%N = 'one'%" },
          then: [set('Out', '1')],
          elseIf: [
            { first: '%N%', operator: 'startsWith', second: 't', ignoreCase: true, then: [set('Out', 't')] },
            { condition: '%N.Length > 4%', then: [set('Out', 'long')] },
          ],
          else: [set('Out', 'other')],
        },
      ],
    });
    const out = async (N: string) => (await run(flow, { inputs: { N } })).outputs.Out;
    expect(await out('one')).toBe('1');
    expect(await out('Two')).toBe('t');
    expect(await out('seven')).toBe('long');
    expect(await out('six')).toBe('other');
  });

  it('loops while an operator condition holds', async () => {
    const flow = flowOf({
      outputs: { S: { type: 'text' } },
      steps: [
        set('S', ''),
        {
          action: 'LoopWhile',
          params: { first: '%S.Length%', operator: '<', second: 3 },
          do: [set('S', '%S + "x"%'.replace(/"/g, "'"))],
        },
      ],
    });
    expect((await run(flow)).outputs.S).toBe('xxx');
  });

  it('matches Case with and without Ignore case', async () => {
    const flow = flowOf({
      inputs: { V: { type: 'text' } },
      outputs: { Out: { type: 'text' } },
      steps: [
        {
          action: 'Switch',
          params: { value: '%V%' },
          cases: [
            { operator: '=', value: 'RED', ignoreCase: true, do: [set('Out', 'red')] },
            { operator: 'contains', value: 'BLU', ignoreCase: false, do: [set('Out', 'blue')] },
            { operator: 'endsWith', value: 'EN', do: [set('Out', 'green')] },
          ],
          default: [set('Out', 'other')],
        },
      ],
    });
    const out = async (V: string) => (await run(flow, { inputs: { V } })).outputs.Out;
    expect(await out('red')).toBe('red');
    expect(await out('BLUE')).toBe('blue');
    expect(await out('blue')).toBe('other');
    expect(await out('green')).toBe('green');
  });

  it('waits for a condition and fails after its time limit', async () => {
    const ok = flowOf({
      steps: [{ action: 'WaitForCondition', params: { first: 1, operator: '=', second: 1, intervalSeconds: 0 } }],
    });
    expect((await run(ok)).status).toBe('succeeded');
    const late = flowOf({
      steps: [
        {
          action: 'WaitForCondition',
          params: { first: 1, operator: '=', second: 2, intervalSeconds: 0.01, timeoutSeconds: 0.03 },
        },
      ],
    });
    const r = await run(late);
    expect(r.error?.code).toBe('run.timeout');
  });

  it('refuses an If with neither operator nor condition, and a bad operator', async () => {
    const flow = flowOf({ steps: [{ action: 'If', params: { first: 1 }, then: [] }] });
    const actions = createActionRegistry([...blockActions, ...standardActions]);
    const d = validateFlow(flow, { actions }).filter((x) => x.severity === 'error');
    expect(d.map((x) => [x.pointer, x.message])).toEqual([
      ['/steps/0/params', 'The condition has neither an operator nor a "condition" expression.'],
    ]);
    const bad = flowOf({ steps: [{ action: 'If', params: { first: 1, operator: '%"=="%'.replace(/"/g, "'") } }] });
    const r = await run(bad);
    expect(r.error?.message).toBe('"==" is not a condition operator.');
    expect(r.error?.pointer).toBe('/steps/0/params/operator');
  });
});
