/** How the command prints: JSON for scripts, short tables for people, one-line errors on stderr. */

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, jsonReplacer, 2) + '\n');
}

/** Values that JSON cannot show as they are: binary as base64, dates as ISO text. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return { $binary: Buffer.from(value).toString('base64') };
  return value;
}

/** Rows of any object type, with the columns named by their keys (checked by the compiler). */
export function printTable<T extends object>(rows: readonly T[], columns: readonly (keyof T & string)[]): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const cells = rows.map((r) => columns.map((c) => formatCell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  process.stdout.write(line(columns.map((c) => c.toUpperCase())) + '\n');
  for (const row of cells) process.stdout.write(line(row) + '\n');
}

function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (Array.isArray(v)) return v.map(formatCell).join(', ') || '-';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A failure: one line on stderr and a non-zero exit code. */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

export async function fail(e: unknown): Promise<never> {
  if (e instanceof CliExit) {
    if (e.message) process.stderr.write(`patchbay: ${e.message}\n`);
    process.exit(e.exitCode);
  }
  // Loaded only on failure, so commands that never touch the engine start fast.
  const { describeError } = await import('@patchbay/core');
  const line = describeError(e).replace(/\s*\n\s*/g, ' ');
  process.stderr.write(`patchbay: ${line}\n`);
  if (process.env.PATCHBAY_DEBUG && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
  process.exit(1);
}

/** Collects repeatable `--opt NAME=VALUE` flags into a record. */
export function collectPairs(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new CliExit(2, `expected NAME=VALUE, got '${value}'`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

/**
 * Parses an option that takes a whole number, e.g. `.option('--limit <N>', '…', wholeNumber('--limit', 1, 1000), 20)`;
 * anything else (`abc`, `2.5`, `-1`, out of range) is refused by the flag's name instead of reaching a command as NaN.
 */
export function wholeNumber(flag: string, min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new CliExit(
        2,
        `${flag} expects a whole number ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`}, not '${value}'`,
      );
    }
    return n;
  };
}
