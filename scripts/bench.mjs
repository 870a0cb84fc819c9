// Runs one benchmark: `node scripts/bench.mjs <name>` bundles bench/<name>.ts
// with esbuild (workspace packages from their TypeScript sources, every other
// package left external) and runs it in this Node.js process's binary.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const name = process.argv[2];
const entry = join(root, 'bench', `${name}.ts`);
if (!name || !existsSync(entry)) {
  console.error(`usage: node scripts/bench.mjs <name>   (bench/<name>.ts must exist)`);
  process.exit(2);
}
// Runs go through runner processes: build the runner (packages/runtime/dist/runner.js) from the sources first.
{
  const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--runner-only'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
// Bundle next to the repository so bare imports resolve from its node_modules.
const dir = mkdtempSync(join(root, 'bench', '.run-'));
const outfile = join(dir, `${name}.mjs`);
try {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    plugins: [
      {
        name: 'external-packages',
        setup(b) {
          // A package another workspace package depends on may sit in that package's own node_modules
          // (npm does not hoist a version that differs from the root's), so a bare import that the root
          // cannot resolve is left external by its absolute path, resolved from the importing file.
          b.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.path.startsWith('@patchbay/') || args.pluginData === 'resolving') return undefined;
            if (args.path.startsWith('node:') || !args.resolveDir.includes(join(root, 'packages')))
              return { path: args.path, external: true };
            const fromRoot = await b.resolve(args.path, { kind: args.kind, resolveDir: root, pluginData: 'resolving' });
            if (fromRoot.errors.length === 0) return { path: args.path, external: true };
            const own = await b.resolve(args.path, {
              kind: args.kind,
              resolveDir: args.resolveDir,
              pluginData: 'resolving',
            });
            return own.errors.length === 0 ? { path: own.path, external: true } : { path: args.path, external: true };
          });
        },
      },
    ],
    banner: {
      js: "import { createRequire as __pbCreateRequire } from 'node:module'; const require = __pbCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  // PATCHBAY_BENCH_NODE_ARGS adds Node.js options (--cpu-prof, which NODE_OPTIONS refuses) to the bench process.
  const nodeArgs = (process.env.PATCHBAY_BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const r = spawnSync(process.execPath, ['--expose-gc', ...nodeArgs, outfile, ...process.argv.slice(3)], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, PATCHBAY_REPO: root },
  });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
