/**
 * Connectors of an environment: list, the full model, one operation as an
 * action (for the designer's dialog), import (a Power Platform folder's files
 * or one OpenAPI text; replacing one only for its owner, co-owners or an
 * environment admin), delete, co-owners, and dynamic dropdown values and
 * schemas through a connection of that connector.
 */
import { Type } from 'typebox';
import { PatchbayError, type Value } from '@patchbay/core';
import { operationAction } from '@patchbay/connectors';
import type { ConnectorOwner } from '@patchbay/store';
import { requireActor } from '../http/auth.js';
import type { App, RouteDeps } from '../http/types.js';
import { actionInfo } from './catalog.js';
import { AnyObject } from './schemas.js';

const ConnectorParams = Type.Object({
  env: Type.String({ minLength: 1 }),
  id: Type.String({ minLength: 1, maxLength: 200 }),
});
const OperationParams = Type.Object({
  env: Type.String({ minLength: 1 }),
  id: Type.String({ minLength: 1, maxLength: 200 }),
  operationId: Type.String({ minLength: 1, maxLength: 300 }),
});
const Upload = Type.Union([
  Type.Object({ files: Type.Record(Type.String(), Type.String()), id: Type.Optional(Type.String({ maxLength: 100 })) }),
  Type.Object({
    openapi: Type.String({ minLength: 1 }),
    fileName: Type.Optional(Type.String({ maxLength: 200 })),
    id: Type.Optional(Type.String({ maxLength: 100 })),
  }),
]);

function ownerViews(owners: ConnectorOwner[]): { id: string; email: string; role: string }[] {
  return owners.map((o) => ({ id: o.userId, email: o.email, role: o.role }));
}

