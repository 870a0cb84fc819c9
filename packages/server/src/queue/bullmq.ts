/**
 * The scale-out queue (PATCHBAY_REDIS_URL): runs become BullMQ jobs (job id =
 * run id, so a run is enqueued once) that `patchbay worker` processes take.
 * Workers publish run events on a Redis channel every server subscribes to,
 * so a browser connected to any server sees a run executing on any machine.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '@patchbay/core';
import { Listeners } from './listeners.js';
import { type QueueNames, type RedisQueueOptions, queueNames, redisConnection } from './redis.js';
import type { RunQueue, RunQueueEvent, RunQueueListener } from './types.js';

export interface BullRunQueueOptions extends RedisQueueOptions {
  logger?: Logger;
}

export const JOB_NAME = 'run';

/** Adds the job for a queued run (job id = run id, so a run has one job at a time). */
export async function addRunJob(queue: Queue, runId: string): Promise<void> {
  await queue.add(
    JOB_NAME,
    { runId },
    {
      jobId: runId,
      attempts: 3,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 5000 },
    },
  );
}

export class BullRunQueue implements RunQueue {
  readonly kind = 'bullmq' as const;
  private readonly names: QueueNames;
  private readonly connection: Redis;
  private readonly subscriber: Redis;
  private readonly queue: Queue;
  private readonly listeners = new Listeners();
  private closed = false;

  private constructor(private readonly opts: BullRunQueueOptions) {
    this.names = queueNames(opts);
    this.connection = redisConnection(opts.redisUrl);
    this.subscriber = redisConnection(opts.redisUrl);
    this.queue = new Queue(this.names.queueName, { connection: this.connection, prefix: this.names.prefix });
    this.queue.on('error', (e) => opts.logger?.warn('The run queue lost Redis for a moment.', { error: e.message }));
    this.subscriber.on('message', (channel, message) => {
      if (channel !== this.names.events) return;
      let event: RunQueueEvent;
      try {
        event = JSON.parse(message) as RunQueueEvent;
      } catch {
        return;
      }
      if (event && typeof event.runId === 'string') this.listeners.emit(event);
    });
  }

  static async open(opts: BullRunQueueOptions): Promise<BullRunQueue> {
    const q = new BullRunQueue(opts);
    try {
      await q.subscriber.subscribe(q.names.events);
      await q.queue.waitUntilReady();
    } catch (e) {
      await q.close();
      throw e;
    }
    return q;
  }

  async enqueue(runId: string): Promise<void> {
    await addRunJob(this.queue, runId);
  }

  onEvent(listener: RunQueueListener): () => void {
    return this.listeners.add(listener);
  }

  async requestCancel(runId: string): Promise<boolean> {
    return (await this.connection.publish(this.names.cancel, runId)) > 0;
  }

  /** Jobs waiting, running, and failed (for the benchmark and operators). */
  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.close().catch(() => undefined);
    this.subscriber.disconnect();
    this.connection.disconnect();
  }
}
