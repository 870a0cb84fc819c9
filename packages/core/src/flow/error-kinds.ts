/**
 * Kinds of error an `onError` rule can name (PAD's "Advanced" on-error): the
 * error codes, and their groups (`connector` for every `connector.*` code),
 * and how a policy picks the handling for one error.
 */
import type { ErrorCode } from '../errors.js';
import type { ErrorHandling, OnErrorPolicy, OnErrorRule } from './schema.js';

// A record, so that a new error code cannot be added without listing it here.
const CODES: Record<ErrorCode, true> = {
  'flow.invalid_json': true,
  'flow.invalid': true,
  'expression.syntax': true,
  'expression.undefined_variable': true,
  'expression.type': true,
  'action.unknown': true,
  'action.param': true,
  'action.failed': true,
  'run.cancelled': true,
  'run.stopped': true,
  'run.loop_limit': true,
  'run.timeout': true,
  'connector.invalid': true,
  'connector.unknown': true,
  'connector.http': true,
  'connector.timeout': true,
  'connector.unsupported': true,
  'connection.unresolved': true,
  'connection.denied': true,
  'connection.needs_reauth': true,
  'store.not_found': true,
  'store.conflict': true,
  'store.invalid': true,
  'secrets.key': true,
  'auth.denied': true,
  'policy.invalid': true,
  'policy.violation': true,
  internal: true,
};

export const ERROR_CODES = Object.keys(CODES) as ErrorCode[];
export const ERROR_GROUPS = [...new Set(ERROR_CODES.map((c) => c.split('.')[0]))];

/** Whether `kind` (a code, a group, or `group.*`) names a real kind of error. */
export function isErrorKind(kind: string): boolean {
  const k = kind.endsWith('.*') ? kind.slice(0, -2) : kind;
  return Object.hasOwn(CODES, k) || ERROR_GROUPS.includes(k);
}

export function ruleKinds(rule: OnErrorRule): string[] {
  return typeof rule.when === 'string' ? [rule.when] : rule.when;
}

function kindMatches(kind: string, code: string): boolean {
  const k = kind.endsWith('.*') ? kind.slice(0, -2) : kind;
  return k === code || code.startsWith(`${k}.`);
}

export function ruleMatches(rule: OnErrorRule, err: { code: string; status?: number }): boolean {
  if (!ruleKinds(rule).some((k) => kindMatches(k, err.code))) return false;
  return rule.status === undefined || (err.status !== undefined && rule.status.includes(err.status));
}

const handlingCache = new WeakMap<object, ErrorHandling>();

function strip<T extends object>(o: T, keys: readonly string[]): ErrorHandling {
  let h = handlingCache.get(o);
  if (!h) {
    h = Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k))) as ErrorHandling;
    handlingCache.set(o, h);
  }
  return h;
}

/** The handling for one error: the first matching rule, else the policy's own fields. */
export function handlingFor(policy: OnErrorPolicy, err: { code: string; status?: number }): ErrorHandling {
  const rule = policy.rules?.find((r) => ruleMatches(r, err));
  return rule ? strip(rule, ['when', 'status']) : strip(policy, ['rules']);
}

/** Whether the policy retries the step for some kind of error (then the engine, not the connector, retries it). */
export function policyRetries(policy: OnErrorPolicy | undefined): boolean {
  return policy !== undefined && ((policy.retry ?? 0) > 0 || (policy.rules ?? []).some((r) => (r.retry ?? 0) > 0));
}
