/**
 * A worker process, configured by environment variables the way
 * `patchbay worker` is: PATCHBAY_REDIS_URL, PATCHBAY_DATABASE_URL,
 * PATCHBAY_HOME, PATCHBAY_MASTER_KEY, plus PATCHBAY_WORKER_CONCURRENCY,
 * PATCHBAY_QUEUE_PREFIX, PATCHBAY_DATABASE_SCHEMA and
 * PATCHBAY_WORKER_LOCK_MS. Prints `ready <workerId>` once it takes work and
 * stops gracefully on SIGTERM. The queue test spawns it (bundled with
 * esbuild) to kill it for real.
 */
import { closeOnSignals, startWorker } from '../worker.js';

const env = process.env;
const worker = await startWorker({
  concurrency: Number(env.PATCHBAY_WORKER_CONCURRENCY ?? 4),
  ...(env.PATCHBAY_QUEUE_PREFIX ? { prefix: env.PATCHBAY_QUEUE_PREFIX } : {}),
  ...(env.PATCHBAY_DATABASE_SCHEMA ? { schema: env.PATCHBAY_DATABASE_SCHEMA } : {}),
  ...(env.PATCHBAY_WORKER_LOCK_MS ? { lockDurationMs: Number(env.PATCHBAY_WORKER_LOCK_MS) } : {}),
  ...(env.PATCHBAY_WORKER_GRACE_MS ? { graceMs: Number(env.PATCHBAY_WORKER_GRACE_MS) } : {}),
});
process.stdout.write(`ready ${worker.workerId}\n`);
closeOnSignals(
  {
    async close() {
      await worker.close();
      process.stdout.write(`stopped ${worker.workerId}\n`);
      process.exit(0);
    },
  },
  (e) => {
    process.stderr.write(`worker stop failed: ${String(e)}\n`);
    process.exit(1);
  },
);
