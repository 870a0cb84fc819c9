// `npm run pack`: makes patchbay-VERSION.tgz, the `patchbay` command as users install it
// (`npm install -g ./patchbay-VERSION.tgz`, `npx ./patchbay-VERSION.tgz run flow.json`).
//
// The tarball holds, in the repository's own layout so that every relative path still holds:
//   packages/cli/bin/patchbay.js        the command
//   packages/cli/dist/                  one esbuild bundle of the CLI, server, platform, store (with every
//                                       migration) and engine, external packages left as bare imports
//   node_modules/@patchbay/runtime/     the runner and the script sandbox's worker, found by the same
//                                       `@patchbay/runtime/runner` name as in the repository (a bundled dependency)
//   packages/web/dist/                  the designer's built static files
//   packages/core/schema/               the flow JSON Schema
//   README.md, docs/, examples/         the documentation and the flows it links
// and depends on the workspace packages' runtime dependencies only: everything the designer needs is
// built into its static files, and no development tool is listed.
//
// Options: `--out DIR` (default: the repository root), `--no-build` (reuse the designer built earlier),
// `--version V` (the tarball's version instead of package.json's; the upgrade tests pack a "newer" one).
import { build } from 'esbuild';
import { builtinModules, createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { bundleOptions, externalPackages, packageName, workspacePackages } from './bundle-options.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outDir = resolve(outIndex >= 0 ? args[outIndex + 1] : root);
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const versionIndex = args.indexOf('--version');
const version = versionIndex >= 0 ? args[versionIndex + 1] : rootPkg.version;

function fail(message) {
  process.stderr.write(`pack: ${message}\n`);
  process.exit(1);
}

// The designer's static files come from the repository's build (Vite).
if (!args.includes('--no-build')) {
  const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const webDist = join(root, 'packages/web/dist');
if (!existsSync(join(webDist, 'index.html')))
  fail('packages/web/dist/index.html is missing — run `npm run build` first.');

const staging = mkdtempSync(join(tmpdir(), 'patchbay-pack-'));
const pkgDir = join(staging, 'package');
try {
  // better-sqlite3 is a native module: installed from the registry it compiles SQLite (minutes). It is
  // bundled instead, with its dependencies and a prebuilt binary for the Node.js that packs
  // (prebuilds/better-sqlite3-vVERSION-node-vABI-PLATFORM-ARCH.tar.gz, which its own install script,
  // prebuild-install, looks for first). On another Node.js or platform it compiles as usual.
  const sqlite = JSON.parse(readFileSync(join(root, 'node_modules/better-sqlite3/package.json'), 'utf8'));
  {
    mkdirSync(pkgDir);
    writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ dependencies: { 'better-sqlite3': sqlite.version } }));
    const r = spawnSync(
      'npm',
      ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--omit=dev', '--loglevel=error'],
      { cwd: pkgDir, stdio: 'inherit' },
    );
    if (r.status !== 0) fail(`installing better-sqlite3@${sqlite.version} to bundle it failed`);
    // Third-party tests and examples are not part of the command.
    const prune = (dir) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (!entry.isDirectory()) continue;
        const path = join(dir, entry.name);
        if (/^(test|tests|__tests__|example|examples|\.github)$/.test(entry.name)) rmSync(path, { recursive: true });
        else prune(path);
      }
    };
    prune(join(pkgDir, 'node_modules'));
    const binary = join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    if (!existsSync(binary)) fail('node_modules/better-sqlite3 is not built — run `npm ci` first.');
    try {
      createRequire(import.meta.url)(binary);
    } catch (e) {
      fail(
        `node_modules/better-sqlite3 was built for another Node.js (${e.message}) — run \`npm rebuild better-sqlite3\`.`,
      );
    }
    const name = `better-sqlite3-v${sqlite.version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
    const prebuilds = join(pkgDir, 'node_modules/better-sqlite3/prebuilds');
    const work = join(staging, 'prebuild');
    mkdirSync(join(work, 'build/Release'), { recursive: true });
    mkdirSync(prebuilds, { recursive: true });
    cpSync(binary, join(work, 'build/Release/better_sqlite3.node'));
    const t = spawnSync('tar', ['-czf', join(prebuilds, name), '-C', work, 'build/Release/better_sqlite3.node'], {
      stdio: 'inherit',
    });
    if (t.status !== 0) fail('tar failed');
    // Its package.json lists the files it publishes; the bundle carries the prebuilt binary too.
    const manifestFile = join(pkgDir, 'node_modules/better-sqlite3/package.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    if (Array.isArray(manifest.files)) manifest.files.push('prebuilds/*.tar.gz');
    writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  }

  const common = bundleOptions(root, { packed: true, version });
  const imported = new Set();
  async function bundle(options) {
    const result = await build({ ...common, ...options, write: true, metafile: true });
    for (const output of Object.values(result.metafile.outputs))
      for (const imp of output.imports)
        if (imp.external && !imp.path.startsWith('node:') && !builtinModules.includes(imp.path))
          imported.add(packageName(imp.path));
  }

  // The runner and the sandbox worker: plain Node.js files, forked and started by path.
  const runtimeDir = join(pkgDir, 'node_modules/@patchbay/runtime');
  await bundle({
    entryPoints: [join(root, 'packages/runtime/src/runner/child.ts')],
    outfile: join(runtimeDir, 'runner.js'),
  });
  await bundle({
    entryPoints: [join(root, 'packages/runtime/src/script-worker.mjs')],
    outfile: join(runtimeDir, 'script-worker.mjs'),
    banner: {},
  });
  const runtimePkg = workspacePackages(root).get('runtime');
  writeFileSync(
    join(runtimeDir, 'package.json'),
    `${JSON.stringify(
      {
        name: '@patchbay/runtime',
        version: runtimePkg.version,
        private: true,
        description: 'The run process and the script sandbox of the packed patchbay command.',
        type: 'module',
        exports: { './runner': './runner.js', './script-worker': './script-worker.mjs' },
      },
      null,
      2,
    )}\n`,
  );

  // The command: the CLI with the server, platform, store and engine.
  await bundle({
    entryPoints: [join(root, 'packages/cli/src/main.ts')],
    outdir: join(pkgDir, 'packages/cli/dist'),
    entryNames: 'patchbay',
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
  });
  cpSync(join(root, 'packages/cli/bin'), join(pkgDir, 'packages/cli/bin'), { recursive: true });

  cpSync(webDist, join(pkgDir, 'packages/web/dist'), { recursive: true });
  cpSync(join(root, 'packages/core/schema'), join(pkgDir, 'packages/core/schema'), { recursive: true });

  // Documentation: the README, docs/ and the examples the docs link; never a test.
  const notTest = (src) => !/\.test\.[cm]?[jt]sx?$/.test(src) && !/(^|\/)(test|fixtures|testdata)(\/|$)/.test(src);
  cpSync(join(root, 'README.md'), join(pkgDir, 'README.md'));
  for (const dir of ['docs', 'examples'])
    cpSync(join(root, dir), join(pkgDir, dir), {
      recursive: true,
      filter: (src) => notTest(relative(root, src)),
    });

  // Dependencies: the workspace packages' external runtime dependencies, at the ranges they declare.
  const external = externalPackages(root);
  const missing = [...imported].filter((name) => !external.has(name));
  if (missing.length)
    fail(`the bundle imports ${missing.join(', ')}, which no workspace package lists in its dependencies`);
  const dependencies = {};
  for (const pkg of workspacePackages(root).values())
    for (const [name, range] of Object.entries(pkg.dependencies ?? {})) {
      if (!external.has(name)) continue;
      if (dependencies[name] && dependencies[name] !== range)
        fail(`${name} is listed at two ranges (${dependencies[name]} and ${range}); use one`);
      dependencies[name] = range;
    }
  const sorted = Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b)));

  const manifest = {
    name: rootPkg.name,
    version,
    description: rootPkg.description,
    type: 'module',
    license: rootPkg.license,
    engines: rootPkg.engines,
    bin: { patchbay: 'packages/cli/bin/patchbay.js' },
    dependencies: { ...sorted, '@patchbay/runtime': runtimePkg.version, 'better-sqlite3': sqlite.version },
    bundleDependencies: ['@patchbay/runtime', 'better-sqlite3'],
    files: ['packages/', 'docs/', 'examples/'],
  };
  writeFileSync(join(pkgDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  mkdirSync(outDir, { recursive: true });
  const r = spawnSync('npm', ['pack', '--pack-destination', outDir, '--json', '--ignore-scripts'], {
    cwd: pkgDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) fail(`npm pack failed (exit ${r.status})`);
  const [info] = JSON.parse(r.stdout);
  const file = join(outDir, info.filename);
  process.stdout.write(
    `${relative(process.cwd(), file).startsWith('..') ? file : relative(process.cwd(), file)}: ${info.entryCount} files, ${(info.size / 1e6).toFixed(1)} MB packed, ` +
      `${(info.unpackedSize / 1e6).toFixed(1)} MB unpacked; dependencies: ${Object.keys(sorted).join(', ')}\n`,
  );
} finally {
  rmSync(staging, { recursive: true, force: true });
}
