/**
 * Power Platform's default retry policy: exponential, 4 retries, 7.5 s
 * interval, each wait between 5 s and 45 s, on 408, 429 and 5xx (and on
 * connection failures). A `Retry-After` header (seconds or an HTTP date)
 * replaces the computed wait. Every wait is cancellable.
 */
import { PatchbayError } from '@patchbay/core';

export interface RetryPolicy {
  /** Retries after the first attempt (0 = no retry). */
  count: number;
  intervalMs: number;
  minMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { count: 4, intervalMs: 7_500, minMs: 5_000, maxMs: 45_000 };

/** A `Retry-After` longer than this fails the call instead of parking a run for hours. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

export function resolveRetry(partial?: Partial<RetryPolicy>): RetryPolicy {
  if (!partial) return DEFAULT_RETRY;
  const r: RetryPolicy = { ...DEFAULT_RETRY, ...definedOnly(partial) };
  // A step that only says "retry 2 times every 100 ms" should not wait 5 s.
  if (partial.intervalMs !== undefined && partial.minMs === undefined) r.minMs = Math.min(r.minMs, partial.intervalMs);
  if (partial.intervalMs !== undefined && partial.maxMs === undefined)
    r.maxMs = Math.max(partial.intervalMs, Math.min(r.maxMs, partial.intervalMs * 8));
  for (const k of ['count', 'intervalMs', 'minMs', 'maxMs'] as const) {
    if (!Number.isFinite(r[k]) || r[k] < 0)
      throw new PatchbayError(
        'action.param',
        `The retry policy's ${k} must be a number of 0 or more, not ${String(r[k])}.`,
        { hint: "Fix the step's retry settings." },
      );
  }
  r.count = Math.floor(r.count);
  return r;
}

function definedOnly(p: Partial<RetryPolicy>): Partial<RetryPolicy> {
  const out: Partial<RetryPolicy> = {};
  for (const [k, v] of Object.entries(p) as [keyof RetryPolicy, number | undefined][]) if (v !== undefined) out[k] = v;
  return out;
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** The wait before retry number `retry` (1-based). */
export function backoffMs(policy: RetryPolicy, retry: number): number {
  const exp = policy.intervalMs * 2 ** (retry - 1);
  // ±20 % jitter, as Power Platform's "exponential interval" does, so that many runs do not retry in step.
  const jittered = exp * (0.8 + Math.random() * 0.4);
  return Math.round(Math.min(policy.maxMs, Math.max(policy.minMs, jittered)));
}

/** Milliseconds from a `Retry-After` header, or undefined when absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.min(MAX_RETRY_AFTER_MS, Math.round(Number(text) * 1000));
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - now));
}

/** Resolves after `ms`, or rejects with `run.cancelled` as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(cancelled());
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function cancelled(): PatchbayError {
  return new PatchbayError('run.cancelled', 'The connector call was cancelled.');
}
