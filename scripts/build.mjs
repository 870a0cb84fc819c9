// Builds what runs outside the tests: the `patchbay` command (one esbuild
// bundle of every workspace package's source) and the designer (Vite).
import { build } from 'esbuild';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const external = new Set();
for (const dir of readdirSync(join(root, 'packages'))) {
  const file = join(root, 'packages', dir, 'package.json');
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  for (const dep of Object.keys(pkg.dependencies ?? {})) if (!dep.startsWith('@patchbay/')) external.add(dep);
}

await build({
  entryPoints: [join(root, 'packages/cli/src/main.ts')],
  outfile: join(root, 'packages/cli/dist/patchbay.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['source'],
  external: [...external].flatMap((d) => [d, `${d}/*`]),
  sourcemap: 'linked',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __pbCreateRequire } from 'node:module'; const require = __pbCreateRequire(import.meta.url);" },
});

if (existsSync(join(root, 'packages/web/index.html')) && !process.argv.includes('--cli-only')) {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: join(root, 'packages/web'), stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
