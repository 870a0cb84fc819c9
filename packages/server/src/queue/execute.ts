/**
 * One run on one worker, the same for the in-process queue and BullMQ
 * workers. The store's atomic `queued → running` transition (inside
 * `platform.runs.execute`) decides which worker runs it, so a run delivered
 * twice still executes once. A run found `running` under another worker was
 * given back because that worker died (BullMQ stalled-job recovery): it is
 * marked `interrupted`, never run a second time.
 */
import { PatchbayError, toErrorData, type Logger } from '@patchbay/core';
import type { Platform } from '@patchbay/platform';
import type { Run } from '@patchbay/store';
import type { RunQueueEvent } from './types.js';

export interface ExecuteDeps {
  platform: Platform;
  workerId: string;
  emit(event: RunQueueEvent): void;
  logger?: Logger;
}

export type ExecuteOutcome = 'finished' | 'skipped' | 'interrupted';

export function doneEvent(run: Run): RunQueueEvent {
  return {
    runId: run.id,
    kind: 'done',
    status: run.status,
    outputs: run.outputs ?? {},
    ...(run.error ? { error: run.error } : {}),
  };
}

async function currentRun(platform: Platform, runId: string): Promise<Run | undefined> {
  try {
    return await platform.store.runs.get(runId);
  } catch (e) {
    if (e instanceof PatchbayError && e.code === 'store.not_found') return undefined;
    throw e;
  }
}

export async function executeRun(deps: ExecuteDeps, runId: string, signal?: AbortSignal): Promise<ExecuteOutcome> {
  const { platform, workerId, emit } = deps;
  const run = await currentRun(platform, runId);
  if (!run) return 'skipped';
  // A run for a machine group waits for a machine of that group (`machines/hub.ts` hands it over).
  if (run.machineGroup) return 'skipped';
  if (run.status === 'running') {
    if (run.workerId === workerId || !run.workerId) return 'skipped';
    // Its worker stopped holding it (killed, or lost its lock): close it rather than run it twice.
    await platform.store.runs.markInterrupted(run.workerId);
    deps.logger?.warn('A run was given back by a worker that stopped; it is marked interrupted.', {
      runId,
      workerId: run.workerId,
    });
    const now = await platform.store.runs.get(runId);
    emit(doneEvent(now));
    return 'interrupted';
  }
  if (run.status !== 'queued') return 'skipped';
  emit({ runId, kind: 'status', status: 'running' });
  try {
    const { run: finished } = await platform.runs.execute(runId, {
      workerId,
      queued: run,
      onEvent: (event) => emit({ runId, kind: 'step', event }),
      ...(signal ? { signal } : {}),
    });
    emit(doneEvent(finished));
    return 'finished';
  } catch (e) {
    if (e instanceof PatchbayError && (e.code === 'store.conflict' || e.code === 'store.not_found')) {
      // Another worker took it first, or it was cancelled or deleted meanwhile.
      return 'skipped';
    }
    deps.logger?.error('A run could not be executed.', { runId, error: toErrorData(e).message });
    throw e;
  }
}

/** Marks runs whose worker stopped heartbeating as interrupted; returns the runs it closed. */
export async function sweepStaleRuns(platform: Platform, staleAfterMs: number): Promise<Run[]> {
  const stale = await platform.store.runs.findStale(staleAfterMs);
  const workers = new Set(stale.map((r) => r.workerId).filter((w): w is string => Boolean(w)));
  for (const w of workers) await platform.store.runs.markInterrupted(w);
  const closed: Run[] = [];
  for (const r of stale) {
    const now = await currentRun(platform, r.id);
    if (now && now.status === 'interrupted') closed.push(now);
  }
  return closed;
}
