/**
 * Signing a connection in with the OAuth2 authorization code flow.
 *
 * `start` creates the PKCE verifier and the state and keeps them server-side,
 * sealed with the connection's secrets (so any process of the installation
 * can finish the sign-in): short-lived, bound to the connection, to the user
 * who started it and (in the server) to their sign-in session, kept as a
 * SHA-256. The state sent to the provider is `<connection id>.<random>`,
 * which lets the callback find the connection. `complete` checks the state
 * and that the same user and session finish it (anyone else is refused, the
 * sign-in stays open for its owner and no token is stored), exchanges the
 * code with the verifier and stores the tokens. `loopback` is the CLI's way (RFC 8252): a one-shot
 * listener on 127.0.0.1 with an ephemeral port as the redirect URI.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { PatchbayError } from '@patchbay/core';
import type { Connector } from '@patchbay/connectors';
import type { Connection } from '@patchbay/store';
import type { PlatformContext } from './context.js';
import { authorizationUrl, exchangeCode, newCodeVerifier, newState, oauthSetup } from './oauth.js';
import { schemeOf } from './schemes.js';

/** How long a started sign-in may take. */
export const SIGNIN_TTL_MS = 10 * 60_000;

interface Pending {
  state: string;
  verifier: string;
  redirectUri: string;
  userId: string;
  /** SHA-256 of the server session that started it; absent for the CLI's loopback sign-in. */
  sessionHash?: string;
  expiresAt: string;
}

/** Who finishes a sign-in: the loopback listener the CLI opened itself, or a server request's user and session. */
export type SignInFinisher = 'loopback' | { actorId?: string; session?: string };

function sessionHash(session: string): string {
  return createHash('sha256').update(`patchbay-oauth-session:${session}`).digest('hex');
}

export class SignIn {
  constructor(
    private readonly ctx: PlatformContext,
    private readonly connectorOf: (environment: string, id: string) => Promise<Connector>,
  ) {}

  /** The provider's sign-in URL for `connection`, started by `userId`, coming back to `redirectUri`. */
  async start(
    connection: Connection,
    userId: string,
    redirectUri: string,
    opts: { session?: string } = {},
  ): Promise<string> {
    const { store, clock } = this.ctx;
    const connector = await this.connectorOf(connection.environment, connection.connectorId);
    const scheme = schemeOf(connector, connection.scheme);
    if (scheme.type !== 'oauth2')
      throw new PatchbayError(
        'store.invalid',
        `Connection "${connection.displayName}" does not sign in with OAuth2 (its scheme is ${scheme.type}).`,
        { hint: 'Update its secrets instead.' },
      );
    const secrets = await store.connections.getSecrets(connection.id);
    const setup = oauthSetup(connector, scheme, connection.params, secrets);
    const pending: Pending = {
      state: `${connection.id}.${newState()}`,
      verifier: newCodeVerifier(),
      redirectUri,
      userId,
      ...(opts.session ? { sessionHash: sessionHash(opts.session) } : {}),
      expiresAt: new Date(clock.now().getTime() + SIGNIN_TTL_MS).toISOString(),
    };
    const url = await authorizationUrl(setup, { redirectUri, state: pending.state, codeVerifier: pending.verifier });
    await store.connections.setSecrets(connection.id, { oauth_pending: JSON.stringify(pending) }, { merge: true });
    this.ctx.cache.invalidate(connection.id);
    return url;
  }

