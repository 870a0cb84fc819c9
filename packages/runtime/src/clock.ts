/** The real clock: wall time and a cancellable sleep. */
import { PatchbayError, type Clock } from '@patchbay/core';

export function cancelledError(): PatchbayError {
  return new PatchbayError('run.cancelled', 'The run was cancelled.');
}

export const nodeClock: Clock = {
  now: () => new Date(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(cancelledError());
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(cancelledError());
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};
