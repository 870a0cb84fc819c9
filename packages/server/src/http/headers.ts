/**
 * Security headers on every answer. The designer is a same-origin single-page
 * app: scripts and connections only from this origin, styles inline as well
 * (Fluent UI inserts its styles at run time), images also from data:, blob:
 * and https: (connector icons); no plugin, no framing (`frame-ancestors
 * 'none'` and X-Frame-Options for older browsers). A route that needs its own
 * policy (the OAuth callback page's inline script, with a nonce) sets it, and
 * that one is kept.
 */
import type { FastifyInstance } from 'fastify';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-frame-options', 'DENY');
    reply.header('x-content-type-options', 'nosniff');
    return payload;
  });
}
