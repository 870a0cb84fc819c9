/**
 * Warm sandbox workers. Starting a worker and loading QuickJS's WebAssembly
 * costs far more than running a small script, so a few idle workers are kept
 * (unref'd: they never keep the process alive). A worker that timed out, ran
 * out of memory, failed or was cancelled is terminated, never reused.
 */
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';

const MAX_IDLE = 2;
const idle: Worker[] = [];

/**
 * The worker file is found through the package's exports rather than next to
 * this module, so it is also found from the bundled `patchbay` command.
 */
let workerPath: string | undefined;
function workerFile(): string {
  workerPath ??= createRequire(import.meta.url).resolve('@patchbay/runtime/script-worker');
  return workerPath;
}

/** node:worker_threads, loaded by the first script: a few milliseconds of every start that most runs never need. */
let workerClass: typeof Worker | undefined;
function WorkerClass(): typeof Worker {
  workerClass ??= (createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads'))
    .Worker;
  return workerClass;
}

export function acquireWorker(): Worker {
  const warm = idle.pop();
  if (warm) {
    warm.removeAllListeners('error');
    warm.removeAllListeners('exit');
    warm.ref();
    return warm;
  }
  const Worker = WorkerClass();
  return new Worker(workerFile(), { stdout: true, stderr: true });
}

/** Gives a worker that finished cleanly back to the pool. */
export function releaseWorker(worker: Worker): void {
  worker.removeAllListeners('message');
  worker.removeAllListeners('error');
  worker.removeAllListeners('exit');
  if (idle.length >= MAX_IDLE) {
    void worker.terminate();
    return;
  }
  worker.unref();
  // A pooled worker that dies (it should not) simply leaves the pool.
  worker.on('error', () => undefined);
  worker.once('exit', () => {
    const i = idle.indexOf(worker);
    if (i >= 0) idle.splice(i, 1);
  });
  idle.push(worker);
}

export function discardWorker(worker: Worker): void {
  worker.removeAllListeners('message');
  void worker.terminate();
}
