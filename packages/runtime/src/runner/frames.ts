/**
 * Framing for the gateway pipe: the connector-gateway calls and their results
 * pass between a local runner and its parent on a pipe of their own rather
 * than the IPC channel, each message as one frame: a kind byte, a 32-bit
 * length, then the body. Messages of plain JSON data (most of them: a
 * connector's parameters and its parsed JSON response) are JSON (`J`), which
 * is about twice as quick to pass as Node's advanced IPC serialization; a
 * message holding anything JSON would change (a `Date`, bytes, a data table,
 * `undefined`, a number JSON cannot write) goes as V8's structured clone
 * (`V`), exactly as the IPC channel would carry it.
 */
import { deserialize, serialize } from 'node:v8';

const HEADER = 5;
const JSON_FRAME = 0x4a; // 'J'
const V8_FRAME = 0x56; // 'V'

/** Whether JSON carries this value unchanged: null, strings, booleans, finite numbers, arrays and plain objects of them. */
export function isPlainJson(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v);
    case 'object': {
      if (v === null) return true;
      if (Array.isArray(v)) {
        for (const item of v) if (!isPlainJson(item)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in v) if (!isPlainJson((v as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false;
  }
}

/** One message as a frame. */
export function encodeFrame(message: unknown): Buffer {
  const json = isPlainJson(message);
  const body = json ? JSON.stringify(message) : serialize(message);
  const length = json ? Buffer.byteLength(body as string) : (body as Buffer).length;
  const frame = Buffer.allocUnsafe(HEADER + length);
  frame[0] = json ? JSON_FRAME : V8_FRAME;
  frame.writeUInt32LE(length, 1);
  if (json) frame.write(body as string, HEADER, 'utf8');
  else (body as Buffer).copy(frame, HEADER);
  return frame;
}

/**
 * Reads frames from a stream's chunks and hands each message on, in order. A frame that cannot be read goes to
 * `onError` and ends the reading (the stream is then of no further use).
 */
export function frameReader(
  onMessage: (message: unknown) => void,
  onError: (e: unknown) => void,
): (chunk: Buffer) => void {
  let pending: Buffer | undefined;
  let broken = false;
  return (chunk) => {
    if (broken) return;
    let buf = pending ? Buffer.concat([pending, chunk]) : chunk;
    pending = undefined;
    while (buf.length >= HEADER) {
      const length = buf.readUInt32LE(1);
      if (buf.length < HEADER + length) break;
      const body = buf.subarray(HEADER, HEADER + length);
      const kind = buf[0];
      buf = buf.subarray(HEADER + length);
      let message: unknown;
      try {
        if (kind === JSON_FRAME) message = JSON.parse(body.toString('utf8'));
        else if (kind === V8_FRAME) message = deserialize(body);
        else throw new Error(`unknown frame kind ${kind}`);
      } catch (e) {
        broken = true;
        onError(e);
        return;
      }
      onMessage(message);
    }
    if (buf.length) pending = Buffer.from(buf);
  };
}
