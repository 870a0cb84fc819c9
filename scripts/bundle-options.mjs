// The esbuild options shared by `npm run build` (the command run from the repository) and
// `npm run pack` (the command installed from the packed tarball).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

// Small pure-JavaScript libraries go into the bundle: fewer files to resolve
// and load keeps `patchbay run` quick to start. Native, WebAssembly and
// server-side packages stay external. undici stays external too: it is
// CommonJS and loaded with `import()`, which in a split bundle would yield only
// a default export (no `Pool`, `Agent`, `request`).
export const BUNDLED = new Set([
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

/** Every workspace package's package.json, by folder name. */
export function workspacePackages(root) {
  const out = new Map();
  for (const dir of readdirSync(join(root, 'packages'))) {
    const file = join(root, 'packages', dir, 'package.json');
    if (existsSync(file)) out.set(dir, JSON.parse(readFileSync(file, 'utf8')));
  }
  return out;
}

/** The dependencies of the workspace packages that stay outside the bundle. */
export function externalPackages(root) {
  const external = new Set();
  for (const pkg of workspacePackages(root).values())
    for (const dep of Object.keys(pkg.dependencies ?? {}))
      if (!dep.startsWith('@patchbay/') && !BUNDLED.has(dep)) external.add(dep);
  return external;
}

/** A bare import's package name: `@scope/name` or `name`. */
export function packageName(specifier) {
  return specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
}

/**
 * `packed: false` (the repository's build): external packages are imported by absolute path,
 * resolved from the workspace package that depends on them — npm may install a dependency under
 * packages/<name>/node_modules, out of reach of the bundle's folder.
 * `packed: true` (the tarball's build): they stay bare imports, resolved from the installed
 * package's own node_modules; no source maps (they would carry the sources).
 */
export function bundleOptions(root, { packed = false, version } = {}) {
  const external = externalPackages(root);
  return {
    write: false,
    // The version `patchbay --version` prints: the repository's, or the tarball's when packed with --version.
    define: {
      __PATCHBAY_VERSION__: JSON.stringify(
        version ?? JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version,
      ),
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    mainFields: ['module', 'main'],
    plugins: [
      {
        name: 'external-from-owner',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.pluginData === 'resolving') return undefined;
            if (!external.has(packageName(args.path))) return undefined;
            if (packed) return { path: args.path, external: true };
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
    // Less text to read and parse at every start; names stay, so stack traces still read (and map with
    // --enable-source-maps).
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: packed ? false : 'linked',
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __pbCreateRequire } from 'node:module'; const require = __pbCreateRequire(import.meta.url);",
    },
  };
}
