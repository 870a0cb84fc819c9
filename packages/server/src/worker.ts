/**
 * `patchbay worker`: takes runs from the BullMQ queue on Redis and executes
 * them, `concurrency` at a time, against the shared store (PostgreSQL when
 * several machines share the work). Run events go out on a Redis channel the
 * servers subscribe to; cancel requests come in on another.
 *
 * Stopping: `close()` (SIGTERM) stops taking jobs and lets running runs finish
 * within the grace period; runs still going after it are marked
 * `interrupted`. A worker killed outright (SIGKILL) loses its job locks;
 * BullMQ's stalled-job check hands the jobs to another worker, which marks
 * runs that had started `interrupted` and runs the ones that had not. A sweep
 * closes `running` runs whose heartbeat went stale (every worker dead), and
 * fails or re-enqueues `queued` runs whose job is gone (`queue/orphans.ts`).
 */
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { toErrorData, type Logger } from '@patchbay/core';
import { openPlatform, type Platform } from '@patchbay/platform';
import { executeRun, sweepStaleRuns, doneEvent } from './queue/execute.js';
import { sweepOrphanedRuns } from './queue/orphans.js';
import { newWorkerId } from './queue/in-process.js';
import { type RedisQueueOptions, queueNames, redisConnection } from './queue/redis.js';
import {
  DEFAULT_GRACE_MS,
  DEFAULT_ORPHAN_AFTER_MS,
  DEFAULT_STALE_AFTER_MS,
  type RunQueueEvent,
} from './queue/types.js';
import { JOB_NAME } from './queue/bullmq.js';

export interface WorkerOptions extends Partial<RedisQueueOptions> {
  /** Runs executing at once; default 4. */
  concurrency?: number;
  /** Default PATCHBAY_REDIS_URL. */
  redisUrl?: string;
  databaseUrl?: string;
  home?: string;
  masterKey?: string;
  /** PostgreSQL schema for every table (tests). */
  schema?: string;
  /** An already open platform (the server's own, or tests); closed by `close()` only when opened here. */
  platform?: Platform;
  logger?: Logger;
  /** How long a job lock lasts without renewal; a killed worker's runs move on after about this long. Default 30 s. */
  lockDurationMs?: number;
  /** Runs still `running` with a heartbeat older than this are marked interrupted. Default 60 s. */
  staleAfterMs?: number;
  /**
   * Runs still `queued` this long are checked against their BullMQ job: a
   * failed job fails the run with the reason, a missing one is added again.
   * Default 60 s.
   */
  orphanAfterMs?: number;
  /** Default grace period for `close()`; default 30 s. */
  graceMs?: number;
}

export interface RunWorker {
  readonly workerId: string;
  /** Stops taking runs; running ones finish within the grace period or are marked interrupted. */
  close(opts?: { graceMs?: number }): Promise<void>;
}

