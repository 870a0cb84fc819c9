// Builds what runs outside the tests: the runner (packages/runtime/dist/runner.js),
// the `patchbay` command (one esbuild bundle of every workspace package's source)
// and the designer (Vite). `--cli-only` skips the designer, `--runner-only` builds the runner alone.
import { build } from 'esbuild';
import { readFileSync, readdirSync, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Small pure-JavaScript libraries go into the bundle: fewer files to resolve
// and load keeps `patchbay run` quick to start. Native, WebAssembly and
// server-side packages stay external. undici stays external too: it is
// CommonJS and loaded with `import()`, which in a split bundle would yield only
// a default export (no `Pool`, `Agent`, `request`).
const BUNDLED = new Set([
  'typebox',
  'luxon',
  'jsonc-parser',
  'commander',
  'picomatch',
  'yaml',
  'fast-xml-parser',
  'fflate',
  'oauth4webapi',
  'kysely',
]);
const external = new Set();
for (const dir of readdirSync(join(root, 'packages'))) {
  const file = join(root, 'packages', dir, 'package.json');
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  for (const dep of Object.keys(pkg.dependencies ?? {}))
    if (!dep.startsWith('@patchbay/') && !BUNDLED.has(dep)) external.add(dep);
}

// Several people (and test runs) build while others run the command: files
// are written beside their final name and renamed into place (chunks before
// the entry), and chunks of earlier builds stay a while for running processes.
const common = {
  write: false,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['source'],
  mainFields: ['module', 'main'],
  // External packages are imported by absolute path, resolved from the
  // workspace package that depends on them: npm may install a dependency
  // under packages/<name>/node_modules, out of reach of the bundle's folder.
  plugins: [
    {
      name: 'external-from-owner',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, async (args) => {
          if (args.pluginData === 'resolving') return undefined;
          const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
          if (!external.has(name)) return undefined;
          // Node's own resolution first (what `node` would load), then esbuild's for ESM-only packages.
          try {
            return { path: createRequire(join(args.resolveDir, 'index.js')).resolve(args.path), external: true };
          } catch {
            const r = await b.resolve(args.path, {
              kind: args.kind,
              resolveDir: args.resolveDir,
              importer: args.importer,
              pluginData: 'resolving',
            });
            if (r.errors.length) return { errors: r.errors };
            return { path: r.path, external: true };
          }
        });
      },
    },
  ],
  sourcemap: 'linked',
  logLevel: 'warning',
  banner: {
    js: "import { createRequire as __pbCreateRequire } from 'node:module'; const require = __pbCreateRequire(import.meta.url);",
  },
};

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