export async function connectorRoutes(app: App, { platform }: RouteDeps): Promise<void> {
  const listTexts = new WeakMap<object, string>();
  app.get(
    '/api/envs/:env/connectors',
    {
      config: { access: 'user', permission: 'env.read' },
      schema: { tags: ['connectors'], params: Type.Object({ env: Type.String({ minLength: 1 }) }) },
    },
    async (request, reply) => {
      // The same list (unchanged connectors) is sent as the text made for it the first time.
      const list = await platform.connectors.list(requireActor(request), request.params.env);
      let text = listTexts.get(list);
      if (text === undefined) {
        text = JSON.stringify(list);
        listTexts.set(list, text);
      }
      return reply.type('application/json; charset=utf-8').send(text);
    },
  );

  app.get(
    '/api/envs/:env/connectors/:id',
    { config: { access: 'user', permission: 'env.read' }, schema: { tags: ['connectors'], params: ConnectorParams } },
    async (request) => platform.connectors.get(requireActor(request), request.params.env, request.params.id),
  );

  app.get(
    '/api/envs/:env/connectors/:id/operations/:operationId/action',
    { config: { access: 'user', permission: 'env.read' }, schema: { tags: ['connectors'], params: OperationParams } },
    async (request) => {
      const { env, id, operationId } = request.params;
      const connector = await platform.connectors.withOperations(requireActor(request), env, id, [operationId]);
      const op = connector.operations.find((o) => o.id === operationId);
      if (!op)
        throw new PatchbayError('store.not_found', `Connector ${connector.id} has no operation ${operationId}.`, {
          hint: 'List the operations with GET /api/envs/{env}/connectors/{id}.',
        });
      return actionInfo(operationAction(connector, op));
    },
  );

  app.post(
    '/api/envs/:env/connectors',
    {
      config: { access: 'user', permission: 'env.make' },
      bodyLimit: 32 * 1024 * 1024,
      schema: {
        tags: ['connectors'],
        params: Type.Object({ env: Type.String({ minLength: 1 }) }),
        body: Upload,
        description:
          'Imports a Power Platform connector folder (`files`: apiDefinition.swagger.json, apiProperties.json, icon.png as base64) or an OpenAPI 2/3 text (`openapi`, JSON or YAML).',
      },
    },
    async (request) => {
      const { env } = request.params;
      const actor = requireActor(request);
      const result = await platform.connectors.importWithResult(actor, env, request.body);
      const summary = (await platform.connectors.list(actor, env)).find((c) => c.id === result.connector.id);
      if (!summary)
        throw new PatchbayError('internal', `Connector ${result.connector.id} was imported but is not listed.`);
      return {
        ...summary,
        outcome: result.outcome,
        destinationChanges: result.destinationChanges,
        reauthConnections: result.reauthConnections.length,
      };
    },
  );

  app.delete(
    '/api/envs/:env/connectors/:id',
    {
      config: { access: 'user', permission: 'connector.manage' },
      schema: {
        tags: ['connectors'],
        params: ConnectorParams,
        querystring: Type.Object({ force: Type.Optional(Type.Boolean()) }),
        description:
          'Deletes an imported connector (its owner, a co-owner or an environment admin). Refused with 409 while flows use it, unless `force=true`.',
      },
    },
    async (request) => {
      const { env, id } = request.params;
      return platform.connectors.delete(requireActor(request), env, id, { force: request.query.force === true });
    },
  );

  app.get(
    '/api/envs/:env/connectors/:id/owners',
    {
      config: { access: 'user', permission: 'env.read' },
      schema: { tags: ['connectors'], params: ConnectorParams },
    },
    async (request) =>
      ownerViews(await platform.connectors.owners(requireActor(request), request.params.env, request.params.id)),
  );

  app.post(
    '/api/envs/:env/connectors/:id/owners',
    {
      config: { access: 'user', permission: 'connector.manage' },
      schema: {
        tags: ['connectors'],
        params: ConnectorParams,
        body: Type.Object({ email: Type.String({ minLength: 3, maxLength: 320 }) }),
        description:
          'Makes a user a co-owner of an imported connector (its owner, a co-owner or an environment admin).',
      },
    },
    async (request) => {
      const { env, id } = request.params;
      return ownerViews(await platform.connectors.addCoOwner(requireActor(request), env, id, request.body.email));
    },
  );

  app.delete(
    '/api/envs/:env/connectors/:id/owners/:email',
    {
      config: { access: 'user', permission: 'connector.manage' },
      schema: {
        tags: ['connectors'],
        params: Type.Object({
          env: Type.String({ minLength: 1 }),
          id: Type.String({ minLength: 1, maxLength: 200 }),
          email: Type.String({ minLength: 3, maxLength: 320 }),
        }),
        description: 'Removes a co-owner (never the owner).',
      },
    },
    async (request) => {
      const { env, id, email } = request.params;
      return ownerViews(await platform.connectors.removeCoOwner(requireActor(request), env, id, email));
    },
  );

  app.post(
    '/api/envs/:env/connectors/:id/operations/:operationId/dynamic-schema',
    {
      config: { access: 'user', permission: 'connection.use' },
      schema: {
        tags: ['connectors'],
        params: OperationParams,
        body: Type.Object({
          parameter: Type.Optional(Type.String({ minLength: 1 })),
          connectionReference: Type.Optional(Type.String({ minLength: 1 })),
          connectionId: Type.Optional(Type.String({ minLength: 1 })),
          params: Type.Optional(AnyObject),
        }),
        description:
          "A parameter's dynamic schema (x-ms-dynamic-schema), or the operation's dynamic output schema without `parameter`, loaded through a connection of this connector that you may use.",
      },
    },
    async (request) => {
      const { env, id, operationId } = request.params;
      const b = request.body;
      return platform.connectors.dynamicSchema(requireActor(request), env, {
        connectorId: id,
        operationId,
        ...(b.parameter ? { parameter: b.parameter } : {}),
        ...(b.connectionId ? { connectionId: b.connectionId } : {}),
        ...(b.connectionReference ? { referenceName: b.connectionReference } : {}),
        params: (b.params ?? {}) as Record<string, Value>,
      });
    },
  );

  app.post(
    '/api/envs/:env/connectors/:id/operations/:operationId/dynamic-values',
    {
      config: { access: 'user', permission: 'connection.use' },
      schema: {
        tags: ['connectors'],
        params: OperationParams,
        body: Type.Object({
          parameter: Type.String({ minLength: 1 }),
          connectionReference: Type.Optional(Type.String({ minLength: 1 })),
          connectionId: Type.Optional(Type.String({ minLength: 1 })),
          params: Type.Optional(AnyObject),
        }),
      },
    },
    async (request) => {
      const { env, id, operationId } = request.params;
      const b = request.body;
      return platform.connectors.dynamicValues(requireActor(request), env, {
        connectorId: id,
        operationId,
        parameter: b.parameter,
        ...(b.connectionId ? { connectionId: b.connectionId } : {}),
        ...(b.connectionReference ? { referenceName: b.connectionReference } : {}),
        params: (b.params ?? {}) as Record<string, Value>,
      });
    },
  );
}
