#!/usr/bin/env node
// The `patchbay` command. Runs the bundle that `npm run build` (and `npm ci`) makes.
import { existsSync } from 'node:fs';
const bundle = new URL('../dist/patchbay.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('patchbay: the command is not built yet — run `npm run build` in the Patchbay folder.\n');
  process.exit(1);
}
await import(bundle.href);
