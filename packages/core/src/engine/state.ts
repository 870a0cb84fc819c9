/**
 * The state of one run (shared by every frame) and of one frame (the main
 * flow or one subflow call): variables, the expression scope, the counters,
 * events and step records.
 */
import type { ActionRegistry, ConnectorCatalog, RunLimits, RunResources, StepEvent } from '../contracts.js';
import type { ErrorData } from '../errors.js';
import { PatchbayError } from '../errors.js';
import type { Value, ValueObject } from '../values.js';
import type { Flow, Step } from '../flow/schema.js';
import { REDACTED, type Redactor } from './redact.js';
import type { CompiledStep } from './compile.js';

export const DEFAULT_LIMITS: RunLimits = { maxLoopIterations: 10_000_000, maxCallDepth: 64 };
export const DEFAULT_MAX_STEP_RECORDS = 1000;

/** One step's record in the run result (inputs and outputs redacted). */
export interface StepRecord {
  runStep: number;
  stepPath: string;
  action: string;
  status: 'succeeded' | 'failed';
  startedAt: string;
  durationMs: number;
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  error?: ErrorData;
}

export interface Scope {
  get(name: string): Value | undefined;
}

export class RunState {
  readonly actions: ActionRegistry;
  readonly connectors?: ConnectorCatalog;
  readonly signal: AbortSignal;
  readonly limits: RunLimits;
  readonly onEvent?: (event: StepEvent) => void;
  readonly compiled = new Map<Step, CompiledStep>();
  readonly records: StepRecord[] = [];
  runStep = 0;
  droppedRecords = 0;
  lastError: ValueObject | null = null;
  private lastPerf = -Infinity;
  private lastIso = '';

  constructor(
    readonly flow: Flow,
    readonly resources: RunResources,
    readonly redactor: Redactor,
    readonly maxRecords: number,
  ) {
    this.actions = resources.actions;
    this.connectors = resources.connectors;
    this.signal = resources.signal ?? new AbortController().signal;
    this.limits = { ...DEFAULT_LIMITS, ...resources.limits };
    this.onEvent = resources.onEvent;
  }

  /**
   * The clock's time as ISO text, given `performance.now()`: the clock is
   * asked at most once per millisecond (events are stamped in the hot path).
   */
  isoAt(perf: number): string {
    if (perf - this.lastPerf >= 1) {
      this.lastPerf = perf;
      this.lastIso = this.resources.clock.now().toISOString();
    }
    return this.lastIso;
  }

  emit(event: StepEvent): void {
    if (!this.onEvent) return;
    try {
      this.onEvent(event);
    } catch (e) {
      this.resources.logger.warn('A step event listener failed', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  record(r: StepRecord): void {
    if (this.records.length < this.maxRecords || r.status === 'failed') this.records.push(r);
    else this.droppedRecords++;
  }

  checkCancelled(stepPath?: string): void {
    if (this.signal.aborted) throw cancelledError(stepPath);
  }
}

export function cancelledError(stepPath?: string): PatchbayError {
  return new PatchbayError('run.cancelled', 'The run was cancelled.', { place: stepPath ? { stepPath } : {} });
}

const GLOBAL_PREFIX = 'global.';

/**
 * The main flow or one subflow call. A Global subflow's frame shares the main
 * flow's variables; a Local one has its own and reaches the main flow's as
 * `global.Name`.
 */
export class Frame {
  readonly vars: Map<string, Value>;
  /** The main flow's frame (this one for the main flow). */
  readonly root: Frame;
  readonly scope: Scope;
  readonly getVariable: (name: string) => Value | undefined;
  /** Variables written by actions during the current step (shown as its outputs). */
  written: Record<string, unknown> | undefined;
  /** `ctx.setVariable` for actions: sets and notes the variable for the step's outputs. */
  readonly setVariable: (name: string, value: Value) => void;

  constructor(
    readonly state: RunState,
    readonly depth: number,
    readonly subflow?: string,
    opts: { root?: Frame; shareRoot?: boolean } = {},
  ) {
    this.root = opts.root ?? this;
    const vars = (this.vars = opts.shareRoot && opts.root ? opts.root.vars : new Map<string, Value>());
    const rootVars = this.root.vars;
    const env = state.resources.environmentVariables;
    this.scope = {
      get(name: string): Value | undefined {
        const v = vars.get(name);
        if (v !== undefined) return v;
        if (name.startsWith(GLOBAL_PREFIX)) return rootVars.get(name.slice(GLOBAL_PREFIX.length));
        if (name === 'LastError') return state.lastError;
        return env !== undefined && Object.hasOwn(env, name) ? env[name] : undefined;
      },
    };
    this.getVariable = this.scope.get;
    this.setVariable = (name, value) => {
      this.set(name, value);
      (this.written ??= {})[name] = state.redactor.isSensitiveName(name) ? REDACTED : state.redactor.value(value);
    };
  }

  set(name: string, value: Value): void {
    if (name.startsWith(GLOBAL_PREFIX)) {
      this.root.set(name.slice(GLOBAL_PREFIX.length), value);
      return;
    }
    this.vars.set(name, value);
    if (this.state.redactor.isSensitiveName(name)) this.state.redactor.addSecret(value);
  }
}
