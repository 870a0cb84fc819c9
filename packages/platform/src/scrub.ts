/**
 * A last line of defence for run records: every secret value handed to the
 * invoker during a run is replaced by `***` wherever it appears in step
 * inputs, outputs, errors and run outputs before they are stored or streamed
 * (the engine and the invoker already redact what they know about).
 */
import { REDACTED } from '@patchbay/core';

/** Secrets shorter than this are not searched for inside longer text (too many false hits). */
const MIN_LENGTH = 4;

export class Scrubber {
  private readonly secrets = new Set<string>();
  private sorted: string[] = [];

  add(value: string): void {
    if (typeof value !== 'string' || value === '' || this.secrets.has(value)) return;
    this.secrets.add(value);
    this.sorted = [...this.secrets].filter((s) => s.length >= MIN_LENGTH).sort((a, b) => b.length - a.length);
  }

  /** Adds every text inside `value` (a sensitive input's value may be a list or an object). */
  addAll(value: unknown, depth = 0): void {
    if (typeof value === 'string') this.add(value);
    else if (depth <= 64 && value !== null && typeof value === 'object' && !(value instanceof Uint8Array))
      for (const x of Object.values(value)) this.addAll(x, depth + 1);
  }

  text(s: string): string {
    if (this.secrets.has(s)) return REDACTED;
    let out = s;
    for (const secret of this.sorted) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }

  /** A deep copy of `value` with every secret replaced. */
  value<T>(value: T): T {
    if (this.secrets.size === 0) return value;
    return this.walk(value, 0) as T;
  }

  /**
   * `value` itself when no text inside it holds a secret (nothing is copied), else the scrubbed copy `value`
   * makes. For a value that is serialized at once (a connector-gateway answer on its way to a runner); a value
   * kept for later (a run record) takes `value`'s copy.
   */
  clean<T>(value: T): T {
    if (this.secrets.size === 0 || !this.holds(value, 0)) return value;
    return this.walk(value, 0) as T;
  }

  /** Whether `walk` may change anything in `v`: any string holding a secret, to the same depth. */
  private holds(v: unknown, depth: number): boolean {
    if (typeof v === 'string') {
      if (this.secrets.has(v)) return true;
      for (const secret of this.sorted) if (v.includes(secret)) return true;
      return false;
    }
    if (depth > 64 || v === null || typeof v !== 'object' || v instanceof Uint8Array || v instanceof Date) return false;
    if (Array.isArray(v)) {
      for (const x of v) if (this.holds(x, depth + 1)) return true;
      return false;
    }
    // Anything but a plain object (a data table, a class instance) takes the copy, exactly as before.
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return true;
    for (const x of Object.values(v)) if (this.holds(x, depth + 1)) return true;
    return false;
  }

  private walk(v: unknown, depth: number): unknown {
    if (typeof v === 'string') return this.text(v);
    if (depth > 64 || v === null || typeof v !== 'object' || v instanceof Uint8Array || v instanceof Date) return v;
    if (Array.isArray(v)) return v.map((x) => this.walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = this.walk(x, depth + 1);
    return out;
  }
}
