/**
 * Connection references: named sockets per environment. Creating, renaming
 * and deleting need the maker role; binding needs a connection of the same
 * connector in the same environment that the binder may use, and that the
 * binder manages the reference: its creator, an environment admin, or a
 * co-owner (or owner) of every flow that uses it. Rebinding changes every
 * flow that names the reference, with no flow edit. Lists carry the bound
 * connection's status and the flows that use each reference that the caller
 * may see (with a count of the others).
 */
import { randomBytes } from 'node:crypto';
import { PatchbayError } from '@patchbay/core';
import type { Connector } from '@patchbay/connectors';
import type { ConnectionReference, ConnectionStatus, ReferenceUsage, Repositories } from '@patchbay/store';
import { type Actor, denied } from './actor.js';
import type { PlatformContext } from './context.js';
import { isEnvironmentAdmin, requireRole } from './roles.js';

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
  /** The flows using it that the caller may see (owns, co-owns or runs). */
  usedBy: { flowId: string; flowName: string }[];
  /** How many other flows use it (flows the caller may not see). */
  otherFlows: number;
  /** Whether the caller may rebind, rename or delete it. */
  canManage: boolean;
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

/** The repositories the reference rules read (the store, or an open transaction's). */
type RuleSource = Pick<Repositories, 'flows' | 'references' | 'environmentRoles'>;

/**
 * Whether the actor manages reference `r` (rebinds, unbinds, renames,
 * deletes it): an environment admin, its creator, or the owner or a co-owner
 * of every flow that uses it. A reference nobody is recorded as creating and
 * no flow uses (one from before creators were recorded) is any maker's.
 */
export async function managesReference(
  ctx: PlatformContext,
  actor: Actor,
  r: ConnectionReference,
  repos: RuleSource = ctx.store,
): Promise<boolean> {
  if (await isEnvironmentAdmin(ctx, actor, r.environment, repos)) return true;
  if (r.createdBy === actor.id) return true;
  const used = await repos.references.usage(r.environment, r.logicalName);
  if (!used.length) return r.createdBy === null;
  for (const u of used) {
    const role = await repos.flows.roleOf(u.flowId, actor.id);
    if (role !== 'owner' && role !== 'co-owner') return false;
  }
  return true;
}

/** Throws `auth.denied` unless the actor manages the reference; `what` completes "may not …". */
export async function requireManagesReference(
  ctx: PlatformContext,
  actor: Actor,
  r: ConnectionReference,
  what: string,
  repos: RuleSource = ctx.store,
): Promise<void> {
  if (await managesReference(ctx, actor, r, repos)) return;
  throw denied(
    `You may not ${what} connection reference "${r.logicalName}": only its creator, an admin of environment "${r.environment}" or a co-owner of every flow that uses it may.`,
    'Ask its creator or an environment admin, or create a reference of your own for your flows.',
  );
}

