/**
 * The default queue: runs execute in the server's own process, at most
 * `concurrency` at a time. Queued runs live in the store, so a restart picks
 * them up again; runs left `running` by a process that died are marked
 * `interrupted` once their heartbeat is stale.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { toErrorData, type Logger } from '@patchbay/core';
import type { Platform } from '@patchbay/platform';
import { doneEvent, executeRun, sweepStaleRuns } from './execute.js';
import { Listeners } from './listeners.js';
import { DEFAULT_GRACE_MS, DEFAULT_STALE_AFTER_MS, type RunQueue, type RunQueueListener } from './types.js';

export interface InProcessQueueOptions {
  platform: Platform;
  /** Runs executing at once; default 4. */
  concurrency?: number;
  staleAfterMs?: number;
  logger?: Logger;
}

export function newWorkerId(kind: string): string {
  return `${hostname()}:${process.pid}:${kind}:${randomBytes(3).toString('hex')}`;
}

export class InProcessQueue implements RunQueue {
  readonly kind = 'in-process' as const;
  readonly workerId = newWorkerId('server');
  private readonly listeners = new Listeners();
  private readonly pending: string[] = [];
  private readonly pendingSet = new Set<string>();
  private readonly active = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly concurrency: number;
  private readonly staleAfterMs: number;
  private sweeper: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly opts: InProcessQueueOptions) {
    this.concurrency = Math.max(1, Math.floor(opts.concurrency ?? 4));
    this.staleAfterMs = opts.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  }

  /** Picks up runs a previous process left queued and starts the stale-run sweep. */
  async start(): Promise<void> {
    await this.sweep();
    const queued = await this.opts.platform.store.runs.list({ status: 'queued', limit: 1000 });
    for (const r of queued.reverse()) await this.enqueue(r.id);
    this.sweeper = setInterval(() => void this.sweep(), Math.max(1000, Math.floor(this.staleAfterMs / 2)));
    this.sweeper.unref();
  }

  async enqueue(runId: string): Promise<void> {
    if (this.closed || this.pendingSet.has(runId) || this.active.has(runId)) return;
    this.pending.push(runId);
    this.pendingSet.add(runId);
    this.pump();
  }

  onEvent(listener: RunQueueListener): () => void {
    return this.listeners.add(listener);
  }

  async requestCancel(runId: string): Promise<boolean> {
    const a = this.active.get(runId);
    if (!a) return false;
    a.controller.abort();
    return true;
  }

  async close(opts: { graceMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    // Queued runs stay queued in the store: the next start takes them.
    this.pending.length = 0;
    this.pendingSet.clear();
    const running = [...this.active.values()].map((a) => a.done);
    if (running.length === 0) return;
    const grace = opts.graceMs ?? DEFAULT_GRACE_MS;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      Promise.all(running).then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), grace))),
    ]);
    clearTimeout(timer);
    if (!timedOut) return;
    // Past the grace period: record the runs as interrupted first, so stopping them cannot record another ending.
    const ids = [...this.active.keys()];
    await this.opts.platform.store.runs.markInterrupted(this.workerId);
    for (const a of this.active.values()) a.controller.abort();
    await Promise.all(running);
    for (const id of ids) this.listeners.emit(doneEvent(await this.opts.platform.store.runs.get(id)));
  }

  private emit = (e: Parameters<RunQueueListener>[0]) => this.listeners.emit(e);

  private pump(): void {
    while (!this.closed && this.active.size < this.concurrency && this.pending.length) {
      const runId = this.pending.shift() as string;
      this.pendingSet.delete(runId);
      const controller = new AbortController();
      const done = executeRun(
        {
          platform: this.opts.platform,
          workerId: this.workerId,
          emit: this.emit,
          ...(this.opts.logger ? { logger: this.opts.logger } : {}),
        },
        runId,
        controller.signal,
      )
        .then(() => undefined)
        .catch((e: unknown) =>
          this.opts.logger?.error('A queued run failed to execute.', { runId, error: toErrorData(e).message }),
        )
        .finally(() => {
          this.active.delete(runId);
          this.pump();
        });
      this.active.set(runId, { controller, done });
    }
  }

  private async sweep(): Promise<void> {
    try {
      for (const run of await sweepStaleRuns(this.opts.platform, this.staleAfterMs))
        this.listeners.emit(doneEvent(run));
    } catch (e) {
      this.opts.logger?.warn('Could not check for runs whose worker stopped.', { error: toErrorData(e).message });
    }
  }
}
