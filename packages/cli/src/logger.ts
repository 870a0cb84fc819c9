/**
 * The CLI's logger: flow log messages and warnings on stderr, debug only with
 * PATCHBAY_DEBUG. `secrets` (a run's sensitive input values) are written as
 * `***` wherever they appear in a message, as the platform does for its runs.
 */
import { REDACTED, type Logger } from '@patchbay/core';

/** Secrets shorter than this are only hidden when they are the whole message (too many false hits inside text). */
const MIN_LENGTH = 4;

export function createCliLogger(stream: NodeJS.WriteStream = process.stderr, secrets: readonly string[] = []): Logger {
  const exact = new Set(secrets);
  const inside = [...exact].filter((s) => s.length >= MIN_LENGTH).sort((a, b) => b.length - a.length);
  const scrub = (msg: string) =>
    exact.has(msg) ? REDACTED : inside.reduce((out, s) => out.split(s).join(REDACTED), msg);
  const write = (level: string, msg: string) => stream.write(`${level}: ${scrub(msg)}\n`);
  return {
    debug: (msg) => {
      if (process.env.PATCHBAY_DEBUG) write('debug', msg);
    },
    info: (msg) => write('info', msg),
    warn: (msg) => write('warn', msg),
    error: (msg) => write('error', msg),
  };
}

/** Every text inside the values of a flow's sensitive inputs (a sensitive list or custom object hides all its text). */
export function sensitiveTexts(
  declared: Record<string, { sensitive?: boolean }>,
  inputs: Record<string, unknown>,
): string[] {
  const out: string[] = [];
  const collect = (v: unknown, depth: number): void => {
    if (typeof v === 'string') {
      if (v !== '') out.push(v);
    } else if (depth < 64 && v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
      for (const x of Object.values(v)) collect(x, depth + 1);
    }
  };
  for (const [name, spec] of Object.entries(declared)) if (spec.sensitive) collect(inputs[name], 0);
  return out;
}
