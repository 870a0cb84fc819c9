/** Redis names shared by the BullMQ queue (server side) and its workers. */
import { Redis } from 'ioredis';

export interface RedisQueueOptions {
  redisUrl: string;
  /** BullMQ queue name; default `patchbay-runs`. */
  queueName?: string;
  /** Key prefix in Redis; default `patchbay` (tests use a unique one). */
  prefix?: string;
}

export interface QueueNames {
  queueName: string;
  prefix: string;
  /** Pub/sub channel carrying every run's events from workers to servers. */
  events: string;
  /** Pub/sub channel carrying cancel requests from servers to workers. */
  cancel: string;
}

export function queueNames(opts: RedisQueueOptions): QueueNames {
  const queueName = opts.queueName ?? 'patchbay-runs';
  const prefix = opts.prefix ?? 'patchbay';
  return { queueName, prefix, events: `${prefix}:${queueName}:run-events`, cancel: `${prefix}:${queueName}:cancel` };
}

/** A connection as BullMQ wants it (no per-command retry limit, so blocking commands wait out reconnects). */
export function redisConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}
