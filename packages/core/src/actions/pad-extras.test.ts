/** Text, list and flow-control actions PAD users expect: Crop text, Reverse text, Shuffle, Subtract, Common items, Get last error. */
import { describe, expect, it } from 'vitest';
import { actionError, runAction, testContext } from './variables.test-support.js';
import { flowOf, run } from '../engine/test-support.js';

describe('Crop text', () => {
  const crop = (params: Record<string, string | boolean>) =>
    runAction('Text.CropText', { text: 'Order #123 (paid)', ...params });
  it('takes text before, after or between flags, with Ignore case', async () => {
    expect(await crop({ mode: 'between', startFlag: '#', endFlag: ' ' })).toEqual({ text: '123', found: true });
    expect(await crop({ mode: 'after', startFlag: '(' })).toEqual({ text: 'paid)', found: true });
    expect(await crop({ mode: 'before', endFlag: ' #' })).toEqual({ text: 'Order', found: true });
    expect(await crop({ mode: 'between', startFlag: 'ORDER', endFlag: '#' })).toEqual({ text: '', found: false });
    expect(await crop({ mode: 'between', startFlag: 'ORDER', endFlag: '#', ignoreCase: true })).toEqual({
      text: ' ',
      found: true,
    });
    expect((await actionError('Text.CropText', { text: 'x', mode: 'after' })).message).toBe(
      "Parameter 'startFlag': the start flag is empty.",
    );
  });
  it('reverses text by whole characters', async () => {
    expect(await runAction('Text.Reverse', { text: 'abc😀é' })).toEqual({ text: 'é😀cba' });
  });
});

describe('list sets', () => {
  it('subtracts lists and finds common items, with Ignore case', async () => {
    const first = ['a', 'B', 'c', 'a', 1];
    expect(await runAction('Variables.SubtractLists', { first, second: ['b', 'a'] })).toEqual({ list: ['B', 'c', 1] });
    expect(await runAction('Variables.SubtractLists', { first, second: ['b'], ignoreCase: true })).toEqual({
      list: ['a', 'c', 'a', 1],
    });
    expect(await runAction('Variables.FindCommonListItems', { first, second: ['a', 1, 'b'] })).toEqual({
      list: ['a', 1],
    });
    expect(await runAction('Variables.FindCommonListItems', { first, second: ['A', 'b'], ignoreCase: true })).toEqual({
      list: ['a', 'B'],
    });
  });
  it('shuffles a list in place, keeping its items', async () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const ctx = testContext({ vars: { L: items } });
    await runAction('Variables.ShuffleList', { list: 'L' }, ctx);
    const out = ctx.vars.get('L') as number[];
    expect([...out].sort((a, b) => a - b)).toEqual(items);
    expect(out).not.toEqual(items);
  });
});

describe('Get last error and Stop flow with an error', () => {
  it('gives the error a policy continued past, then stops the flow with a message', async () => {
    const flow = flowOf({
      outputs: { Msg: { type: 'text' } },
      steps: [
        { action: 'Variables.Set', params: { name: 'X', value: '%1 / 0%' }, onError: { then: 'continue' } },
        { action: 'GetLastError', produces: { error: 'Err' } },
        { action: 'Variables.Set', params: { name: 'Msg', value: '%Err.Message%' } },
        { action: 'StopFlow', params: { mode: 'error', message: 'Stopped: %Msg%' } },
      ],
    });
    const r = await run(flow);
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe('run.stopped');
    expect(r.error?.message).toMatch(/^Stopped: Division by zero/);
  });
});
