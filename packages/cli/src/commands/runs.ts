/** `patchbay runs list|show`: recorded runs and their (redacted) steps. */
import { withPlatform } from '../platform.js';
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
    const { run, steps } = await p.runs.get(me, id);
    if (opts.json) return printJson({ run, steps });
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
    if (run.outputs && Object.keys(run.outputs).length) printJson(run.outputs);
  });
}
