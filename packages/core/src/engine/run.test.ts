import { describe, expect, it } from 'vitest';
import type { ActionDefinition } from '../contracts.js';
import { PatchbayError } from '../errors.js';
import { parseInputValue } from '../flow/input-value.js';
import { flowOf, run } from './test-support.js';

const CANARY = 'canary-7f3a9c-secret';

describe('inputs and outputs', () => {
  const flow = flowOf({
    inputs: {
      Count: { type: 'number', required: true },
      When: { type: 'datetime', default: '2024-06-15T10:00:00Z' },
      Rows: { type: 'list', default: [] },
      Flag: { type: 'boolean' },
    },
    outputs: { Next: { type: 'number' }, Year: { type: 'number' }, N: { type: 'number' }, F: { type: 'any' } },
    steps: [
      { action: 'Variables.Set', params: { name: 'Next', value: '%Count + 1%' } },
      { action: 'Variables.Set', params: { name: 'Year', value: '%When.Year%' } },
      { action: 'Variables.Set', params: { name: 'N', value: '%Rows.Count%' } },
      { action: 'Variables.Set', params: { name: 'F', value: '%Flag%' } },
    ],
  });

  it('coerces inputs to their declared types and applies defaults', async () => {
    const r = await run(flow, { inputs: { Count: '41', Rows: '[1,2,3]', Flag: 'true' } });
    expect(r.status).toBe('succeeded');
    expect(r.outputs).toEqual({ Next: 42, Year: 2024, N: 3, F: true });
  });

  it('a missing required input or a mistyped one fails before the first step', async () => {
    const missing = await run(flow, { inputs: {} });
    expect(missing.status).toBe('failed');
    expect(missing.error).toMatchObject({ code: 'flow.invalid', pointer: '/inputs/Count' });
    expect(missing.events).toEqual([]);
    const bad = await run(flow, { inputs: { Count: 'many' } });
    expect(bad.error?.message).toMatch(/Count.*must be a number/);
    expect(bad.events).toEqual([]);
    const unknown = await run(flow, { inputs: { Count: 1, Cuont: 2 } });
    expect(unknown.error?.message).toMatch(/no input "Cuont"/);
  });

  it('parseInputValue reads command-line text as the input type', () => {
    expect(parseInputValue('[1, "a"]', 'list', 'Rows')).toEqual([1, 'a']);
    expect(parseInputValue('{"A": 1}', 'object', 'O')).toEqual({ A: 1 });
    expect(parseInputValue('2.5', 'number', 'N')).toBe(2.5);
    expect(parseInputValue('TRUE', 'boolean', 'B')).toBe(true);
    expect((parseInputValue('2024-01-02T03:04:05Z', 'datetime', 'D') as Date).toISOString()).toBe(
      '2024-01-02T03:04:05.000Z',
    );
    expect(parseInputValue('{"x": 1}', 'any', 'A')).toEqual({ x: 1 });
    expect(parseInputValue('plain', 'any', 'A')).toBe('plain');
    expect(() => parseInputValue('[1,', 'list', 'Rows')).toThrow(PatchbayError);
    expect(() => parseInputValue('ten', 'number', 'N')).toThrow(/must be a number/);
  });
});

describe('redaction', () => {
  const echo: ActionDefinition = {
    id: 'Test.Echo',
    group: 'Test',
    displayName: 'Echo',
    description: 'Returns its text; fails when asked to.',
    params: [
      { name: 'text', type: 'text', displayName: 'Text' },
      { name: 'token', type: 'text', displayName: 'Token', sensitive: true },
      { name: 'fail', type: 'boolean', displayName: 'Fail', default: false },
    ],
    produces: [{ key: 'text', defaultName: 'Echoed', type: 'text' }],
    run(_ctx, p) {
      if (p.fail) throw new PatchbayError('action.failed', `Service said: bad credentials ${String(p.text)}`);
      return { text: p.text };
    },
  };

  it('never shows a sensitive input in events, records, errors or sensitive outputs', async () => {
    const flow = flowOf({
      inputs: { Password: { type: 'text', required: true, sensitive: true }, User: { type: 'text', default: 'ada' } },
      outputs: { Copy: { type: 'text', sensitive: true }, Plain: { type: 'text' } },
      steps: [
        { action: 'Variables.Set', params: { name: 'Copy', value: 'pw=%Password%' } },
        { action: 'Test.Echo', params: { text: 'user %User% uses %Password%' } },
        { action: 'Test.Echo', params: { text: 'ok', token: 'abc-not-secret-by-name' } },
        { action: 'Variables.Set', params: { name: 'Plain', value: '%Echoed%' } },
        { action: 'Test.Echo', params: { text: '%Password%', fail: true } },
      ],
    });
    const r = await run(flow, { inputs: { Password: CANARY }, extra: [echo] });
    expect(r.status).toBe('failed');
    const everything = JSON.stringify({
      events: r.events,
      steps: r.steps,
      error: r.error,
      outputs: r.outputs,
      logs: r.logs,
    });
    expect(everything).not.toContain(CANARY);
    expect(everything).not.toContain('abc-not-secret-by-name');
    expect(r.outputs.Copy).toBe('***');
    expect(r.error?.message).toBe('Service said: bad credentials ***');
    const started = r.events.find((e) => e.type === 'step.started' && e.stepPath === '/steps/1');
    expect(started).toMatchObject({ inputs: { text: '***' } });
  });

  it('redacts names listed in resources.sensitive, including environment variables', async () => {
    const flow = flowOf({
      outputs: { Out: { type: 'text' } },
      steps: [
        { action: 'Test.Echo', params: { text: 'key:%ApiKey%' } },
        { action: 'Variables.Set', params: { name: 'Out', value: '%Echoed%' } },
      ],
    });
    const r = await run(flow, { extra: [echo], environmentVariables: { ApiKey: CANARY }, sensitive: ['ApiKey'] });
    expect(r.status).toBe('succeeded');
    expect(JSON.stringify({ events: r.events, steps: r.steps, outputs: r.outputs })).not.toContain(CANARY);
    expect(r.outputs.Out).toBe('key:***');
  });

  it('scrubs sensitive values from what actions log, on any host', async () => {
    const flow = flowOf({
      inputs: { Password: { type: 'text', required: true, sensitive: true } },
      steps: [{ action: 'Log.Message', params: { message: 'signing in with %Password%' } }],
    });
    const r = await run(flow, { inputs: { Password: CANARY } });
    expect(r.status).toBe('succeeded');
    expect(r.logs.join('\n')).toContain('signing in with ***');
    expect(r.logs.join('\n')).not.toContain(CANARY);
  });
});

describe('events and records', () => {
  it('numbers steps, times them and keeps the first records of a long run', async () => {
    const flow = flowOf({
      steps: [
        {
          action: 'Loop',
          params: { from: 1, to: 30 },
          do: [{ action: 'Variables.Set', params: { name: 'X', value: '%LoopIndex%' } }],
        },
      ],
    });
    const events: unknown[] = [];
    const r = await run(flow, { onEvent: (e) => events.push(e) });
    expect(r.stepCount).toBe(31);
    expect(r.steps.length).toBe(31);
    const first = r.steps.find((s) => s.stepPath === '/steps/0/do/0');
    expect(first).toMatchObject({
      action: 'Variables.Set',
      status: 'succeeded',
      inputs: { name: 'X', value: 1 },
      outputs: { X: 1 },
    });
    expect(typeof first?.durationMs).toBe('number');
  });
});
