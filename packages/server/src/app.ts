/**
 * `buildServer`: the Fastify application over an open platform and a run
 * queue — sessions and API tokens, CSRF, the login rate limit, the secret
 * stripping mapper, errors as `{error}`, OpenAPI at /api/docs, one routes
 * file per noun, and the designer's files.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { PatchbayError } from '@patchbay/core';
import type { Platform } from '@patchbay/platform';
import { installAuth } from './http/auth.js';
import { installErrorHandling, sendError } from './http/errors.js';
import { installSecurityHeaders } from './http/headers.js';
import type { RouteDeclaration } from './http/permissions.js';
import { installPublicMapper } from './http/public.js';
import { RunEventHub } from './http/run-events.js';
import { SessionStore } from './http/sessions.js';
import type { App, RouteDeps } from './http/types.js';
import { MachineHub, type MachineHubOptions } from './machines/hub.js';
import { Listeners } from './queue/listeners.js';
import type { RunQueue } from './queue/types.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { catalogRoutes } from './routes/catalog.js';
import { connectionRoutes } from './routes/connections.js';
import { connectorRoutes } from './routes/connectors.js';
import { environmentRoutes } from './routes/environments.js';
import { flowRoutes } from './routes/flows.js';
import { machineRoutes } from './routes/machines.js';
import { oauthRoutes } from './routes/oauth.js';
import { policyRoutes } from './routes/policies.js';
import { referenceRoutes } from './routes/references.js';
import { roleRoutes } from './routes/roles.js';
import { runRoutes } from './routes/runs.js';
import { solutionRoutes } from './routes/solutions.js';
import { webRoutes } from './routes/web.js';

export interface BuildServerOptions {
  platform: Platform;
  queue: RunQueue;
  /** A pino logger (or Fastify's logger options); silent when absent. */
  logger?: FastifyBaseLogger | boolean;
  /** The built designer; default `packages/web/dist`. */
  webRoot?: string;
  /** Where browsers reach the server (OAuth redirect URIs, postMessage origin); the request's own origin when absent. */
  publicUrl?: string;
  /** Idle lifetime of a sign-in session; default 12 hours. */
  sessionTtlMs?: number;
  /** Login attempts per minute per address; default 10. */
  loginRateLimit?: number;
  /** Settings of the machine hub (machines on other computers). */
  machines?: Omit<MachineHubOptions, 'platform' | 'emit' | 'logger'>;
}

const SESSION_CLEANUP_MS = 15 * 60_000;

/** Logged request lines carry the path only: query strings can hold OAuth codes and states. */
export const serializers = {
  req(req: { method: string; url: string; ip?: string }) {
    return { method: req.method, url: req.url.split('?')[0], remoteAddress: req.ip };
  },
};

declare module 'fastify' {
  interface FastifyInstance {
    /** Machines connected to this server (`patchbay runner` on other computers). */
    machines: MachineHub;
  }
}

/** The queue as routes see it: runs for a machine group go to the hub, and the hub's run events join the queue's. */
function withMachines(queue: RunQueue, hub: MachineHub, events: Listeners): RunQueue {
  return {
    kind: queue.kind,
    async enqueue(runId) {
      await queue.enqueue(runId);
      hub.dispatch();
    },
    onEvent(listener) {
      const a = queue.onEvent(listener);
      const b = events.add(listener);
      return () => {
        a();
        b();
      };
    },
    requestCancel: (runId) => queue.requestCancel(runId),
    close: (o) => queue.close(o),
  };
}

