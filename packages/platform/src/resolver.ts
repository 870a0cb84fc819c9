/**
 * Connection resolution for runs and design-time calls: reference →
 * connection (the runner's own, else the flow's embedded one, else the
 * environment's binding) → permission check → decrypted credentials (cached,
 * see `connection-cache.ts`) → a `ResolvedConnection` whose OAuth token comes
 * from the token manager. Every secret value handed out is reported to a sink
 * so run records can be scrubbed of it.
 */
import { PatchbayError, type ConnectionResolver, type ResolvedConnection } from '@patchbay/core';
import type { Connector } from '@patchbay/connectors';
import type { UsedReference } from '@patchbay/store';
import type { PlatformContext } from './context.js';
import { INTERNAL_SECRETS, schemeOf } from './schemes.js';
import type { TokenManager } from './tokens.js';

export type BindingSource = 'runner' | 'embedded' | 'environment';

export interface PlannedReference {
  logicalName: string;
  connectorId: string;
  connectionId: string;
  source: BindingSource;
  /** Whose right to use the connection the binding rests on: the runner's, or the embedder's for an embedded one. */
  usableBy: string;
}

export interface UnresolvedReference {
  logicalName: string;
  connectorId: string;
  /** Why it did not resolve, for people. */
  reason: string;
}

export interface ResolutionPlan {
  environment: string;
  runnerId: string;
  references: Map<string, PlannedReference>;
  unresolved: UnresolvedReference[];
}

/** Receives every secret value given to the invoker (for scrubbing run records). */
export type SecretSink = (value: string) => void;

export class Resolution {
  constructor(
    private readonly ctx: PlatformContext,
    private readonly tokens: TokenManager,
    private readonly connectorOf: (environment: string, id: string) => Promise<Connector>,
  ) {}

  /** Which connection each used reference resolves to for this runner, and which do not resolve. */
  async plan(input: {
    environment: string;
    runnerId: string;
    flowId?: string;
    used: readonly Pick<UsedReference, 'logicalName' | 'connectorId'>[];
    overrides?: Record<string, string>;
  }): Promise<ResolutionPlan> {
    const { store } = this.ctx;
    const { environment, runnerId } = input;
    const overrides = input.overrides ?? {};
    // Embedded references matter only for references the flow uses: a flow without connector steps reads none.
    const embedded = input.flowId && input.used.length ? await store.flows.embeddedReferences(input.flowId) : [];
    const plan: ResolutionPlan = { environment, runnerId, references: new Map(), unresolved: [] };
    for (const name of Object.keys(overrides)) {
      if (!input.used.some((u) => u.logicalName === name)) {
        throw new PatchbayError('connection.unresolved', `The flow uses no connection reference "${name}".`, {
          hint: `It uses: ${input.used.map((u) => u.logicalName).join(', ') || 'none'}.`,
        });
      }
    }
    for (const u of input.used) {
      const fail = (reason: string) =>
        plan.unresolved.push({ logicalName: u.logicalName, connectorId: u.connectorId, reason });
      const own = overrides[u.logicalName];
      if (own !== undefined) {
        const c = await store.connections.find(own);
        if (!c || !(await store.connections.canUse(own, runnerId)))
          throw new PatchbayError(
            'connection.denied',
            `Connection ${own} (given for "${u.logicalName}") does not exist or is not yours to use.`,
            { hint: 'List your connections with `patchbay connection list`.' },
          );
        if (c.connectorId !== u.connectorId)
          throw new PatchbayError(
            'connection.unresolved',
            `Connection ${own} is for connector "${c.connectorId}", but reference "${u.logicalName}" needs "${u.connectorId}".`,
            { hint: `Give a ${u.connectorId} connection.` },
          );
        if (c.environment !== environment)
          throw new PatchbayError(
            'connection.unresolved',
            `Connection ${own} lives in environment "${c.environment}", not "${environment}".`,
            { hint: `Use a connection of environment "${environment}".` },
          );
        plan.references.set(u.logicalName, { ...u, connectionId: own, source: 'runner', usableBy: runnerId });
        continue;
      }
      const emb = embedded.find((e) => e.logicalName === u.logicalName);
      if (
        emb &&
        (await store.connections.find(emb.connectionId)) &&
        (await store.connections.canUse(emb.connectionId, emb.embeddedBy))
      ) {
        plan.references.set(u.logicalName, {
          ...u,
          connectionId: emb.connectionId,
          source: 'embedded',
          usableBy: emb.embeddedBy,
        });
        continue;
      }
      const ref = await store.references.find(environment, u.logicalName);
      if (!ref) {
        fail(`no such reference in environment "${environment}"`);
        continue;
      }
      if (ref.connectorId !== u.connectorId) {
        fail(`the reference is for connector "${ref.connectorId}", not "${u.connectorId}"`);
        continue;
      }
      if (!ref.connectionId) {
        fail(`not bound to a connection in environment "${environment}"`);
        continue;
      }
      if (!(await store.connections.canUse(ref.connectionId, runnerId))) {
        fail('bound to a connection you are not allowed to use');
        continue;
      }
      plan.references.set(u.logicalName, {
        ...u,
        connectionId: ref.connectionId,
        source: 'environment',
        usableBy: runnerId,
      });
    }
    return plan;
  }

