/**
 * Connection references: named sockets per environment. Binding needs a
 * connection of the same connector in the same environment that the binder
 * may use; rebinding changes every flow that names the reference, with no
 * flow edit. Lists carry the bound connection's status and the flows that use
 * each reference.
 */
import { randomBytes } from 'node:crypto';
import { PatchbayError } from '@patchbay/core';
import type { Connector } from '@patchbay/connectors';
import type { ConnectionReference, ConnectionStatus, ReferenceUsage } from '@patchbay/store';
import type { Actor } from './actor.js';
import type { PlatformContext } from './context.js';

export interface ReferenceInfo {
  logicalName: string;
  displayName: string;
  connectorId: string;
  description: string | null;
  environment: string;
  /** The connection bound in this environment (no secrets), or null. */
  connection: {
    id: string;
    displayName: string;
    status: ConnectionStatus;
    statusReason: string | null;
    owner: { id: string; email: string };
  } | null;
  boundAt: string | null;
  usedBy: { flowId: string; flowName: string }[];
}

/** A logical name from a display name: `pb_ledger_main_1a2b`. */
export function logicalNameFor(displayName: string): string {
  const base =
    displayName
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .toLowerCase()
      .slice(0, 60) || 'ref';
  return `pb_${base}_${randomBytes(2).toString('hex')}`;
}

export function referencesService(
  ctx: PlatformContext,
  deps: { connectorOf: (environment: string, id: string) => Promise<Connector> },
) {
  const { store } = ctx;

  async function info(r: ConnectionReference, usage?: ReferenceUsage[]): Promise<ReferenceInfo> {
    let connection: ReferenceInfo['connection'] = null;
    if (r.connectionId) {
      const c = await store.connections.find(r.connectionId);
      if (c) {
        const owner = await store.users.get(c.ownerId);
        connection = {
          id: c.id,
          displayName: c.displayName,
          status: c.status,
          statusReason: c.statusReason,
          owner: { id: owner.id, email: owner.email },
        };
      }
    }
    const used = usage ?? (await store.references.usage(r.environment, r.logicalName));
    return {
      logicalName: r.logicalName,
      displayName: r.displayName,
      connectorId: r.connectorId,
      description: r.description,
      environment: r.environment,
      connection,
      boundAt: r.boundAt,
      usedBy: used.map((u) => ({ flowId: u.flowId, flowName: u.flowName })),
    };
  }

  /** Binds after checking the actor may use the connection (the store checks environment and connector). */
  async function bind(
    actor: Actor,
    environment: string,
    logicalName: string,
    connectionId: string,
  ): Promise<ReferenceInfo> {
    const event = {
      actor,
      environment,
      action: 'reference.bind' as const,
      target: logicalName,
      detail: { connectionId },
    };
    await ctx.audit.guard(event, async () => {
      const c = await store.connections.find(connectionId);
      if (!c || !(await store.connections.canUse(connectionId, actor.id))) {
        throw new PatchbayError(
          'connection.denied',
          `Connection ${connectionId} does not exist or is not yours to use, so it cannot be bound to "${logicalName}".`,
          { hint: 'Bind one of your connections, or ask its owner to share it with you.' },
        );
      }
    });
    const r = await ctx.audit.around(event, (tx) =>
      tx.references.bind(environment, logicalName, connectionId, { boundBy: actor.id }),
    );
    ctx.logger.info('Connection reference bound.', { environment, logicalName, connectionId });
    return info(r);
  }

  return {
    /** Creates a reference (logical name generated from the display name when absent), optionally bound at once. */
    async create(
      actor: Actor,
      environment: string,
      input: {
        logicalName?: string;
        displayName?: string;
        connectorId: string;
        description?: string;
        connectionId?: string;
      },
    ): Promise<ReferenceInfo> {
      await store.environments.require(environment);
      const connector = await deps.connectorOf(environment, input.connectorId);
      const logicalName = input.logicalName ?? logicalNameFor(input.displayName ?? connector.displayName);
      await ctx.audit.around(
        { actor, environment, action: 'reference.create', target: logicalName, detail: { connectorId: connector.id } },
        (tx) =>
          tx.references.create({
            environment,
            logicalName,
            connectorId: connector.id,
            ...(input.displayName ? { displayName: input.displayName } : {}),
            ...(input.description ? { description: input.description } : {}),
          }),
      );
      if (input.connectionId) return bind(actor, environment, logicalName, input.connectionId);
      return info(await store.references.get(environment, logicalName), []);
    },

    bind,

    async unbind(actor: Actor, environment: string, logicalName: string): Promise<ReferenceInfo> {
      const r = await store.references.get(environment, logicalName);
      const event = { actor, environment, action: 'reference.unbind' as const, target: logicalName };
      await ctx.audit.guard(event, async () => {
        if (
          r.connectionId &&
          r.boundBy !== actor.id &&
          actor.role !== 'owner' &&
          !(await store.connections.canUse(r.connectionId, actor.id))
        ) {
          throw new PatchbayError(
            'auth.denied',
            `Reference "${logicalName}" was bound by someone else to a connection you may not use.`,
            { hint: 'Ask whoever bound it, or an owner account.' },
          );
        }
      });
      return info(
        await ctx.audit.around({ ...event, detail: { connectionId: r.connectionId } }, (tx) =>
          tx.references.unbind(environment, logicalName),
        ),
      );
    },

    async list(environment: string, filter: { connectorId?: string } = {}): Promise<ReferenceInfo[]> {
      await store.environments.require(environment);
      const refs = await store.references.list(
        environment,
        filter.connectorId ? { connectorId: filter.connectorId } : {},
      );
      return Promise.all(refs.map((r) => info(r)));
    },

    async get(environment: string, logicalName: string): Promise<ReferenceInfo> {
      return info(await store.references.get(environment, logicalName));
    },

    /** The flows that use a reference. */
    async usage(environment: string, logicalName: string): Promise<ReferenceUsage[]> {
      await store.references.get(environment, logicalName);
      return store.references.usage(environment, logicalName);
    },

    /** Deletes an unused reference; in use, it is refused with the flows that use it. */
    async delete(actor: Actor, environment: string, logicalName: string): Promise<void> {
      await ctx.audit.around({ actor, environment, action: 'reference.delete', target: logicalName }, (tx) =>
        tx.references.delete(environment, logicalName),
      );
    },
  };
}

export type ReferencesService = ReturnType<typeof referencesService>;
