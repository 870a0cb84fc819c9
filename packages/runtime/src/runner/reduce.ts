/**
 * Reduces a run's step events inside the runner the way the parent records
 * them (`EventReduction`), so a long loop does not send one event per step
 * across the process boundary:
 *
 * - the events of the first `head` steps, of every failed or retried step and
 *   of every step a warning or error log line names cross as they are;
 * - the last `tail` other steps cross once, at the end of the run;
 * - every other step only adds to its step path's aggregate, which crosses
 *   as a delta with each batch (`AggregateItem`, with the run's step count);
 * - the steps running at a batch boundary and the last step that ended cross
 *   as `LiveItem`s, so a live view still follows the running line.
 *
 * The parent's recorder, fed this stream, keeps the same records and
 * aggregates it would keep from every event. In `all` mode every event
 * crosses; in `none` mode only failures, log lines and counts do.
 */
import type { StepEvent } from '@patchbay/core';
import type { BatchItem, EventReduction, StepAggregate } from './protocol.js';

type Started = Extract<StepEvent, { type: 'step.started' }>;
type Ended = Extract<StepEvent, { type: 'step.finished' | 'step.failed' }>;

export class EventReducer {
  /** Steps started and not ended, innermost last (steps nest), and whether their start has crossed. */
  private readonly stack: Started[] = [];
  private readonly sent: boolean[] = [];
  private readonly ringStarted: Started[] = [];
  private readonly ringEnded: Ended[] = [];
  private ringStart = 0;
  private readonly aggregates = new Map<string, StepAggregate>();
  private dirty = false;
  private stepCount = 0;
  private sentCount = 0;
  private lastEnded: Ended | undefined;
  private readonly head: number;
  private readonly tail: number;
  private readonly mode: EventReduction['mode'];

  constructor(
    reduction: EventReduction,
    private readonly out: (item: BatchItem) => void,
  ) {
    this.mode = reduction.mode;
    this.head = reduction.mode === 'summary' ? reduction.head : 0;
    this.tail = reduction.mode === 'summary' ? reduction.tail : 0;
  }

  event(e: StepEvent): void {
    switch (e.type) {
      case 'step.started':
        return this.started(e);
      case 'step.finished':
      case 'step.failed':
        return this.ended(e);
      default:
        if (e.stepPath && (e.level === 'warn' || e.level === 'error')) this.warned(e.stepPath);
        this.out(e);
    }
  }

  private started(e: Started): void {
    if (e.runStep > this.stepCount) this.stepCount = e.runStep;
    const send = this.mode === 'all' || e.runStep <= this.head;
    this.stack.push(e);
    this.sent.push(send);
    if (send) this.out(e);
  }

  private warned(path: string): void {
    for (let i = 0; i < this.stack.length; i++) {
      if (this.sent[i] || this.stack[i].stepPath !== path) continue;
      this.sent[i] = true;
      this.out(this.stack[i]);
    }
  }

  private ended(e: Ended): void {
    const stack = this.stack;
    let j = stack.length - 1;
    while (j >= 0 && stack[j].runStep !== e.runStep) j--;
    if (j < 0) {
      this.out(e);
      return;
    }
    // Steps above it never ended: their starts cross, and the parent keeps them as running.
    while (stack.length > j + 1) {
      const lost = stack.pop()!;
      if (!this.sent.pop()) this.out(lost);
    }
    const top = stack.pop()!;
    const sent = this.sent.pop()!;
    if (sent) {
      this.out(e);
      return;
    }
    // A failed (or retried) step crosses in full.
    if (e.type === 'step.failed') {
      this.out(top);
      this.out(e);
      return;
    }
    this.lastEnded = e;
    if (this.mode === 'none') return;
    const tail = this.tail;
    if (tail === 0) {
      this.aggregate(e);
      return;
    }
    if (this.ringEnded.length < tail) {
      this.ringStarted.push(top);
      this.ringEnded.push(e);
      return;
    }
    const i = this.ringStart;
    const evicted = this.ringEnded[i];
    this.ringStarted[i] = top;
    this.ringEnded[i] = e;
    this.ringStart = i + 1 === tail ? 0 : i + 1;
    this.aggregate(evicted);
  }

  private aggregate(e: Ended): void {
    const a = this.aggregates.get(e.stepPath);
    const d = e.durationMs;
    if (a) {
      a.count++;
      a.totalMs += d;
      if (d < a.minMs) a.minMs = d;
      if (d > a.maxMs) a.maxMs = d;
    } else {
      this.aggregates.set(e.stepPath, {
        stepPath: e.stepPath,
        action: e.action,
        count: 1,
        totalMs: d,
        minMs: d,
        maxMs: d,
        lastStatus: 'succeeded',
      });
    }
    this.dirty = true;
  }

  /** At a batch boundary: the aggregates' deltas since the last one, the step count and the live state. */
  drain(): void {
    if (this.dirty || this.stepCount !== this.sentCount) {
      this.out({ type: 'aggregate', stepCount: this.stepCount, aggregates: [...this.aggregates.values()] });
      this.aggregates.clear();
      this.dirty = false;
      this.sentCount = this.stepCount;
    }
    if (this.lastEnded) this.out({ type: 'live', event: this.lastEnded });
    this.lastEnded = undefined;
    for (let i = 0; i < this.stack.length; i++) if (!this.sent[i]) this.out({ type: 'live', event: this.stack[i] });
  }

  /** At the end of the run: the tail's steps in order, then the last deltas. Steps still open stay open. */
  end(): void {
    const n = this.ringEnded.length;
    for (let k = 0; k < n; k++) {
      const i = (this.ringStart + k) % n;
      this.out(this.ringStarted[i]);
      this.out(this.ringEnded[i]);
    }
    this.ringStarted.length = 0;
    this.ringEnded.length = 0;
    this.lastEnded = undefined;
    // Steps still open when the run ended (cancelled, failed around them) cross as they stand.
    for (let i = 0; i < this.stack.length; i++) if (!this.sent[i]) this.out(this.stack[i]);
    this.stack.length = 0;
    this.sent.length = 0;
    this.drain();
  }
}
