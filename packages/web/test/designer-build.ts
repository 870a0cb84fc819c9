/**
 * The built designer for browser tests and the designer bench: rebuilds
 * `packages/web/dist` when it is missing, older than its sources or a
 * development build (one builder at a time across processes), then serves a private copy so that a
 * rebuild by someone else during a test never pulls files from under it.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = process.env.PATCHBAY_REPO ?? fileURLToPath(new URL('../../..', import.meta.url));
const WEB = join(REPO, 'packages/web');
const DIST = join(WEB, 'dist');
const LOCK = join(tmpdir(), 'patchbay-designer-build.lock');

/** The newest modification time under `path` (files only; tests excluded). */
function newest(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return /\.test\.tsx?$/.test(path) ? 0 : st.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

/** A bundle made with NODE_ENV other than production carries React's development build (jsxDEV), slow and not what ships. */
function isDevelopmentBuild(): boolean {
  const assets = join(DIST, 'assets');
  if (!existsSync(assets)) return true;
  return readdirSync(assets).some(
    (name) => name.endsWith('.js') && readFileSync(join(assets, name), 'utf8').includes('jsxDEV('),
  );
}

function isStale(): boolean {
  const built = statSync(join(DIST, 'index.html'), { throwIfNoEntry: false });
  if (!built || isDevelopmentBuild()) return true;
  const sources = Math.max(
    newest(join(WEB, 'src')),
    newest(join(WEB, 'index.html')),
    newest(join(WEB, 'vite.config.ts')),
    newest(join(REPO, 'packages/core/src')),
  );
  return sources > built.mtimeMs;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A directory lock (mkdir is atomic); a lock older than three minutes is a crashed builder's and is taken over. */
function withLock<T>(fn: () => T): T {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 180_000) rmSync(LOCK, { recursive: true, force: true });
      else sleepSync(200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Builds the designer when its sources are newer than `packages/web/dist`. */
export function ensureDesignerBuilt(): void {
  if (!isStale()) return;
  withLock(() => {
    if (!isStale()) return;
    // Vitest sets NODE_ENV=test, and Vite would then bundle React's development build: build what ships.
    execFileSync(process.execPath, [join(REPO, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: WEB,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
  });
}

/** A private copy of the built designer, to serve as `webRoot`; remove it with the returned function. */
export function designerCopy(): { webRoot: string; remove(): void } {
  ensureDesignerBuilt();
  const webRoot = mkdtempSync(join(tmpdir(), 'patchbay-web-'));
  withLock(() => cpSync(DIST, webRoot, { recursive: true }));
  if (!existsSync(join(webRoot, 'index.html'))) throw new Error(`The designer build at ${DIST} has no index.html.`);
  return { webRoot, remove: () => rmSync(webRoot, { recursive: true, force: true }) };
}
