/**
 * Records one run's steps within bounds, in batches, and feeds a live view
 * that cannot be flooded.
 *
 * - **Bounded.** In `summary` mode (the default) the first `head` steps, the
 *   last `tail` steps and every failed, retried or warned step keep a full
 *   record (scrubbed inputs, outputs, timing, error); every other step only
 *   adds to its step path's aggregate (count, total / min / max duration, last
 *   status). `all` keeps every step; `none` keeps no step record at all (the
 *   run's outcome and error still name a failure). The run row says how many
 *   steps ran and whether the record was cut, so a cut is never silent.
 * - **Batched.** Records and aggregates are flushed in one transaction at most
 *   every 50 ms or 500 records, and at the end; a crash loses at most the
 *   last unflushed batch. Only recorded values are scrubbed (copied).
 * - **Coalesced live events.** The listener gets every failure and log line
 *   at once, and otherwise the latest state of each step path at most every
 *   50 ms, so a long loop sends about 20 updates a second, not one per step.
 */
import { toErrorData, type Logger, type StepEvent } from '@patchbay/core';
import type { NewRunStep, RunRecording, RunStepAggregate, RunStepStatus, Store } from '@patchbay/store';
import type { Scrubber } from './scrub.js';

export type RecordingMode = RunRecording['mode'];

export interface RecordingSettings {
  mode: RecordingMode;
  /** Steps recorded in full from the start of the run (summary mode). */
  head: number;
  /** Steps recorded in full at the end of the run (summary mode). */
  tail: number;
}

export const DEFAULT_RECORDING: RecordingSettings = { mode: 'summary', head: 1000, tail: 100 };
export const RECORDING_MODES: readonly RecordingMode[] = ['all', 'summary', 'none'];

const FLUSH_MS = 50;
const FLUSH_ROWS = 500;
const LIVE_MS = 50;
const MAX_LIMIT = 1_000_000;

type Started = Extract<StepEvent, { type: 'step.started' }>;
type Ended = Extract<StepEvent, { type: 'step.finished' | 'step.failed' }>;

interface OpenStep {
  started: Started;
  full: boolean;
  warned: boolean;
}

/** Checks and completes recording settings (flow file, run request, `--record`), naming what is wrong. */
export function recordingSettings(...layers: (Partial<RecordingSettings> | undefined)[]): RecordingSettings {
  const out: RecordingSettings = { ...DEFAULT_RECORDING };
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.mode !== undefined) {
      if (!RECORDING_MODES.includes(layer.mode))
        throw new RecordingSettingsError(`Recording mode "${String(layer.mode)}" is not one of all, summary, none.`);
      out.mode = layer.mode;
    }
    for (const key of ['head', 'tail'] as const) {
      const v = layer[key];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_LIMIT)
        throw new RecordingSettingsError(`Recording ${key} must be a whole number from 0 to ${MAX_LIMIT}.`);
      out[key] = v;
    }
  }
  return out;
}

export class RecordingSettingsError extends Error {}

