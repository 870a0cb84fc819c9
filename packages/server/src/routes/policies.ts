/**
 * Data-loss-prevention policies: list, show, apply (create or replace),
 * delete, check a flow definition, and each connector's group in an
 * environment. Reading is open to every signed-in user; applying and
 * deleting need the instance owner or an admin of every environment the
 * policy names, which the platform checks (`permission: 'policy.manage'`).
 */
import { Type } from 'typebox';
import type { Flow as FlowDefinition } from '@patchbay/core';
import { requireActor } from '../http/auth.js';
import type { App, RouteDeps } from '../http/types.js';
import { AnyObject } from './schemas.js';

const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });
const tags = ['policies'];

export async function policyRoutes(app: App, { platform }: RouteDeps): Promise<void> {
  app.get('/api/policies', { config: { access: 'user', permission: 'signed-in' }, schema: { tags } }, async (request) =>
    platform.policies.list(requireActor(request)),
  );

  app.get(
    '/api/policies/_connectors',
    {
      config: { access: 'user', permission: 'env.read' },
      schema: { tags, querystring: Type.Object({ env: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) }) },
    },
    async (request) => platform.policies.connectorGroups(requireActor(request), request.query.env ?? 'default'),
  );

  app.get(
    '/api/policies/:name',
    { config: { access: 'user', permission: 'signed-in' }, schema: { tags, params: NameParams } },
    async (request) => platform.policies.get(requireActor(request), request.params.name),
  );

  app.post(
    '/api/policies',
    {
      config: { access: 'user', permission: 'policy.manage' },
      schema: { tags, body: AnyObject, description: 'Creates or replaces the policy named in the body.' },
    },
    async (request) => platform.policies.apply(requireActor(request), request.body),
  );

  app.delete(
    '/api/policies/:name',
    { config: { access: 'user', permission: 'policy.manage' }, schema: { tags, params: NameParams } },
    async (request) => platform.policies.delete(requireActor(request), request.params.name),
  );

  app.post(
    '/api/policies/_check',
    {
      config: { access: 'user', permission: 'env.read' },
      schema: {
        tags,
        body: Type.Object({ env: Type.String({ minLength: 1, maxLength: 100 }), definition: AnyObject }),
        description: 'What a flow definition would violate in an environment; nothing is saved.',
      },
    },
    async (request) => ({
      violations: await platform.policies.check(
        requireActor(request),
        request.body.env,
        request.body.definition as unknown as FlowDefinition,
      ),
    }),
  );
}
