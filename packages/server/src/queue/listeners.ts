/** A set of event listeners that one failing listener cannot break. */
import type { RunQueueEvent, RunQueueListener } from './types.js';

export class Listeners {
  private readonly set = new Set<RunQueueListener>();

  add(listener: RunQueueListener): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(event: RunQueueEvent): void {
    for (const l of this.set) {
      try {
        l(event);
      } catch {
        // A listener (an SSE stream that went away) must not stop the run or the other listeners.
      }
    }
  }
}
