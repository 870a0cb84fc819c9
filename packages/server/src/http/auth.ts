/**
 * Who is calling. A request is signed in by the `patchbay_session` cookie (the
 * random id of a session kept in the store, so any server can check it) or by `Authorization: Bearer <API
 * token>`. Each route declares its access next to its schema
 * (`config: {access: 'public' | 'user' | 'owner'}`, default `user`); this hook
 * enforces it before the body is read. Cookie-signed-in requests that change
 * something must carry the session's CSRF token in `x-csrf-token` (public
 * routes too when they declare `csrf: true`, as logout does); bearer
 * requests need none (a browser never sends them on its own).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import { PatchbayError } from '@patchbay/core';
import type { Platform } from '@patchbay/platform';
import type { User } from '@patchbay/store';
import type { Permission } from './permissions.js';
import { type Session, SessionStore } from './sessions.js';

export type Access = 'public' | 'user' | 'owner';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** The right the route needs (permissions.ts), for the permission matrix; the platform enforces it. */
    permission?: Permission;
    /** A public route that still needs the CSRF token when a session cookie signs the request in (logout). */
    csrf?: boolean;
  }
  interface FastifyInstance {
    /** Every route with its declared access and permission (see permissions.ts). */
    routeDeclarations: import('./permissions.js').RouteDeclaration[];
  }
  interface FastifyRequest {
    actor: User | null;
    session: Session | undefined;
    authKind: 'cookie' | 'bearer' | null;
  }
}

export const SESSION_COOKIE = 'patchbay_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AuthOptions {
  platform: Platform;
  sessions: SessionStore;
}

export function requireActor(request: FastifyRequest): User {
  if (!request.actor)
    throw new PatchbayError('auth.denied', 'Sign in first.', {
      hint: 'POST /api/auth/login, or send Authorization: Bearer <API token>.',
      status: 401,
    });
  return request.actor;
}

/** Starts a session for `user` and sets its cookie; returns the CSRF token for it. */
export async function startSession(reply: FastifyReply, sessions: SessionStore, user: User): Promise<string> {
  const old = reply.request.session;
  if (old) await sessions.destroy(old.id);
  const s = await sessions.create(user.id);
  reply.request.session = s;
  reply.request.actor = user;
  reply.request.authKind = 'cookie';
  // Unsigned: the id is 256 random bits checked against its hash in the store, which a signature would not strengthen.
  reply.setCookie(SESSION_COOKIE, s.id, { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto' });
  return reply.generateCsrf();
}

export async function endSession(reply: FastifyReply, sessions: SessionStore): Promise<void> {
  const s = reply.request.session;
  if (s) await sessions.destroy(s.id);
  reply.request.session = undefined;
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

function isPublicPath(url: string): boolean {
  return (
    !url.startsWith('/api/') || url === '/api/docs' || url.startsWith('/api/docs/') || url.startsWith('/api/docs?')
  );
}

function accessOf(request: FastifyRequest): Access {
  return request.routeOptions.config?.access ?? (isPublicPath(request.url) ? 'public' : 'user');
}

export async function installAuth(app: FastifyInstance, opts: AuthOptions): Promise<void> {
  const { platform, sessions } = opts;
  await app.register(cookie, { hook: 'onRequest' });
  // The CSRF secret lives in the server-side session (the '@fastify/session' shape: `request.session._csrf`).
  await app.register(csrf, {
    sessionPlugin: '@fastify/session',
    sessionKey: '_csrf',
    getToken: (req) => {
      const h = req.headers['x-csrf-token'];
      return typeof h === 'string' ? h : undefined;
    },
  });
  app.decorateRequest('actor', null);
  app.decorateRequest('session', undefined);
  app.decorateRequest('authKind', null);

  app.addHook('onRequest', async (request) => {
    const access = accessOf(request);
    const auth = request.headers.authorization;
    if (typeof auth === 'string' && /^bearer\s/i.test(auth)) {
      const user = await platform.users.authenticateToken(auth.slice(7).trim());
      if (!user)
        throw new PatchbayError('auth.denied', 'The API token is unknown or revoked.', {
          hint: 'Create a new token, or sign in.',
          status: 401,
        });
      request.actor = user;
      request.authKind = 'bearer';
    } else {
      const raw = request.cookies[SESSION_COOKIE];
      const s = raw ? await sessions.touch(raw) : undefined;
      if (s) {
        try {
          request.actor = await platform.users.get(s.userId);
          request.session = s;
          request.authKind = 'cookie';
        } catch {
          await sessions.destroy(s.id);
        }
      }
    }
    if (access === 'public') return;
    const actor = requireActor(request);
    if (access === 'owner' && actor.role !== 'owner')
      throw new PatchbayError('auth.denied', 'Only an owner account may do this.', {
        hint: 'Ask the owner of this Patchbay installation.',
      });
  });
  // The documented way to use csrfProtection: as a callback hook; on a bad token it answers 403 through the error handler.
  app.addHook('onRequest', (request, reply, done) => {
    if (
      request.actor &&
      request.authKind === 'cookie' &&
      !SAFE_METHODS.has(request.method) &&
      (accessOf(request) !== 'public' || request.routeOptions.config?.csrf === true)
    )
      return app.csrfProtection(request, reply, done);
    done();
  });
}
