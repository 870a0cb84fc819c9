import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flow, StepEvent } from '@patchbay/core';
import { RunnerPool } from '@patchbay/runtime';
import { dialects, freshPlatform, rejection } from './test-support.js';

/**
 * `n` iterations of a two-step loop. With `failAt`, the second step is an If
 * whose body fails (and continues) in that one iteration.
 */
function loopFlow(n: number, opts: { failAt?: number; recording?: Flow['recording'] } = {}): Flow {
  const second = opts.failAt
    ? {
        action: 'If',
        params: { condition: `%i = ${opts.failAt}%` },
        then: [
          {
            action: 'Variables.Increase',
            params: { name: 'Total', by: '%1 / (i - i)%' },
            onError: { then: 'continue' },
          },
        ],
      }
    : { action: 'Variables.Increase', params: { name: 'Total', by: '%1%' } };
  return {
    schema: 'patchbay/flow@1',
    name: `Loop ${n}`,
    outputs: { Total: { type: 'number' } },
    ...(opts.recording ? { recording: opts.recording } : {}),
    steps: [
      { action: 'Variables.Set', params: { name: 'Total', value: '%0%' } },
      {
        action: 'Loop',
        params: { from: 1, to: n },
        produces: { index: 'i' },
        do: [{ action: 'Variables.Set', params: { name: 'X', value: '%i * 2%' } }, second],
      },
    ],
  } as Flow;
}

// In process the recorder sees every event; through a runner, the runner sends what is recorded and aggregates the rest.
const cases = dialects.flatMap((dialect) => [
  { dialect, where: 'in process', runner: false },
  { dialect, where: 'through a runner', runner: true },
]);

