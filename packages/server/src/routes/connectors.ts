/**
 * Connectors of an environment: list, the full model, one operation as an
 * action (for the designer's dialog), import (a Power Platform folder's files
 * or one OpenAPI text) and dynamic dropdown values through a connection.
 */
import { Type } from 'typebox';
import { PatchbayError, type Value } from '@patchbay/core';
import { operationAction } from '@patchbay/connectors';
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

export async function connectorRoutes(app: App, { platform }: RouteDeps): Promise<void> {
  app.get(
    '/api/envs/:env/connectors',
    { schema: { tags: ['connectors'], params: Type.Object({ env: Type.String({ minLength: 1 }) }) } },
    async (request) => {
      await platform.environments.get(request.params.env);
      return platform.connectors.list(request.params.env);
    },
  );

  app.get(
    '/api/envs/:env/connectors/:id',
    { schema: { tags: ['connectors'], params: ConnectorParams } },
    async (request) => platform.connectors.get(request.params.env, request.params.id),
  );

  app.get(
    '/api/envs/:env/connectors/:id/operations/:operationId/action',
    { schema: { tags: ['connectors'], params: OperationParams } },
    async (request) => {
      const { env, id, operationId } = request.params;
      const connector = await platform.connectors.get(env, id);
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
      const connector = await platform.connectors.import(requireActor(request), env, request.body);
      const summary = (await platform.connectors.list(env)).find((c) => c.id === connector.id);
      if (!summary) throw new PatchbayError('internal', `Connector ${connector.id} was imported but is not listed.`);
      return summary;
    },
  );

  app.post(
    '/api/envs/:env/connectors/:id/operations/:operationId/dynamic-values',
    {
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
