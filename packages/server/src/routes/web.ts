/**
 * The designer: the built files of `packages/web/dist` with a single-page
 * app fallback (any non-API GET answers index.html), or a short page saying
 * how to build it when it is missing.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyStaticOptions } from '@fastify/static';
import type { App } from '../http/types.js';

type StaticPlugin = (typeof import('@fastify/static'))['default'];

/**
 * @fastify/static sits in this package's own node_modules (npm could not hoist
 * it), so a bundle outside the package (the CLI, the benchmarks) cannot find it
 * by name; @fastify/swagger-ui, which is hoisted, carries the same major.
 */
async function loadStatic(): Promise<StaticPlugin> {
  try {
    return (await import('@fastify/static')).default;
  } catch {
    const require = createRequire(import.meta.url);
    const fromSwaggerUi = createRequire(require.resolve('@fastify/swagger-ui')).resolve('@fastify/static');
    return ((await import(pathToFileURL(fromSwaggerUi).href)) as { default: StaticPlugin }).default;
  }
}

export function defaultWebRoot(): string {
  return fileURLToPath(new URL('../../../web/dist', import.meta.url));
}

const NOT_BUILT = `<!doctype html><html><head><meta charset="utf-8"><title>Patchbay</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>Patchbay</h1><p>The API is running, but the designer has not been built yet.</p>
<p>Run <code>npm run build</code> in the Patchbay folder, then reload this page.</p>
<p>The API is described at <a href="/api/docs">/api/docs</a>.</p></body></html>`;

/**
 * The file under `root` a URL path names, relative to `root`, when it is a file there now; the
 * static routes only know the files present at start, so a rebuild's new assets are found here.
 */
async function fileAddedSinceStart(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const rel = relative(root, resolve(root, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  const info = await stat(join(root, rel)).catch(() => null);
  return info?.isFile() ? rel : undefined;
}

/** Registers the designer's files; returns the handler for paths no route matched (outside /api). */
export async function webRoutes(
  app: App,
  webRoot: string | undefined,
): Promise<(request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>> {
  const root = webRoot ?? defaultWebRoot();
  const built = existsSync(join(root, 'index.html'));
  if (built) {
    const options: FastifyStaticOptions = {
      root,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      cacheControl: true,
      maxAge: '1h',
    };
    await app.register(await loadStatic(), options);
  } else {
    app.get(
      '/',
      { config: { access: 'public', permission: 'public' }, schema: { hide: true } },
      async (_request, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT),
    );
  }
  return async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return reply.code(404).type('text/plain').send('Not found');
    if (!built) return reply.code(200).type('text/html; charset=utf-8').send(NOT_BUILT);
    const path = request.url.split('?')[0] ?? '/';
    // Files a rebuild added while the server runs are served like the others.
    const added = await fileAddedSinceStart(root, path);
    if (added !== undefined) return reply.sendFile(added, root);
    // Hashed assets that do not exist are real 404s; app routes get the app.
    if (/\.[a-z0-9]{1,8}$/i.test(path)) return reply.code(404).type('text/plain').send('Not found');
    return reply.header('cache-control', 'no-cache').sendFile('index.html', root);
  };
}
