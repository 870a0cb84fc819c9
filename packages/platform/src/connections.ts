/**
 * Connections as users see them: created from a connector's auth scheme
 * (values checked, secrets sealed), listed only to their owner and the users
 * they are shared with, tested, shared for use, deleted (refused while bound
 * unless forced), signed in with OAuth2. Every object returned goes through
 * `toPublicConnection`, which carries no secret.
 */
import { PatchbayError } from '@patchbay/core';
import type { Connector } from '@patchbay/connectors';
import type { Connection, ReferenceBinding, Secrets } from '@patchbay/store';
import { type Actor, denied } from './actor.js';
import type { AuditAction } from './audit.js';
import type { PlatformContext } from './context.js';
import { requireRole } from './roles.js';
import { type PublicConnection, toPublicConnection } from './mappers.js';
import { clientCredentials, oauthSetup } from './oauth.js';
import type { Resolution } from './resolver.js';
import { checkConnectionValues, schemeOf } from './schemes.js';
import type { SignIn } from './signin.js';
import { testConnection, type TestOutcome } from './test-connection.js';

export interface NewConnectionInput {
  connectorId: string;
  displayName: string;
  /** Auth scheme (parameter set) name; the connector's first when left out. */
  scheme?: string;
  /** Non-secret parameters. */
  params?: Record<string, unknown>;
  /** Secret parameters (API keys, passwords, client secrets). Never from argv. */
  secrets?: Secrets;
  baseUrl?: string;
  /** OAuth2 authorization code: where the provider redirects back (default: the server's `/api/oauth/callback`). */
  redirectUri?: string;
  /** The sign-in session (server) that starts an OAuth2 sign-in: only the same session may finish it. */
  session?: string;
}

/** Who finishes a sign-in at the server's callback: the signed-in user and their session. */
export interface SignInCaller {
  actorId?: string;
  session?: string;
}

export interface ConnectionsDeps {
  /** The connector's head (auth, base URL, policies; no operations). */
  connectorOf: (environment: string, id: string) => Promise<Connector>;
  /** The whole connector, for finding the operation a connection test calls. */
  testableConnectorOf?: (environment: string, id: string) => Promise<Connector>;
  resolution: Resolution;
  signIn: SignIn;
}

