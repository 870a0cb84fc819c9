// `patchbay connector inspect|import|list|call`, run as a user would against real fixtures and a local service.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { patchbay, tempHome } from './cli.js';
import { FIXTURES, ledgerOpenApi, reasonLines, startService, writeTemp, type TestService } from './services.js';

interface Described {
  id: string;
  displayName: string;
  authSchemes: { name: string; type: string; parameters: { name: string; secret: boolean; required: boolean }[] }[];
  operations: { id: string; method: string; path: string; visibility: string; deprecated: boolean }[];
}

describe('patchbay connector inspect', () => {
  it('prints a Power Platform connector: id, auth scheme with its parameters, operations with method, path and visibility', async () => {
    const r = await patchbay(['connector', 'inspect', join(FIXTURES, 'certified-connectors/JIRA'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as Described;
    expect(d.id).toBe('jira');
    expect(d.authSchemes).toHaveLength(1);
    expect(d.authSchemes[0].type).toBe('basic');
    expect(d.authSchemes[0].parameters.map((p) => [p.name, p.secret, p.required])).toEqual([
      ['jirainstance', false, true],
      ['username', false, true],
      ['password', true, true],
    ]);
    const byId = new Map(d.operations.map((o) => [o.id, o]));
    expect(byId.get('CreateIssueV2')).toMatchObject({
      method: 'POST',
      path: '/v2/issue',
      visibility: 'important',
      deprecated: false,
    });
    expect(byId.get('GetIssue')).toMatchObject({ method: 'GET', path: '/issue/{issueKey}', visibility: 'advanced' });
    expect(byId.get('UpdateIssue')).toMatchObject({ method: 'PUT', visibility: 'internal' });
    expect(byId.get('CreateIssue')?.deprecated).toBe(true);
  });

  it("prints an OpenAPI file's security scheme under Power Platform's parameter name", async () => {
    const r = await patchbay([
      'connector',
      'inspect',
      writeTemp('ledger.openapi.json', ledgerOpenApi('http://127.0.0.1:9')),
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as Described;
    expect(d.id).toBe('ledger');
    expect(d.authSchemes).toEqual([
      expect.objectContaining({
        name: 'apiKeyHeader',
        type: 'apiKey',
        parameters: [expect.objectContaining({ name: 'api_key', secret: true })],
      }),
    ]);
    expect(d.operations.map((o) => `${o.method} ${o.path}`)).toEqual(['GET /entries', 'GET /entries/{id}']);
  });

  it('fails on a broken fixture with one line naming file:line:column and what was expected, and no stack trace', async () => {
    const r = await patchbay([
      'connector',
      'inspect',
      join(FIXTURES, 'independent-publisher-connectors/StabilityAI'),
      '--json',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/StabilityAI\/apiDefinition\.swagger\.json:\d+:\d+: Expected /);
    expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+\)?$/m);
  });

  it('fails with one line for a path that is not a connector', async () => {
    const r = await patchbay(['connector', 'inspect', join(FIXTURES, 'no-such-connector')]);
    expect(r.code).not.toBe(0);
    expect(reasonLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/no-such-connector/);
  });
});

describe('patchbay connector import and list', () => {
  const home = tempHome();

  it('imports HubSpot CRM V2 under its kebab-case id and lists it beside the built-ins', async () => {
    const r = await patchbay(
      ['connector', 'import', join(FIXTURES, 'independent-publisher-connectors/HubSpot CRM V2')],
      { home },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('hubspot-crm-v2');

    const list = await patchbay(['connector', 'list', '--json'], { home });
    expect(list.code, list.stderr).toBe(0);
    const rows = JSON.parse(list.stdout) as { id: string; builtin?: boolean; operations: unknown[] }[];
    const ids = rows.map((c) => c.id);
    expect(ids).toContain('hubspot-crm-v2');
    expect(ids).toContain('http');
    expect(rows.find((c) => c.id === 'http')?.builtin).toBe(true);
    expect(rows.find((c) => c.id === 'hubspot-crm-v2')?.operations).toHaveLength(188);
  });

  it('takes the id from --id', async () => {
    const r = await patchbay(
      ['connector', 'import', join(FIXTURES, 'independent-publisher-connectors/icanhazdadjoke'), '--id', 'dad-jokes'],
      { home },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('dad-jokes');
    const list = await patchbay(['connector', 'list', '--json'], { home });
    expect((JSON.parse(list.stdout) as { id: string }[]).map((c) => c.id)).toEqual(
      expect.arrayContaining(['dad-jokes', 'hubspot-crm-v2']),
    );
  });

  it('refuses a broken connector without storing anything', async () => {
    const r = await patchbay(['connector', 'import', join(FIXTURES, 'certified-connectors/Shopranos')], { home });
    expect(r.code).not.toBe(0);
    expect(reasonLines(r.stderr)).toEqual([expect.stringMatching(/Shopranos\/apiProperties\.json:\d+:\d+/)]);
    const list = await patchbay(['connector', 'list', '--json'], { home });
    expect((JSON.parse(list.stdout) as { id: string }[]).map((c) => c.id)).not.toContain('shopranos');
  });
});

describe('patchbay connector call', () => {
  let service: TestService;
  let spec: string;
  const secret = 'ledger-key-7f3a9c';
  beforeAll(async () => {
    service = await startService('ledger', (r) =>
      r.path.startsWith('/entries/missing')
        ? { status: 404, body: { error: { code: 'NotFound', message: 'Entry missing does not exist' } } }
        : r.path.startsWith('/entries/broken')
          ? { status: 503, body: { message: 'Ledger is down for maintenance' } }
          : undefined,
    );
    spec = writeTemp('ledger.openapi.json', ledgerOpenApi('http://127.0.0.1:9'));
  });
  afterAll(() => service.close());

  it('sends the operation with its query and the key from --auth-file, and prints the request with the key redacted', async () => {
    const authFile = writeTemp('auth.json', { api_key: secret });
    const r = await patchbay([
      'connector',
      'call',
      spec,
      'ListEntries',
      '--param',
      'since=2024-01-01',
      '--base-url',
      service.url,
      '--auth-file',
      authFile,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const got = service.received.at(-1);
    expect(got?.method).toBe('GET');
    expect(got?.path).toBe('/entries?since=2024-01-01');
    expect(got?.headers['x-api-key']).toBe(secret);
    const out = JSON.parse(r.stdout) as {
      request: { method: string; url: string; headers: Record<string, string> };
      response: { status: number; body: unknown };
    };
    expect(out.request.method).toBe('GET');
    expect(out.request.url).toBe(`${service.url}/entries?since=2024-01-01`);
    expect(out.response).toMatchObject({ status: 200, body: { service: 'ledger', path: '/entries?since=2024-01-01' } });
    expect(Object.keys(out.request.headers).map((h) => h.toLowerCase())).toContain('x-api-key');
    expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('reads the key from PATCHBAY_AUTH_API_KEY and fills path parameters', async () => {
    const r = await patchbay(['connector', 'call', spec, 'GetEntry', '--param', 'id=e 1', '--base-url', service.url], {
      env: { PATCHBAY_AUTH_API_KEY: `${secret}-env` },
    });
    expect(r.code, r.stderr).toBe(0);
    const got = service.received.at(-1);
    expect(got?.path).toBe('/entries/e%201');
    expect(got?.headers['x-api-key']).toBe(`${secret}-env`);
    expect(r.stdout).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/entries\/e%201$/m);
    expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('calls an imported connector by its id', async () => {
    const home = tempHome();
    expect((await patchbay(['connector', 'import', spec], { home })).code).toBe(0);
    const r = await patchbay(['connector', 'call', 'ledger', 'ListEntries', '--base-url', service.url, '--json'], {
      home,
      env: { PATCHBAY_AUTH_API_KEY: secret },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(service.received.at(-1)?.path).toBe('/entries');
  });

  it("exits non-zero with the service's message on a 404", async () => {
    const r = await patchbay(
      ['connector', 'call', spec, 'GetEntry', '--param', 'id=missing', '--base-url', service.url, '--json'],
      { env: { PATCHBAY_AUTH_API_KEY: secret } },
    );
    expect(r.code).not.toBe(0);
    const lines = reasonLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/404/);
    expect(lines[0]).toContain('Entry missing does not exist');
    expect(r.stderr).not.toContain(secret);
  });

  it("tries once and exits non-zero with the service's message on a 503", async () => {
    const before = service.received.length;
    const r = await patchbay(
      ['connector', 'call', spec, 'GetEntry', '--param', 'id=broken', '--base-url', service.url],
      { env: { PATCHBAY_AUTH_API_KEY: secret } },
    );
    expect(r.code).not.toBe(0);
    expect(reasonLines(r.stderr)).toEqual([expect.stringMatching(/503.*Ledger is down for maintenance/)]);
    expect(service.received.length - before).toBe(1);
  });

  it('never quotes a broken auth file in its error', async () => {
    const authFile = writeTemp('auth.json', `{"api_key": "${secret}",}`);
    const r = await patchbay([
      'connector',
      'call',
      spec,
      'ListEntries',
      '--base-url',
      service.url,
      '--auth-file',
      authFile,
    ]);
    expect(r.code).not.toBe(0);
    expect(reasonLines(r.stderr)).toEqual([expect.stringMatching(/auth\.json is not valid JSON/)]);
    expect(r.stderr).not.toContain(secret);
  });

  it('refuses a --timeout or --retries that is not a number, naming the flag', async () => {
    for (const [flag, value] of [
      ['--timeout', 'abc'],
      ['--timeout', '0'],
      ['--retries', '-1'],
      ['--retries', 'two'],
    ]) {
      const r = await patchbay(['connector', 'call', spec, 'ListEntries', '--base-url', service.url, flag, value], {
        env: { PATCHBAY_AUTH_API_KEY: secret },
      });
      expect(r.code).not.toBe(0);
      expect(reasonLines(r.stderr)).toEqual([expect.stringContaining(`${flag} expects`)]);
    }
  });

  it("names the operation's parameters when given one it does not have", async () => {
    const r = await patchbay([
      'connector',
      'call',
      spec,
      'ListEntries',
      '--param',
      'sinse=x',
      '--base-url',
      service.url,
    ]);
    expect(r.code).not.toBe(0);
    expect(reasonLines(r.stderr)).toEqual([expect.stringMatching(/'sinse'.*since/)]);
  });
});
