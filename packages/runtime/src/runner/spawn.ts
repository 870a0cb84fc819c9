/**
 * Starting one runner process: a scrubbed environment, a working folder of its
 * own, a heap limit and — when this process is root — an unprivileged OS user.
 * The pool (`pool.ts`) keeps and reuses what this starts. `startRunnerEarly`
 * lets `patchbay run` fork its runner before it loads the engine and opens the
 * store; the first pool that warms up with the same settings takes it.
 * Imports nothing of the engine, so the command can call it first thing.
 */
import { fork, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The error family alone: the whole engine would defeat the point of starting early.
import { PatchbayError } from '@patchbay/core/errors';
import { frameReader } from './frames.js';
import { PROTOCOL_VERSION, type FromRunner } from './protocol.js';

/** The settings `runnerSettingsFromEnv` reads (the rest of `RunnerPoolOptions` has no variable). */
export interface RunnerSettings {
  timeoutMs?: number;
  memoryMb?: number;
  maxRunners?: number;
  user?: string;
}

/** Settings read from the environment, for the server, the worker and the command. */
export function runnerSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RunnerSettings {
  const num = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0)
      throw new PatchbayError(
        'store.invalid',
        `${name} must be a number${name.endsWith('_MB') ? ' of MB' : name.endsWith('TIMEOUT') ? ' of seconds' : ''}, not "${raw}".`,
        {
          hint: `Unset ${name} to use the default.`,
        },
      );
    return n;
  };
  const timeout = num('PATCHBAY_RUN_TIMEOUT');
  const runners = num('PATCHBAY_RUNNERS');
  const memory = num('PATCHBAY_RUNNER_MEMORY_MB');
  return {
    ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}),
    ...(memory !== undefined && memory > 0 ? { memoryMb: memory } : {}),
    ...(runners !== undefined && runners >= 1 ? { maxRunners: Math.floor(runners) } : {}),
    ...(env.PATCHBAY_RUNNER_USER ? { user: env.PATCHBAY_RUNNER_USER } : {}),
  };
}

export const DEFAULT_MEMORY_MB = 1024;
export const DEFAULT_RUNNER_USER = 'patchbay-runner';
const STDERR_TAIL = 4096;

/** The environment a runner starts with: nothing of Patchbay's, no URL, no key. */
export function runnerEnvironment(home: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = { HOME: home, PATH: env.PATH || '/usr/local/bin:/usr/bin:/bin' };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (k === 'LANG' || k === 'TZ' || k.startsWith('LC_')) out[k] = v;
  }
  return out;
}

export interface Identity {
  uid: number;
  gid: number;
}

/** The OS user runners run as: the named user when this process is root, else null (no privileges to drop). */
export function runnerIdentity(user: string): Identity | null {
  return process.getuid?.() === 0 ? (lookupUser(user) ?? null) : null;
}

/**
 * The user's ids: from /etc/passwd when the system reads users only from files (no process to start), else
 * from `id` (directory services).
 */
