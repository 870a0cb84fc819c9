/**
 * Environment roles (`admin`, `maker`, `user`): list, grant and revoke. The
 * platform checks that the caller administers the environment and audits
 * every grant and revoke.
 */
import { Type } from 'typebox';
import { ENVIRONMENT_ROLES } from '@patchbay/store';
import { requireActor } from '../http/auth.js';
import type { App, RouteDeps } from '../http/types.js';
import { EnvParams } from './schemas.js';

const tags = ['environments'];
const Role = Type.Union([Type.Literal('admin'), Type.Literal('maker'), Type.Literal('user')], {
  description: `One of ${ENVIRONMENT_ROLES.join(', ')}.`,
});
const RoleEntryView = Type.Object({
  environment: Type.String(),
  userId: Type.String(),
  email: Type.String(),
  role: Role,
  source: Type.Union([Type.Literal('owner'), Type.Literal('grant')]),
});
const EnvironmentRolesView = Type.Object({
  environment: Type.String(),
  defaultRole: Type.Union([Role, Type.Null()], {
    description: 'The role of a signed-in user without a grant: `maker` in `default`, none elsewhere.',
  }),
  entries: Type.Array(RoleEntryView),
});

export async function roleRoutes(app: App, { platform }: RouteDeps): Promise<void> {
  app.get(
    '/api/roles',
    {
      config: { access: 'user', permission: 'roles.read' },
      schema: {
        tags,
        description: 'Roles in every environment the caller administers.',
        response: { 200: Type.Array(EnvironmentRolesView) },
      },
    },
    async (request) => platform.roles.list(requireActor(request)),
  );

  app.get(
    '/api/envs/:env/roles',
    {
      config: { access: 'user', permission: 'env.admin' },
      schema: { tags, params: EnvParams, response: { 200: EnvironmentRolesView } },
    },
    async (request) => (await platform.roles.list(requireActor(request), request.params.env))[0],
  );

  app.get(
    '/api/envs/:env/roles/me',
    {
      config: { access: 'user', permission: 'env.read' },
      schema: {
        tags,
        params: EnvParams,
        description: "The caller's own role in the environment (defaults applied).",
        response: { 200: Type.Object({ environment: Type.String(), role: Role }) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      // `environments.get` refuses a caller without a role there.
      await platform.environments.get(actor, request.params.env);
      const role = await platform.roles.mine(actor, request.params.env);
      return { environment: request.params.env, role: role ?? 'user' };
    },
  );

  app.put(
    '/api/envs/:env/roles',
    {
      config: { access: 'user', permission: 'env.admin' },
      schema: {
        tags,
        params: EnvParams,
        body: Type.Object({ email: Type.String({ minLength: 3, maxLength: 254 }), role: Role }),
        description: 'Grants a role to the user with this email (replacing the one they had).',
        response: { 200: RoleEntryView },
      },
    },
    async (request) =>
      platform.roles.grant(requireActor(request), request.params.env, request.body.email, request.body.role),
  );

  app.delete(
    '/api/envs/:env/roles/:email',
    {
      config: { access: 'user', permission: 'env.admin' },
      schema: {
        tags,
        params: Type.Object({ env: EnvParams.properties.env, email: Type.String({ minLength: 3, maxLength: 254 }) }),
        description: 'Removes the explicit role (back to the default: maker in `default`, no access elsewhere).',
      },
    },
    async (request) => {
      await platform.roles.revoke(requireActor(request), request.params.env, request.params.email);
      return {};
    },
  );
}
