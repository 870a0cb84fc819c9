import { afterAll, describe, expect, it } from 'vitest';
import {
  blockActions,
  createActionRegistry,
  parseFlowText,
  standardActions,
  type Flow,
  type Logger,
  type RunResources,
  type StepEvent,
} from '@patchbay/core';
import { createNodeHost } from '../host.js';
import { nodeClock } from '../clock.js';
import { RunnerPool, runDataOf, runnerEnvironment } from './pool.js';
import type { ToRunner } from './protocol.js';
import { startRunnerEarly, takeEarlyRunner } from './spawn.js';

const flow = (steps: unknown[], extra: Record<string, unknown> = {}): Flow =>
  parseFlowText(JSON.stringify({ schema: 'patchbay/flow@1', name: 'Runner test', ...extra, steps }));

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function resources(extra: Partial<RunResources> = {}): RunResources {
  return {
    actions: createActionRegistry([...standardActions, ...blockActions]),
    host: createNodeHost(),
    logger: quiet,
    clock: nodeClock,
    ...extra,
  };
}

const counting = flow(
  [
    { action: 'Variables.Set', params: { name: 'Total', value: '%Start%' } },
    {
      action: 'Loop',
      params: { from: 1, to: 10, step: 1 },
      produces: { index: 'I' },
      do: [{ action: 'Variables.Increase', params: { name: 'Total', by: '%I%' } }],
    },
    { action: 'Log.Message', params: { message: 'total %Total%' } },
  ],
  { inputs: { Start: { type: 'number' } }, outputs: { Total: { type: 'number' } } },
);

/** A flow that runs until it is stopped. */
const endless = flow([
  { action: 'Variables.Set', params: { name: 'N', value: '%0%' } },
  {
    action: 'LoopWhile',
    params: { condition: '%N >= 0%' },
    do: [
      { action: 'Variables.Increase', params: { name: 'N', by: '%1%' } },
      { action: 'Wait', params: { seconds: 0.01 } },
    ],
  },
]);

