/**
 * Queued runs whose BullMQ job is gone. A run is `queued` in the store and a
 * job in Redis; when the job ends without the run ever starting (it stalled
 * more often than `maxStalledCount` because the workers holding it died, or
 * its processor failed every attempt) or disappears (Redis lost its data, a
 * failed enqueue), the run would wait forever. The sweep looks at runs queued
 * for a while and asks BullMQ about each one's job:
 * - failed: the run is failed with `run.stopped`, naming the queue's reason
 *   (retrying a run that keeps killing workers would only kill more);
 * - missing, or completed while the run is still queued: a new job is added.
 */
import type { Queue } from 'bullmq';
import { PatchbayError, type ErrorData } from '@patchbay/core';
import type { Platform } from '@patchbay/platform';
import type { Run } from '@patchbay/store';
import { addRunJob } from './bullmq.js';

export interface OrphanSweep {
  /** Runs given a new job. */
  requeued: string[];
  /** Runs failed because their job failed before they started. */
  failed: Run[];
}

const REASON_MAX = 300;

export function lostJobError(reason: string | undefined): ErrorData {
  const why = (reason ?? 'no reason recorded').slice(0, REASON_MAX);
  return {
    code: 'run.stopped',
    retryable: true,
    message: `The run never started: its queue job failed (${why}).`,
    hint: 'Start the run again. If it happens again, check the worker logs: a worker may be stopping while it runs this flow.',
  };
}

export async function sweepOrphanedRuns(deps: {
  platform: Platform;
  queue: Queue;
  olderThanMs: number;
}): Promise<OrphanSweep> {
  const { platform, queue } = deps;
  const out: OrphanSweep = { requeued: [], failed: [] };
  for (const run of await platform.store.runs.findQueuedBefore(deps.olderThanMs)) {
    // Runs for a machine group wait for a machine, not for a queue job.
    if (run.machineGroup) continue;
    const state = await queue.getJobState(run.id);
    if (state === 'failed') {
      const job = await queue.getJob(run.id);
      try {
        out.failed.push(
          await platform.store.runs.finish(run.id, { status: 'failed', error: lostJobError(job?.failedReason) }),
        );
      } catch (e) {
        // It started or ended meanwhile: nothing is lost.
        if (!(e instanceof PatchbayError && e.code === 'store.conflict')) throw e;
      }
    } else if (state === 'unknown' || state === 'completed') {
      // The job id is the run id: a finished job must go before a new one can take its place.
      if (state === 'completed') await queue.remove(run.id);
      await addRunJob(queue, run.id);
      out.requeued.push(run.id);
    }
  }
  return out;
}
