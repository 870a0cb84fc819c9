import { describe, expect, it } from 'vitest';
import type { ActionDefinition } from '../contracts.js';
import { PatchbayError } from '../errors.js';
import { flowOf, run } from './test-support.js';

/** A real action that fails its first `failures` calls, then returns the call count. */
function flaky(failures: number): ActionDefinition & { calls: number } {
  const def = {
    id: 'Test.Flaky',
    group: 'Test',
    displayName: 'Flaky',
    description: 'Fails a few times, then works.',
    params: [],
    produces: [{ key: 'calls', defaultName: 'Calls', type: 'number' as const }],
    calls: 0,
    run() {
      def.calls++;
      if (def.calls <= failures) throw new PatchbayError('action.failed', `failure ${def.calls}`, { retryable: true });
      return { calls: def.calls };
    },
  };
  return def;
}

const set = (name: string, value: unknown) => ({ action: 'Variables.Set', params: { name, value } });

describe('error policies', () => {
  it('retries a step, then succeeds', async () => {
    const f = flaky(2);
    const r = await run(
      flowOf({
        outputs: { Calls: { type: 'number' } },
        steps: [{ action: 'Test.Flaky', onError: { retry: 2, retryIntervalSeconds: 0.001 } }],
      }),
      { extra: [f] },
    );
    expect(r.status).toBe('succeeded');
    expect(r.outputs.Calls).toBe(3);
    const failures = r.events.filter((e) => e.type === 'step.failed');
    expect(failures.map((e) => e.type === 'step.failed' && e.willRetry)).toEqual([true, true]);
  });

  it('retries, then continues; the last error is readable by a later step', async () => {
    const r = await run(
      flowOf({
        outputs: { Msg: { type: 'text' }, Code: { type: 'text' }, Where: { type: 'text' } },
        steps: [
          { action: 'Test.Flaky', onError: { retry: 1, retryIntervalSeconds: 0, then: 'continue' } },
          set('Msg', '%LastError.Message%'),
          set('Code', '%LastError.Code%'),
          set('Where', '%LastError.Step% %LastError.Action%'),
        ],
      }),
      { extra: [flaky(5)] },
    );
    expect(r.status).toBe('succeeded');
    expect(r.outputs).toEqual({ Msg: 'failure 2', Code: 'action.failed', Where: '/steps/0 Test.Flaky' });
  });

  it('without a policy the flow stops at the error, naming the step', async () => {
    const r = await run(
      flowOf({
        steps: [
          set('A', '1'),
          { action: 'If', params: { condition: '%true%' }, then: [{ action: 'Test.Flaky' }] },
          set('B', '2'),
        ],
      }),
      { extra: [flaky(1)] },
    );
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({
      code: 'action.failed',
      message: 'failure 1',
      stepPath: '/steps/1/then/0',
      action: 'Test.Flaky',
    });
    expect(r.events.some((e) => e.type === 'step.started' && e.stepPath === '/steps/2')).toBe(false);
  });

  it('stop after retries, with a set-variable rule and a subflow that runs first', async () => {
    const flow = flowOf({
      outputs: { Seen: { type: 'text' } },
      steps: [
        set('Seen', ''),
        {
          action: 'Test.Flaky',
          onError: {
            retry: 1,
            retryIntervalSeconds: 0,
            then: 'stop',
            setVariable: { name: 'Seen', value: 'set:%LastError.Message%' },
            runSubflow: 'Cleanup',
          },
        },
      ],
      subflows: { Cleanup: { steps: [] } },
    });
    const r = await run(flow, { extra: [flaky(9)] });
    expect(r.status).toBe('failed');
    expect(r.outputs.Seen).toBe('set:failure 2');
    expect(r.events.some((e) => e.type === 'step.started' && e.stepPath.startsWith('/subflows/Cleanup'))).toBe(false);
    expect(r.error?.message).toBe('failure 2');
  });

  it('runs a subflow on error and continues', async () => {
    const flow = flowOf({
      variables: { Log: { type: 'text', default: '' } },
      outputs: { Done: { type: 'boolean' } },
      steps: [{ action: 'Test.Flaky', onError: { then: 'continue', runSubflow: 'Report' } }, set('Done', '%true%')],
      subflows: { Report: { steps: [{ action: 'Variables.Set', params: { name: 'X', value: '%LastError.Code%' } }] } },
    });
    const r = await run(flow, { extra: [flaky(1)] });
    expect(r.status).toBe('succeeded');
    expect(r.outputs.Done).toBe(true);
    expect(r.events.find((e) => e.type === 'step.finished' && e.stepPath === '/subflows/Report/steps/0')).toMatchObject(
      { outputs: { X: 'action.failed' } },
    );
  });

  it('repeats a step until it works, and goes to a label', async () => {
    const rep = await run(
      flowOf({
        outputs: { Calls: { type: 'number' } },
        steps: [{ action: 'Test.Flaky', onError: { then: 'repeat' } }],
      }),
      { extra: [flaky(3)] },
    );
    expect(rep.outputs.Calls).toBe(4);
    const go = await run(
      flowOf({
        outputs: { Path: { type: 'text' } },
        steps: [
          set('Path', 'a'),
          { action: 'Test.Flaky', onError: { then: 'goto', label: 'handler' } },
          set('Path', 'not here'),
          { action: 'Label', params: { name: 'handler' } },
          set('Path', '%Path%b'),
        ],
      }),
      { extra: [flaky(1)] },
    );
    expect(go.status).toBe('succeeded');
    expect(go.outputs.Path).toBe('ab');
  });

  it('on-block-error: the rest of the block is skipped and the flow continues after it', async () => {
    const flow = flowOf({
      outputs: { Trace: { type: 'text' } },
      steps: [
        set('Trace', ''),
        {
          action: 'Block',
          params: { name: 'Import' },
          onBlockError: { then: 'continue', setVariable: { name: 'Failed', value: '%LastError.Step%' } },
          do: [set('Trace', '%Trace%1'), { action: 'Test.Flaky' }, set('Trace', '%Trace%2')],
        },
        set('Trace', '%Trace%3:%Failed%'),
      ],
    });
    const r = await run(flow, { extra: [flaky(1)] });
    expect(r.status).toBe('succeeded');
    expect(r.outputs.Trace).toBe('13:/steps/1/do/1');
  });

  it('on-block-error with retry re-runs the whole block; stop fails the run', async () => {
    const f = flaky(1);
    const again = await run(
      flowOf({
        outputs: { N: { type: 'number' } },
        variables: { N: { type: 'number', default: 0 } },
        steps: [
          {
            action: 'Block',
            onBlockError: { retry: 1, retryIntervalSeconds: 0 },
            do: [{ action: 'Variables.Increase', params: { name: 'N' } }, { action: 'Test.Flaky' }],
          },
        ],
      }),
      { extra: [f] },
    );
    expect(again.status).toBe('succeeded');
    expect(again.outputs.N).toBe(2);
    const stop = await run(
      flowOf({ steps: [{ action: 'Block', onBlockError: { then: 'stop' }, do: [{ action: 'Test.Flaky' }] }] }),
      { extra: [flaky(1)] },
    );
    expect(stop.status).toBe('failed');
    expect(stop.error?.stepPath).toBe('/steps/0/do/0');
  });

  it('a step policy handles the error before the enclosing block sees it', async () => {
    const r = await run(
      flowOf({
        outputs: { After: { type: 'text' } },
        steps: [
          {
            action: 'Block',
            onBlockError: { then: 'stop' },
            do: [{ action: 'Test.Flaky', onError: { then: 'continue' } }, set('After', 'yes')],
          },
        ],
      }),
      { extra: [flaky(1)] },
    );
    expect(r.status).toBe('succeeded');
    expect(r.outputs.After).toBe('yes');
  });

  it('errors from plain exceptions become action.failed with the step and the action', async () => {
    const boom: ActionDefinition = {
      id: 'Test.Boom',
      group: 'Test',
      displayName: 'Boom',
      description: 'Throws.',
      params: [],
      produces: [],
      run: () => {
        throw new TypeError('bad thing');
      },
    };
    const r = await run(flowOf({ steps: [{ action: 'Test.Boom' }] }), { extra: [boom] });
    expect(r.error).toMatchObject({ code: 'action.failed', stepPath: '/steps/0', action: 'Test.Boom' });
    expect(r.error?.message).toContain('bad thing');
  });

  it('an unknown action fails at its step with a suggestion', async () => {
    const r = await run(flowOf({ steps: [{ action: 'Variables.Sett', params: { name: 'A', value: 1 } }] }));
    expect(r.error).toMatchObject({
      code: 'action.unknown',
      stepPath: '/steps/0',
      hint: 'Did you mean "Variables.Set"?',
    });
  });
});
