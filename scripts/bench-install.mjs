// `npm run bench:install`: packs the command (`npm run pack`), installs the tarball as a user would
// (`npm install -g`, into a fresh prefix) and prints the three budgets beside their limits:
// the installed size (≤ 150 MB), the install's wall time (≤ 30 s) and `patchbay --version` (≤ 150 ms,
// the median of 7, printed beside `node -e 0`, this machine's floor for starting Node.js at all).
// Not asserted anywhere: the figures depend on the machine's load and the npm cache.
// `--tarball FILE` measures a tarball made earlier instead of packing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, lstatSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'patchbay-bench-install-'));

function run(cmd, argv, options = {}) {
  const started = performance.now();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', ...options });
  const ms = performance.now() - started;
  if (r.status !== 0) {
    process.stderr.write(`${cmd} ${argv.join(' ')} failed (exit ${r.status}):\n${r.stdout ?? ''}${r.stderr ?? ''}\n`);
    process.exit(1);
  }
  return { ms, stdout: r.stdout };
}

/** Bytes on disk under `dir` (what `du` counts), and the files' own sizes. */
function sizeOf(dir) {
  let disk = 0;
  let apparent = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const info = lstatSync(join(entry.parentPath, entry.name));
    disk += info.blocks * 512;
    if (info.isFile()) apparent += info.size;
  }
  return { disk, apparent };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

try {
  let tarball;
  const given = args.indexOf('--tarball');
  if (given >= 0) tarball = resolve(args[given + 1]);
  else {
    const out = join(work, 'pack');
    run(process.execPath, [join(root, 'scripts/pack.mjs'), '--out', out], { stdio: ['ignore', 'pipe', 'inherit'] });
    tarball = join(
      out,
      readdirSync(out).find((f) => f.endsWith('.tgz')),
    );
  }

  const prefix = join(work, 'global');
  const install = run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', tarball], { cwd: work });
  const installed = join(prefix, 'lib/node_modules/patchbay');
  const size = sizeOf(installed);

  const bin = join(prefix, 'bin/patchbay');
  run(bin, ['--version']); // the first start reads the files from disk; the budget is for the ones after it
  const version = [];
  const floor = [];
  for (let i = 0; i < 7; i++) {
    version.push(run(bin, ['--version']).ms);
    floor.push(run(process.execPath, ['-e', '0']).ms);
  }

  const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
  const rows = [
    ['installed size', `${mb(size.disk)} on disk (${mb(size.apparent)} of files)`, '≤ 150 MB', size.disk <= 150e6],
    ['install time', `${(install.ms / 1000).toFixed(1)} s`, '≤ 30 s', install.ms <= 30_000],
    [
      'patchbay --version',
      `${median(version).toFixed(0)} ms (node -e 0: ${median(floor).toFixed(0)} ms)`,
      '≤ 150 ms',
      median(version) <= 150,
    ],
  ];
  process.stdout.write(`bench:install  ${tarball} on Node.js ${process.version}\n`);
  for (const [name, figure, budget, ok] of rows)
    process.stdout.write(
      `  ${name.padEnd(20)} ${figure.padEnd(44)} budget ${budget.padEnd(9)} ${ok ? 'ok' : 'OVER'}\n`,
    );
} finally {
  rmSync(work, { recursive: true, force: true });
}