describe.each(cases)('run recording on $dialect.name, $where', ({ dialect, runner }) => {
  let env: Awaited<ReturnType<typeof freshPlatform>>;
  const pool = runner ? new RunnerPool() : undefined;
  beforeAll(async () => {
    if (dialect.available) env = await freshPlatform(dialect, pool ? { executor: pool } : {});
  });
  afterAll(async () => {
    await env?.close();
    await pool?.close();
  });

  async function owner() {
    return (await env.platform.users.ensureOwner({ email: 'rec@example.com', password: 'correct horse battery' })).user;
  }

  it.skipIf(!dialect.available)(
    'keeps the first and last steps in full and one exact aggregate per step path for the rest',
    async () => {
      const me = await owner();
      const p = env.platform;
      const { run } = await p.runs.runNow(me, {
        environment: 'default',
        definition: loopFlow(3000, { recording: { head: 50, tail: 20 } }),
      });
      expect(run.status).toBe('succeeded');
      const { run: stored, steps, aggregates } = await p.runs.get(me, run.id);
      // 1 Set + 1 Loop + 3,000 × 2 steps inside.
      expect(stored.stepCount).toBe(6002);
      expect(stored.recording).toEqual({ mode: 'summary', head: 50, tail: 20, recorded: 70, cut: true });
      expect(steps).toHaveLength(70);
      expect(steps.slice(0, 50).map((s) => s.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(steps.slice(50).map((s) => s.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 6002 - 19 + i));
      expect(steps.every((s) => s.status === 'succeeded')).toBe(true);
      // The loop itself (step 2) started in the head and finished last: recorded as finished.
      expect(steps[1]).toMatchObject({ stepPath: '/steps/1', action: 'Loop', status: 'succeeded' });
      const byPath = Object.fromEntries(aggregates.map((a) => [a.stepPath, a]));
      expect(Object.keys(byPath).sort()).toEqual(['/steps/1/do/0', '/steps/1/do/1']);
      const inside = steps.filter((s) => s.stepPath.startsWith('/steps/1/do/')).length;
      expect(byPath['/steps/1/do/0'].count + byPath['/steps/1/do/1'].count).toBe(6000 - inside);
      expect(byPath['/steps/1/do/1']).toMatchObject({ action: 'Variables.Increase', lastStatus: 'succeeded' });
      const a = byPath['/steps/1/do/0'];
      expect(a.minMs).toBeLessThanOrEqual(a.totalMs / a.count);
      expect(a.maxMs).toBeGreaterThanOrEqual(a.totalMs / a.count);
    },
  );

  it.skipIf(!dialect.available)(
    'records a failure deep in a long loop in full, with its path, iteration and error',
    async () => {
      const me = await owner();
      const p = env.platform;
      const { run } = await p.runs.runNow(me, {
        environment: 'default',
        definition: loopFlow(2000, { failAt: 1234, recording: { head: 10, tail: 5 } }),
      });
      expect(run.status).toBe('succeeded');
      const { steps, aggregates } = await p.runs.get(me, run.id);
      const failed = steps.filter((s) => s.status === 'failed');
      expect(failed).toHaveLength(1);
      // Step numbers: 1 Set, 2 Loop, then two per iteration (Set, If): iteration k's If is 2 + 2k, its body the next.
      expect(failed[0]).toMatchObject({
        seq: 2 + 2 * 1234 + 1,
        stepPath: '/steps/1/do/1/then/0',
        action: 'Variables.Increase',
      });
      expect(failed[0].error?.message).toBeTruthy();
      expect(steps).toHaveLength(10 + 5 + 1);
      const total = aggregates.reduce((n, a) => n + a.count, 0);
      expect(total).toBe(4003 - 16);
      expect(aggregates.map((a) => a.stepPath).sort()).toEqual(['/steps/1/do/0', '/steps/1/do/1']);
    },
  );

  it.skipIf(!dialect.available)('records every step with mode all, and none with mode none', async () => {
    const me = await owner();
    const p = env.platform;
    const all = await p.runs.runNow(me, {
      environment: 'default',
      definition: loopFlow(700),
      recording: { mode: 'all' },
    });
    const a = await p.runs.get(me, all.run.id);
    expect(a.steps).toHaveLength(1402);
    expect(a.aggregates).toEqual([]);
    expect(a.run.recording).toMatchObject({ mode: 'all', recorded: 1402, cut: false });

    const none = await p.runs.runNow(me, {
      environment: 'default',
      definition: loopFlow(700),
      recording: { mode: 'none' },
    });
    const n = await p.runs.get(me, none.run.id);
    expect(n.steps).toEqual([]);
    expect(n.aggregates).toEqual([]);
    expect(n.run).toMatchObject({ status: 'succeeded', stepCount: 1402, outputs: { Total: 700 } });
    expect(n.run.recording).toMatchObject({ mode: 'none', recorded: 0, cut: true });
  });

  it.skipIf(!dialect.available)('refuses recording settings that make no sense, naming the setting', async () => {
    const me = await owner();
    const e = await rejection(
      env.platform.runs.runNow(me, { environment: 'default', definition: loopFlow(2), recording: { head: -1 } }),
    );
    expect(e.message).toContain('head');
    expect(e.hint).toContain('--record');
    const m = await rejection(
      env.platform.runs.runNow(me, {
        environment: 'default',
        definition: loopFlow(2),
        recording: { mode: 'everything' as 'all' },
      }),
    );
    expect(m.message).toContain('"everything"');
  });

  it.skipIf(!dialect.available)(
    'streams coalesced live events: every failure and the final state, far fewer than the steps',
    async () => {
      const me = await owner();
      const events: StepEvent[] = [];
      const { run } = await env.platform.runs.runNow(
        me,
        { environment: 'default', definition: loopFlow(20000, { failAt: 777 }) },
        { onEvent: (e) => events.push(e) },
      );
      expect(run.status).toBe('succeeded');
      expect(events.length).toBeLessThan(40002 / 10);
      const failures = events.filter((e) => e.type === 'step.failed');
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ runStep: 2 + 2 * 777 + 1, stepPath: '/steps/1/do/1/then/0' });
      // The last state of each line is delivered: the loop's finish and its last iteration.
      const finished = events.filter((e) => e.type === 'step.finished');
      expect(finished.some((e) => e.stepPath === '/steps/1' && e.action === 'Loop')).toBe(true);
      expect(finished.some((e) => e.type === 'step.finished' && e.runStep === 40003)).toBe(true);
    },
  );
});