  /** Finishes a sign-in from the provider's redirect (`state`, `code` or `error`, and `iss` when the provider sends it). */
  async complete(
    callback: { state?: string; code?: string; iss?: string; error?: string; error_description?: string },
    by: SignInFinisher,
  ): Promise<Connection> {
    const { store, clock } = this.ctx;
    const state = typeof callback.state === 'string' ? callback.state : '';
    const id = state.slice(0, state.lastIndexOf('.'));
    const unknown = () =>
      new PatchbayError('auth.denied', 'This sign-in is unknown or has expired.', {
        hint: 'Start the sign-in again from the connection.',
      });
    const connection = id ? await store.connections.find(id) : undefined;
    if (!connection) throw unknown();
    const secrets = await store.connections.getSecrets(id);
    let pending: Pending | undefined;
    try {
      pending = secrets.oauth_pending ? (JSON.parse(secrets.oauth_pending) as Pending) : undefined;
    } catch {
      pending = undefined;
    }
    if (!pending || !sameText(pending.state, state) || Date.parse(pending.expiresAt) < clock.now().getTime())
      throw unknown();
    const event = {
      actor: null as { id: string; email: string } | null,
      environment: connection.environment,
      action: 'connection.authorize' as const,
      target: id,
    };
    // Bound to the user and session that started it. A server callback without
    // them, or from anyone else, is refused and leaves the sign-in as it was.
    if (by !== 'loopback') {
      const sameUser = by.actorId !== undefined && by.actorId === pending.userId;
      const sameSession =
        pending.sessionHash === undefined ||
        (by.session !== undefined && sameText(pending.sessionHash, sessionHash(by.session)));
      if (!sameUser || !sameSession) {
        const refusal = new PatchbayError(
          'auth.denied',
          'This sign-in was started by another user or in another session, so it cannot be finished here.',
          { hint: 'Sign in to Patchbay as the user who started it, in the same browser, and start the sign-in again.' },
        );
        const who = by.actorId ? await store.users.get(by.actorId).catch(() => undefined) : undefined;
        await this.ctx.audit.denied(
          { ...event, actor: who ? { id: who.id, email: who.email } : null, detail: { startedBy: pending.userId } },
          refusal,
        );
        throw refusal;
      }
    }
    const starter = await store.users.get(pending.userId);
    event.actor = { id: starter.id, email: starter.email };
    // One use only, whatever happens next.
    await store.connections.setSecrets(id, { oauth_pending: '' }, { merge: true });
    this.ctx.cache.invalidate(id);
    if (callback.error) {
      const reason = `${callback.error}${callback.error_description ? `: ${callback.error_description}` : ''}`;
      await this.ctx.audit.around(
        { ...event, detail: { error: callback.error.slice(0, 100) } },
        (tx) => tx.connections.setStatus(id, 'needs-reauth', `The sign-in was refused: ${reason}`),
        () => ({ outcome: 'failed' }),
      );
      throw new PatchbayError('connection.needs_reauth', `The sign-in was refused: ${reason}.`, {
        hint: 'Try the sign-in again.',
      });
    }
    const connector = await this.connectorOf(connection.environment, connection.connectorId);
    const setup = oauthSetup(connector, schemeOf(connector, connection.scheme), connection.params, secrets);
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(callback)) if (typeof v === 'string') params.set(k, v);
    let tokens;
    try {
      tokens = await exchangeCode(setup, {
        callback: params,
        state: pending.state,
        redirectUri: pending.redirectUri,
        codeVerifier: pending.verifier,
        now: clock.now(),
      });
    } catch (e) {
      if (e instanceof PatchbayError)
        await this.ctx.audit.around(
          event,
          (tx) => tx.connections.setStatus(id, 'needs-reauth', e.message),
          () => ({ outcome: 'failed', detail: { reason: e.message } }),
        );
      throw e;
    }
    const patch: Record<string, string> = { access_token: tokens.accessToken };
    if (tokens.refreshToken) patch.refresh_token = tokens.refreshToken;
    const done = await this.ctx.audit.around(event, async (tx) => {
      await tx.connections.setSecrets(id, patch, { merge: true, tokenExpiresAt: tokens.expiresAt ?? null });
      return tx.connections.setStatus(id, 'connected', null);
    });
    this.ctx.cache.invalidate(id);
    return done;
  }

  /**
   * The CLI's sign-in: listens once on 127.0.0.1 (ephemeral port), calls
   * `open` with the provider's URL, and finishes when the browser comes back.
   */
  async loopback(
    connection: Connection,
    userId: string,
    opts: { open: (url: string) => void | Promise<void>; signal?: AbortSignal; timeoutMs?: number },
  ): Promise<Connection> {
    // Loaded here: only a loopback sign-in listens, and every command that opens the platform would pay for it.
    const { createServer } = await import('node:http');
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const redirectUri = `http://127.0.0.1:${port}/callback`;
    try {
      const done = new Promise<Connection>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new PatchbayError('run.timeout', 'The sign-in was not finished in time.', {
                hint: 'Run the command again and finish the sign-in in the browser.',
              }),
            ),
          opts.timeoutMs ?? SIGNIN_TTL_MS,
        );
        timer.unref();
        opts.signal?.addEventListener(
          'abort',
          () => reject(new PatchbayError('run.cancelled', 'The sign-in was cancelled.')),
          { once: true },
        );
        server.on('request', (req, res) => {
          const u = new URL(req.url ?? '/', redirectUri);
          if (u.pathname !== '/callback') {
            res.writeHead(404).end();
            return;
          }
          const q = Object.fromEntries(u.searchParams);
          this.complete(q, 'loopback').then(
            (c) => {
              res
                .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
                .end(
                  '<!doctype html><title>Patchbay</title><p>Signed in. You can close this window and return to the terminal.</p>',
                );
              clearTimeout(timer);
              resolve(c);
            },
            (e: unknown) => {
              res
                .writeHead(400, { 'content-type': 'text/html; charset=utf-8' })
                .end(
                  '<!doctype html><title>Patchbay</title><p>The sign-in did not finish. Return to the terminal for details.</p>',
                );
              clearTimeout(timer);
              reject(e);
            },
          );
        });
      });
      await opts.open(await this.start(connection, userId, redirectUri));
      return await done;
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