function lookupUser(name: string): Identity | undefined {
  const fromFiles = passwdEntry(name);
  if (fromFiles !== null) return fromFiles;
  try {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const uid = id('-u');
    const gid = id('-g');
    return Number.isInteger(uid) && Number.isInteger(gid) && uid > 0 ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/** The user from /etc/passwd: its ids, undefined when absent, null when users may come from elsewhere too. */
function passwdEntry(name: string): Identity | undefined | null {
  try {
    const sources = /^passwd:(.*)$/m.exec(readFileSync('/etc/nsswitch.conf', 'utf8'))?.[1] ?? 'files';
    const filesOnly = sources
      .replace(/\[[^\]]*\]/g, ' ')
      .trim()
      .split(/\s+/)
      .every((s) => s === 'files' || s === 'compat' || s === 'systemd');
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name}:`));
    if (line) {
      const [, , uid, gid] = line.split(':');
      const ids = { uid: Number(uid), gid: Number(gid) };
      return Number.isInteger(ids.uid) && Number.isInteger(ids.gid) && ids.uid > 0 ? ids : undefined;
    }
    return filesOnly ? undefined : null;
  } catch {
    return null;
  }
}

let entryPath: string | undefined;
/** The runner's entry file: `@patchbay/runtime/runner` (dist/runner.js). */
export function runnerEntry(): string {
  entryPath ??= createRequire(import.meta.url).resolve('@patchbay/runtime/runner');
  return entryPath;
}

/** Which way a message came: the IPC channel, or the gateway pipe (fd 4, `frames.ts`). */
export type Channel = 'ipc' | 'pipe';

export interface Runner {
  child: ChildProcess;
  /** The gateway pipe: connector-gateway calls and their results. */
  pipe: Socket;
  folder: string;
  ready: Promise<void>;
  /** What it was started with; a pool takes an early runner only when they match its own. */
  started: { entry: string; memoryMb: number; identity: Identity | null };
  /** Retires it when it has been idle too long (only beyond `keepWarm`). */
  idleTimer?: NodeJS.Timeout;
  /** Set while a run uses it: receives its messages and its end. */
  onMessage?: (m: FromRunner, via: Channel) => void;
  onExit?: (reason: string) => void;
  exited?: string;
  stderr: string;
}

function stopReason(code: number | null, signal: NodeJS.Signals | null, stderr: string, memoryMb: number): string {
  if (/heap out of memory|Allocation failed/i.test(stderr))
    return `it ran out of memory (the limit is ${memoryMb} MB, PATCHBAY_RUNNER_MEMORY_MB)`;
  return signal ? `signal ${signal}` : `exit code ${code ?? 'unknown'}`;
}

/** Forks one runner. When it exits, `exited` says why and its folder is removed. */
export function spawnRunner(opts: { entry: string; memoryMb: number; identity: Identity | null }): Runner {
  const who = opts.identity;
  const folder = mkdtempSync(join(tmpdir(), 'patchbay-runner-'));
  if (who) chownSync(folder, who.uid, who.gid);
  const child = fork(opts.entry, ['--gateway-pipe'], {
    cwd: folder,
    env: runnerEnvironment(folder),
    execArgv: [`--max-old-space-size=${opts.memoryMb}`],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc', 'pipe'],
    ...(who ? { uid: who.uid, gid: who.gid } : {}),
  });
  const pipe = child.stdio[4] as Socket;
  const runner: Runner = { child, pipe, folder, stderr: '', ready: Promise.resolve(), started: { ...opts } };
  child.once('exit', (code, signal) => {
    runner.exited = stopReason(code, signal, runner.stderr, opts.memoryMb);
    rmSync(folder, { recursive: true, force: true });
  });
  runner.ready = new Promise<void>((resolve, reject) => {
    const onReady = (m: FromRunner) => {
      if (m?.type !== 'ready') return;
      child.off('message', onReady);
      if (m.version === PROTOCOL_VERSION) resolve();
      else reject(new PatchbayError('internal', `The runner speaks protocol ${m.version}, not ${PROTOCOL_VERSION}.`));
    };
    child.on('message', onReady);
    child.once('exit', () =>
      reject(new PatchbayError('run.stopped', `The runner stopped before it started: ${runner.exited}.`)),
    );
  });
  runner.ready.catch(() => undefined);
  child.stderr?.on('data', (chunk: Buffer) => {
    runner.stderr = (runner.stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
  });
  child.on('message', (m: FromRunner) => runner.onMessage?.(m, 'ipc'));
  // Only gateway calls come this way; a frame that cannot be read ends the runner (and so its run).
  pipe.on(
    'data',
    frameReader(
      (m) => {
        if ((m as FromRunner)?.type === 'gateway') runner.onMessage?.(m as FromRunner, 'pipe');
      },
      () => child.kill('SIGKILL'),
    ),
  );
  pipe.on('error', () => undefined);
  child.on('error', () => undefined);
  return runner;
}

/** Lets this process exit while the runner lives (an idle runner, or one started early). */
export function unrefRunner(runner: Runner): void {
  runner.child.unref();
  runner.child.channel?.unref();
  runner.pipe.unref();
  (runner.child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
}

let early: Runner | undefined;

/**
 * Forks a runner now, with the settings of the environment, for the run this command is about to start: it
 * boots while the command loads the engine and opens the store. The first `RunnerPool` that warms up with the
 * same settings takes it; one nobody takes is stopped when this process exits. Any problem is left for the run
 * to report.
 */
export function startRunnerEarly(env: NodeJS.ProcessEnv = process.env): void {
  if (early) return;
  try {
    const settings = runnerSettingsFromEnv(env);
    const runner = spawnRunner({
      entry: runnerEntry(),
      memoryMb: settings.memoryMb ?? DEFAULT_MEMORY_MB,
      identity: runnerIdentity(settings.user ?? DEFAULT_RUNNER_USER),
    });
    unrefRunner(runner);
    early = runner;
    process.once('exit', () => {
      if (early !== runner) return;
      runner.child.kill('SIGKILL');
      rmSync(runner.folder, { recursive: true, force: true });
    });
  } catch {
    early = undefined;
  }
}

/** The runner `startRunnerEarly` forked, when it was started as `wanted` and is still alive; taken once. */
export function takeEarlyRunner(wanted: Runner['started']): Runner | undefined {
  const runner = early;
  if (!runner || runner.exited) return undefined;
  const s = runner.started;
  const same =
    s.entry === wanted.entry &&
    s.memoryMb === wanted.memoryMb &&
    s.identity?.uid === wanted.identity?.uid &&
    s.identity?.gid === wanted.identity?.gid;
  if (!same) return undefined;
  early = undefined;
  return runner;
}
