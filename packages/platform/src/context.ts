/**
 * What every platform service is built from: the store, a logger, the clock,
 * where OAuth redirects come back to, the in-process caches shared by the
 * services (decrypted connections, OAuth single flight) and the audit log.
 */
import type { Clock, Logger } from '@patchbay/core';
import type { Store } from '@patchbay/store';
import type { AuditLog } from './audit.js';
import type { ConnectionCache } from './connection-cache.js';

export interface PlatformContext {
  store: Store;
  logger: Logger;
  clock: Clock;
  /** Base URL the server is reachable at (`http://127.0.0.1:5170`), for OAuth redirect URIs. */
  publicUrl?: string;
  cache: ConnectionCache;
  /** The audit log: `ctx.audit.record(event, tx?)` (see audit.ts). */
  audit: AuditLog;
}

/** A logger that drops everything (the default when none is given). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
