/**
 * The in-process cache of decrypted connections. An entry is keyed by the
 * connection's id and valid while the row's `updatedAt` is unchanged, so a
 * change made by another process (new secrets, refreshed tokens, a new base
 * URL) is seen on the next read of the row, and opening the sealed secrets —
 * the costly part — happens once per change. Services of this process also
 * invalidate entries directly when they change a connection.
 */
import type { Connection, Secrets, Store } from '@patchbay/store';

export interface CachedConnection {
  connection: Connection;
  secrets: Secrets;
}

export class ConnectionCache {
  private readonly entries = new Map<string, CachedConnection>();

  /** The connection and its decrypted secrets, decrypting only when the row changed since the last read. */
  async load(store: Pick<Store, 'connections'>, id: string): Promise<CachedConnection> {
    const row = await store.connections.get(id);
    const hit = this.entries.get(id);
    if (hit && hit.connection.updatedAt === row.updatedAt) return hit;
    const fresh = await store.connections.getWithSecrets(id);
    this.entries.set(id, fresh);
    return fresh;
  }

  /** The cached entry without touching the database (may be stale). */
  peek(id: string): CachedConnection | undefined {
    return this.entries.get(id);
  }

  set(entry: CachedConnection): void {
    this.entries.set(entry.connection.id, entry);
  }

  invalidate(id: string): void {
    this.entries.delete(id);
  }

  clear(): void {
    this.entries.clear();
  }
}
