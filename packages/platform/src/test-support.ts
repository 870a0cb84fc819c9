/**
 * Test helpers: platforms over each store dialect (SQLite always, PostgreSQL
 * when reachable), real local HTTP services that record what they receive,
 * and two small OpenAPI connectors (API key and basic auth) to call them.
 */
import type { Logger } from '@patchbay/core';
import { type TestDatabase, testDialects } from '../../store/src/testDialects.js';
import { type Platform, type PlatformOptions, openPlatform } from './platform.js';

export { unique, rejection } from '../../store/src/testDialects.js';
export {
  basicUser,
  ledgerOpenApi,
  startService,
  syncFlow,
  tasksOpenApi,
  type Received,
  type TestService,
} from './test-services.js';

export const dialects = await testDialects();

export interface Opened {
  db: TestDatabase;
  platforms: Platform[];
  /** Another platform over the same database (a second process, in effect). */
  open(extra?: Partial<PlatformOptions>): Promise<Platform>;
}

/** Creates a database and opens a platform on it; `close` disposes of everything. */
export async function freshPlatform(
  dialect: (typeof dialects)[number],
  extra: Partial<PlatformOptions> = {},
): Promise<Opened & { platform: Platform; close(): Promise<void> }> {
  const db = dialect.create();
  const platforms: Platform[] = [];
  const open = async (more: Partial<PlatformOptions> = {}) => {
    const p = await openPlatform({ store: await db.open(), ...extra, ...more });
    platforms.push(p);
    return p;
  };
  const platform = await open();
  return {
    db,
    platforms,
    open,
    platform,
    async close() {
      for (const p of platforms) await p.close().catch(() => undefined);
      await db.dispose();
    },
  };
}

/** A logger that keeps every line (for canary checks). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (msg: string, data?: Record<string, unknown>) =>
    void lines.push(`${level} ${msg} ${data ? JSON.stringify(data) : ''}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
