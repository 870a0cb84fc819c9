/**
 * Connection references of an environment: create, rename, bind, unbind,
 * delete, and the flows that use each (only those the caller may see, with a
 * count of the others). The platform checks the role and who manages each
 * reference.
 */
import { Type } from 'typebox';
import type { ReferenceInfo } from '@patchbay/platform';
import { requireActor } from '../http/auth.js';
import type { App, RouteDeps } from '../http/types.js';

const EnvOnly = Type.Object({ env: Type.String({ minLength: 1 }) });
const RefParams = Type.Object({
  env: Type.String({ minLength: 1 }),
  logicalName: Type.String({ minLength: 1, maxLength: 200 }),
});

export function referenceView(r: ReferenceInfo) {
  return {
    logicalName: r.logicalName,
    displayName: r.displayName,
    connectorId: r.connectorId,
    ...(r.description ? { description: r.description } : {}),
    connection: r.connection
      ? {
          id: r.connection.id,
          displayName: r.connection.displayName,
          status: r.connection.status,
          ...(r.connection.statusReason ? { statusReason: r.connection.statusReason } : {}),
          owner: { id: r.connection.owner.id, email: r.connection.owner.email },
        }
      : null,
    usedBy: r.usedBy.map((u) => ({ flowId: u.flowId, flowName: u.flowName })),
    otherFlows: r.otherFlows,
    canManage: r.canManage,
  };
}

export async function referenceRoutes(app: App, { platform }: RouteDeps): Promise<void> {
  app.get(
    '/api/envs/:env/references',
    {
      config: { access: 'user', permission: 'env.read' },
      schema: {
        tags: ['references'],
        params: EnvOnly,
        querystring: Type.Object({ connectorId: Type.Optional(Type.String({ minLength: 1 })) }),
      },
    },
    async (request) => {
      return (
        await platform.references.list(
          requireActor(request),
          request.params.env,
          request.query.connectorId ? { connectorId: request.query.connectorId } : {},
        )
      ).map(referenceView);
    },
  );

  app.get(
    '/api/envs/:env/references/:logicalName',
    { config: { access: 'user', permission: 'env.read' }, schema: { tags: ['references'], params: RefParams } },
    async (request) =>
      referenceView(
        await platform.references.get(requireActor(request), request.params.env, request.params.logicalName),
      ),
  );

  app.post(
    '/api/envs/:env/references',
    {
      config: { access: 'user', permission: 'env.make' },
      schema: {
        tags: ['references'],
        params: EnvOnly,
        body: Type.Object({
          logicalName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          displayName: Type.String({ minLength: 1, maxLength: 200 }),
          connectorId: Type.String({ minLength: 1 }),
          description: Type.Optional(Type.String({ maxLength: 2000 })),
          connectionId: Type.Optional(Type.String({ minLength: 1 })),
        }),
      },
    },
    async (request) =>
      referenceView(await platform.references.create(requireActor(request), request.params.env, request.body)),
  );

  app.patch(
    '/api/envs/:env/references/:logicalName',
    {
      config: { access: 'user', permission: 'reference.manage' },
      schema: {
        tags: ['references'],
        params: RefParams,
        body: Type.Object({
          displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          description: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
        }),
        description: 'Renames a reference (display name, description); its logical name never changes.',
      },
    },
    async (request) =>
      referenceView(
        await platform.references.rename(requireActor(request), request.params.env, request.params.logicalName, {
          ...(request.body.displayName !== undefined ? { displayName: request.body.displayName } : {}),
          ...(request.body.description !== undefined ? { description: request.body.description } : {}),
        }),
      ),
  );

  app.put(
    '/api/envs/:env/references/:logicalName/binding',
    {
      config: { access: 'user', permission: 'reference.manage' },
      schema: {
        tags: ['references'],
        params: RefParams,
        body: Type.Object({ connectionId: Type.String({ minLength: 1 }) }),
      },
    },
    async (request) =>
      referenceView(
        await platform.references.bind(
          requireActor(request),
          request.params.env,
          request.params.logicalName,
          request.body.connectionId,
        ),
      ),
  );

  app.delete(
    '/api/envs/:env/references/:logicalName/binding',
    { config: { access: 'user', permission: 'reference.manage' }, schema: { tags: ['references'], params: RefParams } },
    async (request) =>
      referenceView(
        await platform.references.unbind(requireActor(request), request.params.env, request.params.logicalName),
      ),
  );

  app.delete(
    '/api/envs/:env/references/:logicalName',
    { config: { access: 'user', permission: 'reference.manage' }, schema: { tags: ['references'], params: RefParams } },
    async (request) => {
      await platform.references.delete(requireActor(request), request.params.env, request.params.logicalName);
      return {};
    },
  );
}
