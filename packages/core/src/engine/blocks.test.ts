import { describe, expect, it } from 'vitest';
import { flowOf, run } from './test-support.js';

const set = (name: string, value: unknown) => ({ action: 'Variables.Set', params: { name, value } });

describe('blocks', () => {
  it('If / elseIf / else picks the first true branch', async () => {
    const flow = flowOf({
      inputs: { N: { type: 'number', required: true } },
      outputs: { Size: { type: 'text' } },
      steps: [
        {
          action: 'If',
          params: { condition: '%N > 100%' },
          then: [set('Size', 'big')],
          elseIf: [{ condition: '%N > 10%', then: [set('Size', 'medium')] }],
          else: [set('Size', 'small')],
        },
      ],
    });
    expect((await run(flow, { inputs: { N: 500 } })).outputs.Size).toBe('big');
    expect((await run(flow, { inputs: { N: 50 } })).outputs.Size).toBe('medium');
    expect((await run(flow, { inputs: { N: '5' } })).outputs.Size).toBe('small');
  });

  it('Switch matches by value, list of values, operator, or falls to default', async () => {
    const flow = flowOf({
      inputs: { V: { type: 'any' } },
      outputs: { Out: { type: 'text' } },
      steps: [
        {
          action: 'Switch',
          params: { value: '%V%' },
          cases: [
            { value: 'red', do: [set('Out', 'R')] },
            { values: ['green', 'lime'], do: [set('Out', 'G')] },
            { operator: '>', value: 10, do: [set('Out', 'large')] },
            { operator: 'contains', value: 'blu', do: [set('Out', 'B')] },
            { operator: 'isEmpty', do: [set('Out', 'empty')] },
          ],
          default: [set('Out', 'other')],
        },
      ],
    });
    const out = async (V: unknown) => (await run(flow, { inputs: { V } })).outputs.Out;
    expect(await out('red')).toBe('R');
    expect(await out('lime')).toBe('G');
    expect(await out(11)).toBe('large');
    expect(await out('navy BLUE')).toBe('B');
    expect(await out('')).toBe('empty');
    expect(await out('pink')).toBe('other');
  });

  it('Loop counts from/to/step, including downwards, with Loop.Next and Loop.Exit', async () => {
    const flow = flowOf({
      outputs: { Sum: { type: 'number' }, Down: { type: 'text' } },
      steps: [
        set('Sum', '%0%'),
        {
          action: 'Loop',
          params: { from: 1, to: 10 },
          produces: { index: 'I' },
          do: [
            { action: 'If', params: { condition: '%I mod 2 = 0%' }, then: [{ action: 'Loop.Next' }] },
            { action: 'If', params: { condition: '%I > 7%' }, then: [{ action: 'Loop.Exit' }] },
            { action: 'Variables.Increase', params: { name: 'Sum', by: '%I%' } },
          ],
        },
        set('Down', ''),
        { action: 'Loop', params: { from: 3, to: 1, step: -1 }, do: [set('Down', '%Down%%LoopIndex%')] },
      ],
    });
    const r = await run(flow);
    expect(r.status).toBe('succeeded');
    expect(r.outputs).toEqual({ Sum: 1 + 3 + 5 + 7, Down: '321' });
  });

  it('LoopWhile and Loop.ForEach with nesting', async () => {
    const flow = flowOf({
      inputs: { Rows: { type: 'list', required: true } },
      outputs: { N: { type: 'number' }, Names: { type: 'text' } },
      steps: [
        set('N', '%0%'),
        {
          action: 'LoopWhile',
          params: { condition: '%N < 5%' },
          do: [{ action: 'Variables.Increase', params: { name: 'N' } }],
        },
        set('Names', ''),
        {
          action: 'Loop.ForEach',
          params: { items: '%Rows%' },
          produces: { item: 'Row' },
          do: [
            {
              action: 'Loop.ForEach',
              params: { items: '%Row.Tags%' },
              produces: { item: 'Tag' },
              do: [set('Names', '%Names%%Row.Name%:%Tag%;')],
            },
          ],
        },
      ],
    });
    const r = await run(flow, {
      inputs: {
        Rows: [
          { Name: 'a', Tags: ['x', 'y'] },
          { Name: 'b', Tags: [] },
          { Name: 'c', Tags: ['z'] },
        ],
      },
    });
    expect(r.outputs).toEqual({ N: 5, Names: 'a:x;a:y;c:z;' });
  });

  it('CallSubflow passes inputs and returns outputs, renamed by produces', async () => {
    const flow = flowOf({
      outputs: { Greeting: { type: 'text' }, Twice: { type: 'number' } },
      steps: [
        {
          action: 'CallSubflow',
          params: { subflow: 'Greet', inputs: { Who: 'Ada', N: '%21%' } },
          produces: { Text: 'Greeting', Double: 'Twice' },
        },
      ],
      subflows: {
        Greet: {
          inputs: { Who: { type: 'text', required: true }, N: { type: 'number', default: 1 } },
          outputs: { Text: { type: 'text' }, Double: { type: 'number' } },
          steps: [set('Text', 'Hello %Who%'), set('Double', '%N * 2%')],
        },
      },
    });
    const r = await run(flow);
    expect(r.status).toBe('succeeded');
    expect(r.outputs).toEqual({ Greeting: 'Hello Ada', Twice: 42 });
  });

  it('a subflow does not see the caller variables and a missing required input fails the call', async () => {
    const flow = flowOf({
      steps: [set('Secret', 'x'), { action: 'CallSubflow', params: { subflow: 'S', inputs: {} } }],
      subflows: { S: { inputs: { A: { type: 'text', required: true } }, steps: [] } },
    });
    const r = await run(flow);
    expect(r.status).toBe('failed');
    expect(r.error?.message).toMatch(/Input "A" of subflow "S" is required/);
    expect(r.error?.stepPath).toBe('/steps/1');
  });

  it('StopFlow ends the run with success or with an error message', async () => {
    const ok = await run(
      flowOf({ outputs: { A: { type: 'number' } }, steps: [set('A', '%1%'), { action: 'StopFlow' }, set('A', '%2%')] }),
    );
    expect(ok.status).toBe('succeeded');
    expect(ok.outputs.A).toBe(1);
    const bad = await run(
      flowOf({
        steps: [
          {
            action: 'Loop',
            params: { from: 1, to: 3 },
            do: [{ action: 'StopFlow', params: { mode: 'error', message: 'Stopped at %LoopIndex%' } }],
          },
        ],
      }),
    );
    expect(bad.status).toBe('failed');
    expect(bad.error).toMatchObject({ code: 'run.stopped', message: 'Stopped at 1', stepPath: '/steps/0/do/0' });
  });

  it('Label and GoTo jump within a list and out of a nested block', async () => {
    const flow = flowOf({
      outputs: { N: { type: 'number' }, Log: { type: 'text' } },
      steps: [
        set('N', '%0%'),
        set('Log', ''),
        { action: 'Label', params: { name: 'again' } },
        { action: 'Variables.Increase', params: { name: 'N' } },
        { action: 'If', params: { condition: '%N < 3%' }, then: [{ action: 'GoTo', params: { label: 'again' } }] },
        { action: 'GoTo', params: { label: 'end' } },
        set('Log', 'skipped'),
        { action: 'Label', params: { name: 'end' } },
      ],
    });
    const r = await run(flow);
    expect(r.outputs).toEqual({ N: 3, Log: '' });
  });

  it('Wait sleeps and is cancelled by the signal', async () => {
    const ac = new AbortController();
    const flow = flowOf({ steps: [{ action: 'Wait', params: { seconds: 30 } }, set('After', 'x')] });
    setTimeout(() => ac.abort(), 20);
    const r = await run(flow, { signal: ac.signal });
    expect(r.status).toBe('cancelled');
    expect(r.error).toMatchObject({ code: 'run.cancelled', stepPath: '/steps/0' });
    expect(r.events.some((e) => e.type === 'step.started' && e.stepPath === '/steps/1')).toBe(false);
  });

  it('cancellation between steps stops before the next step', async () => {
    const ac = new AbortController();
    const flow = flowOf({ steps: [set('A', '1'), { action: 'Test.Abort' }, set('B', '2')] });
    const r = await run(flow, {
      signal: ac.signal,
      extra: [
        {
          id: 'Test.Abort',
          group: 'Test',
          displayName: 'Abort',
          description: 'Aborts the run.',
          params: [],
          produces: [],
          run: () => ac.abort(),
        },
      ],
    });
    expect(r.status).toBe('cancelled');
    expect(r.events.filter((e) => e.type === 'step.started').map((e) => (e as { stepPath: string }).stepPath)).toEqual([
      '/steps/0',
      '/steps/1',
    ]);
  });

  it('the loop guard stops a runaway loop and names the loop step', async () => {
    const flow = flowOf({
      steps: [
        { action: 'LoopWhile', params: { condition: '%true%' }, do: [{ action: 'Label', params: { name: 'x' } }] },
      ],
    });
    const r = await run(flow, { limits: { maxLoopIterations: 50 } });
    expect(r.status).toBe('failed');
    expect(r.error).toMatchObject({ code: 'run.loop_limit', stepPath: '/steps/0', action: 'LoopWhile' });
    expect(r.error?.message).toMatch(/50 iterations/);
  });

  it('the call-depth limit stops endless recursion', async () => {
    const flow = flowOf({
      steps: [{ action: 'CallSubflow', params: { subflow: 'R' } }],
      subflows: { R: { steps: [{ action: 'CallSubflow', params: { subflow: 'R' } }] } },
    });
    const r = await run(flow, { limits: { maxCallDepth: 5 } });
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe('run.loop_limit');
    expect(r.error?.message).toMatch(/deeper than 5/);
  });
});
