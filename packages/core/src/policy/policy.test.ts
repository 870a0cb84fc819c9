import { describe, expect, it } from 'vitest';
import { PatchbayError } from '../errors.js';
import type { Flow } from '../flow/schema.js';
import { checkEndpoint, endpointRulesOf, matchesEndpoint } from './endpoints.js';
import { describeViolations, evaluateFlowPolicies, policiesFor } from './evaluate.js';
import { checkPolicy, parsePolicyText, type Policy } from './schema.js';

function failure(fn: () => unknown): PatchbayError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PatchbayError) return e;
    throw e;
  }
  throw new Error('expected a PatchbayError');
}

const production: Policy = checkPolicy({
  name: 'Production',
  environments: ['prod'],
  connectors: { business: ['ledger', 'office365'], nonBusiness: ['rss'], blocked: ['slack'], default: 'nonBusiness' },
  desktopActions: { blockedModules: ['Scripting', 'System'], blockedActions: ['File.Delete'] },
});

const flow = (steps: unknown[], subflows?: Record<string, { steps: unknown[] }>): Flow =>
  ({ schema: 'patchbay/flow@1', name: 'F', steps, ...(subflows ? { subflows } : {}) }) as Flow;
const call = (connector: string, operation = 'Op') => ({ connector, operation, connectionReference: 'r' });

describe('policy files', () => {
  it('names the JSON pointer, line:column and the fix for a bad file', () => {
    const text = '{\n  "name": "P",\n  "environments": ["*"],\n  "connectors": { "default": "trusted" }\n}';
    const e = failure(() => parsePolicyText(text, 'p.json'));
    expect(e.code).toBe('policy.invalid');
    expect(e.place.pointer).toBe('/connectors/default');
    expect(e.place.line).toBe(4);
    expect(e.message).toContain('must be one of business, nonBusiness, blocked');
    expect(e.hint).toBe('Use business, nonBusiness or blocked.');
  });

  it('refuses unknown properties, missing environments, bad JSON and a connector in two groups', () => {
    expect(failure(() => checkPolicy({ name: 'P', environments: ['*'], connector: {} })).place.pointer).toBe(
      '/connector',
    );
    const missing = failure(() => checkPolicy({ name: 'P' }));
    expect(missing.message).toContain('Missing property "environments"');
    expect(missing.hint).toContain('["*"]');
    const json = failure(() => parsePolicyText('{ "name": "P", }', 'p.json'));
    expect(json.code).toBe('policy.invalid');
    expect(json.place.line).toBe(1);
    const twice = failure(() =>
      checkPolicy({ name: 'P', environments: ['*'], connectors: { business: ['rss'], blocked: ['RSS'] } }),
    );
    expect(twice.place.pointer).toBe('/connectors/blocked/0');
    expect(twice.message).toContain('both "business" and "blocked"');
  });

  it('refuses a rule that is neither allow nor deny, and an endpoint naming both targets', () => {
    const rule = failure(() =>
      checkPolicy({ name: 'P', environments: ['*'], endpoints: [{ connector: 'http', rules: [{}] }] }),
    );
    expect(rule.place.pointer).toBe('/endpoints/0/rules/0');
    const both = failure(() =>
      checkPolicy({
        name: 'P',
        environments: ['*'],
        endpoints: [{ connector: 'http', desktopModule: 'Web', rules: [{ deny: '*' }] }],
      }),
    );
    expect(both.place.pointer).toBe('/endpoints/0');
  });

  it('accepts "*" as every environment', () => {
    const p = checkPolicy({ name: 'All', environments: '*' });
    expect(p.environments).toEqual(['*']);
    expect(policiesFor([p, production], 'dev').map((x) => x.name)).toEqual(['All']);
    expect(policiesFor([p, production], 'prod').map((x) => x.name)).toEqual(['All', 'Production']);
  });
});

