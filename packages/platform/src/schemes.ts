/**
 * A connection's auth scheme and its parameters: which scheme, which values
 * are required, allowed and of the right type, and which are secret (sealed)
 * versus plain. Secrets given as plain parameters are refused so they can
 * never be stored or echoed unsealed.
 */
import { PatchbayError } from '@patchbay/core';
import type { AuthScheme, ConnectionParameter, Connector } from '@patchbay/connectors';
import type { Secrets } from '@patchbay/store';

function invalid(message: string, hint?: string): PatchbayError {
  return new PatchbayError('store.invalid', message, { hint });
}

/** The scheme named (case-insensitive), else the connector's only or first scheme. */
export function schemeOf(connector: Connector, name: string | null | undefined): AuthScheme {
  if (name) {
    const found = connector.authSchemes.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (!found)
      throw invalid(
        `Connector ${connector.id} has no auth scheme "${name}".`,
        `Use one of: ${connector.authSchemes.map((s) => s.name).join(', ')}.`,
      );
    return found;
  }
  const first = connector.authSchemes[0];
  if (!first) return { name: 'none', displayName: 'No authentication', type: 'none', parameters: [] };
  return first;
}

/** Parameters the OAuth machinery keeps in the sealed secrets; a user never gives them. */
export const INTERNAL_SECRETS = ['access_token', 'refresh_token', 'oauth_pending'];

function checkType(p: ConnectionParameter, value: unknown): unknown {
  switch (p.type) {
    case 'int': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n))
        throw invalid(`Connection parameter "${p.name}" must be a whole number.`);
      return n;
    }
    case 'bool': {
      if (value === 'true' || value === true) return true;
      if (value === 'false' || value === false) return false;
      throw invalid(`Connection parameter "${p.name}" must be true or false.`);
    }
    default:
      if (typeof value !== 'string') throw invalid(`Connection parameter "${p.name}" must be text.`);
      return value;
  }
}

/**
 * Checks the values for a scheme: unknown names, missing required ones,
 * allowed values and types. Returns the plain parameters and the secrets.
 * `partial` (updates) skips the required check.
 */
export function checkConnectionValues(
  connector: Connector,
  scheme: AuthScheme,
  params: Record<string, unknown>,
  secrets: Secrets,
  opts: { partial?: boolean } = {},
): { params: Record<string, unknown>; secrets: Secrets } {
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    throw invalid('Connection parameters must be an object of names to values.');
  if (typeof secrets !== 'object' || secrets === null || Array.isArray(secrets))
    throw invalid('Connection secrets must be an object of names to text values.');
  const byName = new Map(scheme.parameters.map((p) => [p.name, p]));
  const known = scheme.parameters.map((p) => `${p.name}${p.secret ? ' (secret)' : ''}`).join(', ') || 'none';
  const outParams: Record<string, unknown> = {};
  const outSecrets: Secrets = {};
  for (const [name, value] of Object.entries(params)) {
    const p = byName.get(name);
    // Extra plain values are allowed for URL templates and OAuth endpoints (`{tenantId}`, `tokenUrl`).
    if (!p) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
        throw invalid(`Connection parameter "${name}" must be text, a number or true/false.`);
      outParams[name] = value;
      continue;
    }
    if (p.secret)
      throw invalid(
        `"${name}" is a secret of ${connector.displayName}; it cannot be given as a plain parameter.`,
        'Pass it as a secret (patchbay connection create … --secret-env NAME=ENV_VAR, or --secrets-stdin).',
      );
    outParams[name] = checkType(p, value);
  }
  for (const [name, value] of Object.entries(secrets)) {
    if (INTERNAL_SECRETS.includes(name))
      throw invalid(`"${name}" is managed by Patchbay's sign-in and cannot be set directly.`);
    const p = byName.get(name);
    if (!p)
      throw invalid(
        `${connector.displayName} (${scheme.displayName}) has no parameter "${name}".`,
        `Its parameters are: ${known}.`,
      );
    if (typeof value !== 'string') throw invalid(`Secret "${name}" must be text.`);
    if (p.secret) outSecrets[name] = value;
    else outParams[name] = checkType(p, value);
  }
  for (const p of scheme.parameters) {
    const v = p.secret ? outSecrets[p.name] : outParams[p.name];
    if ((v === undefined || v === '') && p.default !== undefined && !p.secret) outParams[p.name] = p.default;
    const now = p.secret ? outSecrets[p.name] : outParams[p.name];
    if (!opts.partial && p.required && (now === undefined || now === '')) {
      throw invalid(
        `${connector.displayName} (${scheme.displayName}) needs "${p.displayName}" (${p.name}).`,
        p.secret ? `Pass ${p.name} as a secret (--secret-env ${p.name}=ENV_VAR).` : `Give --param ${p.name}=VALUE.`,
      );
    }
    if (now !== undefined && p.allowedValues?.length && !p.allowedValues.some((a) => a.value === String(now))) {
      throw invalid(
        `${p.secret ? 'The value given' : `"${String(now)}"`} is not an allowed value of "${p.name}".`,
        `Use one of: ${p.allowedValues.map((a) => a.value).join(', ')}.`,
      );
    }
  }
  return { params: outParams, secrets: outSecrets };
}
