/**
 * Where a connector sends its connections' credentials: its base URL (host
 * and path), the policies that pick the host or route requests
 * (`dynamichosturl`, `routerequesttoendpoint`), its auth schemes (which
 * scheme, where an API key goes) and each OAuth2 scheme's endpoints. An
 * update that changes any of these must not carry other users' secrets to
 * the new place without their consent; `destinationChanges` names what
 * changed, for the status reason of the connections it moves to
 * `needs-reauth`.
 */
import type { Connector, Policy } from '@patchbay/connectors';

const ROUTING_POLICIES = ['dynamichosturl', 'routerequesttoendpoint'];

function routing(c: Connector): Record<string, string> {
  const out: Record<string, string> = {};
  const all: Policy[] = [...(c.policies ?? []), ...(c.operations ?? []).flatMap((o) => o.policies ?? [])];
  for (const id of ROUTING_POLICIES) {
    const found = all
      .filter((p) => p.templateId.toLowerCase() === id)
      .map((p) => JSON.stringify([p.parameters, p.operations ?? []]));
    out[id] = JSON.stringify([...new Set(found)].sort());
  }
  return out;
}

function schemeShape(c: Connector): string {
  return JSON.stringify(
    (c.authSchemes ?? [])
      .map((s) => [s.name.toLowerCase(), s.type, s.apiKey ?? null, s.additionalApiKeys ?? []])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );
}

const ENDPOINTS = [
  ['authorizationUrl', 'authorization URL'],
  ['tokenUrl', 'token URL'],
  ['refreshUrl', 'refresh URL'],
  ['loginUri', 'login URI'],
  ['identityProvider', 'identity provider'],
  ['tenantId', 'tenant'],
  ['resourceUri', 'resource URI'],
] as const;

function shown(v: unknown): string {
  return v === undefined || v === null || v === '' ? '(none)' : String(v);
}

/** What changed in where credentials go from `before` to `after`, for people; empty when nothing did. */
export function destinationChanges(before: Connector, after: Connector): string[] {
  const changes: string[] = [];
  if ((before.baseUrl ?? '') !== (after.baseUrl ?? ''))
    changes.push(`its base URL changed from ${shown(before.baseUrl)} to ${shown(after.baseUrl)}`);
  const r1 = routing(before);
  const r2 = routing(after);
  for (const id of ROUTING_POLICIES) if (r1[id] !== r2[id]) changes.push(`its ${id} policy changed`);
  if (schemeShape(before) !== schemeShape(after)) {
    const names = (after.authSchemes ?? []).map((s) => `${s.name} (${s.type})`).join(', ') || 'none';
    changes.push(`its auth schemes changed (now: ${names})`);
  }
  for (const s of after.authSchemes ?? []) {
    const old = (before.authSchemes ?? []).find((o) => o.name.toLowerCase() === s.name.toLowerCase());
    if (!old?.oauth2 || !s.oauth2) continue;
    for (const [key, label] of ENDPOINTS) {
      const a = old.oauth2[key];
      const b = s.oauth2[key];
      if ((a ?? '') !== (b ?? ''))
        changes.push(`the ${label} of auth scheme "${s.name}" changed from ${shown(a)} to ${shown(b)}`);
    }
    if (JSON.stringify(old.oauth2.templates ?? {}) !== JSON.stringify(s.oauth2.templates ?? {}))
      changes.push(`the OAuth endpoint templates of auth scheme "${s.name}" changed`);
  }
  return changes;
}
