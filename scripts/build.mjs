// Builds what runs outside the tests: the runner (packages/runtime/dist/runner.js),
// the `patchbay` command (one esbuild bundle of every workspace package's source)
// and the designer (Vite). `--cli-only` skips the designer, `--runner-only` builds the runner alone.
import { build } from 'esbuild';
import { readdirSync, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { bundleOptions } from './bundle-options.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const common = bundleOptions(root);

/** Writes beside the final name, then renames into place (a running process never reads half a file). */
function writeInPlace(files) {
  for (const f of files) {
    mkdirSync(dirname(f.path), { recursive: true });
    const tmp = `${f.path}.${process.pid}.tmp`;
    writeFileSync(tmp, f.contents);
    renameSync(tmp, f.path);
  }
}

// The runner: the process a run's interpreter executes in (`@patchbay/runtime/runner`), one file that plain
// Node.js starts; the server, the worker and the command fork it.
{
  const { outputFiles } = await build({
    ...common,
    entryPoints: [join(root, 'packages/runtime/src/runner/child.ts')],
    outfile: join(root, 'packages/runtime/dist/runner.js'),
  });
  writeInPlace(outputFiles);
}
if (process.argv.includes('--runner-only')) process.exit(0);

const dist = join(root, 'packages/cli/dist');
const { outputFiles } = await build({
  ...common,
  entryPoints: [join(root, 'packages/cli/src/main.ts')],
  outdir: join(root, 'packages/cli/dist'),
  entryNames: 'patchbay',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
});
const entryLast = [...outputFiles].sort(
  (a, b) => Number(!a.path.includes('/chunks/')) - Number(!b.path.includes('/chunks/')),
);
writeInPlace(entryLast);
const current = new Set(outputFiles.map((f) => f.path));
const chunks = join(dist, 'chunks');
for (const name of readdirSync(chunks)) {
  const file = join(chunks, name);
  const age = Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
  if (!current.has(file) && age > 15 * 60_000) rmSync(file, { force: true });
}

if (existsSync(join(root, 'packages/web/index.html')) && !process.argv.includes('--cli-only')) {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: join(root, 'packages/web'),
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
