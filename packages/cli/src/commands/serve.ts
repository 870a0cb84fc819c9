/** `patchbay serve` (the API and the designer) and `patchbay worker` (a queue worker for scale-out). */
import { closeOnSignals, startServer, startWorker } from '@patchbay/server';

export async function serveCommand(opts: {
  port: number;
  host: string;
  concurrency?: number;
  worker?: boolean;
  log?: string;
}): Promise<void> {
  const server = await startServer({
    port: opts.port,
    host: opts.host,
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    ...(opts.worker ? { worker: true } : {}),
    // Request logs are for operators who ask for them (--log info); a desktop user sees warnings and errors.
    log: opts.log ?? 'warn',
    ...(process.env.PATCHBAY_PUBLIC_URL ? { publicUrl: process.env.PATCHBAY_PUBLIC_URL } : {}),
  });
  process.stdout.write(
    `Patchbay is running at ${server.url} (${process.env.PATCHBAY_DATABASE_URL ? 'PostgreSQL' : 'SQLite'}, ${process.env.PATCHBAY_REDIS_URL ? 'BullMQ queue' : 'in-process queue'}). Press Ctrl+C to stop.\n`,
  );
  closeOnSignals({ close: () => server.close() }, (e) =>
    process.stderr.write(`patchbay: ${e instanceof Error ? e.message : String(e)}\n`),
  );
}

export async function workerCommand(opts: { concurrency: number }): Promise<void> {
  const concurrency = opts.concurrency;
  const worker = await startWorker({ concurrency });
  process.stdout.write(
    `Patchbay worker taking runs from the queue (concurrency ${concurrency}). Press Ctrl+C to stop.\n`,
  );
  closeOnSignals(worker, (e) => process.stderr.write(`patchbay: ${e instanceof Error ? e.message : String(e)}\n`));
}