export function connectionsService(ctx: PlatformContext, deps: ConnectionsDeps) {
  const { store, cache } = ctx;

  async function present(c: Connection, actor: Actor): Promise<PublicConnection> {
    const owner = c.ownerId === actor.id ? actor : await store.users.get(c.ownerId);
    return toPublicConnection(c, owner, actor.id);
  }

  /** The connection, if the actor may use it (owner or shared); otherwise "not found", so ids of others' connections reveal nothing. */
  async function usable(actor: Actor, id: string): Promise<Connection> {
    const c = await store.connections.find(id);
    if (!c || !(await store.connections.canUse(id, actor.id))) {
      throw new PatchbayError('store.not_found', `Connection ${id} was not found.`, {
        hint: 'List the connections you can use with `patchbay connection list`.',
      });
    }
    await requireRole(ctx, actor, c.environment, 'user', 'use connections');
    return c;
  }

  async function owned(actor: Actor, id: string, what: string): Promise<Connection> {
    const c = await usable(actor, id);
    if (c.ownerId !== actor.id)
      throw denied(
        `Only the owner of connection "${c.displayName}" may ${what}.`,
        'It is shared with you for use only.',
      );
    return c;
  }

  /** `owned`, with a refusal recorded in the audit log as `action` denied. */
  async function guarded(
    actor: Actor,
    id: string,
    action: AuditAction,
    what: string,
    detail?: Record<string, string>,
  ): Promise<Connection> {
    const c = await usable(actor, id);
    return ctx.audit.guard(
      { actor, environment: c.environment, action, target: id, ...(detail ? { detail } : {}) },
      () => owned(actor, id, what),
    );
  }

  function signInOpts(input: { session?: string }): { session?: string } {
    return input.session ? { session: input.session } : {};
  }

  function redirectFor(input: { redirectUri?: string }): string | undefined {
    if (input.redirectUri) return input.redirectUri;
    return ctx.publicUrl ? `${ctx.publicUrl.replace(/\/+$/, '')}/api/oauth/callback` : undefined;
  }

  /** Client credentials: fetch the first token now, so a wrong client secret shows at once. */
  async function firstToken(connector: Connector, c: Connection, secrets: Secrets): Promise<Connection> {
    try {
      const tokens = await clientCredentials(
        oauthSetup(connector, schemeOf(connector, c.scheme), c.params, secrets),
        ctx.clock.now(),
      );
      await store.connections.setSecrets(
        c.id,
        { access_token: tokens.accessToken },
        { merge: true, tokenExpiresAt: tokens.expiresAt ?? null },
      );
      return await store.connections.setStatus(c.id, 'connected', null);
    } catch (e) {
      if (!(e instanceof PatchbayError)) throw e;
      return store.connections.setStatus(
        c.id,
        e.code === 'connection.needs_reauth' ? 'needs-reauth' : 'error',
        e.message,
      );
    }
  }

  return {
    /**
     * Creates a connection owned by the actor. OAuth2 authorization code
     * connections start as `needs-reauth` and come with `authorizeUrl` when a
     * redirect URI is known (the server's); the CLI uses `signInWithLoopback`.
     */
    async create(
      actor: Actor,
      environment: string,
      input: NewConnectionInput,
    ): Promise<{ connection: PublicConnection; authorizeUrl?: string }> {
      await store.environments.require(environment);
      await ctx.audit.guard({ actor, environment, action: 'connection.create' }, () =>
        requireRole(ctx, actor, environment, 'user', 'create connections'),
      );
      const connector = await deps.connectorOf(environment, input.connectorId);
      const scheme = schemeOf(connector, input.scheme);
      const values = checkConnectionValues(connector, scheme, input.params ?? {}, input.secrets ?? {});
      const code = scheme.type === 'oauth2' && scheme.oauth2?.flow !== 'clientCredentials';
      let c = await ctx.audit.around(
        { actor, environment, action: 'connection.create', detail: { connectorId: connector.id, scheme: scheme.name } },
        (tx) =>
          tx.connections.create({
            environment,
            connectorId: connector.id,
            displayName: input.displayName,
            ownerId: actor.id,
            scheme: scheme.name,
            params: values.params,
            secrets: values.secrets,
            ...(input.baseUrl ? { baseUrl: input.baseUrl } : {}),
            ...(code
              ? { status: 'needs-reauth' as const, statusReason: 'Sign in to finish setting up this connection.' }
              : {}),
          }),
        (created) => ({ target: created.id }),
      );
      if (scheme.type === 'oauth2' && !code) c = await firstToken(connector, c, values.secrets);
      ctx.logger.info('Connection created.', { connectionId: c.id, connectorId: c.connectorId, environment });
      const redirect = redirectFor(input);
      const out: { connection: PublicConnection; authorizeUrl?: string } = { connection: await present(c, actor) };
      if (code && redirect) out.authorizeUrl = await deps.signIn.start(c, actor.id, redirect, signInOpts(input));
      return out;
    },

    /** Connections of the environment the actor owns or that are shared with them. */
    async list(actor: Actor, environment: string, filter: { connectorId?: string } = {}): Promise<PublicConnection[]> {
      await store.environments.require(environment);
      await requireRole(ctx, actor, environment, 'user', 'list connections');
      const rows = await store.connections.list({
        environment,
        usableBy: actor.id,
        ...(filter.connectorId ? { connectorId: filter.connectorId } : {}),
      });
      return Promise.all(rows.map((c) => present(c, actor)));
    },

    async get(actor: Actor, id: string): Promise<PublicConnection> {
      return present(await usable(actor, id), actor);
    },

    /** Changes the display name, plain parameters, secrets (merged) or base URL. Owner only. */
    async update(
      actor: Actor,
      id: string,
      patch: { displayName?: string; params?: Record<string, unknown>; secrets?: Secrets; baseUrl?: string | null },
    ): Promise<PublicConnection> {
      const c = await guarded(actor, id, 'connection.update', 'change it');
      const connector = await deps.connectorOf(c.environment, c.connectorId);
      const values = checkConnectionValues(
        connector,
        schemeOf(connector, c.scheme),
        patch.params ?? {},
        patch.secrets ?? {},
        { partial: true },
      );
      const changed = [
        ...(patch.displayName !== undefined ? ['displayName'] : []),
        ...(patch.params !== undefined ? ['params'] : []),
        ...(patch.baseUrl !== undefined ? ['baseUrl'] : []),
        ...(Object.keys(values.secrets).length ? ['secrets'] : []),
      ];
      if (changed.length) {
        await ctx.audit.around(
          {
            actor,
            environment: c.environment,
            action: 'connection.update',
            target: id,
            detail: { changed: changed.join(',') },
          },
          async (tx) => {
            if (patch.displayName !== undefined || patch.params !== undefined || patch.baseUrl !== undefined) {
              await tx.connections.update(id, {
                ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
                ...(patch.params !== undefined ? { params: { ...c.params, ...values.params } } : {}),
                ...(patch.baseUrl !== undefined ? { baseUrl: patch.baseUrl } : {}),
              });
            }
            if (Object.keys(values.secrets).length)
              await tx.connections.setSecrets(id, values.secrets, { merge: true });
          },
        );
      }
      cache.invalidate(id);
      return present(await store.connections.get(id), actor);
    },

    /**
     * Tests the connection with the actor's right to use it, against its own
     * connector in its own environment; stores and returns the status. A
     * connection in `needs-reauth` is not called (its status is returned).
     */
    async test(
      actor: Actor,
      id: string,
    ): Promise<{ status: TestOutcome['status']; statusReason: string | null; statusAt: string; operationId?: string }> {
      const c = await usable(actor, id);
      // Waiting for its owner to reconnect: testing would send its secrets, so it stays as it is.
      if (c.status === 'needs-reauth') return { status: c.status, statusReason: c.statusReason, statusAt: c.statusAt };
      const connector = await (deps.testableConnectorOf ?? deps.connectorOf)(c.environment, c.connectorId);
      let outcome: TestOutcome;
      try {
        outcome = await testConnection(connector, c, await deps.resolution.connection(id));
      } catch (e) {
        if (!(e instanceof PatchbayError)) throw e;
        outcome = { status: e.code === 'connection.needs_reauth' ? 'needs-reauth' : 'error', statusReason: e.message };
      }
      const after = await ctx.audit.around(
        {
          actor,
          environment: c.environment,
          action: 'connection.test',
          target: id,
          detail: { status: outcome.status },
        },
        (tx) => tx.connections.setStatus(id, outcome.status, outcome.statusReason),
        (s) => (s.status === 'connected' ? {} : { outcome: 'failed', detail: { reason: s.statusReason } }),
      );
      cache.invalidate(id);
      return {
        status: after.status,
        statusReason: after.statusReason,
        statusAt: after.statusAt,
        ...(outcome.operationId ? { operationId: outcome.operationId } : {}),
      };
    },

    /** Shares for use with the user with this email (never for reading secrets). Owner only. */
    async share(actor: Actor, id: string, email: string): Promise<void> {
      const c = await guarded(actor, id, 'connection.share', 'share it', { with: email });
      const user = await store.users.findByEmail(email);
      if (!user)
        throw new PatchbayError('store.not_found', `No user has the email ${email}.`, {
          hint: 'Ask the owner of this installation to create the account first.',
        });
      await ctx.audit.around(
        { actor, environment: c.environment, action: 'connection.share', target: id, detail: { with: user.email } },
        (tx) => tx.connections.share(id, user.id),
      );
    },

    async unshare(actor: Actor, id: string, email: string): Promise<void> {
      const c = await guarded(actor, id, 'connection.unshare', 'change who may use it', { with: email });
      const user = await store.users.findByEmail(email);
      if (user)
        await ctx.audit.around(
          { actor, environment: c.environment, action: 'connection.unshare', target: id, detail: { with: user.email } },
          (tx) => tx.connections.unshare(id, user.id),
        );
    },

    /** Deletes it; refused while references are bound unless `force`, which unbinds and lists them. Owner only. */
    async delete(actor: Actor, id: string, opts: { force?: boolean } = {}): Promise<{ unbound: ReferenceBinding[] }> {
      const c = await guarded(actor, id, 'connection.delete', 'delete it');
      const out = await ctx.audit.around(
        { actor, environment: c.environment, action: 'connection.delete', target: id, detail: { force: !!opts.force } },
        (tx) => tx.connections.delete(id, opts),
        (r) => ({ detail: { unbound: r.unbound.map((b) => b.logicalName).join(',') } }),
      );
      cache.invalidate(id);
      return out;
    },

    /** Starts an OAuth2 sign-in; returns the provider URL to open. Owner only. */
    async startAuthorization(
      actor: Actor,
      id: string,
      opts: { redirectUri?: string; session?: string } = {},
    ): Promise<{ authorizeUrl: string }> {
      const c = await guarded(actor, id, 'connection.reconnect', 'sign it in');
      const redirect = redirectFor(opts);
      if (!redirect)
        throw new PatchbayError('store.invalid', 'No redirect URI is known for this sign-in.', {
          hint: 'Pass redirectUri, open the platform with publicUrl, or use signInWithLoopback from the CLI.',
        });
      const authorizeUrl = await deps.signIn.start(c, actor.id, redirect, signInOpts(opts));
      await ctx.audit.record({
        actor,
        environment: c.environment,
        action: 'connection.reconnect',
        target: id,
        detail: { signIn: 'started' },
      });
      return { authorizeUrl };
    },

    /**
     * Finishes an OAuth2 sign-in from the provider's redirect (the server's
     * callback route), for `caller`: the signed-in user and session of the
     * request. A sign-in is finished only by the user who started it, and
     * only in the session that started it; anyone else is refused and no
     * token is stored.
     */
    async completeAuthorization(
      callback: { state?: string; code?: string; iss?: string; error?: string; error_description?: string },
      caller: SignInCaller,
    ): Promise<PublicConnection> {
      const c = await deps.signIn.complete(callback, caller);
      return toPublicConnection(c, await store.users.get(c.ownerId), c.ownerId);
    },

    /** The CLI's OAuth2 sign-in through a one-shot listener on 127.0.0.1. */
    async signInWithLoopback(
      actor: Actor,
      id: string,
      opts: { open: (url: string) => void | Promise<void>; signal?: AbortSignal; timeoutMs?: number },
    ): Promise<PublicConnection> {
      const c = await guarded(actor, id, 'connection.reconnect', 'sign it in');
      return present(await deps.signIn.loopback(c, actor.id, opts), actor);
    },

    /** New secrets for a key/password connection, or a new OAuth2 sign-in (`authorizeUrl`). Owner only. */
    async reconnect(
      actor: Actor,
      id: string,
      opts: { secrets?: Secrets; redirectUri?: string; session?: string } = {},
    ): Promise<{ connection: PublicConnection; authorizeUrl?: string }> {
      const c = await guarded(actor, id, 'connection.reconnect', 'reconnect it');
      const event = { actor, environment: c.environment, action: 'connection.reconnect' as const, target: id };
      const connector = await deps.connectorOf(c.environment, c.connectorId);
      const scheme = schemeOf(connector, c.scheme);
      if (scheme.type === 'oauth2' && scheme.oauth2?.flow !== 'clientCredentials' && !opts.secrets) {
        const redirect = redirectFor(opts);
        if (!redirect)
          throw new PatchbayError('store.invalid', 'No redirect URI is known for this sign-in.', {
            hint: 'From the CLI, use `patchbay connection reconnect ID`, which signs in through the browser.',
          });
        const authorizeUrl = await deps.signIn.start(c, actor.id, redirect, signInOpts(opts));
        await ctx.audit.record({ ...event, detail: { signIn: 'started' } });
        return { connection: await present(c, actor), authorizeUrl };
      }
      const values = checkConnectionValues(connector, scheme, {}, opts.secrets ?? {}, { partial: true });
      await ctx.audit.around(
        { ...event, detail: { changed: Object.keys(values.secrets).length ? 'secrets' : '' } },
        async (tx) => {
          if (Object.keys(values.secrets).length) await tx.connections.setSecrets(id, values.secrets, { merge: true });
        },
      );
      cache.invalidate(id);
      let after = await store.connections.get(id);
      if (scheme.type === 'oauth2') after = await firstToken(connector, after, await store.connections.getSecrets(id));
      else after = await store.connections.setStatus(id, 'connected', null);
      cache.invalidate(id);
      return { connection: await present(after, actor) };
    },

    /** Connections that `actor` may use (for permission checks elsewhere). */
    usable,
  };
}

export type ConnectionsService = ReturnType<typeof connectionsService>;
