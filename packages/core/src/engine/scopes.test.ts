/** Subflow scopes as in PAD: Global subflows share the flow's variables; Local ones pass inputs and outputs and read global.Name. */
import { describe, expect, it } from 'vitest';
import { blockActions } from '../flow/blocks.js';
import { standardActions } from '../actions/index.js';
import { validateFlow } from '../flow/validate.js';
import type { Flow } from '../flow/schema.js';
import { createActionRegistry } from './registry.js';
import { flowOf, run } from './test-support.js';

const actions = createActionRegistry([...blockActions, ...standardActions]);
const set = (name: string, value: unknown) => ({ action: 'Variables.Set', params: { name, value } });
const call = (subflow: string, inputs?: Record<string, unknown>) => ({
  action: 'CallSubflow',
  params: inputs ? { subflow, inputs } : { subflow },
});
const errors = (flow: Flow) =>
  validateFlow(flow, { actions })
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.pointer}: ${d.message}`);

describe('subflow scopes', () => {
  it('a subflow without inputs or outputs is Global: it reads and sets the flow variables', async () => {
    const flow = flowOf({
      outputs: { Greeting: { type: 'text' }, Count: { type: 'number' } },
      steps: [set('Name', 'Ada'), set('Count', '%1%'), call('Greet'), call('Greet')],
      subflows: {
        Greet: {
          steps: [set('Greeting', 'Hello %Name%'), { action: 'Variables.Increase', params: { name: 'Count' } }],
        },
      },
    });
    expect(errors(flow)).toEqual([]);
    const r = await run(flow);
    expect(r.error).toBeUndefined();
    expect(r.outputs).toEqual({ Greeting: 'Hello Ada', Count: 3 });
  });

  it('a subflow with inputs or outputs is Local: own variables, outputs back, globals as global.Name', async () => {
    const flow = flowOf({
      outputs: { Total: { type: 'number' }, Seen: { type: 'text' }, Temp: { type: 'any' } },
      steps: [set('Prefix', 'n='), call('Add', { A: 2, B: 3 }), set('Seen', '%Last%')],
      subflows: {
        Add: {
          inputs: { A: { type: 'number' }, B: { type: 'number' } },
          outputs: { Total: { type: 'number' } },
          steps: [set('Temp', 'inside'), set('Total', '%A + B%'), set('global.Last', '%global.Prefix + Total%')],
        },
      },
    });
    expect(errors(flow)).toEqual([]);
    const r = await run(flow);
    expect(r.error).toBeUndefined();
    expect(r.outputs).toEqual({ Total: 5, Seen: 'n=5', Temp: null });
  });

  it('"scope" overrides the default both ways', async () => {
    const flow = flowOf({
      outputs: { Out: { type: 'text' } },
      steps: [set('Out', 'main'), call('Own'), call('Shared')],
      subflows: {
        Own: { scope: 'local', steps: [set('Out', 'local')] },
        Shared: { scope: 'global', steps: [set('Out', '%Out + "+global"%'.replace(/"/g, "'"))] },
      },
    });
    expect(errors(flow)).toEqual([]);
    expect((await run(flow)).outputs.Out).toBe('main+global');
  });

  it('a Local subflow cannot read a flow variable without global.', async () => {
    const flow = flowOf({
      steps: [set('Name', 'Ada'), call('Greet')],
      subflows: { Greet: { scope: 'local', steps: [set('G', 'Hi %Name%')] } },
    });
    expect(errors(flow)).toEqual(['/subflows/Greet/steps/0/params/value: The variable "Name" is never set.']);
    const r = await run(flow);
    expect(r.error?.code).toBe('expression.undefined_variable');
    const fixed = flowOf({
      steps: [set('Name', 'Ada'), call('Greet')],
      subflows: { Greet: { scope: 'local', steps: [set('G', 'Hi %global.Name%')] } },
    });
    expect(errors(fixed)).toEqual([]);
  });

  it('refuses inputs or outputs on a Global subflow', async () => {
    const flow = flowOf({
      steps: [],
      subflows: { S: { scope: 'global', inputs: { A: { type: 'text' } }, steps: [] } },
    });
    expect(errors(flow)).toEqual(['/subflows/S/scope: Subflow "S" is Global, so it cannot declare inputs or outputs.']);
  });
});

describe('data table inputs', () => {
  it('takes a data table input as {columns, rows} data or a list of objects', async () => {
    const flow = flowOf({
      inputs: { T: { type: 'datatable' }, L: { type: 'datatable' } },
      outputs: { N: { type: 'number' }, Cell: { type: 'text' } },
      steps: [set('N', '%T.RowsCount + L.RowsCount%'), set('Cell', "%L[1]['Name']%")],
    });
    const r = await run(flow, {
      inputs: { T: { columns: ['A'], rows: [[1], [2]] }, L: [{ Name: 'Ada' }, { Name: 'Bob' }] },
    });
    expect(r.error).toBeUndefined();
    expect(r.outputs).toEqual({ N: 4, Cell: 'Bob' });
  });
});
