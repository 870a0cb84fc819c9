/**
 * Flows: list, create, read, edit (the same `FlowEdit` operations the designer
 * applies locally, schema shared from @patchbay/core), whole saves with a base
 * version (409 when stale), rename, enable, delete, versions, validation,
 * sharing and embedded references. An invalid result answers 400 with every
 * diagnostic beside the first error.
 */
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import {
  FlowEditSchema,
  PatchbayError,
  applyFlowEdits,
  toErrorData,
  type Flow as FlowDefinition,
  type FlowEdit,
} from '@patchbay/core';
import type { FlowRecord, Platform } from '@patchbay/platform';
import type { User } from '@patchbay/store';
import { requireActor } from '../http/auth.js';
import type { App, RouteDeps } from '../http/types.js';
import { AnyObject, IdParams } from './schemas.js';

/** The platform checks the document fully (pointers, line:column); the route only needs it to be an object. */
function asFlow(definition: Record<string, unknown>): FlowDefinition {
  return definition as unknown as FlowDefinition;
}

export function flowView(f: FlowRecord) {
  return {
    id: f.id,
    environment: f.environment,
    name: f.name,
    enabled: f.enabled,
    version: f.version,
    definition: f.definition,
    role: f.role,
    updatedAt: f.updatedAt,
    suspendedReason: f.suspendedReason,
    violations: f.violations,
  };
}

/** Runs `save`; a `flow.invalid` answer carries all diagnostics of `definition`. */
async function saving(
  reply: FastifyReply,
  platform: Platform,
  actor: User,
  environment: string,
  definition: () => Promise<FlowDefinition | undefined>,
  save: () => Promise<FlowRecord>,
) {
  try {
    return flowView(await save());
  } catch (e) {
    if (!(e instanceof PatchbayError && e.code === 'flow.invalid')) throw e;
    const def = await definition().catch(() => undefined);
    const diagnostics = def ? await platform.flows.validate(actor, environment, def).catch(() => []) : [];
    return reply.code(400).send({ error: toErrorData(e), diagnostics });
  }
}

