/**
 * OAuth2 access tokens for connector calls. A token is refreshed 60 s before
 * it expires, and once more when a service answers 401 (`forceRefresh`).
 *
 * Single flight: in this process one promise per connection, so fifty
 * concurrent actions cause one refresh; across processes the refresh runs
 * under `store.connections.lockForRefresh`, which re-reads the row inside the
 * lock — if another process refreshed meanwhile, its token is used as is.
 * A refresh the provider refuses (`invalid_grant`, …) sets the connection to
 * `needs-reauth` with the provider's reason and keeps everything else.
 */
import { PatchbayError } from '@patchbay/core';
import type { Connector } from '@patchbay/connectors';
import type { Connection, Secrets } from '@patchbay/store';
import type { CachedConnection } from './connection-cache.js';
import type { PlatformContext } from './context.js';
import { clientCredentials, oauthSetup, refreshTokens, type TokenSet } from './oauth.js';
import { schemeOf } from './schemes.js';

/** Refresh this long before the provider's expiry. */
export const REFRESH_EARLY_MS = 60_000;

type Outcome = { token: string; entry: CachedConnection } | { failed: PatchbayError };

export class TokenManager {
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(
    private readonly ctx: PlatformContext,
    private readonly connectorOf: (environment: string, id: string) => Promise<Connector>,
  ) {}

  private fresh(c: Connection, token: string | undefined): token is string {
    if (!token) return false;
    if (!c.tokenExpiresAt) return true;
    return Date.parse(c.tokenExpiresAt) - REFRESH_EARLY_MS > this.ctx.clock.now().getTime();
  }

  /**
   * The connection's current access token. `rejected` is a token a service
   * just refused: a new one is fetched unless another caller already did.
   */
  async accessToken(connectionId: string, opts: { rejected?: string } = {}): Promise<string> {
    const known = this.ctx.cache.peek(connectionId);
    const current = known?.secrets.access_token;
    if (known && this.fresh(known.connection, current) && current !== opts.rejected) return current;
    const running = this.inflight.get(connectionId);
    if (running) return running;
    const p = this.refresh(connectionId, opts.rejected).finally(() => this.inflight.delete(connectionId));
    this.inflight.set(connectionId, p);
    return p;
  }

  private async refresh(id: string, rejected: string | undefined): Promise<string> {
    const { store, cache } = this.ctx;
    // Everything but the provider call happens before the lock: on SQLite the lock holds the only connection.
    const row = await store.connections.get(id);
    const connector = await this.connectorOf(row.environment, row.connectorId);
    const outcome = await store.connections.lockForRefresh<Outcome>(id, async ({ connection, secrets, tx }) => {
      const current = secrets.access_token;
      // Another process (or an earlier caller here) refreshed already: use its token.
      if (this.fresh(connection, current) && current !== rejected)
        return { token: current, entry: { connection, secrets } };
      let tokens: TokenSet;
      try {
        tokens = await this.newTokens(connector, connection, secrets);
      } catch (e) {
        if (e instanceof PatchbayError && e.code === 'connection.needs_reauth') return { failed: e };
        throw e;
      }
      const patch: Secrets = { access_token: tokens.accessToken };
      if (tokens.refreshToken) patch.refresh_token = tokens.refreshToken;
      let updated = await tx.connections.setSecrets(id, patch, {
        merge: true,
        tokenExpiresAt: tokens.expiresAt ?? null,
      });
      if (updated.status !== 'connected') updated = await tx.connections.setStatus(id, 'connected', null);
      return { token: tokens.accessToken, entry: { connection: updated, secrets: { ...secrets, ...patch } } };
    });
    if ('failed' in outcome) {
      cache.invalidate(id);
      await store.connections.setStatus(id, 'needs-reauth', outcome.failed.message);
      this.ctx.logger.warn('OAuth token refresh refused; the connection needs a new sign-in.', { connectionId: id });
      throw outcome.failed;
    }
    cache.set(outcome.entry);
    return outcome.token;
  }

  private async newTokens(connector: Connector, connection: Connection, secrets: Secrets): Promise<TokenSet> {
    const scheme = schemeOf(connector, connection.scheme);
    if (scheme.type !== 'oauth2')
      throw new PatchbayError('connection.unresolved', `Connection ${connection.id} does not use OAuth2.`);
    const setup = oauthSetup(connector, scheme, connection.params, secrets);
    const now = this.ctx.clock.now();
    if (secrets.refresh_token) return refreshTokens(setup, secrets.refresh_token, now);
    if (setup.flow === 'clientCredentials') return clientCredentials(setup, now);
    throw new PatchbayError(
      'connection.needs_reauth',
      `Connection "${connection.displayName}" has no valid access token and no refresh token.`,
      { hint: `Sign in again: patchbay connection reconnect ${connection.id}.` },
    );
  }
}
