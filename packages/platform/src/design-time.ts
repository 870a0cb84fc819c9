/**
 * Design-time calls (dynamic values, dynamic schemas) send a connection's
 * credentials to a connector's service on behalf of the designer. Before
 * that, the connection must be one the caller may use, of that very
 * connector (same id) in that very environment: a connection shared for use
 * with a member must never be paired with another connector, say one the
 * member imported with their own host.
 */
import { PatchbayError, type ResolvedConnection } from '@patchbay/core';
import type { Connector } from '@patchbay/connectors';
import type { Connection } from '@patchbay/store';
import type { Actor } from './actor.js';
import type { PlatformContext } from './context.js';
import type { ConnectorsService } from './connectors.js';
import type { Resolution } from './resolver.js';
import { requireRole } from './roles.js';

export interface DesignTimeTarget {
  connectorId: string;
  /** The operation the call is for: only it (and what its dynamic values and schemas call) is loaded. */
  operationId?: string;
  /** A connection the caller may use, or… */
  connectionId?: string;
  /** …a reference bound in the environment. */
  referenceName?: string;
}

export interface DesignTimeDeps {
  connectors: ConnectorsService;
  usable: (actor: Actor, id: string) => Promise<Connection>;
  resolution: Resolution;
}

/** The connector and the resolved connection for a design-time call, after every check. */
export async function designTimeConnection(
  ctx: PlatformContext,
  deps: DesignTimeDeps,
  actor: Actor,
  environment: string,
  target: DesignTimeTarget,
): Promise<{ connector: Connector; connection: ResolvedConnection }> {
  await ctx.store.environments.require(environment);
  await requireRole(ctx, actor, environment, 'user', 'load design-time values');
  const connector = target.operationId
    ? await deps.connectors.withOperations(environment, target.connectorId, [target.operationId])
    : await deps.connectors.head(environment, target.connectorId);
  let connectionId = target.connectionId;
  if (!connectionId && target.referenceName) {
    const ref = await ctx.store.references.get(environment, target.referenceName);
    if (ref.connectorId.toLowerCase() !== connector.id.toLowerCase())
      throw new PatchbayError(
        'connection.unresolved',
        `Connection reference "${ref.logicalName}" is for connector "${ref.connectorId}", not "${connector.id}".`,
        { hint: `Pick a reference for ${connector.id}.` },
      );
    connectionId = ref.connectionId ?? undefined;
  }
  if (!connectionId)
    throw new PatchbayError(
      'connection.unresolved',
      'Pick a connection (or a bound reference) to load the options with.',
      {
        hint: `Create one with \`patchbay connection create ${connector.id} --env ${environment}\`.`,
      },
    );
  const c = await deps.usable(actor, connectionId);
  if (c.connectorId.toLowerCase() !== connector.id.toLowerCase())
    throw new PatchbayError(
      'connection.denied',
      `Connection "${c.displayName}" is for connector "${c.connectorId}", not "${connector.id}": its credentials are only sent to its own connector.`,
      { hint: `Pick a ${connector.id} connection.` },
    );
  if (c.environment !== environment)
    throw new PatchbayError(
      'connection.denied',
      `Connection "${c.displayName}" lives in environment "${c.environment}", not "${environment}".`,
      { hint: `Pick a connection of environment "${environment}".` },
    );
  return { connector, connection: await deps.resolution.connection(connectionId) };
}
