/**
 * Machines. Two kinds of routes:
 *
 * - For administrators (the instance owner or an environment's admins, which
 *   the platform checks, `permission: 'env.admin'`): list machines with
 *   online / offline, register one (its token is in this one response),
 *   revoke one (its session ends at once, failing the run it had).
 * - For machines (`patchbay runner`), signed in by `Authorization: Machine
 *   <token>` on every request, so a revoked token stops working at once:
 *   `connect` opens a session; `poll` (a POST: it takes the next messages) long-polls for run-protocol messages;
 *   `send` posts the runner's messages. Message bodies are the run protocol
 *   in Node's structured-clone format (`v8.serialize` of an array, content
 *   type `application/x-patchbay-run-protocol`), the same encoding a local
 *   runner's IPC channel uses.
 */
import { deserialize, serialize } from 'node:v8';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PatchbayError } from '@patchbay/core';
import type { FromRunner } from '@patchbay/runtime';
import type { Machine } from '@patchbay/store';
import type { FastifyRequest } from 'fastify';
import { requireActor } from '../http/auth.js';
import type { App, RouteDeps } from '../http/types.js';
import type { MachineHub } from '../machines/hub.js';

export const RUN_PROTOCOL_TYPE = 'application/x-patchbay-run-protocol';
const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });
const SessionQuery = Type.Object({ session: Type.String({ minLength: 1, maxLength: 100 }) });
const tags = ['machines'];
const FROM_RUNNER = new Set(['ready', 'batch', 'gateway', 'done']);

async function machineOf(request: FastifyRequest, deps: RouteDeps): Promise<Machine> {
  const auth = request.headers.authorization;
  const token = typeof auth === 'string' && /^machine\s/i.test(auth) ? auth.slice(8).trim() : '';
  const machine = token ? await deps.platform.machines.authenticate(token) : undefined;
  if (!machine)
    throw new PatchbayError('auth.denied', 'The machine token is unknown or revoked.', {
      hint: 'Register the machine again (patchbay machine register NAME) and use the new token.',
      status: 401,
    });
  return machine;
}

function decodeMessages(body: unknown): FromRunner[] {
  let value: unknown;
  try {
    value = Buffer.isBuffer(body) ? deserialize(body) : undefined;
  } catch {
    value = undefined;
  }
  if (
    !Array.isArray(value) ||
    !value.every(
      (m) => typeof m === 'object' && m !== null && FROM_RUNNER.has((m as { type?: unknown }).type as string),
    )
  )
    throw new PatchbayError('store.invalid', 'The body is not a list of run-protocol messages.', {
      hint: `Send v8-serialized arrays of runner messages with content type ${RUN_PROTOCOL_TYPE}.`,
    });
  return value as FromRunner[];
}

export async function machineRoutes(app: App, deps: RouteDeps & { machines: MachineHub }): Promise<void> {
  const { platform, machines: hub } = deps;

  app.get(
    '/api/machines',
    {
      config: { access: 'user', permission: 'env.admin' },
      schema: { tags, querystring: Type.Object({ env: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) }) },
    },
    async (request) =>
      platform.machines.list(requireActor(request), request.query.env ? { environment: request.query.env } : {}),
  );

  app.post(
    '/api/machines',
    {
      config: { access: 'user', permission: 'env.admin' },
      schema: {
        tags,
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 100 }),
          group: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          environment: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        }),
        description: 'Registers a machine; the response holds its token, shown this once.',
      },
    },
    async (request, reply) => {
      const { name, group, environment } = request.body;
      const r = await platform.machines.register(requireActor(request), {
        name,
        ...(group ? { group } : {}),
        ...(environment ? { environment } : {}),
      });
      reply.header('cache-control', 'no-store');
      return reply.code(201).send(r);
    },
  );

  app.delete(
    '/api/machines/:name',
    { config: { access: 'user', permission: 'env.admin' }, schema: { tags, params: NameParams } },
    async (request) => {
      const machine = await platform.machines.revoke(requireActor(request), request.params.name);
      hub.disconnect(machine.name, `the machine ${machine.name} was revoked`);
      return machine;
    },
  );

  // The machine's side. Bodies of `send` are run-protocol bytes, parsed here only.
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    scope.addContentTypeParser(
      RUN_PROTOCOL_TYPE,
      { parseAs: 'buffer', bodyLimit: 64 * 1024 * 1024 },
      (_req, body, done) => done(null, body),
    );

    scope.post(
      '/api/machine/connect',
      {
        config: { access: 'public', permission: 'machine.token' },
        schema: { tags, description: 'A machine opens a session (Authorization: Machine <token>).' },
      },
      async (request) => {
        const machine = await machineOf(request, deps);
        const session = await hub.connect(machine);
        return {
          session: session.id,
          machine: { name: machine.name, group: machine.group, environment: machine.environment },
          pollHoldMs: hub.pollHoldMs,
        };
      },
    );

    scope.post(
      '/api/machine/poll',
      { config: { access: 'public', permission: 'machine.token' }, schema: { tags, querystring: SessionQuery } },
      async (request, reply) => {
        const machine = await machineOf(request, deps);
        const session = hub.session(request.query.session, machine);
        const messages = await session.poll(hub.pollHoldMs, (listener) => request.raw.socket.once('close', listener));
        if (session.gone && !messages.length) throw session.goneError();
        return reply.type(RUN_PROTOCOL_TYPE).header('cache-control', 'no-store').send(serialize(messages));
      },
    );

    scope.post(
      '/api/machine/send',
      { config: { access: 'public', permission: 'machine.token' }, schema: { tags, querystring: SessionQuery } },
      async (request, reply) => {
        const machine = await machineOf(request, deps);
        const session = hub.session(request.query.session, machine);
        session.receive(decodeMessages(request.body));
        return reply.code(204).send();
      },
    );
  });

  app.put(
    '/api/flows/:id/machine-group',
    {
      config: { access: 'user', permission: 'flow.edit' },
      schema: {
        tags: ['flows'],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
        body: Type.Object({ group: Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()]) }),
        description: "Sends the flow's runs to a machine group, or back to this server's runners with null.",
      },
    },
    async (request) => platform.flows.setMachineGroup(requireActor(request), request.params.id, request.body.group),
  );
}
