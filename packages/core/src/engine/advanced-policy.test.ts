import { describe, expect, it } from 'vitest';
import type { ActionDefinition } from '../contracts.js';
import { PatchbayError, type ErrorCode } from '../errors.js';
import { parseFlowText } from '../flow/parse.js';
import { flowOf, run } from './test-support.js';

/** A real action that fails with the error given by its params (code and HTTP status), counting its calls. */
function failing(): ActionDefinition & { calls: number } {
  const def = {
    id: 'Test.Fail',
    group: 'Test',
    displayName: 'Fail',
    description: 'Fails with the given code.',
    params: [
      { name: 'code', type: 'text' as const, displayName: 'Code', required: true },
      { name: 'status', type: 'number' as const, displayName: 'Status' },
    ],
    produces: [],
    calls: 0,
    run(_ctx: unknown, p: Record<string, unknown>) {
      def.calls++;
      throw new PatchbayError(p.code as ErrorCode, `failed with ${String(p.code)}`, {
        status: p.status as number | undefined,
      });
    },
  };
  return def;
}

const set = (name: string, value: unknown) => ({ action: 'Variables.Set', params: { name, value } });

/** One failing step with an onError policy, then a step that records where the flow went. */
async function outcome(error: { code: string; status?: number }, onError: Record<string, unknown>) {
  const f = failing();
  const r = await run(
    flowOf({
      outputs: { Path: { type: 'text' } },
      steps: [
        set('Path', 'start'),
        { action: 'Test.Fail', params: error, onError },
        set('Path', '%Path% after'),
        { action: 'Label', params: { name: 'Handler' } },
        set('Path', '%Path% handler'),
      ],
    }),
    { extra: [f] },
  );
  return { status: r.status, path: r.outputs.Path, calls: f.calls, error: r.error };
}

describe('onError rules (PAD "Advanced")', () => {
  const policy = {
    retry: 0,
    then: 'stop',
    rules: [
      { when: 'connector.http', status: [429, 503], retry: 2, retryIntervalSeconds: 0, then: 'continue' },
      { when: ['connector', 'connection.unresolved'], then: 'goto', label: 'Handler' },
      { when: 'expression.*', then: 'continue', setVariable: { name: 'Path', value: 'expr' } },
    ],
  };

  it('the first rule that matches the code and status decides retries and the next move', async () => {
    expect(await outcome({ code: 'connector.http', status: 503 }, policy)).toMatchObject({
      status: 'succeeded',
      path: 'start after handler',
      calls: 3,
    });
  });

  it('a group matches every code in it; a status the rule does not list falls to the next rule', async () => {
    expect(await outcome({ code: 'connector.http', status: 404 }, policy)).toMatchObject({
      status: 'succeeded',
      path: 'start handler',
      calls: 1,
    });
    expect(await outcome({ code: 'connector.timeout' }, policy)).toMatchObject({
      status: 'succeeded',
      path: 'start handler',
      calls: 1,
    });
    expect(await outcome({ code: 'connection.unresolved' }, policy)).toMatchObject({
      status: 'succeeded',
      path: 'start handler',
      calls: 1,
    });
    expect(await outcome({ code: 'expression.type' }, policy)).toMatchObject({
      status: 'succeeded',
      path: 'expr after handler',
      calls: 1,
    });
  });

  it('errors no rule matches get the top-level handling', async () => {
    const r = await outcome({ code: 'action.failed' }, policy);
    expect(r).toMatchObject({ status: 'failed', path: 'start', calls: 1 });
    expect(r.error).toMatchObject({ code: 'action.failed', stepPath: '/steps/1' });
  });

  it('onBlockError takes rules too', async () => {
    const f = failing();
    const r = await run(
      flowOf({
        outputs: { Path: { type: 'text' } },
        steps: [
          set('Path', 'start'),
          {
            action: 'Block',
            do: [{ action: 'Test.Fail', params: { code: 'connector.http', status: 500 } }],
            onBlockError: {
              then: 'stop',
              rules: [{ when: 'connector', retry: 1, retryIntervalSeconds: 0, then: 'continue' }],
            },
          },
          set('Path', '%Path% after'),
        ],
      }),
      { extra: [f] },
    );
    expect(r.status).toBe('succeeded');
    expect(r.outputs.Path).toBe('start after');
    expect(f.calls).toBe(2);
  });
});

describe('Subflow.Exit', () => {
  it('leaves the subflow and hands back its outputs as they are', async () => {
    const r = await run(
      flowOf({
        outputs: { Found: { type: 'number' } },
        steps: [{ action: 'CallSubflow', params: { subflow: 'Find', inputs: { Items: [4, 9, 12, 30] } } }],
        subflows: {
          Find: {
            inputs: { Items: { type: 'list' } },
            outputs: { Found: { type: 'number', default: -1 } },
            steps: [
              {
                action: 'Loop.ForEach',
                params: { items: '%Items%' },
                produces: { item: 'N' },
                do: [
                  {
                    action: 'If',
                    params: { condition: '%N > 10%' },
                    then: [set('Found', '%N%'), { action: 'Subflow.Exit' }],
                  },
                ],
              },
              set('Found', '%0%'),
            ],
          },
        },
      }),
    );
    expect(r.status).toBe('succeeded');
    expect(r.outputs.Found).toBe(12);
  });

  it('in the main flow is an error naming the step', async () => {
    const r = await run(flowOf({ steps: [{ action: 'Subflow.Exit' }] }));
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ code: 'flow.invalid', stepPath: '/steps/0', action: 'Subflow.Exit' });
  });
});

describe('run-time expression errors in a flow parsed from text', () => {
  it('carry the file, line and column of the expression', async () => {
    const text = [
      '{',
      '  "schema": "patchbay/flow@1",',
      '  "name": "Divide",',
      '  "inputs": { "Total": { "type": "number" } },',
      '  "steps": [',
      '    { "action": "Variables.Set", "params": { "name": "Half", "value": "%Total / Missing%" } }',
      '  ]',
      '}',
    ].join('\n');
    const r = await run(parseFlowText(text, 'divide.flow.json'), { inputs: { Total: 4 } });
    expect(r.status).toBe('failed');
    const col = text.split('\n')[5].indexOf('Missing') + 1;
    expect(r.error).toMatchObject({
      code: 'expression.undefined_variable',
      stepPath: '/steps/0',
      pointer: '/steps/0/params/value',
      file: 'divide.flow.json',
      line: 6,
      column: col,
    });
  });

  it('a wrong type in a parameter points at the parameter', async () => {
    const text =
      '{\n  "schema": "patchbay/flow@1",\n  "name": "Loop",\n  "steps": [\n    { "action": "Loop", "params": { "from": 1, "to": "%\'ten\'%" }, "do": [] }\n  ]\n}';
    const r = await run(parseFlowText(text));
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ code: 'expression.type', pointer: '/steps/0/params/to', line: 5 });
  });
});
