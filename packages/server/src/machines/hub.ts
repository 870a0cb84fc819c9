/**
 * The machine hub: the server's side of machines (`patchbay runner` on other
 * computers). A machine connects with its token and gets a session; it then
 * long-polls for run-protocol messages and posts the ones its runner sends
 * back (`routes/machines.ts`). While a session is idle the hub looks for
 * queued runs of the machine's environment and group, oldest first, and runs
 * each through `platform.runs.execute` with the session as the executor
 * (`linkExecutor`): the connector gateway stays here, so no secret crosses.
 *
 * A session is alive while a poll is pending or was answered less than
 * `graceMs` ago; otherwise the machine went offline, and the run it had
 * fails with "the machine NAME went offline". The hub refreshes each
 * connected machine's `lastSeenAt` every few seconds (the command line reads
 * online / offline from the store) and ends sessions of revoked machines.
 */
import { randomBytes } from 'node:crypto';
import { PatchbayError, toErrorData, type Logger } from '@patchbay/core';
import type { Platform } from '@patchbay/platform';
import { linkExecutor, type FromRunner, type RunnerLink, type ToRunner } from '@patchbay/runtime';
import type { Machine } from '@patchbay/store';
import { doneEvent } from '../queue/execute.js';
import type { RunQueueEvent } from '../queue/types.js';

export interface MachineHubOptions {
  platform: Platform;
  emit(event: RunQueueEvent): void;
  logger?: Logger;
  /** How long a machine may go without a pending poll before it counts as offline; default PATCHBAY_MACHINE_GRACE_MS or 10 s. */
  graceMs?: number;
  /** How long a poll is held open when there is nothing to send; default 20 s. */
  pollHoldMs?: number;
  /** How often idle machines look for queued runs; default 1 s. */
  scanMs?: number;
  /** Sees every message sent to a machine (tests assert that none holds a secret). */
  onSend?: (machine: string, message: ToRunner) => void;
}

type Handlers = Parameters<RunnerLink['attach']>[0];

export class MachineSession implements RunnerLink {
  readonly id = randomBytes(18).toString('base64url');
  private outbox: ToRunner[] = [];
  private waiter: ((messages: ToRunner[]) => void) | undefined;
  private handlers: Handlers;
  private offlineTimer: NodeJS.Timeout | undefined;
  gone: string | undefined;
  /** The store run it executes now. */
  runId: string | undefined;

  constructor(
    readonly machine: Machine,
    private readonly hub: { graceMs: number; ended(s: MachineSession): void; onSend?: MachineHubOptions['onSend'] },
  ) {
    this.armOfflineTimer();
  }

  send(message: ToRunner): void {
    if (this.gone) return;
    this.hub.onSend?.(this.machine.name, message);
    this.outbox.push(message);
    if (this.waiter) this.flush();
  }

  attach(handlers: Handlers): void {
    this.handlers = handlers;
  }

  receive(messages: FromRunner[]): void {
    for (const m of messages) this.handlers?.message(m);
  }

  /** A poll: answered at once when messages wait, else when one comes or after `holdMs`. */
  poll(holdMs: number, onClose: (listener: () => void) => void): Promise<ToRunner[]> {
    if (this.gone) return Promise.reject(this.goneError());
    if (this.offlineTimer) clearTimeout(this.offlineTimer);
    this.offlineTimer = undefined;
    this.waiter?.([]);
    return new Promise<ToRunner[]>((resolve) => {
      const timer = setTimeout(() => this.flush(), holdMs);
      this.waiter = (messages) => {
        clearTimeout(timer);
        this.waiter = undefined;
        this.armOfflineTimer();
        resolve(messages);
      };
      // The machine's connection closed under a pending poll (killed, network gone): the grace period starts now.
      onClose(() => {
        if (!this.waiter) return;
        clearTimeout(timer);
        this.waiter = undefined;
        this.armOfflineTimer();
        resolve([]);
      });
      if (this.outbox.length) this.flush();
    });
  }

  private flush(): void {
    const out = this.outbox;
    this.outbox = [];
    this.waiter?.(out);
  }

  private armOfflineTimer(): void {
    if (this.gone) return;
    if (this.offlineTimer) clearTimeout(this.offlineTimer);
    this.offlineTimer = setTimeout(() => this.end(`the machine ${this.machine.name} went offline`), this.hub.graceMs);
    this.offlineTimer.unref();
  }

  goneError(): PatchbayError {
    return new PatchbayError('auth.denied', `This machine session has ended: ${this.gone ?? 'unknown'}.`, {
      hint: 'Connect again (patchbay runner does so by itself).',
      status: 409,
    });
  }

  end(reason: string): void {
    if (this.gone) return;
    this.gone = reason;
    if (this.offlineTimer) clearTimeout(this.offlineTimer);
    this.waiter?.([]);
    this.handlers?.closed(reason);
    this.hub.ended(this);
  }
}

const DEFAULT_GRACE_MS = 10_000;
const TOUCH_MS = 5_000;

function graceFromEnv(): number | undefined {
  const raw = process.env.PATCHBAY_MACHINE_GRACE_MS;
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 100)
    throw new PatchbayError(
      'store.invalid',
      `PATCHBAY_MACHINE_GRACE_MS must be a number of ms (at least 100), not "${raw}".`,
    );
  return n;
}

