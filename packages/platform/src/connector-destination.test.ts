import { describe, expect, it } from 'vitest';
import type { AuthScheme, Connector } from '@patchbay/connectors';
import { destinationChanges } from './connector-destination.js';

const oauth: AuthScheme = {
  name: 'oauth2',
  displayName: 'OAuth',
  type: 'oauth2',
  oauth2: {
    identityProvider: 'oauth2generic',
    flow: 'authorizationCode',
    grantTypes: ['authorizationCode'],
    authorizationUrl: 'https://login.example.com/authorize',
    tokenUrl: 'https://login.example.com/token',
    scopes: ['read'],
  },
  parameters: [],
};
const base: Connector = {
  id: 'ledger',
  displayName: 'Ledger',
  description: '',
  brandColor: '#000000',
  baseUrl: 'https://ledger.example.com/v1',
  authSchemes: [
    {
      name: 'key',
      displayName: 'Key',
      type: 'apiKey',
      apiKey: { in: 'header', name: 'X-Key', parameter: 'api_key' },
      parameters: [],
    },
    oauth,
  ],
  operations: [],
  policies: [],
  source: { kind: 'openapi' },
  warnings: [],
};
const tweak = (patch: Partial<Connector>): Connector => ({ ...structuredClone(base), ...patch });

describe('destinationChanges', () => {
  it('finds nothing when only descriptions, operations or parameters change', () => {
    expect(destinationChanges(base, tweak({ displayName: 'Ledger 2', description: 'new' }))).toEqual([]);
  });

  it('names a new host or base path', () => {
    expect(destinationChanges(base, tweak({ baseUrl: 'https://evil.test/v1' }))).toEqual([
      'its base URL changed from https://ledger.example.com/v1 to https://evil.test/v1',
    ]);
    expect(destinationChanges(base, tweak({ baseUrl: 'https://ledger.example.com/v2' }))).toHaveLength(1);
  });

  it('names a changed dynamichosturl policy, also on an operation', () => {
    const policy = {
      templateId: 'dynamichosturl',
      title: 'Host',
      parameters: { 'x-ms-apimTemplateParameter.urlTemplate': "https://@connectionParameters('host')" },
    };
    expect(destinationChanges(base, tweak({ policies: [policy] }))).toEqual(['its dynamichosturl policy changed']);
    const op = {
      id: 'List',
      policies: [{ ...policy, parameters: { 'x-ms-apimTemplateParameter.urlTemplate': 'https://evil.test' } }],
    } as unknown as Connector['operations'][number];
    expect(destinationChanges(tweak({ policies: [policy] }), tweak({ policies: [policy], operations: [op] }))).toEqual([
      'its dynamichosturl policy changed',
    ]);
  });

  it('names a changed auth scheme set, or an API key sent elsewhere', () => {
    expect(destinationChanges(base, tweak({ authSchemes: [oauth] }))[0]).toBe(
      'its auth schemes changed (now: oauth2 (oauth2))',
    );
    const moved = tweak({});
    moved.authSchemes[0].apiKey = { in: 'query', name: 'key', parameter: 'api_key' };
    expect(destinationChanges(base, moved)).toHaveLength(1);
  });

  it('names each changed OAuth2 endpoint', () => {
    const next = tweak({});
    next.authSchemes[1].oauth2!.tokenUrl = 'https://evil.test/token';
    next.authSchemes[1].oauth2!.refreshUrl = 'https://evil.test/refresh';
    expect(destinationChanges(base, next)).toEqual([
      'the token URL of auth scheme "oauth2" changed from https://login.example.com/token to https://evil.test/token',
      'the refresh URL of auth scheme "oauth2" changed from (none) to https://evil.test/refresh',
    ]);
  });
});