  /** The error a run fails with before its first step when references do not resolve. */
  unresolvedError(plan: ResolutionPlan): PatchbayError {
    const lines = plan.unresolved.map((u) => `"${u.logicalName}" (${u.connectorId}): ${u.reason}`);
    const binds = plan.unresolved.map(
      (u) => `patchbay ref bind ${u.logicalName} CONNECTION_ID --env ${plan.environment}`,
    );
    return new PatchbayError(
      'connection.unresolved',
      `The flow cannot run: ${plan.unresolved.length === 1 ? 'a connection reference does' : `${plan.unresolved.length} connection references do`} not resolve — ${lines.join('; ')}.`,
      {
        hint: `Bind each one (${binds.join('; ')}), or run with your own connection (--connection ${plan.unresolved[0].logicalName}=CONNECTION_ID).`,
      },
    );
  }

  /** A usable connection by id (after the caller checked the permission). */
  async connection(connectionId: string, sink?: SecretSink): Promise<ResolvedConnection> {
    const { connection, secrets } = await this.ctx.cache.load(this.ctx.store, connectionId);
    // A connection waiting for its owner (a sign-in to finish, a refused refresh, a connector that now sends
    // credentials elsewhere) is never used: its secrets go nowhere until the owner reconnects it.
    if (connection.status === 'needs-reauth') {
      throw new PatchbayError(
        'connection.needs_reauth',
        `Connection "${connection.displayName}" needs its owner to reconnect it${connection.statusReason ? ` (${connection.statusReason.replace(/[.\s]+$/, '')})` : ''}.`,
        { hint: `Its owner reconnects it: patchbay connection reconnect ${connectionId}` },
      );
    }
    const connector = await this.connectorOf(connection.environment, connection.connectorId);
    const scheme = schemeOf(connector, connection.scheme);
    const params: Record<string, unknown> = { ...connection.params };
    for (const [k, v] of Object.entries(secrets)) {
      if (INTERNAL_SECRETS.includes(k)) continue;
      params[k] = v;
      sink?.(v);
    }
    // Basic auth sends base64(username:password); a service may echo that header back.
    if (sink && typeof params.username === 'string' && typeof params.password === 'string')
      sink(Buffer.from(`${params.username}:${params.password}`).toString('base64'));
    const resolved: ResolvedConnection = { connectionId, connectorId: connection.connectorId, params };
    if (connection.scheme) resolved.scheme = connection.scheme;
    if (connection.baseUrl) resolved.baseUrl = connection.baseUrl;
    if (scheme.type === 'oauth2') {
      let last: string | undefined;
      resolved.getAccessToken = async (opts) => {
        const token = await this.tokens.accessToken(connectionId, opts?.forceRefresh ? { rejected: last ?? '' } : {});
        last = token;
        sink?.(token);
        return token;
      };
    }
    return resolved;
  }

  /**
   * Why a planned reference may no longer be used, or undefined while it still may: its connection deleted or
   * waiting for its owner, the reference deleted or bound elsewhere, the right to use the connection withdrawn.
   * Read from the store on every call, in one statement, so a change made by any process (the server, a
   * worker) holds for the next connector call of a run already going.
   */
  async withdrawn(plan: ResolutionPlan, planned: PlannedReference): Promise<string | undefined> {
    const u = await this.ctx.store.connections.usability(
      planned.connectionId,
      planned.usableBy,
      planned.source === 'environment'
        ? { environment: plan.environment, logicalName: planned.logicalName }
        : undefined,
    );
    if (!u) return 'its connection was deleted';
    if (u.status === 'needs-reauth') return 'its connection needs its owner to reconnect it';
    if (u.reference) {
      if (!u.reference.found) return 'the reference was deleted';
      if (u.reference.connectionId !== planned.connectionId)
        return u.reference.connectionId ? 'the reference was bound to another connection' : 'the reference was unbound';
    }
    if (u.ownerId !== planned.usableBy && !u.shared)
      return "the connection's owner revoked its use (it is no longer shared)";
    return undefined;
  }

  /**
   * The `ConnectionResolver` a run is handed: each reference's credentials loaded once per run, as planned, and
   * the binding checked again before every call (`withdrawn`), so a revoked connection is never used again.
   */
  resolverFor(plan: ResolutionPlan, sink?: SecretSink): ConnectionResolver {
    const memo = new Map<string, Promise<ResolvedConnection>>();
    return {
      resolve: (referenceName, connectorId) => {
        const planned = plan.references.get(referenceName);
        let p = memo.get(referenceName);
        if (!p) {
          if (!planned) {
            return Promise.reject(
              new PatchbayError(
                'connection.unresolved',
                `Connection reference "${referenceName}" is not resolved for this run.`,
                { hint: `Bind it: patchbay ref bind ${referenceName} CONNECTION_ID --env ${plan.environment}.` },
              ),
            );
          }
          if (planned.connectorId.toLowerCase() !== connectorId.toLowerCase()) {
            return Promise.reject(
              new PatchbayError(
                'connection.unresolved',
                `Connection reference "${referenceName}" is for connector "${planned.connectorId}", not "${connectorId}".`,
              ),
            );
          }
          p = this.connection(planned.connectionId, sink);
          memo.set(referenceName, p);
          p.catch(() => memo.delete(referenceName));
        }
        return p.then(async (resolved) => {
          const why = planned && (await this.withdrawn(plan, planned));
          if (why)
            throw new PatchbayError(
              'connection.denied',
              `Connection reference "${referenceName}" can no longer be used: ${why}. No request was made.`,
              {
                hint: `The run planned it with connection ${planned.connectionId}; bind the reference again (patchbay ref bind ${referenceName} CONNECTION_ID --env ${plan.environment}) or ask the connection's owner, then run the flow again.`,
              },
            );
          return resolved;
        });
      },
    };
  }
}