describe('evaluating a flow', () => {
  it('allows Business connectors together, refuses mixing Business and Non-business', () => {
    expect(evaluateFlowPolicies(flow([call('ledger'), call('office365')]), [production])).toEqual([]);
    const v = evaluateFlowPolicies(
      flow([call('ledger'), { action: 'If', params: { condition: true }, then: [call('rss')] }]),
      [production],
    );
    expect(v.map((x) => [x.kind, x.stepPath])).toEqual([
      ['mixedGroups', '/steps/0'],
      ['mixedGroups', '/steps/1/then/0'],
    ]);
    expect(v[1].message).toContain('Non-business connector "rss"');
  });

  it('puts unlisted connectors in the default group', () => {
    expect(evaluateFlowPolicies(flow([call('ledger'), call('github')]), [production])).toHaveLength(2);
    const lenient = checkPolicy({
      ...production,
      name: 'L',
      connectors: { ...production.connectors, default: 'business' },
    });
    expect(evaluateFlowPolicies(flow([call('ledger'), call('github')]), [lenient])).toEqual([]);
  });

  it('finds blocked connectors, modules and actions in subflows and nested steps', () => {
    const v = evaluateFlowPolicies(
      flow([call('Slack'), { action: 'Loop', params: { start: 1, end: 2 }, do: [{ action: 'File.Delete' }] }], {
        Helper: { steps: [{ action: 'System.RunCommand' }, { action: 'File.ReadText' }] },
      }),
      [production],
    );
    expect(v.map((x) => [x.kind, x.stepPath, x.action])).toEqual([
      ['blockedConnector', '/steps/0', 'Slack/Op'],
      ['blockedAction', '/steps/1/do/0', 'File.Delete'],
      ['blockedModule', '/subflows/Helper/steps/0', 'System.RunCommand'],
    ]);
    expect(describeViolations(v, 'F')).toContain('policy "Production" at step /steps/0 (Slack/Op)');
  });

  it('reports every policy: the strictest wins', () => {
    const strict = checkPolicy({ name: 'Strict', environments: ['*'], desktopActions: { blockedModules: ['File'] } });
    const v = evaluateFlowPolicies(flow([{ action: 'File.ReadText' }]), [production, strict]);
    expect(v.map((x) => x.policy)).toEqual(['Strict']);
  });
});

describe('endpoint patterns', () => {
  it('matches with wildcards, first match wins', () => {
    expect(matchesEndpoint('https://*.contoso.com/*', 'https://api.contoso.com/v1?x=1')).toBe(true);
    expect(matchesEndpoint('https://*.contoso.com/*', 'https://evil.com/x.contoso.com/')).toBe(false);
    expect(matchesEndpoint('https://*.contoso.com/*', 'https://a.contoso.com@evil.com/')).toBe(false);
    expect(matchesEndpoint('https://intranet.contoso.com', 'https://INTRANET.contoso.com/any/path')).toBe(true);
    expect(matchesEndpoint('*', 'not a url')).toBe(true);
  });

  it('needs every policy covering the caller to allow the URL', () => {
    const a = checkPolicy({
      name: 'A',
      environments: ['*'],
      endpoints: [{ connector: 'http', rules: [{ allow: 'https://*.contoso.com/*' }, { deny: '*' }] }],
    });
    const b = checkPolicy({
      name: 'B',
      environments: ['*'],
      endpoints: [{ connector: 'HTTP', rules: [{ deny: 'https://secret.contoso.com/*' }] }],
    });
    const sets = endpointRulesOf([a, b]);
    expect(() => checkEndpoint(sets, { connector: 'http' }, 'https://api.contoso.com/x')).not.toThrow();
    const e = failure(() => checkEndpoint(sets, { connector: 'http' }, 'https://secret.contoso.com/x?key=k'));
    expect(e.code).toBe('policy.violation');
    expect(e.message).toContain('policy "B"');
    expect(e.message).not.toContain('key=k');
    expect(failure(() => checkEndpoint(sets, { connector: 'http' }, 'https://example.org/')).message).toContain(
      'policy "A" refuses it (endpoint rule 2 for connector "http": deny "*")',
    );
    expect(() => checkEndpoint(sets, { action: 'Web.InvokeWebService' }, 'https://example.org/')).not.toThrow();
  });
});