export async function flowRoutes(app: App, { platform }: RouteDeps): Promise<void> {
  app.get(
    '/api/envs/:env/flows',
    {
      config: { access: 'user', permission: 'env.read' },
      schema: { tags: ['flows'], params: Type.Object({ env: Type.String({ minLength: 1 }) }) },
    },
    async (request) => {
      const flows = await platform.flows.list(requireActor(request), request.params.env);
      return flows.map((f) => ({
        id: f.id,
        name: f.name,
        enabled: f.enabled,
        version: f.version,
        updatedAt: f.updatedAt,
        owner: { id: f.owner.id, email: f.owner.email },
        role: f.role,
      }));
    },
  );

  app.post(
    '/api/envs/:env/flows',
    {
      config: { access: 'user', permission: 'env.make' },
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags: ['flows'],
        params: Type.Object({ env: Type.String({ minLength: 1 }) }),
        body: Type.Object({ definition: AnyObject }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const definition = asFlow(request.body.definition);
      return saving(
        reply,
        platform,
        actor,
        request.params.env,
        async () => definition,
        () => platform.flows.save(actor, request.params.env, definition),
      );
    },
  );

  app.get(
    '/api/flows/:id',
    {
      config: { access: 'user', permission: 'flow.read' },
      schema: {
        tags: ['flows'],
        params: IdParams,
        querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }),
      },
    },
    async (request) =>
      flowView(
        await platform.flows.get(
          requireActor(request),
          request.params.id,
          request.query.version ? { version: request.query.version } : {},
        ),
      ),
  );

  app.post(
    '/api/flows/:id/edits',
    {
      config: { access: 'user', permission: 'flow.edit' },
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags: ['flows'],
        params: IdParams,
        body: Type.Object({
          baseVersion: Type.Integer({ minimum: 1 }),
          edits: Type.Array(FlowEditSchema, { maxItems: 10_000 }),
        }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { id } = request.params;
      const flow = await platform.flows.get(actor, id, { version: request.body.baseVersion });
      const edits = request.body.edits as FlowEdit[];
      return saving(
        reply,
        platform,
        actor,
        flow.environment,
        async () => applyFlowEdits(flow.definition, edits),
        () => platform.flows.applyEdits(actor, id, request.body.baseVersion, edits),
      );
    },
  );

  app.put(
    '/api/flows/:id',
    {
      config: { access: 'user', permission: 'flow.edit' },
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags: ['flows'],
        params: IdParams,
        body: Type.Object({ baseVersion: Type.Integer({ minimum: 1 }), definition: AnyObject }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const flow = await platform.flows.get(actor, request.params.id);
      const definition = asFlow(request.body.definition);
      return saving(
        reply,
        platform,
        actor,
        flow.environment,
        async () => definition,
        () =>
          platform.flows.save(actor, flow.environment, definition, {
            id: flow.id,
            baseVersion: request.body.baseVersion,
          }),
      );
    },
  );

  app.patch(
    '/api/flows/:id',
    {
      config: { access: 'user', permission: 'flow.edit' },
      schema: {
        tags: ['flows'],
        params: IdParams,
        body: Type.Object({
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          enabled: Type.Optional(Type.Boolean()),
        }),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { id } = request.params;
      let flow = await platform.flows.get(actor, id);
      if (request.body.name !== undefined && request.body.name !== flow.name)
        flow = await platform.flows.rename(actor, id, request.body.name);
      // Always through the service, so a caller who may not edit is refused even when nothing would change.
      if (request.body.enabled !== undefined) flow = await platform.flows.setEnabled(actor, id, request.body.enabled);
      return flowView(flow);
    },
  );

  app.delete(
    '/api/flows/:id',
    { config: { access: 'user', permission: 'flow.owner' }, schema: { tags: ['flows'], params: IdParams } },
    async (request) => {
      await platform.flows.delete(requireActor(request), request.params.id);
      return {};
    },
  );

  app.get(
    '/api/flows/:id/versions',
    { config: { access: 'user', permission: 'flow.read' }, schema: { tags: ['flows'], params: IdParams } },
    async (request) => {
      const versions = await platform.flows.versions(requireActor(request), request.params.id);
      const emails = new Map<string, string>();
      for (const id of new Set(versions.map((v) => v.authorId).filter((a): a is string => Boolean(a))))
        emails.set(id, (await platform.users.get(id).catch(() => undefined))?.email ?? '');
      return versions.map((v) => ({
        version: v.version,
        author: v.authorId ? { id: v.authorId, email: emails.get(v.authorId) ?? '' } : null,
        createdAt: v.createdAt,
      }));
    },
  );

  app.post(
    '/api/flows/:id/validate',
    {
      config: { access: 'user', permission: 'flow.read' },
      bodyLimit: 16 * 1024 * 1024,
      schema: { tags: ['flows'], params: IdParams, body: Type.Object({ definition: AnyObject }) },
    },
    async (request) => {
      const actor = requireActor(request);
      const flow = await platform.flows.get(actor, request.params.id);
      return { diagnostics: await platform.flows.validate(actor, flow.environment, asFlow(request.body.definition)) };
    },
  );

  app.post(
    '/api/flows/:id/shares',
    {
      config: { access: 'user', permission: 'flow.edit' },
      schema: {
        tags: ['flows'],
        params: IdParams,
        body: Type.Object({
          email: Type.String({ minLength: 3, maxLength: 320 }),
          role: Type.Union([Type.Literal('co-owner'), Type.Literal('run-only')]),
        }),
      },
    },
    async (request) => {
      await platform.flows.share(
        requireActor(request),
        request.params.id,
        request.body.email.trim(),
        request.body.role,
      );
      return {};
    },
  );

  app.get(
    '/api/flows/:id/shares',
    {
      config: { access: 'user', permission: 'flow.edit' },
      schema: {
        tags: ['flows'],
        params: IdParams,
        description: 'Who the flow is shared with (owners and co-owners only).',
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const flow = await platform.flows.get(actor, request.params.id);
      if (flow.role === 'run-only')
        throw new PatchbayError(
          'auth.denied',
          `Flow "${flow.name}" is shared with you to run only; its sharing is for its owners to see.`,
          { hint: 'Ask its owner to make you a co-owner.' },
        );
      const shares = await platform.store.flows.shares(flow.id);
      return Promise.all(
        shares.map(async (sh) => ({
          user: { id: sh.userId, email: (await platform.users.get(sh.userId).catch(() => undefined))?.email ?? '' },
          role: sh.role,
          createdAt: sh.createdAt,
        })),
      );
    },
  );

  app.get(
    '/api/flows/:id/embedded-references',
    {
      config: { access: 'user', permission: 'flow.read' },
      schema: {
        tags: ['flows'],
        params: IdParams,
        description:
          "The connections co-owners embedded for the flow's references; people who run the flow run with them.",
      },
    },
    async (request) => {
      const flow = await platform.flows.get(requireActor(request), request.params.id);
      const embedded = await platform.store.flows.embeddedReferences(flow.id);
      return Promise.all(
        embedded.map(async (e) => {
          const c = await platform.store.connections.find(e.connectionId);
          const by = await platform.users.get(e.embeddedBy).catch(() => undefined);
          return {
            logicalName: e.logicalName,
            embeddedBy: { id: e.embeddedBy, email: by?.email ?? '' },
            connection: c
              ? { id: c.id, displayName: c.displayName, connectorId: c.connectorId, status: c.status }
              : null,
          };
        }),
      );
    },
  );

  app.delete(
    '/api/flows/:id/shares/:userId',
    {
      config: { access: 'user', permission: 'flow.edit' },
      schema: {
        tags: ['flows'],
        params: Type.Object({ id: Type.String({ minLength: 1 }), userId: Type.String({ minLength: 1 }) }),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await platform.flows.get(actor, request.params.id);
      const user = await platform.users.get(request.params.userId);
      await platform.flows.unshare(actor, request.params.id, user.email);
      return {};
    },
  );

  app.post(
    '/api/flows/:id/embedded-references',
    {
      config: { access: 'user', permission: 'flow.edit' },
      schema: {
        tags: ['flows'],
        params: IdParams,
        body: Type.Object({ logicalName: Type.String({ minLength: 1 }), connectionId: Type.String({ minLength: 1 }) }),
      },
    },
    async (request) => {
      await platform.flows.embedReference(
        requireActor(request),
        request.params.id,
        request.body.logicalName,
        request.body.connectionId,
      );
      return {};
    },
  );

  app.delete(
    '/api/flows/:id/embedded-references/:logicalName',
    {
      config: { access: 'user', permission: 'flow.edit' },
      schema: {
        tags: ['flows'],
        params: Type.Object({ id: Type.String({ minLength: 1 }), logicalName: Type.String({ minLength: 1 }) }),
      },
    },
    async (request) => {
      await platform.flows.removeEmbeddedReference(
        requireActor(request),
        request.params.id,
        request.params.logicalName,
      );
      return {};
    },
  );
}
