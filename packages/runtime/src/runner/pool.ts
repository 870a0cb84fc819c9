/**
 * A pool of runner processes. Each run gets a runner of its own (a warm idle
 * one when there is one): a child process forked with a scrubbed
 * environment, its own working folder, a heap limit and — when this process
 * is root — an unprivileged OS user. The pool serves the runner's
 * connector-gateway calls with the run's own resources, passes step events
 * and log lines back to them, and turns a runner that dies, overruns its
 * wall time or ignores a cancel into a failed run. Idle runners never keep
 * this process alive.
 */
import { readdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { PatchbayError, walkSteps, type Flow, type RunResources, type RunResult } from '@patchbay/core';
import type { ExecuteFlowOptions, FlowExecutor } from './executor.js';
import { PROTOCOL_VERSION, type BatchItem, type OperationDefinition, type RunData, type ToRunner } from './protocol.js';
import { gatewayFor } from './gateway.js';
import { encodeFrame } from './frames.js';
import {
  DEFAULT_MEMORY_MB,
  DEFAULT_RUNNER_USER,
  runnerEntry,
  runnerIdentity,
  spawnRunner,
  takeEarlyRunner,
  unrefRunner,
  type Identity,
  type Runner,
} from './spawn.js';

export { runnerEnvironment, runnerSettingsFromEnv } from './spawn.js';

export interface RunnerPoolOptions {
  /**
   * Idle runners kept for the next runs; default as many as may be busy (`maxRunners`), so a steady stream of
   * runs reuses its runners instead of starting one per run. Beyond `keepWarm`, an idle runner retires after
   * `idleMs`.
   */
  maxIdle?: number;
  /** Idle runners kept however long they wait; default 2. */
  keepWarm?: number;
  /** How long an idle runner beyond `keepWarm` waits for a run before it retires; default 30 s. */
  idleMs?: number;
  /** Runners busy at once (more runs wait their turn); default PATCHBAY_RUNNERS or twice the CPU count, at least 4. */
  maxRunners?: number;
  /** Heap limit of each runner in MB (`--max-old-space-size`); default PATCHBAY_RUNNER_MEMORY_MB or 1024. */
  memoryMb?: number;
  /** Wall time of one run in ms (0: none); default PATCHBAY_RUN_TIMEOUT (seconds) or one hour. */
  timeoutMs?: number;
  /** The OS user runners run as when this process is root; default PATCHBAY_RUNNER_USER or `patchbay-runner`. */
  user?: string;
  /** How long a cancelled run may take to stop before its runner is killed; default 5 s. */
  cancelGraceMs?: number;
  /** The runner's entry file; default `@patchbay/runtime/runner`. */
  entry?: string;
  /** Sees every message sent to a runner, and on which channel (tests assert that none holds a secret). */
  onSend?: (message: ToRunner, channel: 'ipc' | 'pipe') => void;
}

const DEFAULT_TIMEOUT_MS = 60 * 60_000;

function clearFolder(folder: string): void {
  for (const name of readdirSync(folder)) rmSync(join(folder, name), { recursive: true, force: true });
}

/** The connector operations a flow's steps use, as data for the runner (their `run` stays here). */
export function operationsOf(flow: Flow, resources: RunResources): OperationDefinition[] {
  const out = new Map<string, OperationDefinition>();
  if (!resources.connectors) return [];
  walkSteps(flow, (step) => {
    if (!('connector' in step) || !step.connector || !step.operation) return;
    const key = `${step.connector.toLowerCase()}\u0000${step.operation.toLowerCase()}`;
    if (out.has(key)) return;
    const def = resources.connectors?.getOperation(step.connector, step.operation);
    if (!def) return;
    const { run: _run, ...action } = def;
    out.set(key, { connectorId: step.connector, operationId: step.operation, action });
  });
  return [...out.values()];
}

/** The live objects of `RunResources`; every other field is plain data and crosses to the runner as it is. */
const LIVE = new Set(['actions', 'connectors', 'connections', 'host', 'logger', 'clock', 'signal', 'onEvent']);

export function runDataOf(resources: RunResources): RunData {
  const data: RunData = {};
  for (const [k, v] of Object.entries(resources)) {
    if (LIVE.has(k) || v === undefined || typeof v === 'function') continue;
    // Iterables that are not arrays (a Set of sensitive names) cross as arrays.
    data[k] = v instanceof Set ? [...(v as Set<unknown>)] : v;
  }
  return data;
}

/** The message that starts a run in a runner, local or on a machine. */
export function runMessage(
  runId: string,
  flow: Flow,
  opts: ExecuteFlowOptions,
  operations: OperationDefinition[],
): ToRunner {
  const { resources } = opts;
  return {
    type: 'run',
    version: PROTOCOL_VERSION,
    runId,
    flow,
    inputs: opts.inputs ?? {},
    data: runDataOf(resources),
    operations,
    events: resources.onEvent !== undefined,
    ...(opts.reduce && resources.onEvent ? { reduce: opts.reduce } : {}),
  };
}

/** Hands a runner's batch to the run: log lines to its logger, step events, aggregates and live lines to the recorder. */
export function deliverBatch(items: readonly BatchItem[], opts: ExecuteFlowOptions): void {
  const { resources } = opts;
  for (const item of items) {
    if (item.type === 'logger') resources.logger[item.level]?.(item.message, item.data);
    else if (item.type === 'aggregate') opts.onAggregate?.(item);
    else if (item.type === 'live') opts.onLive?.(item.event);
    else resources.onEvent?.(item);
  }
}

export class RunnerPool implements FlowExecutor {
  readonly kind = 'runner' as const;
  private readonly idle: Runner[] = [];
  private readonly busy = new Set<Runner>();
  private readonly maxIdle: number;
  private readonly keepWarm: number;
  private readonly idleMs: number;
  private readonly maxRunners: number;
  private readonly waiting: (() => void)[] = [];
  private readonly memoryMb: number;
  private readonly timeoutMs: number;
  private readonly user: string;
  private readonly cancelGraceMs: number;
  private identity: Identity | null | undefined;
  private closed = false;

  constructor(private readonly opts: RunnerPoolOptions = {}) {
    this.maxRunners = opts.maxRunners ?? Math.max(4, availableParallelism() * 2);
    this.maxIdle = opts.maxIdle ?? this.maxRunners;
    this.keepWarm = opts.keepWarm ?? 2;
    this.idleMs = opts.idleMs ?? 30_000;
    this.memoryMb = opts.memoryMb ?? DEFAULT_MEMORY_MB;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.user = opts.user ?? DEFAULT_RUNNER_USER;
    this.cancelGraceMs = opts.cancelGraceMs ?? 5000;
  }

  /** The OS user runners run as, or null when this process cannot drop privileges (not root, or no such user). */
  private runAs(): Identity | null {
    if (this.identity === undefined) this.identity = runnerIdentity(this.user);
    return this.identity;
  }

  dropsPrivileges(): boolean {
    return this.runAs() !== null;
  }

  /** Runners alive now (idle and busy), for tests and diagnostics. */
  get size(): number {
    return this.idle.length + this.busy.size;
  }

  /** Process ids of the runners busy with a run. */
  busyPids(): number[] {
    return [...this.busy].map((r) => r.child.pid ?? 0);
  }

  /** Starts a runner for the next run (or takes the one `startRunnerEarly` forked), when none is idle. */
  warm(): void {
    if (this.closed || this.idle.length) return;
    try {
      const early = takeEarlyRunner(this.startAs());
      this.park(early ? this.track(early) : this.spawn());
    } catch {
      // A run started later reports the problem.
    }
  }

  private spawn(): Runner {
    return this.track(spawnRunner(this.startAs()));
  }

  private startAs(): Runner['started'] {
    return { entry: this.opts.entry ?? runnerEntry(), memoryMb: this.memoryMb, identity: this.runAs() };
  }

  /** Keeps the pool's lists right when a runner exits, and ends the run it has. */
  private track(runner: Runner): Runner {
    const gone = (reason: string) => {
      const i = this.idle.indexOf(runner);
      if (i >= 0) this.idle.splice(i, 1);
      if (this.busy.delete(runner)) this.waiting.shift()?.();
      runner.onExit?.(reason);
    };
    if (runner.exited) gone(runner.exited);
    else runner.child.once('exit', () => gone(runner.exited ?? 'it exited'));
    return runner;
  }

  /** Keeps an idle runner without keeping this process alive. */
  private park(runner: Runner): void {
    runner.onMessage = undefined;
    runner.onExit = undefined;
    unrefRunner(runner);
    this.idle.push(runner);
    if (this.idle.length > this.keepWarm) {
      runner.idleTimer = setTimeout(() => {
        const i = this.idle.indexOf(runner);
        if (i < 0) return;
        this.idle.splice(i, 1);
        runner.child.kill('SIGKILL');
      }, this.idleMs);
      runner.idleTimer.unref();
    }
  }

  private async acquire(): Promise<Runner> {
    while (this.busy.size >= this.maxRunners && !this.closed)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.closed) throw new PatchbayError('run.stopped', 'The runner pool is closed.');
    let runner = this.idle.pop();
    while (runner && runner.exited) runner = this.idle.pop();
    if (runner?.idleTimer) clearTimeout(runner.idleTimer);
    runner ??= this.spawn();
    runner.child.ref();
    runner.child.channel?.ref();
    runner.pipe.ref();
    (runner.child.stderr as unknown as { ref?: () => void } | null)?.ref?.();
    this.busy.add(runner);
    return runner;
  }

  private release(runner: Runner, reusable: boolean): void {
    this.busy.delete(runner);
    this.waiting.shift()?.();
    runner.onMessage = undefined;
    runner.onExit = undefined;
    if (runner.exited) return;
    if (reusable && !this.closed && this.idle.length < this.maxIdle) {
      try {
        clearFolder(runner.folder);
        this.park(runner);
        return;
      } catch {
        // Fall through: a folder that cannot be emptied retires its runner.
      }
    }
    runner.child.kill('SIGKILL');
  }

  async run(flow: Flow, opts: ExecuteFlowOptions): Promise<RunResult> {
    const { resources } = opts;
    const runId = `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    const operations = operationsOf(flow, resources);
    const allowedOps = new Set(
      operations.map((o) => `${o.connectorId.toLowerCase()}\u0000${o.operationId.toLowerCase()}`),
    );
    const references = opts.references ? new Set(opts.references) : undefined;
    const scrub = opts.scrub ?? (<T>(v: T) => v);
    const runner = await this.acquire();
    const send = (m: ToRunner) => {
      this.opts.onSend?.(m, 'ipc');
      if (runner.child.connected) runner.child.send(m, (err) => void err);
    };
    // A gateway call is answered the way it came. The frame is written once this turn's other work is done,
    // so the runner it wakes does not wait for this process to finish it.
    const sendOnPipe = (m: ToRunner) => {
      this.opts.onSend?.(m, 'pipe');
      const frame = encodeFrame(m);
      setImmediate(() => {
        if (!runner.pipe.destroyed) runner.pipe.write(frame);
      });
    };
    const gateway = gatewayFor({ resources, references, allowedOps, scrub });
    let reusable = false;
    let timer: NodeJS.Timeout | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      await runner.ready;
      return await new Promise<RunResult>((resolve, reject) => {
        let ending: PatchbayError | undefined;
        runner.onExit = (reason) =>
          reject(ending ?? new PatchbayError('run.stopped', `The run failed because the runner stopped: ${reason}.`));
        runner.onMessage = (m, via) => {
          switch (m.type) {
            case 'batch':
              deliverBatch(m.items, opts);
              return;
            case 'gateway':
              void gateway(m, via === 'pipe' ? sendOnPipe : send);
              return;
            case 'done':
              if (m.runId !== runId) return;
              reusable = !ending && !resources.signal?.aborted;
              resolve(m.result);
              return;
            default:
              return;
          }
        };
        if (this.timeoutMs > 0) {
          timer = setTimeout(() => {
            ending = new PatchbayError(
              'run.timeout',
              `The run took longer than its time limit of ${Math.round(this.timeoutMs / 1000)} s and was stopped.`,
              { hint: 'An administrator can raise the limit with PATCHBAY_RUN_TIMEOUT (seconds, 0 for none).' },
            );
            runner.child.kill('SIGKILL');
          }, this.timeoutMs);
        }
        onAbort = () => {
          send({ type: 'cancel', runId });
          graceTimer = setTimeout(() => {
            ending = new PatchbayError('run.cancelled', 'The run was cancelled (its runner was stopped).');
            runner.child.kill('SIGKILL');
          }, this.cancelGraceMs);
        };
        if (resources.signal?.aborted) onAbort();
        else resources.signal?.addEventListener('abort', onAbort, { once: true });
        if (runner.exited) {
          runner.onExit(runner.exited);
          return;
        }
        send(runMessage(runId, flow, opts, operations));
      });
    } finally {
      if (timer) clearTimeout(timer);
      if (graceTimer) clearTimeout(graceTimer);
      if (onAbort) resources.signal?.removeEventListener('abort', onAbort);
      this.release(runner, reusable);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake();
    const all = [...this.idle, ...this.busy];
    this.idle.length = 0;
    await Promise.all(
      all.map(
        (r) =>
          new Promise<void>((resolve) => {
            if (r.exited) return resolve();
            r.child.once('exit', () => resolve());
            // Held until it has gone, so closing never leaves a runner behind.
            r.child.ref();
            r.child.kill('SIGKILL');
          }),
      ),
    );
  }
}
