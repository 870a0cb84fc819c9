/**
 * One HTTP exchange through the per-origin pool, with a timeout and the
 * caller's cancellation. The whole response body is read (connector outputs
 * are values, not streams), bounded by `maxBytes`.
 */
import { PatchbayError } from '@patchbay/core';
import { poolFor } from './pool.js';
import { cancelled } from './retry.js';

export interface Exchange {
  status: number;
  headers: Record<string, string>;
  bytes: Uint8Array;
}

/** Responses larger than this fail instead of filling the memory of the machine. */
export const MAX_RESPONSE_BYTES = 100 * 1024 * 1024;

export async function send(req: {
  origin: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array | string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** For messages: the URL with secrets already redacted. */
  safeUrl: string;
}): Promise<Exchange> {
  if (req.signal?.aborted) throw cancelled();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, req.timeoutMs);
  const onAbort = (): void => controller.abort();
  req.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const res = await poolFor(req.origin).request({
      method: req.method as 'GET',
      path: req.path,
      headers: req.headers,
      body: req.body,
      signal: controller.signal,
    });
    const declared = Number(res.headers['content-length'] ?? 0);
    if (declared > MAX_RESPONSE_BYTES) {
      res.body.destroy();
      throw tooLarge(req.safeUrl);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of res.body) {
      total += (chunk as Buffer).byteLength;
      if (total > MAX_RESPONSE_BYTES) {
        res.body.destroy();
        throw tooLarge(req.safeUrl);
      }
      chunks.push(chunk as Buffer);
    }
    const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
    return { status: res.statusCode, headers: flatHeaders(res.headers), bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) };
  } catch (e) {
    if (e instanceof PatchbayError) throw e;
    if (timedOut) {
      throw new PatchbayError('connector.timeout', `${req.method} ${req.safeUrl} did not answer within ${req.timeoutMs} ms.`, {
        retryable: true,
        hint: 'Try again later, or raise the step\'s timeout.',
      });
    }
    if (req.signal?.aborted) throw cancelled();
    const code = (e as { code?: string }).code;
    throw new PatchbayError('connector.http', `${req.method} ${req.safeUrl} failed: ${code ? `${code} ` : ''}${e instanceof Error ? e.message : String(e)}`, {
      retryable: true,
      hint: 'Check that the service is reachable from this machine (base URL, network, proxy).',
    });
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onAbort);
  }
}

function tooLarge(url: string): PatchbayError {
  return new PatchbayError('connector.http', `The response from ${url} is larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MB.`, { hint: 'Ask the service for less data (filters, smaller pages).' });
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
