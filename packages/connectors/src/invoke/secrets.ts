/**
 * The secret values of one connection, so they can be cut out of anything
 * that leaves the invoker: error messages (a service may echo a key back),
 * the `request` record and log lines.
 */
import type { ResolvedConnection } from '@patchbay/core';
import type { Connector } from '../model.js';

const SECRET_NAME = /secret|password|passwd|token|api[-_]?key|apikey|credential|private/i;
export const REDACTED = '***';

export class SecretSet {
  private readonly values: string[] = [];
  private readonly known = new Set<string>();

  add(value: unknown): void {
    if (typeof value !== 'string' || value.length < 4 || this.known.has(value)) return;
    this.known.add(value);
    for (const v of [value, encodeURIComponent(value), Buffer.from(value).toString('base64')]) {
      if (!this.values.includes(v)) this.values.push(v);
    }
    // Longest first, so a secret that contains another is cut whole.
    this.values.sort((a, b) => b.length - a.length);
  }

  /** The text with every secret value replaced by `***`. */
  scrub(text: string): string {
    let out = text;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return out;
  }

  has(text: string): boolean {
    return this.values.some((v) => text.includes(v));
  }
}

const cache = new WeakMap<ResolvedConnection, SecretSet>();

/** The secrets of a connection: parameters the connector marks secret, plus any whose name says key, token, password or secret. */
export function secretsOf(connector: Connector, connection: ResolvedConnection): SecretSet {
  let set = cache.get(connection);
  if (set) return set;
  set = new SecretSet();
  const declared = new Set<string>();
  for (const scheme of connector.authSchemes) {
    for (const p of scheme.parameters) if (p.secret) declared.add(p.name);
    if (scheme.apiKey) declared.add(scheme.apiKey.parameter);
    for (const k of scheme.additionalApiKeys ?? []) declared.add(k.parameter);
  }
  for (const [name, value] of Object.entries(connection.params)) {
    if (declared.has(name) || SECRET_NAME.test(name)) set.add(value);
  }
  cache.set(connection, set);
  return set;
}
