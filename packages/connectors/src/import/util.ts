/** Small helpers the import pipeline shares: defensive readers over untyped JSON and a warning list. */

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value as a record, or an empty one. */
export function obj(v: unknown): Record<string, unknown> {
  return isObject(v) ? v : {};
}

/** The value as a list, or an empty one. */
export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A non-empty trimmed string, or undefined. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Strings only, from a list or a single string. */
export function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return list(v).filter((x): x is string => typeof x === 'string');
}

/** Power Platform writes booleans as `"true"` too. */
export function truthy(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');
}

const MAX_WARNINGS = 200;

/** Distinct warnings, capped so a broken file cannot flood the output. */
export class Warnings {
  private readonly seen = new Set<string>();
  private dropped = 0;

  add(message: string): void {
    if (this.seen.has(message)) return;
    if (this.seen.size >= MAX_WARNINGS) {
      this.dropped++;
      return;
    }
    this.seen.add(message);
  }

  list(): string[] {
    const out = [...this.seen];
    if (this.dropped > 0) out.push(`… and ${this.dropped} more warnings.`);
    return out;
  }
}