export function referencesService(
  ctx: PlatformContext,
  deps: { connectorOf: (environment: string, id: string) => Promise<Connector> },
) {
  const { store } = ctx;

  async function info(r: ConnectionReference, actor: Actor, usage?: ReferenceUsage[]): Promise<ReferenceInfo> {
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
    const visible: ReferenceInfo['usedBy'] = [];
    for (const u of used)
      if (await store.flows.roleOf(u.flowId, actor.id)) visible.push({ flowId: u.flowId, flowName: u.flowName });
    return {
      logicalName: r.logicalName,
      displayName: r.displayName,
      connectorId: r.connectorId,
      description: r.description,
      environment: r.environment,
      connection,
      boundAt: r.boundAt,
      usedBy: visible,
      otherFlows: used.length - visible.length,
      canManage: await managesReference(ctx, actor, r),
    };
  }

  /** Binds after checking the actor's role, that they manage the reference and may use the connection. */
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
      await requireRole(ctx, actor, environment, 'maker', 'bind connection references');
      const r = await store.references.get(environment, logicalName);
      const c = await store.connections.find(connectionId);
      if (!c || !(await store.connections.canUse(connectionId, actor.id))) {
        throw new PatchbayError(
          'connection.denied',
          `Connection ${connectionId} does not exist or is not yours to use, so it cannot be bound to "${logicalName}".`,
          { hint: 'Bind one of your connections, or ask its owner to share it with you.' },
        );
      }
      await requireManagesReference(ctx, actor, r, 'bind');
    });
    const r = await ctx.audit.around(event, (tx) =>
      tx.references.bind(environment, logicalName, connectionId, { boundBy: actor.id }),
    );
    ctx.logger.info('Connection reference bound.', { environment, logicalName, connectionId });
    return info(r, actor);
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
      await ctx.audit.guard({ actor, environment, action: 'reference.create', target: input.logicalName ?? null }, () =>
        requireRole(ctx, actor, environment, 'maker', 'create connection references'),
      );
      const connector = await deps.connectorOf(environment, input.connectorId);
      const logicalName = input.logicalName ?? logicalNameFor(input.displayName ?? connector.displayName);
      await ctx.audit.around(
        { actor, environment, action: 'reference.create', target: logicalName, detail: { connectorId: connector.id } },
        (tx) =>
          tx.references.create({
            environment,
            logicalName,
            connectorId: connector.id,
            createdBy: actor.id,
            ...(input.displayName ? { displayName: input.displayName } : {}),
            ...(input.description ? { description: input.description } : {}),
          }),
      );
      if (input.connectionId) return bind(actor, environment, logicalName, input.connectionId);
      return info(await store.references.get(environment, logicalName), actor, []);
    },

    bind,

    /** Unbinds: whoever bound it, or whoever manages the reference. */
    async unbind(actor: Actor, environment: string, logicalName: string): Promise<ReferenceInfo> {
      const event = { actor, environment, action: 'reference.unbind' as const, target: logicalName };
      await ctx.audit.guard(event, () => requireRole(ctx, actor, environment, 'maker', 'unbind connection references'));
      const r = await store.references.get(environment, logicalName);
      await ctx.audit.guard(event, async () => {
        if (r.connectionId && r.boundBy === actor.id) return;
        await requireManagesReference(ctx, actor, r, 'unbind');
      });
      return info(
        await ctx.audit.around({ ...event, detail: { connectionId: r.connectionId } }, (tx) =>
          tx.references.unbind(environment, logicalName),
        ),
        actor,
      );
    },

    /** Renames a reference (display name, description); the logical name never changes. */
    async rename(
      actor: Actor,
      environment: string,
      logicalName: string,
      patch: { displayName?: string; description?: string | null },
    ): Promise<ReferenceInfo> {
      await store.environments.require(environment);
      await requireRole(ctx, actor, environment, 'maker', 'rename connection references');
      await requireManagesReference(ctx, actor, await store.references.get(environment, logicalName), 'rename');
      return info(await store.references.update(environment, logicalName, patch), actor);
    },

    async list(actor: Actor, environment: string, filter: { connectorId?: string } = {}): Promise<ReferenceInfo[]> {
      await store.environments.require(environment);
      await requireRole(ctx, actor, environment, 'user', 'list connection references');
      const refs = await store.references.list(
        environment,
        filter.connectorId ? { connectorId: filter.connectorId } : {},
      );
      const out: ReferenceInfo[] = [];
      for (const r of refs) out.push(await info(r, actor));
      return out;
    },

    async get(actor: Actor, environment: string, logicalName: string): Promise<ReferenceInfo> {
      await store.environments.require(environment);
      await requireRole(ctx, actor, environment, 'user', 'see connection references');
      return info(await store.references.get(environment, logicalName), actor);
    },

    /** The flows that use a reference and the caller may see. */
    async usage(actor: Actor, environment: string, logicalName: string): Promise<ReferenceUsage[]> {
      await store.environments.require(environment);
      await requireRole(ctx, actor, environment, 'user', 'see connection references');
      await store.references.get(environment, logicalName);
      const out: ReferenceUsage[] = [];
      for (const u of await store.references.usage(environment, logicalName))
        if (await store.flows.roleOf(u.flowId, actor.id)) out.push(u);
      return out;
    },

    /** Deletes an unused reference the actor manages; in use, it is refused with the flows that use it. */
    async delete(actor: Actor, environment: string, logicalName: string): Promise<void> {
      const event = { actor, environment, action: 'reference.delete' as const, target: logicalName };
      await ctx.audit.guard(event, async () => {
        await requireRole(ctx, actor, environment, 'maker', 'delete connection references');
        const r = await store.references.find(environment, logicalName);
        if (r) await requireManagesReference(ctx, actor, r, 'delete');
      });
      await ctx.audit.around(event, (tx) => tx.references.delete(environment, logicalName));
    },
  };
}

export type ReferencesService = ReturnType<typeof referencesService>;
