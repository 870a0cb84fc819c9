/** Environments and their variables (secret values are never answered). */
import { Type } from 'typebox';
import { ENV_VAR_TYPES, type EnvVarType, type JsonValue } from '@patchbay/store';
import { requireActor } from '../http/auth.js';
import type { App, RouteDeps } from '../http/types.js';
import { EnvParams } from './schemas.js';

const EnvironmentView = Type.Object({
  name: Type.String(),
  displayName: Type.Optional(Type.String()),
  createdAt: Type.String(),
});

export async function environmentRoutes(app: App, { platform }: RouteDeps): Promise<void> {
  app.get(
    '/api/environments',
    {
      config: { access: 'user', permission: 'env.list' },
      schema: {
        tags: ['environments'],
        description: 'The environments the caller has a role in (every one for the instance owner).',
        response: { 200: Type.Array(EnvironmentView) },
      },
    },
    async (request) => platform.environments.list(requireActor(request)),
  );

  app.post(
    '/api/environments',
    {
      config: { access: 'owner', permission: 'instance.owner' },
      schema: {
        tags: ['environments'],
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 40 }),
          displayName: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: { 200: EnvironmentView },
      },
    },
    async (request) =>
      platform.environments.create(
        requireActor(request),
        request.body.name,
        request.body.displayName ? { displayName: request.body.displayName } : {},
      ),
  );

  app.get(
    '/api/envs/:env/variables',
    { config: { access: 'user', permission: 'env.read' }, schema: { tags: ['environments'], params: EnvParams } },
    async (request) => {
      const entries = await platform.envVars.list(requireActor(request), request.params.env);
      return entries.map((e) => ({
        schemaName: e.schemaName,
        displayName: e.displayName,
        type: e.type,
        value: e.type === 'secret' ? null : (e.value ?? null),
        hasValue: e.hasValue,
      }));
    },
  );

  app.put(
    '/api/envs/:env/variables/:schemaName',
    {
      config: { access: 'user', permission: 'env.admin' },
      schema: {
        tags: ['environments'],
        description: 'Sets a variable in one environment (its admins), defining it first when new.',
        params: Type.Object({
          env: Type.String({ minLength: 1 }),
          schemaName: Type.String({ minLength: 1, maxLength: 100 }),
        }),
        body: Type.Object({
          value: Type.Unknown(),
          type: Type.Optional(Type.Union(ENV_VAR_TYPES.map((t) => Type.Literal(t)))),
          displayName: Type.Optional(Type.String({ maxLength: 200 })),
        }),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { env, schemaName } = request.params;
      const b = request.body;
      const existing = (await platform.envVars.definitions()).find((d) => d.schemaName === schemaName);
      if (!existing || b.type || b.displayName) {
        await platform.envVars.define(
          actor,
          {
            schemaName,
            type: (b.type ?? existing?.type ?? 'text') as EnvVarType,
            ...((b.displayName ?? existing?.displayName)
              ? { displayName: b.displayName ?? existing?.displayName }
              : {}),
          },
          { environment: env },
        );
      }
      await platform.envVars.setValue(actor, env, schemaName, (b.value ?? null) as JsonValue);
      const entry = (await platform.envVars.list(actor, env)).find((e) => e.schemaName === schemaName);
      return entry
        ? {
            schemaName: entry.schemaName,
            displayName: entry.displayName,
            type: entry.type,
            value: entry.type === 'secret' ? null : (entry.value ?? null),
            hasValue: entry.hasValue,
          }
        : {};
    },
  );
}
