/**
 * Queued runs whose BullMQ job is gone, with real Redis: one run's job
 * stalled out (its worker died holding it, more often than the queue
 * allows) before the run started; another run's job never reached Redis.
 * A `patchbay worker` fails the first with the queue's reason and runs the
 * second; neither stays queued.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlatform, type Platform } from '@patchbay/platform';
import type { Run, User } from '@patchbay/store';
import { OWNER, countingFlow } from '../test-support.js';
import { startWorker, type RunWorker } from '../worker.js';
import { addRunJob } from './bullmq.js';
import { queueNames, redisConnection } from './redis.js';

const REDIS_URL = process.env.PATCHBAY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function reachable(): Promise<boolean> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch (e) {
    if (process.env.CI) throw e;
    return false;
  } finally {
    r.disconnect();
  }
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const available = await reachable();

describe.skipIf(!available)('queued runs whose queue job is gone', () => {
  const prefix = `pborphan${randomBytes(4).toString('hex')}`;
  const names = queueNames({ redisUrl: REDIS_URL, prefix });
  let home: string;
  let platform: Platform;
  let owner: User;
  let queue: Queue;
  let worker: RunWorker | undefined;
  const release: (() => void)[] = [];

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'patchbay-orphans-'));
    platform = await openPlatform({ home });
    owner = (await platform.users.ensureOwner(OWNER)).user;
    queue = new Queue(names.queueName, { connection: redisConnection(REDIS_URL), prefix });
  });

  afterAll(async () => {
    await worker?.close({ graceMs: 1000 });
    for (const r of release) r();
    await queue.close();
    const r = new Redis(REDIS_URL);
    const keys = await r.keys(`${prefix}:*`);
    if (keys.length) await r.del(...keys);
    r.disconnect();
    await platform.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('fails a run whose job stalled out before it started, and re-enqueues one whose job is missing', async () => {
    const flow = await platform.flows.save(owner, 'default', JSON.stringify(countingFlow('Orphans')));
    const stalled = await platform.runs.start(owner, { flowId: flow.id, inputs: { Start: 1 } });
    const missing = await platform.runs.start(owner, { flowId: flow.id, inputs: { Start: 2 } });

    // A worker takes the first run's job and dies holding it; the stalled-job check allows no stall.
    await addRunJob(queue, stalled.id);
    let taken = false;
    const doomed = new Worker(
      names.queueName,
      () => {
        taken = true;
        return new Promise<void>((r) => release.push(r));
      },
      { connection: redisConnection(REDIS_URL), prefix, lockDuration: 1000, stalledInterval: 500, maxStalledCount: 0 },
    );
    await until('the doomed worker to take the job', async () => (taken ? true : undefined));
    await doomed.close(true);
    const checker = new Worker(names.queueName, async () => undefined, {
      connection: redisConnection(REDIS_URL),
      prefix,
      stalledInterval: 500,
      maxStalledCount: 0,
      autorun: false,
    });
    const checking = checker.run();
    await until('the job to fail as stalled', async () =>
      (await queue.getJobState(stalled.id)) === 'failed' ? true : undefined,
    );
    await checker.close();
    await checking;
    expect((await platform.store.runs.get(stalled.id)).status).toBe('queued');
    expect(await queue.getJobState(missing.id)).toBe('unknown');

    worker = await startWorker({ redisUrl: REDIS_URL, prefix, platform, orphanAfterMs: 100 });
    const final = (id: string) =>
      until(`run ${id} to end`, async () => {
        const r = await platform.store.runs.get(id);
        return ['queued', 'running'].includes(r.status) ? undefined : r;
      });
    const [a, b]: Run[] = await Promise.all([final(stalled.id), final(missing.id)]);
    expect(a.status).toBe('failed');
    expect(a.attempt).toBe(0);
    expect(a.error).toMatchObject({ code: 'run.stopped' });
    expect(a.error?.message).toContain('never started');
    expect(a.error?.message).toContain('stalled');
    expect(a.error?.hint).toContain('Start the run again');
    expect(b).toMatchObject({ status: 'succeeded', attempt: 1, outputs: { Total: 113 } });
  }, 60_000);
});
