/** Runs a flow file with connector steps through the local platform: references resolve to this machine's connections, and the run is recorded. */
import type { Flow, RunLimits, RunResult, StepEvent } from '@patchbay/core';
import type { RecordingSettings } from '@patchbay/platform';
import type { FlowExecutor } from '@patchbay/runtime';
import type { RunStep, RunStepAggregate } from '@patchbay/store';
import { createCliLogger } from './logger.js';
import { withPlatform } from './platform.js';

export interface PlatformRunOptions {
  flow: Flow;
  text: string;
  file: string;
  inputs: Record<string, unknown>;
  env: string;
  connections: Record<string, string>;
  signal: AbortSignal;
  onEvent?: (e: StepEvent) => void;
  limits?: Partial<RunLimits>;
  recording?: Partial<RecordingSettings>;
  /** Where the run executes (a runner pool the caller started early); the platform's default otherwise. */
  executor?: FlowExecutor;
}

/** What the store kept of a run's steps: full records and one aggregate per step path for the rest. */
export interface RecordedSteps {
  steps: RunStep[];
  aggregates: RunStepAggregate[];
}

export async function runWithPlatform(opts: PlatformRunOptions): Promise<RunResult & { recorded: RecordedSteps }> {
  return withPlatform(
    async (platform, me) => {
      const { run, result } = await platform.runs.runNow(
        me,
        {
          definition: opts.flow,
          environment: opts.env,
          inputs: opts.inputs,
          connections: opts.connections,
          ...(opts.recording ? { recording: opts.recording } : {}),
        },
        {
          signal: opts.signal,
          onEvent: opts.onEvent,
          logger: createCliLogger(),
          ...(opts.limits ? { limits: opts.limits } : {}),
        },
      );
      const { steps, aggregates } = await platform.runs.get(me, run.id);
      const recorded = { steps, aggregates };
      if (result) return { ...result, recorded };
      const status: RunResult['status'] =
        run.status === 'succeeded' ? 'succeeded' : run.status === 'cancelled' ? 'cancelled' : 'failed';
      return {
        status,
        outputs: (run.outputs ?? {}) as RunResult['outputs'],
        ...(run.error ? { error: run.error } : {}),
        steps: [],
        stepCount: run.stepCount ?? 0,
        recorded,
      };
    },
    opts.executor ? { executor: opts.executor } : {},
  );
}
