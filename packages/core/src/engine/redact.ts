/**
 * Redaction: values of sensitive inputs, variables and environment variables
 * never reach events, step records, errors or outputs. Values of names marked
 * sensitive are remembered as they are set, and every text leaving the run is
 * scrubbed of them; parameters that are sensitive or read a sensitive
 * variable are replaced whole.
 */
import type { ErrorData } from '../errors.js';
import { DataRow, DataTable, isValueObject, type Value } from '../values.js';
import { toJsonData } from '../expressions/format.js';

export const REDACTED = '***';
/** Shorter secrets are only redacted where they are a whole value, not inside longer text. */
const MIN_SUBSTRING = 4;

export class Redactor {
  private readonly names = new Set<string>();
  private readonly secrets = new Set<string>();
  private sorted: string[] = [];

  constructor(names: Iterable<string> = []) {
    for (const n of names) this.names.add(n);
  }

  get active(): boolean {
    return this.secrets.size > 0;
  }

  addName(name: string): void {
    this.names.add(name);
  }

  isSensitiveName(name: string): boolean {
    return this.names.has(name);
  }

  /** True when any of the names is sensitive. */
  anySensitive(names: readonly string[]): boolean {
    if (this.names.size === 0) return false;
    for (const n of names) if (this.names.has(n)) return true;
    return false;
  }

  /** Remembers a sensitive value (every text and number inside it). */
  addSecret(v: Value): void {
    if (v === null || v instanceof Date || v instanceof Uint8Array) return;
    if (typeof v === 'string') {
      if (v !== '' && !this.secrets.has(v)) {
        this.secrets.add(v);
        this.sorted = [...this.secrets].sort((a, b) => b.length - a.length);
      }
      return;
    }
    if (typeof v === 'number') return this.addSecret(String(v));
    if (typeof v === 'boolean') return;
    if (v instanceof DataTable) for (const r of v.rows) this.addSecret(r);
    else if (v instanceof DataRow) this.addSecret([...v.values]);
    else if (Array.isArray(v)) for (const x of v) this.addSecret(x);
    else if (isValueObject(v)) for (const x of Object.values(v)) this.addSecret(x);
  }

  text(s: string): string {
    if (this.secrets.size === 0) return s;
    if (this.secrets.has(s)) return REDACTED;
    let out = s;
    for (const secret of this.sorted)
      if (secret.length >= MIN_SUBSTRING && out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }

  /** A copy of a value safe to show: secrets scrubbed, binary summarised. */
  value(v: unknown): unknown {
    if (typeof v === 'string') return this.text(v);
    if (v === null || typeof v !== 'object')
      return this.secrets.size && typeof v === 'number' && this.secrets.has(String(v)) ? REDACTED : v;
    if (v instanceof Uint8Array) return `[binary, ${v.byteLength} bytes]`;
    if (v instanceof Date) return v;
    if (v instanceof DataTable || v instanceof DataRow) return this.value(toJsonData(v));
    if (Array.isArray(v)) return this.secrets.size ? v.map((x) => this.value(x)) : v;
    if (!this.secrets.size) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = this.value(x);
    return out;
  }

  /** A value with secrets scrubbed from its texts, keeping its types (for run outputs). */
  scrub(v: Value): Value {
    if (!this.secrets.size) return v;
    if (typeof v === 'string') return this.text(v);
    if (typeof v === 'number') return this.secrets.has(String(v)) ? REDACTED : v;
    if (Array.isArray(v)) return v.map((x) => this.scrub(x));
    if (v instanceof DataTable)
      return new DataTable(
        v.columns,
        v.rows.map((r) => r.map((x) => this.scrub(x))),
      );
    if (v instanceof DataRow)
      return new DataRow(
        v.columns,
        v.values.map((x) => this.scrub(x)),
      );
    if (isValueObject(v)) {
      const out: Record<string, Value> = {};
      for (const [k, x] of Object.entries(v)) out[k] = this.scrub(x);
      return out;
    }
    return v;
  }

  error(d: ErrorData): ErrorData {
    if (!this.secrets.size) return d;
    const out: ErrorData = { ...d, message: this.text(d.message) };
    if (d.hint !== undefined) out.hint = this.text(d.hint);
    return out;
  }
}