export async function buildServer(opts: BuildServerOptions): Promise<FastifyInstance> {
  const logger =
    opts.logger === undefined || opts.logger === false
      ? false
      : opts.logger === true
        ? { level: 'info', serializers }
        : undefined;
  const app: App = Fastify({
    // A given logger gets the same serializers, so no query string reaches it whatever its level.
    ...(logger !== undefined
      ? { logger }
      : { loggerInstance: (opts.logger as FastifyBaseLogger).child({}, { serializers }) }),
    trustProxy: false,
    bodyLimit: 2 * 1024 * 1024,
    ajv: { customOptions: { allErrors: false, coerceTypes: 'array', useDefaults: true, removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const sessions = new SessionStore(opts.platform.store, opts.sessionTtlMs ? { ttlMs: opts.sessionTtlMs } : {});
  const machineEvents = new Listeners();
  const machines = new MachineHub({
    platform: opts.platform,
    emit: (e) => machineEvents.emit(e),
    ...opts.machines,
  });
  const queue = withMachines(opts.queue, machines, machineEvents);
  const events = new RunEventHub(queue);
  app.decorate('machines', machines);
  const deps: RouteDeps = {
    platform: opts.platform,
    queue,
    sessions,
    events,
    ...(opts.publicUrl ? { publicUrl: opts.publicUrl.replace(/\/+$/, '') } : {}),
  };
  // Sessions live in the store; every server clears expired ones now and then, and audit entries older than
  // the retention (PATCHBAY_AUDIT_RETENTION_DAYS) with them.
  const cleanup = () =>
    Promise.all([
      sessions
        .cleanup()
        .catch((e: unknown) =>
          app.log.warn({ error: e instanceof Error ? e.message : String(e) }, 'Could not clear expired sessions.'),
        ),
      opts.platform.audit
        .prune()
        .catch((e: unknown) =>
          app.log.warn({ error: e instanceof Error ? e.message : String(e) }, 'Could not prune the audit log.'),
        ),
    ]);
  const sessionSweeper = setInterval(() => void cleanup(), SESSION_CLEANUP_MS);
  sessionSweeper.unref();
  app.addHook('onReady', async () => {
    await cleanup();
  });
  app.addHook('onClose', async () => {
    await machines.close();
    clearInterval(sessionSweeper);
    events.close();
  });

  // Every route and the right it declares, for the permission matrix test; the API's own documentation is public.
  const declarations: RouteDeclaration[] = [];
  app.decorate('routeDeclarations', declarations);
  app.addHook('onRoute', (route) => {
    if (route.url === '/api/docs' || route.url.startsWith('/api/docs/'))
      route.config = { ...route.config, access: 'public', permission: 'public' };
    for (const method of [route.method].flat())
      if (method !== 'HEAD')
        declarations.push({
          method,
          url: route.url,
          access: route.config?.access,
          permission: route.config?.permission,
        });
  });

  installErrorHandling(app);
  installSecurityHeaders(app);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      Object.assign(
        new PatchbayError(
          'auth.denied',
          `Too many attempts: at most ${context.max} a minute. Try again in ${Math.ceil(context.ttl / 1000)} s.`,
          { retryable: true },
        ),
        { statusCode: 429 },
      ),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Patchbay API',
        version: '0.1.0',
        description:
          'Desktop flows with connector actions: connectors, connections, connection references, flows, runs and solutions.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'patchbay_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  await installAuth(app, { platform: opts.platform, sessions });
  installPublicMapper(app);
  await app.register(multipart, { limits: { fileSize: 64 * 1024 * 1024, files: 4 } });

  await authRoutes(app, deps);
  await catalogRoutes(app);
  await environmentRoutes(app, deps);
  await connectorRoutes(app, deps);
  await connectionRoutes(app, deps);
  await referenceRoutes(app, deps);
  await flowRoutes(app, deps);
  await runRoutes(app, deps);
  await solutionRoutes(app, deps);
  await policyRoutes(app, deps);
  await oauthRoutes(app, deps);
  await auditRoutes(app, deps);
  await machineRoutes(app, { ...deps, machines });
  await roleRoutes(app, deps);
  const webFallback = await webRoutes(app, opts.webRoot);

  app.setNotFoundHandler((request, reply) => {
    if (request.url === '/api' || request.url.startsWith('/api/')) {
      return sendError(
        reply,
        new PatchbayError('store.not_found', `No API route ${request.method} ${request.url.split('?')[0]}.`, {
          hint: 'The API is described at /api/docs.',
        }),
      );
    }
    return webFallback(request, reply);
  });
  return app;
}
