/**
 * The run queue: the server enqueues queued runs; a worker (in this process,
 * or `patchbay worker` processes on Redis) executes them through
 * `platform.runs.execute` and reports what happens as `RunQueueEvent`s, which
 * the server streams to browsers (SSE). Events are plain data so they can
 * cross Redis between machines.
 */
import type { ErrorData, StepEvent } from '@patchbay/core';
import type { RunStatus } from '@patchbay/store';

export type RunQueueEvent =
  | { runId: string; kind: 'step'; event: StepEvent }
  | { runId: string; kind: 'status'; status: RunStatus }
  | { runId: string; kind: 'done'; status: RunStatus; outputs: Record<string, unknown>; error?: ErrorData };

export type RunQueueListener = (event: RunQueueEvent) => void;

export interface RunQueue {
  readonly kind: 'in-process' | 'bullmq';
  /** Hands a queued run (already recorded by `platform.runs.start`) to a worker. */
  enqueue(runId: string): Promise<void>;
  /** Every event of every run this queue sees; returns the unsubscribe function. */
  onEvent(listener: RunQueueListener): () => void;
  /** Asks whichever worker runs `runId` to stop it; false when no worker has it. */
  requestCancel(runId: string): Promise<boolean>;
  /** Stops taking work; running runs finish within `graceMs` or are marked interrupted. */
  close(opts?: { graceMs?: number }): Promise<void>;
}

/** Runs still `running` whose heartbeat is older than this belong to a dead worker and are marked interrupted. */
export const DEFAULT_STALE_AFTER_MS = 60_000;
export const DEFAULT_GRACE_MS = 30_000;
/** Runs still `queued` this long have their BullMQ job checked (worker's orphan sweep). */
export const DEFAULT_ORPHAN_AFTER_MS = 60_000;