export class MachineHub {
  readonly graceMs: number;
  readonly pollHoldMs: number;
  private readonly sessions = new Map<string, MachineSession>();
  private readonly byMachine = new Map<string, MachineSession>();
  private readonly claiming = new Set<string>();
  private readonly running = new Set<Promise<unknown>>();
  private readonly scanner: NodeJS.Timeout;
  private readonly toucher: NodeJS.Timeout;
  private scanning = false;
  private rescan = false;
  private closed = false;

  constructor(private readonly opts: MachineHubOptions) {
    this.graceMs = opts.graceMs ?? graceFromEnv() ?? DEFAULT_GRACE_MS;
    this.pollHoldMs = Math.min(opts.pollHoldMs ?? 20_000, Math.max(50, this.graceMs * 2));
    this.scanner = setInterval(() => this.dispatch(), opts.scanMs ?? 1000);
    this.scanner.unref();
    this.toucher = setInterval(() => void this.touch(), TOUCH_MS);
    this.toucher.unref();
  }

  /** A machine connected: its new session (an older one of the same machine ends). */
  async connect(machine: Machine): Promise<MachineSession> {
    if (this.closed)
      throw new PatchbayError('run.stopped', 'This server is stopping.', { retryable: true, status: 503 });
    this.byMachine.get(machine.name)?.end(`the machine ${machine.name} connected again`);
    const session = new MachineSession(machine, {
      graceMs: this.graceMs,
      ended: (s) => this.ended(s),
      ...(this.opts.onSend ? { onSend: this.opts.onSend } : {}),
    });
    this.sessions.set(session.id, session);
    this.byMachine.set(machine.name, session);
    await this.opts.platform.machines.setConnected(machine.name, true);
    this.opts.logger?.info('A machine connected.', { machine: machine.name, group: machine.group });
    this.dispatch();
    return session;
  }

  /** The live session `id` of `machine`, or an error the machine understands. */
  session(id: string, machine: Machine): MachineSession {
    const s = this.sessions.get(id);
    if (!s || s.machine.name !== machine.name)
      throw new PatchbayError('auth.denied', 'This machine session is unknown or has ended.', {
        hint: 'Connect again (patchbay runner does so by itself).',
        status: 409,
      });
    return s;
  }

  /** Ends the machine's session (revoked): its run fails with the reason. */
  disconnect(name: string, reason: string): void {
    this.byMachine.get(name)?.end(reason);
  }

  /** Runs waiting for the machine groups of idle machines are handed to them. */
  dispatch(): void {
    if (this.closed) return;
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    this.scanning = true;
    void this.scan()
      .catch((e: unknown) =>
        this.opts.logger?.warn('Could not hand queued runs to machines.', { error: toErrorData(e).message }),
      )
      .finally(() => {
        this.scanning = false;
        if (this.rescan) {
          this.rescan = false;
          this.dispatch();
        }
      });
  }

  private async scan(): Promise<void> {
    for (const s of this.byMachine.values()) {
      if (s.gone || s.runId || this.closed) continue;
      const queued = await this.opts.platform.store.runs.queuedForMachines(s.machine.environment, s.machine.group, 10);
      const run = queued.find((r) => !this.claiming.has(r.id));
      if (!run || s.gone || s.runId) continue;
      this.execute(s, run.id);
    }
  }

  private execute(session: MachineSession, runId: string): void {
    session.runId = runId;
    this.claiming.add(runId);
    const { platform, emit } = this.opts;
    const done = (async () => {
      try {
        emit({ runId, kind: 'status', status: 'running' });
        const { run } = await platform.runs.execute(runId, {
          workerId: `machine:${session.machine.name}`,
          executor: linkExecutor(session),
          onEvent: (event) => emit({ runId, kind: 'step', event }),
        });
        emit(doneEvent(run));
      } catch (e) {
        // Another server's machine took it first, or it was cancelled meanwhile.
        if (!(e instanceof PatchbayError && (e.code === 'store.conflict' || e.code === 'store.not_found')))
          this.opts.logger?.error('A machine run could not be executed.', { runId, error: toErrorData(e).message });
      } finally {
        this.claiming.delete(runId);
        if (session.runId === runId) session.runId = undefined;
        this.dispatch();
      }
    })();
    this.running.add(done);
    void done.finally(() => this.running.delete(done));
  }

  private ended(s: MachineSession): void {
    this.sessions.delete(s.id);
    if (this.byMachine.get(s.machine.name) !== s) return;
    this.byMachine.delete(s.machine.name);
    this.opts.logger?.info('A machine went offline.', { machine: s.machine.name, reason: s.gone });
    void this.opts.platform.machines.setConnected(s.machine.name, false).catch(() => undefined);
  }

  /** Keeps connected machines' `lastSeenAt` fresh; ends sessions of machines revoked elsewhere (the command line). */
  private async touch(): Promise<void> {
    for (const s of [...this.byMachine.values()]) {
      try {
        const now = await this.opts.platform.store.machines.find(s.machine.name);
        if (!now || now.status !== 'active') {
          s.end(`the machine ${s.machine.name} was revoked`);
          continue;
        }
        await this.opts.platform.machines.touch(s.machine.name);
      } catch {
        // The store is busy or gone: the next round tries again.
      }
    }
  }

  /** Names of the machines connected to this server now. */
  connected(): string[] {
    return [...this.byMachine.keys()];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.scanner);
    clearInterval(this.toucher);
    for (const s of [...this.byMachine.values()])
      s.end(`the server stopped while the machine ${s.machine.name} ran it`);
    await Promise.allSettled([...this.running]);
  }
}
