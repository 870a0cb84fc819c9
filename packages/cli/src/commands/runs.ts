/** `patchbay runs list|show`: recorded runs and their (redacted) steps. */
import { withPlatform } from '../platform.js';
import type { RunStepAggregate } from '@patchbay/store';
import { printJson, printTable } from '../output.js';

export async function runsListCommand(opts: {
  env?: string;
  flow?: string;
  limit: number;
  json?: boolean;
}): Promise<void> {
  await withPlatform(async (p, me) => {
    const runs = await p.runs.list(me, {
      ...(opts.env ? { environment: opts.env } : {}),
      ...(opts.flow ? { flowId: opts.flow } : {}),
      limit: opts.limit,
    });
    if (opts.json) return printJson(runs);
    printTable(
      runs.map((r) => ({
        id: r.id,
        flow: r.adHocName ?? r.flowId,
        env: r.environment,
        status: r.status,
        queued: r.queuedAt,
        error: r.error?.message,
      })),
      ['id', 'flow', 'env', 'status', 'queued', 'error'],
    );
  });
}

export async function runsShowCommand(id: string, opts: { json?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    const { run, steps, aggregates } = await p.runs.get(me, id);
    if (opts.json) return printJson({ run, steps, aggregates });
    process.stdout.write(
      `${run.id}  ${run.adHocName ?? run.flowId}  ${run.status}${run.error ? ` — ${run.error.message}` : ''}\n`,
    );
    printTable(
      steps.map((s) => ({
        seq: s.seq,
        step: s.stepPath,
        action: s.action,
        status: s.status,
        ms: s.durationMs === null ? null : Number(s.durationMs).toFixed(1),
        error: s.error?.message,
      })),
      ['seq', 'step', 'action', 'status', 'ms', 'error'],
    );
    for (const a of aggregates) process.stdout.write(`${aggregateLine(a)}\n`);
    if (run.recording?.cut)
      process.stdout.write(
        `${run.stepCount ?? 0} steps ran; ${run.recording.recorded} kept in full (recording: ${run.recording.mode}).\n`,
      );
    if (run.outputs && Object.keys(run.outputs).length) printJson(run.outputs);
  });
}

/** "/steps/1/do/0 Variables.Set — 199,000 more runs, 0.3 µs average". */
export function aggregateLine(a: RunStepAggregate): string {
  const avgMs = a.totalMs / a.count;
  const avg = avgMs >= 1 ? `${avgMs.toFixed(1)} ms` : `${(avgMs * 1000).toFixed(1)} µs`;
  return `${a.stepPath} ${a.action} — ${a.count.toLocaleString('en-US')} more run${a.count === 1 ? '' : 's'}, ${avg} average, last ${a.lastStatus}`;
}
