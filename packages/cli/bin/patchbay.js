#!/usr/bin/env node
// The `patchbay` command. Runs the bundle that `npm run build` (and `npm ci`) makes.
import { existsSync, mkdirSync } from 'node:fs';
import module from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
const bundle = new URL('../dist/patchbay.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('patchbay: the command is not built yet — run `npm run build` in the Patchbay folder.\n');
  process.exit(1);
}
// Node.js 22.1 and later keep the bundle's compiled code between starts (PATCHBAY_HOME/compile-cache); a
// start then skips most of parsing and compiling. Node.js 20 has no compile cache: the command starts as before.
if (typeof module.enableCompileCache === 'function' && !process.env.NODE_COMPILE_CACHE) {
  try {
    const home = process.env.PATCHBAY_HOME || join(homedir(), '.patchbay');
    mkdirSync(home, { recursive: true, mode: 0o700 });
    module.enableCompileCache(join(home, 'compile-cache'));
  } catch {
    // A home that cannot be written to only costs the cache.
  }
}
await import(bundle.href);
