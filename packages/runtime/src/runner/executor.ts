/**
 * Where a run's interpreter executes: a pool of runner processes (the
 * default for the server, `patchbay worker` and `patchbay run` with the
 * store), or this process (`PATCHBAY_RUN_LOCAL=1`). The platform is handed
 * one `FlowExecutor` and does not know which.
 */
import { runFlow, type Flow, type RunOptions, type RunResult, type StepEvent } from '@patchbay/core';
import type { AggregateItem, EventReduction } from './protocol.js';

export interface ExecuteFlowOptions extends RunOptions {
  /** Connection references the run resolved: a runner may call only these (any the resolver accepts when not given). */
  references?: readonly string[];
  /**
   * Applied to every connector-gateway answer (values and errors) before it goes back to a runner, which is
   * serialized at once: it may return the value itself when there is nothing to remove.
   */
  scrub?: <T>(value: T) => T;
  /**
   * How the run's steps are recorded. A runner then sends to `resources.onEvent` only the events that are
   * recorded in full, and the rest as `onAggregate` deltas and `onLive` states. Run in process, every event
   * goes to `onEvent` and these are not called.
   */
  reduce?: EventReduction;
  /** Steps that crossed only as counts (with `reduce`). */
  onAggregate?: (item: AggregateItem) => void;
  /** The latest state of steps that did not cross in full, for a live view (with `reduce`). */
  onLive?: (event: StepEvent) => void;
}

export interface FlowExecutor {
  readonly kind: 'runner' | 'in-process' | 'machine';
  /**
   * Whether runs execute as another, unprivileged OS user than this
   * process's (the server runs as root and PATCHBAY_RUNNER_USER exists).
   * When not, a run can read what this process can read.
   */
  dropsPrivileges(): boolean;
  run(flow: Flow, opts: ExecuteFlowOptions): Promise<RunResult>;
  /** Starts a runner ahead of a run that is about to come (no-op in process). */
  warm(): void;
  close(): Promise<void>;
}

/** Runs in this process: a user's own `patchbay run` without isolation. */
export function inProcessExecutor(): FlowExecutor {
  return {
    kind: 'in-process',
    dropsPrivileges: () => false,
    run: (flow, opts) =>
      runFlow(flow, { inputs: opts.inputs, resources: opts.resources, maxStepRecords: opts.maxStepRecords }),
    warm: () => undefined,
    close: async () => undefined,
  };
}
