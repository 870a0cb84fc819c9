import { describe, expect, it } from 'vitest';
import {
  blockActions,
  createActionRegistry,
  parseFlowText,
  runFlow,
  standardActions,
  type Host,
  type StepEvent,
} from '@patchbay/core';
import { EventReducer } from './reduce.js';
import type { AggregateItem, BatchItem, LiveItem } from './protocol.js';

/** `n` iterations of Set + Increase; with `failAt`, that iteration's Increase fails and the run goes on. */
function loop(n: number, failAt?: number) {
  return parseFlowText(
    JSON.stringify({
      schema: 'patchbay/flow@1',
      name: 'Reduce',
      steps: [
        { action: 'Variables.Set', params: { name: 'T', value: '%0%' } },
        {
          action: 'Loop',
          params: { from: 1, to: n },
          produces: { index: 'i' },
          do: [
            { action: 'Variables.Set', params: { name: 'X', value: '%i * 2%' } },
            {
              action: 'Variables.Increase',
              params: { name: 'T', by: failAt ? `%1 / (i - ${failAt})%` : '%1%' },
              onError: { then: 'continue' },
            },
          ],
        },
      ],
    }),
  );
}

async function reduced(n: number, opts: { head: number; tail: number; failAt?: number; mode?: 'summary' | 'none' }) {
  const out: BatchItem[] = [];
  const reducer = new EventReducer({ mode: opts.mode ?? 'summary', head: opts.head, tail: opts.tail }, (i) =>
    out.push(i),
  );
  let ticks = 0;
  const silent = () => undefined;
  const r = await runFlow(loop(n, opts.failAt), {
    resources: {
      actions: createActionRegistry([...blockActions, ...standardActions]),
      host: {} as Host,
      clock: { now: () => new Date(), sleep: async () => undefined },
      logger: { debug: silent, info: silent, warn: silent, error: silent },
      onEvent: (e) => {
        reducer.event(e);
        if (++ticks % 100 === 0) reducer.drain();
      },
    },
  });
  reducer.end();
  const events = out.filter((i): i is StepEvent => i.type.startsWith('step.') || i.type === 'log');
  const aggregates = out.filter((i): i is AggregateItem => i.type === 'aggregate');
  const live = out.filter((i): i is LiveItem => i.type === 'live');
  const counted = new Map<string, number>();
  for (const a of aggregates)
    for (const g of a.aggregates) counted.set(g.stepPath, (counted.get(g.stepPath) ?? 0) + g.count);
  return { r, events, aggregates, live, counted, stepCount: Math.max(...aggregates.map((a) => a.stepCount)) };
}

describe('the runner-side event reducer', () => {
  it('sends the head and the tail in full and counts every other step exactly once', async () => {
    const { r, events, counted, stepCount, live } = await reduced(500, { head: 30, tail: 10 });
    expect(r.status).toBe('succeeded');
    expect(stepCount).toBe(1002);
    const started = events.filter((e) => e.type === 'step.started').map((e) => (e as { runStep: number }).runStep);
    const ended = events.filter((e) => e.type === 'step.finished').map((e) => (e as { runStep: number }).runStep);
    // The loop (step 2) is in the head; its finish is the last step to end.
    expect(started).toEqual([
      ...Array.from({ length: 30 }, (_, i) => i + 1),
      ...Array.from({ length: 10 }, (_, i) => 993 + i),
    ]);
    expect(new Set(ended)).toEqual(new Set(started));
    const inside = started.filter((s) => s > 2).length;
    expect([...counted.values()].reduce((a, b) => a + b, 0)).toBe(1000 - inside);
    expect([...counted.keys()].sort()).toEqual(['/steps/1/do/0', '/steps/1/do/1']);
    // A live view gets the running lines while the loop runs.
    expect(live.length).toBeGreaterThan(0);
  });

  it('sends a failure deep in the loop in full', async () => {
    const { events, counted } = await reduced(300, { head: 5, tail: 3, failAt: 200 });
    const failed = events.filter((e) => e.type === 'step.failed');
    expect(failed).toHaveLength(1);
    const seq = (failed[0] as { runStep: number }).runStep;
    expect(seq).toBe(2 + 2 * 200);
    // The expression failed before the step started: the failure alone stands for it, with its path.
    expect(failed[0]).toMatchObject({ stepPath: '/steps/1/do/1', action: 'Variables.Increase' });
    // 600 steps inside the loop: 3 of them in the head, 3 in the tail, the failure, and the rest counted.
    expect([...counted.values()].reduce((a, b) => a + b, 0)).toBe(600 - 3 - 3 - 1);
  });

  it('with none, sends no step but failures, and still the step count', async () => {
    const { events, stepCount, counted } = await reduced(100, { head: 1000, tail: 100, mode: 'none' });
    expect(events).toEqual([]);
    expect(counted.size).toBe(0);
    expect(stepCount).toBe(202);
  });
});
