/**
 * Sign-in, sessions, API tokens and user accounts. Login is the one
 * rate-limited route (10 a minute per address); its answer and `me` carry the
 * CSRF token the designer sends back on every change.
 */
import { Type } from 'typebox';
import { PatchbayError } from '@patchbay/core';
import { endSession, requireActor, startSession } from '../http/auth.js';
import type { App, RouteDeps } from '../http/types.js';
import { Empty, IdParams, UserView, userView } from './schemas.js';

const Session = Type.Object({ user: UserView, csrfToken: Type.String() });

export async function authRoutes(app: App, { platform, sessions }: RouteDeps): Promise<void> {
  app.get(
    '/api/health',
    {
      config: { access: 'public', permission: 'public' },
      schema: { tags: ['auth'], response: { 200: Type.Object({ ok: Type.Boolean() }) } },
    },
    async () => ({ ok: true }),
  );

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' }, permission: 'public' },
      schema: {
        tags: ['auth'],
        body: Type.Object({
          email: Type.String({ minLength: 1, maxLength: 320 }),
          password: Type.String({ minLength: 1, maxLength: 1024 }),
        }),
        response: { 200: Session },
      },
    },
    async (request, reply) => {
      const user = await platform.users.login(request.body.email.trim(), request.body.password);
      const csrfToken = await startSession(reply, sessions, user);
      return { user: userView(user), csrfToken };
    },
  );

  app.post(
    '/api/auth/logout',
    // Public, so an expired session can still clear its cookie; a live session must send its CSRF token.
    {
      config: { access: 'public', csrf: true, permission: 'public' },
      schema: { tags: ['auth'], response: { 200: Empty } },
    },
    async (_request, reply) => {
      await endSession(reply, sessions);
      return {};
    },
  );

  app.get(
    '/api/auth/me',
    { config: { access: 'user', permission: 'signed-in' }, schema: { tags: ['auth'], response: { 200: Session } } },
    async (request, reply) => {
      const user = requireActor(request);
      return { user: userView(user), csrfToken: request.authKind === 'cookie' ? reply.generateCsrf() : '' };
    },
  );

  app.get(
    '/api/auth/tokens',
    { config: { access: 'user', permission: 'signed-in' }, schema: { tags: ['auth'] } },
    async (request) => {
      const tokens = await platform.users.listTokens(requireActor(request));
      return tokens.map((t) => ({
        id: t.id,
        name: t.name,
        prefix: t.prefix,
        createdAt: t.createdAt,
        lastUsedAt: t.lastUsedAt,
      }));
    },
  );

  app.post(
    '/api/auth/tokens',
    {
      config: { access: 'user', permission: 'signed-in' },
      schema: {
        tags: ['auth'],
        description: 'Creates an API token for `Authorization: Bearer`; the token is shown only in this answer.',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }),
      },
    },
    async (request) => {
      const { token, record } = await platform.users.createToken(requireActor(request), request.body.name);
      return { id: record.id, name: record.name, apiToken: token };
    },
  );

  app.delete(
    '/api/auth/tokens/:id',
    { config: { access: 'user', permission: 'signed-in' }, schema: { tags: ['auth'], params: IdParams } },
    async (request) => {
      await platform.users.revokeToken(requireActor(request), request.params.id);
      return {};
    },
  );

  app.get(
    '/api/users',
    {
      config: { access: 'owner', permission: 'instance.owner' },
      schema: { tags: ['auth'], response: { 200: Type.Array(UserView) } },
    },
    async (request) => (await platform.users.list(requireActor(request))).map(userView),
  );

  app.post(
    '/api/users',
    {
      config: { access: 'owner', permission: 'instance.owner' },
      schema: {
        tags: ['auth'],
        body: Type.Object({
          email: Type.String({ minLength: 3, maxLength: 320 }),
          password: Type.Optional(Type.String({ minLength: 8, maxLength: 1024 })),
          displayName: Type.Optional(Type.String({ maxLength: 200 })),
          role: Type.Optional(Type.Union([Type.Literal('owner'), Type.Literal('member')])),
        }),
        response: { 200: UserView },
      },
    },
    async (request) => {
      const b = request.body;
      if (!b.email.includes('@'))
        throw new PatchbayError('store.invalid', 'email is not an email address.', {
          place: { pointer: '/body/email' },
        });
      return userView(
        await platform.users.createUser(requireActor(request), {
          email: b.email,
          ...(b.password ? { password: b.password } : {}),
          ...(b.displayName ? { displayName: b.displayName } : {}),
          ...(b.role ? { role: b.role } : {}),
        }),
      );
    },
  );
}
