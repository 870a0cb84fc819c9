/**
 * @patchbay/server — the HTTP API, sessions, the OAuth callback, the run
 * queue (in-process or BullMQ on Redis) and the worker.
 *
 *     const server = await startServer({ port: 5170 });          // patchbay serve
 *     const worker = await startWorker({ concurrency: 4 });      // patchbay worker (PATCHBAY_REDIS_URL)
 *     closeOnSignals(worker);                                    // SIGTERM: finish or give back runs
 *
 * Tests and embedders build the app themselves:
 *
 *     const app = await buildServer({ platform, queue: new InProcessQueue({ platform }) });
 *     await app.inject({ method: 'GET', url: '/api/health' });
 */
export { buildServer } from './app.js';
export type { BuildServerOptions } from './app.js';
export { startServer } from './start.js';
export type { StartServerOptions, RunningServer } from './start.js';
export { startWorker, closeOnSignals } from './worker.js';
export type { WorkerOptions, RunWorker } from './worker.js';
export { InProcessQueue } from './queue/in-process.js';
export type { InProcessQueueOptions } from './queue/in-process.js';
export { BullRunQueue } from './queue/bullmq.js';
export type { BullRunQueueOptions } from './queue/bullmq.js';
export type { RunQueue, RunQueueEvent, RunQueueListener } from './queue/types.js';
