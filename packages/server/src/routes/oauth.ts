/**
 * The OAuth2 redirect target: finishes a connection's sign-in
 * (`platform.connections.completeAuthorization` checks the state, that the
 * same user and session that started it finish it, PKCE and issuer) and answers a small page that tells the designer window through
 * `postMessage` (to this server's origin only) and closes itself.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { toErrorData } from '@patchbay/core';
import type { App, RouteDeps } from '../http/types.js';
import { publicError } from '../http/errors.js';

/** JSON safe inside a <script> element. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The callback page's policy: nothing but its own inline script (by nonce), never framed. */
export function callbackPolicy(nonce: string): string {
  return `default-src 'none'; script-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

export function callbackPage(
  message: { type: 'patchbay:oauth'; connectionId?: string; ok: boolean; error?: string },
  origin: string,
  nonce: string,
): string {
  const text = message.ok
    ? 'Signed in. You can close this window.'
    : `Sign-in failed: ${message.error ?? 'unknown error'}`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>Patchbay sign-in</title></head><body><p>${escapeHtml(text)}</p>
<script nonce="${nonce}">(function(){var m=${scriptJson(message)};try{if(window.opener){window.opener.postMessage(m,${scriptJson(origin)});}}catch(e){}${message.ok ? 'setTimeout(function(){window.close();},300);' : ''}})();</script></body></html>`;
}

function originOf(request: FastifyRequest, publicUrl?: string): string {
  return new URL(publicUrl ?? `${request.protocol}://${request.host}`).origin;
}

export async function oauthRoutes(app: App, { platform, publicUrl }: RouteDeps): Promise<void> {
  app.get(
    '/api/oauth/callback',
    {
      config: { access: 'public', permission: 'public' },
      schema: {
        tags: ['connections'],
        querystring: Type.Object({
          state: Type.Optional(Type.String()),
          code: Type.Optional(Type.String()),
          iss: Type.Optional(Type.String()),
          error: Type.Optional(Type.String()),
          error_description: Type.Optional(Type.String()),
        }),
      },
    },
    async (request, reply) => {
      const origin = originOf(request, publicUrl);
      const q = request.query;
      const nonce = randomBytes(16).toString('base64');
      reply
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .header('content-security-policy', callbackPolicy(nonce))
        .type('text/html; charset=utf-8');
      try {
        // Only the user and session that started the sign-in may finish it (the cookie comes with the provider's redirect).
        const connection = await platform.connections.completeAuthorization(q, {
          ...(request.actor ? { actorId: request.actor.id } : {}),
          ...(request.session ? { session: request.session.id } : {}),
        });
        return reply.send(
          callbackPage({ type: 'patchbay:oauth', connectionId: connection.id, ok: true }, origin, nonce),
        );
      } catch (e) {
        const d = publicError(toErrorData(e));
        return reply
          .code(400)
          .send(callbackPage({ type: 'patchbay:oauth', ok: false, error: d.message }, origin, nonce));
      }
    },
  );
}
