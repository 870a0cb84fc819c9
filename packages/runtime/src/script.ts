/**
 * `Host.script` for Node.js: user JavaScript in QuickJS, inside a worker
 * thread (`script-worker.mjs`). The time limit is enforced twice: QuickJS's
 * interrupt handler stops the script, and the worker is terminated if it does
 * not answer shortly after. Cancelling the run terminates the worker at once.
 */
import { PatchbayError, isValueObject, type Value } from '@patchbay/core';
import { cancelledError } from './clock.js';
import { acquireWorker, discardWorker, releaseWorker } from './script-pool.js';

export interface ScriptLimits {
  timeoutMs: number;
  memoryBytes: number;
}

export const DEFAULT_SCRIPT_LIMITS: ScriptLimits = { timeoutMs: 30_000, memoryBytes: 64 * 1024 * 1024 };

export interface ScriptRunOptions {
  inputs?: Record<string, Value>;
  timeoutMs?: number;
  memoryBytes?: number;
  signal?: AbortSignal;
  onConsole?(level: 'log' | 'info' | 'warn' | 'error' | 'debug', text: string): void;
}

type WorkerMessage =
  | { type: 'console'; level: 'log' | 'info' | 'warn' | 'error' | 'debug'; text: string }
  | { type: 'result'; json: string }
  | {
      type: 'error';
      kind: 'script' | 'result' | 'timeout' | 'memory' | 'pending' | 'internal';
      name?: string;
      message?: string;
      line?: number;
      column?: number;
    };

const MAX_CONSOLE_CHARS = 1_000_000;
let jobCounter = 0;
/** Time the worker gets, beyond the limit, to report the interrupt itself before it is terminated. */
const TERMINATE_GRACE_MS = 2000;

/** A Value as tagged JSON for the sandbox (dates and binary survive the crossing). */
function encodeValue(v: Value): string {
  return JSON.stringify(v, function (this: Record<string, unknown>, key: string, val: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return { $pbDate: raw.toISOString() };
    if (raw instanceof Uint8Array) return { $pbBinary: Array.from(raw) };
    return val;
  });
}

function decodeValue(json: string): Value {
  return JSON.parse(json, (_k, v: unknown) => {
    if (isValueObject(v as Value)) {
      const keys = Object.keys(v as object);
      const o = v as Record<string, unknown>;
      if (keys.length === 1 && keys[0] === '$pbDate') return typeof o.$pbDate === 'string' ? new Date(o.$pbDate) : null;
      if (keys.length === 1 && keys[0] === '$pbBinary' && Array.isArray(o.$pbBinary))
        return Uint8Array.from(o.$pbBinary as number[]);
    }
    return v;
  }) as Value;
}

function limitError(kind: 'timeout' | 'memory', limits: ScriptLimits): PatchbayError {
  return kind === 'timeout'
    ? new PatchbayError(
        'action.failed',
        `The script did not finish within ${limits.timeoutMs / 1000} s and was stopped.`,
        { hint: 'Look for an endless loop, or raise the time limit.' },
      )
    : new PatchbayError(
        'action.failed',
        `The script used more than ${Math.round(limits.memoryBytes / 1024 / 1024)} MB of memory and was stopped.`,
        { hint: 'Work on smaller data, or raise the memory limit.' },
      );
}

function scriptError(m: Extract<WorkerMessage, { type: 'error' }>, limits: ScriptLimits): PatchbayError {
  switch (m.kind) {
    case 'timeout':
    case 'memory':
      return limitError(m.kind, limits);
    case 'pending':
      return new PatchbayError('action.failed', 'The script waits for a promise that never settles.', {
        hint: 'The sandbox has no timers or network; make sure every awaited promise is resolved by the script itself.',
      });
    case 'result':
      return new PatchbayError(
        'action.failed',
        `The script's return value cannot be used: ${m.message ?? 'it is not JSON-compatible'}.`,
        { hint: 'Return text, numbers, booleans, dates, lists or plain objects (no cycles).' },
      );
    case 'script': {
      if (m.name === 'InternalError' && /out of memory/i.test(m.message ?? '')) return limitError('memory', limits);
      const at =
        m.line !== undefined ? ` at line ${m.line}${m.column !== undefined ? `, column ${m.column}` : ''}` : '';
      const hint =
        m.name === 'ReferenceError'
          ? 'The sandbox has no Node.js APIs (require, process, fs) and no browser APIs; pass values in as inputs.'
          : 'Fix the script at the line shown.';
      return new PatchbayError('action.failed', `JavaScript ${m.name ?? 'Error'}${at}: ${m.message ?? ''}`, { hint });
    }
    case 'internal':
      return new PatchbayError('internal', `The script sandbox failed: ${m.message ?? 'unknown error'}.`);
  }
}

/** Runs `code` as the body of an async function: top-level `return` and `await` work; inputs are global variables. */
export function runJavaScript(
  code: string,
  opts: ScriptRunOptions = {},
  hostLimits: ScriptLimits = DEFAULT_SCRIPT_LIMITS,
): Promise<Value> {
  // A step may ask for less than the host allows, never more.
  const limits: ScriptLimits = {
    timeoutMs: Math.min(opts.timeoutMs ?? hostLimits.timeoutMs, hostLimits.timeoutMs),
    memoryBytes: Math.min(opts.memoryBytes ?? hostLimits.memoryBytes, hostLimits.memoryBytes),
  };
  if (opts.signal?.aborted) return Promise.reject(cancelledError());
  const inputsJson: Record<string, string> = {};
  for (const [name, value] of Object.entries(opts.inputs ?? {})) inputsJson[name] = encodeValue(value);

  return new Promise<Value>((resolve, reject) => {
    const worker = acquireWorker();
    const id = ++jobCounter;
    let settled = false;
    const finish = (reuse: boolean, fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(hardStop);
      opts.signal?.removeEventListener('abort', onAbort);
      if (reuse) releaseWorker(worker);
      else discardWorker(worker);
      fn();
    };
    const onAbort = () => finish(false, () => reject(cancelledError()));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    // Worker start-up and QuickJS loading count against the grace, not the script's own limit.
    const hardStop = setTimeout(
      () => finish(false, () => reject(limitError('timeout', limits))),
      limits.timeoutMs + TERMINATE_GRACE_MS,
    );

    worker.on('message', (m: WorkerMessage & { id: number }) => {
      if (m.id !== id) return;
      if (m.type === 'console') {
        if (!settled) opts.onConsole?.(m.level, m.text);
      } else if (m.type === 'result') {
        finish(true, () => resolve(decodeValue(m.json)));
      } else {
        // A script's own exception leaves the worker healthy; limits and sandbox failures do not.
        finish(m.kind === 'script' || m.kind === 'result' || m.kind === 'pending', () =>
          reject(scriptError(m, limits)),
        );
      }
    });
    worker.on('error', (e) => {
      const memory = (e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      finish(false, () =>
        reject(
          memory
            ? limitError('memory', limits)
            : new PatchbayError('internal', `The script sandbox failed: ${e.message}.`, { cause: e }),
        ),
      );
    });
    worker.on('exit', () =>
      finish(false, () => reject(new PatchbayError('internal', 'The script sandbox stopped without an answer.'))),
    );
    worker.postMessage({
      id,
      code,
      inputsJson,
      timeoutMs: limits.timeoutMs,
      memoryBytes: limits.memoryBytes,
      maxOutputChars: MAX_CONSOLE_CHARS,
    });
  });
}
