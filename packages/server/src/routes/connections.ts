/**
 * Connections: only the caller's own and those shared with them are visible
 * (the platform filters and checks); every answer goes through the platform's
 * `toPublicConnection`, so no secret leaves. OAuth2 sign-ins answer an
 * `authorizeUrl` whose redirect comes back to `/api/oauth/callback`.
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { PublicConnection } from '@patchbay/platform';
import { requireActor } from '../http/auth.js';
import type { App, RouteDeps } from '../http/types.js';
import { AnyObject, IdParams } from './schemas.js';

const Secrets = Type.Record(Type.String(), Type.String(), {
  description: 'Secret parameters (API keys, passwords, client secrets); stored encrypted, never answered.',
});

/** The contract's connection shape: optional fields left out rather than null. */
export function connectionView(c: PublicConnection) {
  return {
    id: c.id,
    environment: c.environment,
    connectorId: c.connectorId,
    displayName: c.displayName,
    owner: { id: c.owner.id, email: c.owner.email },
    ...(c.scheme ? { scheme: c.scheme } : {}),
    params: c.params,
    ...(c.baseUrl ? { baseUrl: c.baseUrl } : {}),
    status: c.status,
    ...(c.statusReason ? { statusReason: c.statusReason } : {}),
    ...(c.statusAt ? { statusAt: c.statusAt } : {}),
    ...(c.tokenExpiresAt ? { tokenExpiresAt: c.tokenExpiresAt } : {}),
    hasSecrets: c.hasSecrets,
    sharedWithMe: c.sharedWithMe,
    canManage: c.canManage,
    createdAt: c.createdAt,
  };
}

export function callbackUrl(request: FastifyRequest, publicUrl?: string): string {
  const base = publicUrl ?? `${request.protocol}://${request.host}`;
  return `${base.replace(/\/+$/, '')}/api/oauth/callback`;
}

/** The caller's sign-in session, which an OAuth2 sign-in it starts is bound to. */
function signInSession(request: FastifyRequest): { session?: string } {
  return request.session ? { session: request.session.id } : {};
}

export async function connectionRoutes(app: App, { platform, publicUrl }: RouteDeps): Promise<void> {
  app.get(
    '/api/envs/:env/connections',
    {
      config: { access: 'user', permission: 'env.read' },
      schema: {
        tags: ['connections'],
        params: Type.Object({ env: Type.String({ minLength: 1 }) }),
        querystring: Type.Object({ connectorId: Type.Optional(Type.String({ minLength: 1 })) }),
      },
    },
    async (request) => {
      const list = await platform.connections.list(
        requireActor(request),
        request.params.env,
        request.query.connectorId ? { connectorId: request.query.connectorId } : {},
      );
      return list.map(connectionView);
    },
  );

  app.post(
    '/api/envs/:env/connections',
    {
      config: { access: 'user', permission: 'env.read' },
      schema: {
        tags: ['connections'],
        params: Type.Object({ env: Type.String({ minLength: 1 }) }),
        body: Type.Object({
          connectorId: Type.String({ minLength: 1 }),
          displayName: Type.String({ minLength: 1, maxLength: 200 }),
          scheme: Type.Optional(Type.String()),
          params: Type.Optional(AnyObject),
          secrets: Type.Optional(Secrets),
          baseUrl: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
      },
    },
    async (request) => {
      const b = request.body;
      const r = await platform.connections.create(requireActor(request), request.params.env, {
        connectorId: b.connectorId,
        displayName: b.displayName,
        ...(b.scheme ? { scheme: b.scheme } : {}),
        ...(b.params ? { params: b.params } : {}),
        ...(b.secrets ? { secrets: b.secrets } : {}),
        ...(b.baseUrl ? { baseUrl: b.baseUrl } : {}),
        redirectUri: callbackUrl(request, publicUrl),
        ...signInSession(request),
      });
      return { connection: connectionView(r.connection), ...(r.authorizeUrl ? { authorizeUrl: r.authorizeUrl } : {}) };
    },
  );

  app.get(
    '/api/connections/:id',
    { config: { access: 'user', permission: 'connection.use' }, schema: { tags: ['connections'], params: IdParams } },
    async (request) => connectionView(await platform.connections.get(requireActor(request), request.params.id)),
  );

  app.patch(
    '/api/connections/:id',
    {
      config: { access: 'user', permission: 'connection.owner' },
      schema: {
        tags: ['connections'],
        params: IdParams,
        body: Type.Object({
          displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          params: Type.Optional(AnyObject),
          secrets: Type.Optional(Secrets),
          baseUrl: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
        }),
      },
    },
    async (request) =>
      connectionView(await platform.connections.update(requireActor(request), request.params.id, request.body)),
  );

  app.post(
    '/api/connections/:id/test',
    { config: { access: 'user', permission: 'connection.use' }, schema: { tags: ['connections'], params: IdParams } },
    async (request) => {
      const r = await platform.connections.test(requireActor(request), request.params.id);
      return { status: r.status, ...(r.statusReason ? { statusReason: r.statusReason } : {}), statusAt: r.statusAt };
    },
  );

  app.post(
    '/api/connections/:id/reconnect',
    {
      config: { access: 'user', permission: 'connection.owner' },
      schema: {
        tags: ['connections'],
        params: IdParams,
        body: Type.Optional(Type.Object({ secrets: Type.Optional(Secrets) })),
      },
    },
    async (request) => {
      const r = await platform.connections.reconnect(requireActor(request), request.params.id, {
        ...(request.body?.secrets ? { secrets: request.body.secrets } : {}),
        redirectUri: callbackUrl(request, publicUrl),
        ...signInSession(request),
      });
      return r.authorizeUrl
        ? { authorizeUrl: r.authorizeUrl, connection: connectionView(r.connection) }
        : { connection: connectionView(r.connection) };
    },
  );

  app.post(
    '/api/connections/:id/shares',
    {
      config: { access: 'user', permission: 'connection.owner' },
      schema: {
        tags: ['connections'],
        params: IdParams,
        body: Type.Object({ email: Type.String({ minLength: 3, maxLength: 320 }) }),
      },
    },
    async (request) => {
      await platform.connections.share(requireActor(request), request.params.id, request.body.email.trim());
      return {};
    },
  );

  app.delete(
    '/api/connections/:id/shares/:userId',
    {
      config: { access: 'user', permission: 'connection.owner' },
      schema: {
        tags: ['connections'],
        params: Type.Object({ id: Type.String({ minLength: 1 }), userId: Type.String({ minLength: 1 }) }),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      // Owner-only check first, so the user lookup cannot tell a stranger who exists.
      await platform.connections.update(actor, request.params.id, {});
      const user = await platform.users.get(request.params.userId);
      await platform.connections.unshare(actor, request.params.id, user.email);
      return {};
    },
  );

  app.delete(
    '/api/connections/:id',
    {
      config: { access: 'user', permission: 'connection.owner' },
      schema: {
        tags: ['connections'],
        params: IdParams,
        querystring: Type.Object({ force: Type.Optional(Type.Boolean()) }),
      },
    },
    async (request) => {
      const r = await platform.connections.delete(requireActor(request), request.params.id, {
        force: request.query.force ?? false,
      });
      return { unbound: r.unbound.map((b) => ({ environment: b.environment, logicalName: b.logicalName })) };
    },
  );
}
