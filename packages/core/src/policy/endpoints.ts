/**
 * Endpoint rules (Power Platform's connector endpoint filtering), checked at
 * run time on the URL actually requested. Rule sets are plain data
 * (`RunResources.endpointRules`), so they cross into a runner process as they
 * are. Each set's rules apply in order and the first match decides; a URL no
 * rule matches is allowed by that set. Several sets for the same connector or
 * module (several policies): every one must allow the URL — the strictest wins.
 *
 * Patterns: `*` alone matches every URL. Otherwise a pattern is
 * `scheme://authority/path…`: a `*` in the authority matches within the host
 * and port only (it never crosses `/`, `@`, `?` or `#`), a `*` in the path
 * matches anything; a pattern without a path allows any path. URLs are
 * compared without user name, password and fragment, host in lower case.
 */
import { PatchbayError } from '../errors.js';
import type { Policy } from './schema.js';

export type EndpointRuleSet = {
  /** Policy the rules come from, for messages. */
  policy: string;
  rules: ({ allow: string } | { deny: string })[];
} & ({ connector: string; desktopModule?: undefined } | { desktopModule: string; connector?: undefined });

/** What is calling: a connector (by id) or a desktop action (by id, its module before the dot). */
export type EndpointCaller = { connector: string } | { action: string };

const compiled = new Map<string, RegExp>();

function escape(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function compile(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (re) return re;
  if (pattern === '*') re = /^[\s\S]*$/;
  else {
    const scheme = pattern.indexOf('://');
    const authStart = scheme < 0 ? 0 : scheme + 3;
    const pathStart = pattern.indexOf('/', authStart);
    const head = pathStart < 0 ? pattern : pattern.slice(0, pathStart);
    const path = pathStart < 0 ? '/*' : pattern.slice(pathStart);
    const part = (s: string, star: string) => s.split('*').map(escape).join(star);
    re = new RegExp(`^${part(head, '[^/@?#]*')}${part(path, '[\\s\\S]*')}$`, 'i');
  }
  compiled.set(pattern, re);
  return re;
}

/** The URL as rules see it: no user info or fragment; left as given when it does not parse. */
export function normaliseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

/** True when the pattern matches the URL. */
export function matchesEndpoint(pattern: string, url: string): boolean {
  return compile(pattern).test(normaliseUrl(url));
}

/** The URL as it may appear in an error: no query, user info or fragment. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url.replace(/[?#].*$/s, '').slice(0, 80);
  }
}

const moduleOf = (action: string) => (action.includes('.') ? action.slice(0, action.indexOf('.')) : action);
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The rule sets that cover a caller. */
export function endpointSetsFor(sets: readonly EndpointRuleSet[], caller: EndpointCaller): EndpointRuleSet[] {
  return sets.filter((s) =>
    'connector' in caller
      ? s.connector !== undefined && same(s.connector, caller.connector)
      : s.desktopModule !== undefined && same(s.desktopModule, moduleOf(caller.action)),
  );
}

/**
 * Throws `policy.violation` when a rule set covering the caller refuses the
 * URL, naming the policy, the rule (its index and pattern) and the URL
 * without its query.
 */
export function checkEndpoint(sets: readonly EndpointRuleSet[] | undefined, caller: EndpointCaller, url: string): void {
  if (!sets || sets.length === 0) return;
  for (const set of endpointSetsFor(sets, caller)) {
    const i = set.rules.findIndex((r) => matchesEndpoint('allow' in r ? r.allow : r.deny, url));
    if (i < 0) continue;
    const rule = set.rules[i];
    if ('allow' in rule) continue;
    const who = 'connector' in caller ? `Connector ${caller.connector}` : caller.action;
    const scope =
      set.connector !== undefined ? `connector "${set.connector}"` : `desktop module "${set.desktopModule}"`;
    throw new PatchbayError(
      'policy.violation',
      `${who} may not call ${shown(url)}: data-loss-prevention policy "${set.policy}" refuses it (endpoint rule ${i + 1} for ${scope}: deny "${rule.deny}").`,
      { hint: `Use a URL the policy allows, or ask an administrator to change policy "${set.policy}".` },
    );
  }
}

/** The endpoint rule sets of the policies, in order, as plain data for a run. */
export function endpointRulesOf(policies: readonly Policy[]): EndpointRuleSet[] {
  const out: EndpointRuleSet[] = [];
  for (const p of policies)
    for (const e of p.endpoints ?? []) {
      const rules = e.rules.map((r) => (r.allow !== undefined ? { allow: r.allow } : { deny: r.deny as string }));
      if (e.connector !== undefined) out.push({ policy: p.name, connector: e.connector, rules });
      else if (e.desktopModule !== undefined) out.push({ policy: p.name, desktopModule: e.desktopModule, rules });
    }
  return out;
}
