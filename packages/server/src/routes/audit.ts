/**
 * The audit log, read-only: the instance owner reads every entry, an
 * environment admin the entries of their environments (the platform checks).
 */
import { Type } from 'typebox';
import { requireActor } from '../http/auth.js';
import type { App, RouteDeps } from '../http/types.js';

export const AuditEntryView = Type.Object({
  id: Type.String(),
  at: Type.String({ description: 'ISO 8601 time (UTC).' }),
  actor: Type.Object({ id: Type.Union([Type.String(), Type.Null()]), email: Type.Union([Type.String(), Type.Null()]) }),
  environment: Type.Union([Type.String(), Type.Null()], { description: 'Null for instance-wide events.' }),
  action: Type.String({ description: '`noun.verb`, e.g. `connection.share`.' }),
  target: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Union([Type.Literal('ok'), Type.Literal('denied'), Type.Literal('failed')]),
  detail: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
});

export async function auditRoutes(app: App, { platform }: RouteDeps): Promise<void> {
  app.get(
    '/api/audit',
    {
      config: { access: 'user', permission: 'audit.read' },
      schema: {
        tags: ['audit'],
        description: 'Audit log entries, newest first (instance owner: all; environment admin: their environments).',
        querystring: Type.Object({
          env: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
          since: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'ISO 8601 time.' })),
          actor: Type.Optional(Type.String({ minLength: 1, maxLength: 320, description: "The actor's email." })),
          action: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        }),
        response: { 200: Type.Array(AuditEntryView) },
      },
    },
    async (request) => {
      const q = request.query;
      return platform.audit.list(requireActor(request), {
        ...(q.env ? { environment: q.env } : {}),
        ...(q.since ? { since: q.since } : {}),
        ...(q.actor ? { actorEmail: q.actor } : {}),
        ...(q.action ? { action: q.action } : {}),
        ...(q.limit ? { limit: q.limit } : {}),
      });
    },
  );
}
