/**
 * Patchbay's own secrets in the process environment: the master key, the
 * owner's password, database and Redis URLs (which may hold a password) and
 * the `PATCHBAY_AUTH_*` values `connector call` reads. A flow never sees them:
 * System.GetEnvironmentVariable finds them unset and commands start without
 * them, so no step can copy them into a variable, an output or a run record.
 */
const SECRET_NAMES = new Set([
  'PATCHBAY_MASTER_KEY',
  'PATCHBAY_OWNER_PASSWORD',
  'PATCHBAY_DATABASE_URL',
  'PATCHBAY_REDIS_URL',
]);

export function isPatchbaySecretEnv(name: string): boolean {
  // Windows reads environment names in any case.
  const upper = name.toUpperCase();
  return SECRET_NAMES.has(upper) || upper.startsWith('PATCHBAY_AUTH_');
}

/** The process environment without Patchbay's secrets, for commands a flow starts. */
export function flowProcessEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !isPatchbaySecretEnv(k)) env[k] = v;
  return env;
}
