/**
 * Run events for live views: fed by the queue (in-process emitter or the Redis
 * channel), fanned out per run to SSE streams. The last events of recent runs
 * are kept for a short while so a stream that connects mid-run replays what
 * the store has not recorded yet.
 */
import type { RunQueue, RunQueueEvent } from '../queue/types.js';

const KEEP_AFTER_DONE_MS = 60_000;
const MAX_EVENTS_PER_RUN = 2000;
const MAX_RUNS = 2000;

interface Recent {
  events: RunQueueEvent[];
  doneAt?: number;
}

export class RunEventHub {
  private readonly listeners = new Map<string, Set<(e: RunQueueEvent) => void>>();
  private readonly recent = new Map<string, Recent>();
  private readonly unsubscribe: () => void;

  constructor(queue: RunQueue) {
    this.unsubscribe = queue.onEvent((e) => this.publish(e));
  }

  publish(e: RunQueueEvent): void {
    let r = this.recent.get(e.runId);
    if (!r) {
      r = { events: [] };
      this.recent.set(e.runId, r);
      this.prune();
    }
    if (r.events.length < MAX_EVENTS_PER_RUN || e.kind === 'done') r.events.push(e);
    if (e.kind === 'done') r.doneAt = Date.now();
    for (const l of this.listeners.get(e.runId) ?? []) l(e);
  }

  /** Events of `runId` seen so far by this server (may be empty, or cut short for very long runs). */
  seen(runId: string): RunQueueEvent[] {
    return [...(this.recent.get(runId)?.events ?? [])];
  }

  subscribe(runId: string, listener: (e: RunQueueEvent) => void): () => void {
    let set = this.listeners.get(runId);
    if (!set) {
      set = new Set();
      this.listeners.set(runId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(runId);
    };
  }

  close(): void {
    this.unsubscribe();
    this.listeners.clear();
    this.recent.clear();
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, r] of this.recent)
      if (r.doneAt !== undefined && now - r.doneAt > KEEP_AFTER_DONE_MS) this.recent.delete(id);
    while (this.recent.size > MAX_RUNS) {
      const oldest = this.recent.keys().next().value;
      if (oldest === undefined) break;
      this.recent.delete(oldest);
    }
  }
}