describe('runner pool', () => {
  const sent: ToRunner[] = [];
  const pool = new RunnerPool({ onSend: (m) => sent.push(m) });
  afterAll(() => pool.close());

  it('runs a flow in a runner: outputs, step events and log lines come back, binary values cross', async () => {
    const events: StepEvent[] = [];
    const lines: string[] = [];
    const logger: Logger = { ...quiet, info: (m) => void lines.push(m) };
    const r = await pool.run(counting, {
      inputs: { Start: 5 },
      resources: resources({ logger, onEvent: (e) => events.push(e) }),
    });
    expect(r.status).toBe('succeeded');
    expect(r.outputs).toEqual({ Total: 60 });
    expect(lines).toContain('total 60');
    expect(events.filter((e) => e.type === 'step.finished').length).toBe(r.stepCount);

    const bin = flow([{ action: 'Variables.Set', params: { name: 'Out', value: '%In%' } }], {
      inputs: { In: { type: 'binary' } },
      outputs: { Out: { type: 'binary' } },
    });
    const b = await pool.run(bin, { inputs: { In: new Uint8Array([1, 2, 255]) }, resources: resources() });
    expect(b.status).toBe('succeeded');
    expect(Array.from(b.outputs.Out as Uint8Array)).toEqual([1, 2, 255]);
  });

  it('starts runners with a scrubbed environment, a folder of their own and, as root, the runner user', async () => {
    process.env.PATCHBAY_MASTER_KEY_CANARY = 'canary-master-key-in-parent';
    const r = await pool.run(
      flow(
        [
          {
            action: 'System.RunCommand',
            params: { command: 'env; echo "cwd=$(pwd)"; id -un' },
            produces: { stdout: 'Out' },
          },
        ],
        { outputs: { Out: { type: 'text' } } },
      ),
      { resources: resources() },
    );
    delete process.env.PATCHBAY_MASTER_KEY_CANARY;
    expect(r.status).toBe('succeeded');
    const out = String(r.outputs.Out);
    expect(out).not.toContain('PATCHBAY');
    expect(out).not.toContain('canary-master-key-in-parent');
    const cwd = /cwd=(.*)/.exec(out)?.[1] ?? '';
    expect(cwd).toMatch(/patchbay-runner-/);
    expect(out).toContain(`HOME=${cwd}`);
    if (pool.dropsPrivileges()) expect(out.trim().split('\n').pop()).toBe('patchbay-runner');
    expect(
      Object.keys(runnerEnvironment('/x', { PATH: '/bin', PATCHBAY_HOME: '/h', LC_ALL: 'C', DATABASE_URL: 'u' })),
    ).toEqual(['HOME', 'PATH', 'LC_ALL']);
  });

  it('forwards every plain-data field of the run resources, and none of the live ones', () => {
    const data = runDataOf({
      ...resources({ onEvent: () => undefined, signal: new AbortController().signal }),
      limits: { maxLoopIterations: 7 },
      environmentVariables: { Region: 'eu' },
      sensitive: new Set(['Token']),
      policy: { endpoints: [{ deny: '*' }] },
    } as RunResources);
    expect(data).toEqual({
      limits: { maxLoopIterations: 7 },
      environmentVariables: { Region: 'eu' },
      sensitive: ['Token'],
      policy: { endpoints: [{ deny: '*' }] },
    });
  });

  it('applies the run limits that cross as data', async () => {
    const r = await pool.run(counting, {
      inputs: { Start: 1 },
      resources: resources({ limits: { maxLoopIterations: 3 } }),
    });
    expect(r.status).toBe('failed');
    expect(r.error?.code).toBe('run.loop_limit');
  });

  it('a runner killed mid-run fails its run with the reason; the pool replaces it and 100 runs follow', async () => {
    let killed = false;
    const run = pool.run(endless, {
      resources: resources({
        onEvent: (e) => {
          if (killed || e.type !== 'step.finished') return;
          killed = true;
          for (const pid of pool.busyPids()) process.kill(pid, 'SIGKILL');
        },
      }),
    });
    await expect(run).rejects.toThrow('the runner stopped: signal SIGKILL');
    await expect(run).rejects.toMatchObject({ code: 'run.stopped' });
    for (let i = 0; i < 100; i++) {
      const r = await pool.run(counting, { inputs: { Start: i }, resources: resources() });
      expect(r.outputs).toEqual({ Total: i + 55 });
    }
    expect(pool.size).toBeLessThanOrEqual(2);
  });

  it('cancelling stops the runner’s work', async () => {
    const controller = new AbortController();
    const r = await pool.run(endless, {
      resources: resources({
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'step.finished') controller.abort();
        },
      }),
    });
    expect(r.status).toBe('cancelled');
    expect(sent.some((m) => m.type === 'cancel')).toBe(true);
  });

  it('a run over its wall time fails with a clear error', async () => {
    const short = new RunnerPool({ timeoutMs: 500 });
    try {
      const e = await short.run(endless, { resources: resources() }).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'run.timeout' });
      expect(String((e as Error).message)).toContain('longer than its time limit');
      expect((await short.run(counting, { inputs: { Start: 0 }, resources: resources() })).status).toBe('succeeded');
    } finally {
      await short.close();
    }
  });

  it('a runner over its memory limit fails its run and names the limit', async () => {
    const small = new RunnerPool({ memoryMb: 32 });
    try {
      // Doubling a text is cheap (V8 joins ropes); splitting the 50 million characters is not.
      const hog = flow([
        { action: 'Variables.Set', params: { name: 'T', value: 'ab,' } },
        {
          action: 'Loop',
          params: { from: 1, to: 24, step: 1 },
          do: [{ action: 'Variables.Set', params: { name: 'T', value: '%T + T%' } }],
        },
        { action: 'Text.Split', params: { text: '%T%', separatorType: 'custom', customDelimiter: ',' } },
      ]);
      const e = await small.run(hog, { resources: resources() }).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'run.stopped' });
      expect(String((e as Error).message)).toContain('ran out of memory (the limit is 32 MB');
    } finally {
      await small.close();
    }
  });

  it('a runner started early is taken by the first pool with the same settings, and runs its flow', async () => {
    startRunnerEarly({ PATH: process.env.PATH, PATCHBAY_RUNNER_MEMORY_MB: '256' });
    const other = new RunnerPool({ memoryMb: 512 });
    const same = new RunnerPool({ memoryMb: 256 });
    try {
      other.warm();
      expect(other.size).toBe(1);
      same.warm();
      expect(same.size).toBe(1);
      // Taken once: nothing is left to take.
      expect(takeEarlyRunner({ entry: '', memoryMb: 256, identity: null })).toBeUndefined();
      const r = await same.run(counting, { inputs: { Start: 5 }, resources: resources() });
      expect(r).toMatchObject({ status: 'succeeded', outputs: { Total: 60 } });
    } finally {
      await other.close();
      await same.close();
    }
  });
});
