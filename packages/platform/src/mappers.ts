/**
 * The one mapper every connection goes through before it leaves the platform
 * (CLI output, API responses, exports): plain parameters and status only.
 * Sealed secrets never enter these objects; the store's `Connection` carries
 * none, and this shape has no field that could hold one.
 */
import type { Connection, ConnectionStatus, User } from '@patchbay/store';

export interface PublicConnection {
  id: string;
  environment: string;
  connectorId: string;
  displayName: string;
  owner: { id: string; email: string };
  scheme: string | null;
  /** Non-secret parameters only. */
  params: Record<string, unknown>;
  baseUrl: string | null;
  status: ConnectionStatus;
  statusReason: string | null;
  statusAt: string;
  /** OAuth2: when the current access token expires. */
  tokenExpiresAt: string | null;
  /** True when secrets are stored (their values are never shown). */
  hasSecrets: boolean;
  /** Shared with the viewer by its owner (usable, not manageable). */
  sharedWithMe: boolean;
  /** The viewer owns it (may edit, share, delete, reconnect). */
  canManage: boolean;
  createdAt: string;
  updatedAt: string;
}

export function toPublicConnection(
  c: Connection,
  owner: Pick<User, 'id' | 'email'>,
  viewerId: string,
): PublicConnection {
  return {
    id: c.id,
    environment: c.environment,
    connectorId: c.connectorId,
    displayName: c.displayName,
    owner: { id: owner.id, email: owner.email },
    scheme: c.scheme,
    params: { ...c.params },
    baseUrl: c.baseUrl,
    status: c.status,
    statusReason: c.statusReason,
    statusAt: c.statusAt,
    tokenExpiresAt: c.tokenExpiresAt,
    hasSecrets: c.hasSecrets,
    sharedWithMe: c.ownerId !== viewerId,
    canManage: c.ownerId === viewerId,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}
