/**
 * `Host.shell` for Node.js: runs one command line through the system shell
 * (`/bin/sh -c` or `cmd.exe /d /s /c`), with a timeout and the run's abort
 * signal. On timeout or cancel the whole process tree is stopped: the command
 * runs in its own process group (POSIX) or is ended with `taskkill /T` (Windows).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { PatchbayError } from '@patchbay/core';
import { cancelledError } from './clock.js';
import { flowProcessEnv } from './secret-env.js';

export interface ShellRunOptions {
  cwd?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  env?: Record<string, string>;
}

export interface ShellResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Output kept per stream; the rest is dropped with a note, so a chatty command cannot exhaust memory. */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
/** Time between the polite stop (SIGTERM) and the forced one (SIGKILL). */
const KILL_GRACE_MS = 2000;

function collector() {
  const chunks: Buffer[] = [];
  let size = 0;
  let dropped = false;
  return {
    add(chunk: Buffer) {
      if (size >= MAX_OUTPUT_BYTES) {
        dropped = true;
        return;
      }
      const part = size + chunk.length > MAX_OUTPUT_BYTES ? chunk.subarray(0, MAX_OUTPUT_BYTES - size) : chunk;
      dropped ||= part.length < chunk.length;
      chunks.push(part);
      size += part.length;
    },
    text(): string {
      const s = Buffer.concat(chunks).toString('utf8');
      return dropped ? `${s}\n[output truncated after ${MAX_OUTPUT_BYTES} bytes]` : s;
    },
  };
}

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') {
      spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on(
        'error',
        () => undefined,
      );
    } else {
      process.kill(-child.pid, signal);
    }
  } catch {
    // The group has already gone.
  }
}

export function runShell(command: string, opts: ShellRunOptions = {}): Promise<ShellResult> {
  if (opts.signal?.aborted) return Promise.reject(cancelledError());
  return new Promise<ShellResult>((resolve, reject) => {
    const win = process.platform === 'win32';
    const child = spawn(
      win ? (process.env.ComSpec ?? 'cmd.exe') : '/bin/sh',
      win ? ['/d', '/s', '/c', `"${command}"`] : ['-c', command],
      {
        cwd: opts.cwd,
        env: { ...flowProcessEnv(), ...opts.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: !win,
        windowsHide: true,
        windowsVerbatimArguments: win,
      },
    );
    const out = collector();
    const err = collector();
    child.stdout?.on('data', (c: Buffer) => out.add(c));
    child.stderr?.on('data', (c: Buffer) => err.add(c));

    let settled = false;
    let stopReason: 'timeout' | 'cancel' | undefined;
    let forceTimer: NodeJS.Timeout | undefined;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const stop = (reason: 'timeout' | 'cancel') => {
      if (stopReason || settled) return;
      stopReason = reason;
      killTree(child, 'SIGTERM');
      forceTimer = setTimeout(() => killTree(child, 'SIGKILL'), KILL_GRACE_MS);
      forceTimer.unref();
    };
    const onAbort = () => stop('cancel');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      opts.timeoutMs !== undefined && opts.timeoutMs > 0
        ? setTimeout(() => stop('timeout'), opts.timeoutMs)
        : undefined;

    child.on('error', (e: NodeJS.ErrnoException) => {
      finish(() => {
        if (e.code === 'ENOENT' && opts.cwd)
          reject(
            new PatchbayError('action.failed', `The working folder ${opts.cwd} does not exist.`, {
              hint: 'Give an existing working folder.',
            }),
          );
        else
          reject(new PatchbayError('action.failed', `The command could not be started: ${e.message}.`, { cause: e }));
      });
    });
    // After a stop, settle as soon as the command itself exits: children it left
    // behind may still hold the output pipes open until SIGKILL reaches them.
    child.on('exit', () => {
      if (!stopReason) return;
      // Make sure nothing of the tree survives the polite stop.
      killTree(child, 'SIGKILL');
      clearTimeout(forceTimer);
      finish(() => {
        if (stopReason === 'cancel') reject(cancelledError());
        else
          reject(
            new PatchbayError(
              'action.failed',
              `The command did not finish within ${(opts.timeoutMs ?? 0) / 1000} s and was stopped.`,
              {
                retryable: true,
                hint: 'Raise the timeout, or check why the command hangs (is it waiting for input?).',
              },
            ),
          );
      });
    });
    child.on('close', (code, signal) => {
      finish(() =>
        resolve({
          stdout: out.text(),
          stderr: err.text(),
          exitCode: code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : -1),
        }),
      );
    });
  });
}
