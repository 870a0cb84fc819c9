/**
 * One HTTP exchange through the per-origin pool, with a timeout and the
 * caller's cancellation. The whole response body is read (connector outputs
 * are values, not streams), bounded by `maxBytes`.
 */
import { PatchbayError } from '@patchbay/core';
import { loadPools, poolFor } from './pool.js';

let poolsLoaded = false;
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
  /** For messages: the URL with secrets already redacted (worked out only when a message needs it). */
  safeUrl: () => string;
}): Promise<Exchange> {
  if (req.signal?.aborted) throw cancelled();
  if (!poolsLoaded) {
    await loadPools();
    poolsLoaded = true;
  }
  try {
    // The timeout is undici's own (headers, then body): no timer or AbortController per request on the hot path.
    const res = await poolFor(req.origin).request({
      method: req.method as 'GET',
      path: req.path,
      headers: req.headers,
      body: req.body,
      signal: req.signal,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    });
    const declared = res.headers['content-length'] === undefined ? -1 : Number(res.headers['content-length']);
    if (declared > MAX_RESPONSE_BYTES) {
      res.body.destroy();
      throw tooLarge(req.safeUrl());
    }
    let bytes: Uint8Array;
    if (declared >= 0) bytes = new Uint8Array(await res.body.arrayBuffer());
    else {
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of res.body) {
        total += (chunk as Buffer).byteLength;
        if (total > MAX_RESPONSE_BYTES) {
          res.body.destroy();
          throw tooLarge(req.safeUrl());
        }
        chunks.push(chunk as Buffer);
      }
      const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
      bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    return { status: res.statusCode, headers: flatHeaders(res.headers), bytes };
  } catch (e) {
    if (e instanceof PatchbayError) throw e;
    if (req.signal?.aborted) throw cancelled();
    const code = (e as { code?: string }).code;
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      throw new PatchbayError(
        'connector.timeout',
        `${req.method} ${req.safeUrl()} did not answer within ${req.timeoutMs} ms.`,
        {
          retryable: true,
          hint: "Try again later, or raise the step's timeout.",
        },
      );
    }
    throw new PatchbayError(
      'connector.http',
      `${req.method} ${req.safeUrl()} failed: ${code ? `${code} ` : ''}${e instanceof Error ? e.message : String(e)}`,
      {
        retryable: true,
        hint: 'Check that the service is reachable from this machine (base URL, network, proxy).',
      },
    );
  }
}

function tooLarge(url: string): PatchbayError {
  return new PatchbayError(
    'connector.http',
    `The response from ${url} is larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MB.`,
    { hint: 'Ask the service for less data (filters, smaller pages).' },
  );
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