export class RunRecorder {
  private readonly open = new Map<number, OpenStep>();
  private readonly aggregates = new Map<string, RunStepAggregate>();
  private readonly dirty = new Set<string>();
  private pending: NewRunStep[] = [];
  /** The last `tail` steps that were not recorded in full, oldest first from `ringStart`. */
  private readonly ring: { started: Started; ended: Ended }[] = [];
  private ringStart = 0;
  private stepCount = 0;
  private recorded = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private failedWrites = 0;
  /** When the last flush was; the first event starts the clock (0: no event yet). */
  private lastFlush = 0;
  private lastLive = 0;
  private readonly latest = new Map<string, StepEvent>();
  private liveTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: {
      store: Store;
      runId: string;
      scrub: Scrubber;
      settings: RecordingSettings;
      logger: Logger;
      /** The live view: failures and logs at once, other steps coalesced. */
      live?: (event: StepEvent) => void;
    },
  ) {}

  /** Takes one raw (engine-redacted, not yet scrubbed) event. Cheap for steps that are not recorded. */
  onEvent(e: StepEvent): void {
    if (e.type === 'step.started') this.started(e);
    else if (e.type === 'step.finished' || e.type === 'step.failed') this.ended(e);
    else if (e.type === 'log' && e.stepPath && (e.level === 'warn' || e.level === 'error')) {
      for (const o of this.open.values()) if (o.started.stepPath === e.stepPath) o.warned = true;
    }
    this.toLive(e);
  }

  /**
   * Takes aggregated steps from a runner that reduced the run's events (the steps it did not send in full):
   * merged into the step paths' aggregates, with the run's step count so far.
   */
  onAggregate(item: { stepCount: number; aggregates: readonly RunStepAggregate[] }): void {
    if (item.stepCount > this.stepCount) this.stepCount = item.stepCount;
    if (this.deps.settings.mode === 'none') return;
    for (const d of item.aggregates) {
      const a = this.aggregates.get(d.stepPath);
      if (a) {
        a.count += d.count;
        a.totalMs += d.totalMs;
        if (d.minMs < a.minMs) a.minMs = d.minMs;
        if (d.maxMs > a.maxMs) a.maxMs = d.maxMs;
        a.lastStatus = d.lastStatus;
      } else this.aggregates.set(d.stepPath, { ...d });
      this.dirty.add(d.stepPath);
    }
    this.schedule();
  }

  /** The state of a step a runner did not send in full: for the live view only, never recorded. */
  onLive(e: StepEvent): void {
    this.toLive(e);
  }

  /**
   * Flushes everything still held (the tail, aggregates, pending records) and stops the timers. Returns what
   * the run row says about its record (step count and recording), for the caller to write with the run's
   * ending; with `writeSummary`, the final flush writes it itself.
   */
  async close(opts: { writeSummary?: boolean } = {}): Promise<{ stepCount: number; recording: RunRecording }> {
    if (this.liveTimer) clearTimeout(this.liveTimer);
    this.liveTimer = undefined;
    this.emitLatest();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const n = this.ring.length;
    for (let i = 0; i < n; i++) {
      const { started, ended } = this.ring[(this.ringStart + i) % n];
      this.pending.push(this.fullRecord(started, ended));
      this.recorded++;
    }
    this.ring.length = 0;
    // Steps still open (a cancelled or failed run) are recorded as they stand.
    for (const o of this.open.values()) if (!o.full) this.pending.push(this.startRecord(o.started));
    this.open.clear();
    this.flush(opts.writeSummary ? 'summary' : 'rows');
    await this.flushing;
    return { stepCount: this.stepCount, recording: this.summary() };
  }

  /** What the run row says about its record. */
  summary(): RunRecording {
    const { mode, head, tail } = this.deps.settings;
    return {
      mode,
      head,
      tail,
      recorded: this.recorded,
      cut: this.aggregates.size > 0 || (mode === 'none' && this.stepCount > 0),
    };
  }

  private isFull(seq: number): boolean {
    const { mode, head } = this.deps.settings;
    return mode === 'all' || (mode === 'summary' && seq <= head);
  }

  private started(e: Started): void {
    if (e.runStep > this.stepCount) this.stepCount = e.runStep;
    const full = this.isFull(e.runStep);
    const existing = this.open.get(e.runStep);
    // A retried step starts again under the same number and stays recorded in full.
    const o: OpenStep = { started: e, full: full || Boolean(existing?.full), warned: existing?.warned ?? false };
    this.open.set(e.runStep, o);
    if (o.full) this.push(this.startRecord(e));
  }

  private ended(e: Ended): void {
    const o = this.open.get(e.runStep);
    const retrying = e.type === 'step.failed' && e.willRetry;
    if (!retrying) this.open.delete(e.runStep);
    if (this.deps.settings.mode === 'none') return;
    const started = o?.started ?? ({ ...e, type: 'step.started', inputs: {} } as Started);
    if (o?.full) {
      this.push(this.endRecord(started, e));
      return;
    }
    if (e.type === 'step.failed' || o?.warned) {
      if (retrying && o) o.full = true;
      this.push(this.fullRecord(started, e));
      return;
    }
    const { tail } = this.deps.settings;
    if (tail === 0) {
      this.aggregate(e);
      return;
    }
    if (this.ring.length < tail) {
      this.ring.push({ started, ended: e });
      return;
    }
    const evicted = this.ring[this.ringStart];
    this.ring[this.ringStart] = { started, ended: e };
    this.ringStart = (this.ringStart + 1) % tail;
    this.aggregate(evicted.ended);
  }

  private aggregate(e: Ended): void {
    const status: RunStepStatus = e.type === 'step.failed' ? 'failed' : 'succeeded';
    const a = this.aggregates.get(e.stepPath);
    if (a) {
      a.count++;
      a.totalMs += e.durationMs;
      if (e.durationMs < a.minMs) a.minMs = e.durationMs;
      if (e.durationMs > a.maxMs) a.maxMs = e.durationMs;
      a.lastStatus = status;
    } else {
      this.aggregates.set(e.stepPath, {
        stepPath: e.stepPath,
        action: e.action,
        count: 1,
        totalMs: e.durationMs,
        minMs: e.durationMs,
        maxMs: e.durationMs,
        lastStatus: status,
      });
    }
    this.dirty.add(e.stepPath);
    this.schedule();
  }

  private startRecord(s: Started): NewRunStep {
    return {
      seq: s.runStep,
      stepPath: s.stepPath,
      action: s.action,
      status: 'running',
      startedAt: s.at,
      inputs: this.deps.scrub.value(s.inputs),
    };
  }

  private endRecord(s: Started, e: Ended): NewRunStep {
    const base = { seq: e.runStep, stepPath: e.stepPath, action: e.action, startedAt: s.at, durationMs: e.durationMs };
    return e.type === 'step.finished'
      ? { ...base, status: 'succeeded', outputs: this.deps.scrub.value(e.outputs) }
      : { ...base, status: 'failed', error: this.deps.scrub.value(e.error) };
  }

  private fullRecord(s: Started, e: Ended): NewRunStep {
    return { ...this.endRecord(s, e), inputs: this.deps.scrub.value(s.inputs) };
  }

  private push(step: NewRunStep): void {
    if (step.status !== 'running') this.recorded++;
    this.pending.push(step);
    if (this.pending.length >= FLUSH_ROWS) this.flush('progress');
    else this.schedule();
  }

  /**
   * A flush at most every FLUSH_MS: checked on each event, because a loop of
   * quick steps may not give timers a turn until it ends; the timer covers a
   * run that pauses (a slow step, a wait).
   */
  private schedule(): void {
    if (this.lastFlush === 0) this.lastFlush = Date.now();
    if (Date.now() - this.lastFlush >= FLUSH_MS) {
      this.flush('progress');
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush('progress');
    }, FLUSH_MS);
    this.timer.unref();
  }

  /**
   * `progress`: records, aggregates and the step count so far; `summary`: the last flush, with the run's
   * recording summary too; `rows`: the last flush, records and aggregates only (the caller writes the rest).
   */
  private flush(kind: 'progress' | 'summary' | 'rows'): void {
    this.lastFlush = Date.now();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const steps = this.pending;
    this.pending = [];
    const aggregates = [...this.dirty].map((p) => ({ ...this.aggregates.get(p)! }));
    this.dirty.clear();
    const stepCount = kind === 'rows' ? undefined : this.stepCount;
    const recording = kind === 'summary' ? this.summary() : undefined;
    const { store, runId, logger } = this.deps;
    this.flushing = this.flushing.then(async () => {
      try {
        await store.runs.recordBatch(runId, {
          steps,
          aggregates,
          ...(stepCount !== undefined ? { stepCount } : {}),
          ...(recording ? { recording } : {}),
        });
      } catch (err) {
        if (this.failedWrites++ === 0)
          logger.error('Could not record run steps.', { runId, error: toErrorData(err).message });
      }
    });
  }

  private toLive(e: StepEvent): void {
    const live = this.deps.live;
    if (!live) return;
    if (e.type === 'step.failed' || e.type === 'log') {
      this.emitLatest();
      this.emit(e);
      return;
    }
    this.latest.set(e.stepPath, e);
    if (Date.now() - this.lastLive >= LIVE_MS) {
      this.emitLatest();
      return;
    }
    if (this.liveTimer) return;
    this.liveTimer = setTimeout(() => {
      this.liveTimer = undefined;
      this.emitLatest();
    }, LIVE_MS);
    this.liveTimer.unref();
  }

  private emitLatest(): void {
    if (this.liveTimer) clearTimeout(this.liveTimer);
    this.liveTimer = undefined;
    this.lastLive = Date.now();
    if (this.latest.size === 0) return;
    const events = [...this.latest.values()].sort((a, b) => seqOf(a) - seqOf(b));
    this.latest.clear();
    for (const e of events) this.emit(e);
  }

  private emit(e: StepEvent): void {
    try {
      this.deps.live?.(this.deps.scrub.value(e));
    } catch (err) {
      this.deps.logger.warn('A run event listener failed.', {
        runId: this.deps.runId,
        error: toErrorData(err).message,
      });
    }
  }
}

function seqOf(e: StepEvent): number {
  return 'runStep' in e ? e.runStep : 0;
}