export async function startWorker(opts: WorkerOptions = {}): Promise<RunWorker> {
  const redisUrl = opts.redisUrl ?? process.env.PATCHBAY_REDIS_URL;
  if (!redisUrl)
    throw new Error('A worker needs Redis: set PATCHBAY_REDIS_URL (redis://host:6379) or pass --redis-url.');
  const names = queueNames({
    redisUrl,
    ...(opts.queueName ? { queueName: opts.queueName } : {}),
    ...(opts.prefix ? { prefix: opts.prefix } : {}),
  });
  const ownPlatform = !opts.platform;
  const platform =
    opts.platform ??
    (await openPlatform({
      ...(opts.home !== undefined ? { home: opts.home } : {}),
      ...(opts.databaseUrl !== undefined ? { databaseUrl: opts.databaseUrl } : {}),
      ...(opts.masterKey !== undefined ? { masterKey: opts.masterKey } : {}),
      ...(opts.schema !== undefined ? { schema: opts.schema } : {}),
      ...(opts.logger ? { logger: opts.logger } : {}),
    }));
  const workerId = newWorkerId('worker');
  const logger = opts.logger;
  const staleAfterMs = opts.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const orphanAfterMs = opts.orphanAfterMs ?? DEFAULT_ORPHAN_AFTER_MS;
  const publisher: Redis = redisConnection(redisUrl);
  const subscriber: Redis = redisConnection(redisUrl);
  const controllers = new Map<string, AbortController>();
  const emit = (event: RunQueueEvent) => {
    void publisher.publish(names.events, JSON.stringify(event)).catch(() => undefined);
  };

  await subscriber.subscribe(names.cancel);
  subscriber.on('message', (channel, runId) => {
    if (channel === names.cancel) controllers.get(runId)?.abort();
  });

  const lockDuration = opts.lockDurationMs ?? 30_000;
  const workerConnection: Redis = redisConnection(redisUrl);
  const worker = new Worker<{ runId: string }>(
    names.queueName,
    async (job: Job<{ runId: string }>) => {
      if (job.name !== JOB_NAME || typeof job.data?.runId !== 'string') return 'skipped';
      const runId = job.data.runId;
      const controller = new AbortController();
      controllers.set(runId, controller);
      try {
        return await executeRun({ platform, workerId, emit, ...(logger ? { logger } : {}) }, runId, controller.signal);
      } finally {
        controllers.delete(runId);
      }
    },
    {
      connection: workerConnection,
      prefix: names.prefix,
      concurrency: Math.max(1, Math.floor(opts.concurrency ?? 4)),
      lockDuration,
      stalledInterval: Math.max(1000, Math.floor(lockDuration / 2)),
      maxStalledCount: 10,
      autorun: true,
    },
  );
  worker.on('error', (e) => logger?.warn('The worker lost Redis for a moment.', { error: e.message }));
  await worker.waitUntilReady();

  const jobs = new Queue(names.queueName, { connection: publisher, prefix: names.prefix });
  jobs.on('error', () => undefined);
  let sweeping = false;
  const sweep = async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      for (const run of await sweepStaleRuns(platform, staleAfterMs)) emit(doneEvent(run));
      const orphans = await sweepOrphanedRuns({ platform, queue: jobs, olderThanMs: orphanAfterMs });
      for (const run of orphans.failed) emit(doneEvent(run));
      if (orphans.requeued.length || orphans.failed.length)
        logger?.warn('Queued runs had lost their queue job.', {
          requeued: orphans.requeued.length,
          failed: orphans.failed.length,
        });
    } catch (e) {
      logger?.warn('Could not check for runs whose worker stopped.', { error: toErrorData(e).message });
    } finally {
      sweeping = false;
    }
  };
  const sweeper = setInterval(
    () => void sweep(),
    Math.max(1000, Math.floor(Math.min(staleAfterMs, orphanAfterMs) / 2)),
  );
  sweeper.unref();
  logger?.info('Worker started.', { workerId, queue: names.queueName, concurrency: opts.concurrency ?? 4 });

  let closing: Promise<void> | undefined;
  async function close(closeOpts: { graceMs?: number } = {}): Promise<void> {
    closing ??= (async () => {
      clearInterval(sweeper);
      const grace = closeOpts.graceMs ?? opts.graceMs ?? DEFAULT_GRACE_MS;
      const graceful = worker.close();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        graceful.then(() => false),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(true), grace))),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        // Record the endings first, so the stopped runs cannot record another one.
        const ids = [...controllers.keys()];
        await platform.store.runs.markInterrupted(workerId).catch(() => 0);
        for (const c of controllers.values()) c.abort();
        await worker.close(true).catch(() => undefined);
        for (const id of ids) {
          const run = await platform.store.runs.get(id).catch(() => undefined);
          if (run) emit(doneEvent(run));
        }
      }
      while (sweeping) await new Promise((r) => setTimeout(r, 20));
      await jobs.close().catch(() => undefined);
      await subscriber.quit().catch(() => undefined);
      await publisher.quit().catch(() => undefined);
      workerConnection.disconnect();
      if (ownPlatform) await platform.close();
      logger?.info('Worker stopped.', { workerId });
    })();
    return closing;
  }

  return { workerId, close };
}

/** Closes `target` on SIGTERM or SIGINT (once), then lets the process exit. */
export function closeOnSignals(target: { close(): Promise<void> }, onError?: (e: unknown) => void): () => void {
  let done = false;
  const handler = () => {
    if (done) return;
    done = true;
    target
      .close()
      .catch((e: unknown) => onError?.(e))
      .finally(() => {
        process.off('SIGTERM', handler);
        process.off('SIGINT', handler);
      });
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}
