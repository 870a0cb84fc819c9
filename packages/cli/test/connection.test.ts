// `patchbay connection create|list|test|delete` against a local service, in one PATCHBAY_HOME.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchbay, tempHome } from './cli.js';
import { ledgerOpenApi, reasonLines, startService, writeTemp, type TestService } from './services.js';

interface Conn {
  id: string;
  displayName: string;
  connectorId: string;
  status: string;
  statusReason: string | null;
  hasSecrets: boolean;
}

describe('patchbay connection', () => {
  const home = tempHome();
  const goodKey = 'conn-key-good-51d2e8';
  const stdinKey = 'conn-key-stdin-93bb07';
  const rejectedKey = 'conn-key-rejected-0c4f1a';
  const argvKey = 'conn-key-argv-77e2d9';
  let ledger: TestService;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ledger = await startService('ledger', (r) =>
      r.headers['x-api-key'] === goodKey || r.headers['x-api-key'] === stdinKey
        ? undefined
        : { status: 401, body: { error: { message: 'The API key is not valid' } } },
    );
    const imported = await patchbay(['connector', 'import', writeTemp('ledger.json', ledgerOpenApi(ledger.url))], {
      home,
    });
    expect(imported.code, imported.stderr).toBe(0);
  });
  afterAll(() => ledger.close());

  it('creates a connection with a secret from --secret-env and prints its id', async () => {
    const r = await patchbay(
      ['connection', 'create', 'ledger', '--name', 'Ledger main', '--secret-env', 'api_key=MY_VAR'],
      { home, env: { MY_VAR: goodKey } },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^conn_[\w-]+$/);
    ids.main = r.stdout.trim();
    expect(r.stdout + r.stderr).not.toContain(goodKey);
  });

  it('creates a connection with secrets read as JSON from stdin (--secrets-stdin --json)', async () => {
    const r = await patchbay(
      ['connection', 'create', 'ledger', '--name', 'Ledger stdin', '--secrets-stdin', '--json'],
      { home, stdin: JSON.stringify({ api_key: stdinKey }) },
    );
    expect(r.code, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout) as Conn;
    expect(c).toMatchObject({ displayName: 'Ledger stdin', connectorId: 'ledger', hasSecrets: true });
    ids.stdin = c.id;
    expect(r.stdout + r.stderr).not.toContain(stdinKey);
  });

  it('refuses a secret given with --param, without echoing it', async () => {
    const r = await patchbay(['connection', 'create', 'ledger', '--name', 'Leaky', '--param', `api_key=${argvKey}`], {
      home,
    });
    expect(r.code).not.toBe(0);
    expect(reasonLines(r.stderr)).toEqual([expect.stringMatching(/'api_key' is a secret parameter.*--secret-env/)]);
    expect(r.stdout + r.stderr).not.toContain(argvKey);
  });

  it('refuses --secret-env naming an unset variable, and stdin that is not a JSON object', async () => {
    const unset = await patchbay(
      ['connection', 'create', 'ledger', '--name', 'Nothing', '--secret-env', 'api_key=PB_TEST_UNSET_VAR'],
      { home },
    );
    expect(unset.code).not.toBe(0);
    expect(reasonLines(unset.stderr)).toEqual([expect.stringMatching(/PB_TEST_UNSET_VAR/)]);
    for (const stdin of ['api_key=oops-secret', '{"api_key": "oops-secret",\n}']) {
      const notJson = await patchbay(['connection', 'create', 'ledger', '--name', 'Nothing', '--secrets-stdin'], {
        home,
        stdin,
      });
      expect(notJson.code).not.toBe(0);
      expect(reasonLines(notJson.stderr)).toEqual([expect.stringMatching(/--secrets-stdin expects a JSON object/)]);
      expect(notJson.stderr).not.toContain('oops');
    }
  });

  it('lists the connections as JSON without any secret', async () => {
    const r = await patchbay(['connection', 'list', '--json'], { home });
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as Conn[];
    expect(list.map((c) => c.displayName).sort()).toEqual(['Ledger main', 'Ledger stdin']);
    expect(r.stdout).not.toContain(goodKey);
    expect(r.stdout).not.toContain(stdinKey);
    expect(r.stdout).not.toMatch(/api_key"\s*:/);
  });

  it("tests a connection through the connector's test operation", async () => {
    const before = ledger.received.length;
    const r = await patchbay(['connection', 'test', ids.main, '--json'], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'connected', operationId: 'ListEntries' });
    const got = ledger.received.slice(before);
    expect(got.map((g) => `${g.method} ${g.path.split('?')[0]}`)).toEqual(['GET /entries']);
    expect(got[0].headers['x-api-key']).toBe(goodKey);
  });

  it("records status error with the service's reason when the test fails, and exits non-zero", async () => {
    const created = await patchbay(
      ['connection', 'create', 'ledger', '--name', 'Ledger rejected', '--secret-env', 'api_key=K'],
      { home, env: { K: rejectedKey } },
    );
    expect(created.code, created.stderr).toBe(0);
    const id = created.stdout.trim();
    const r = await patchbay(['connection', 'test', id], { home });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/^error: .*The API key is not valid/);
    const list = JSON.parse((await patchbay(['connection', 'list', '--json'], { home })).stdout) as Conn[];
    expect(list.find((c) => c.id === id)).toMatchObject({
      status: 'error',
      statusReason: expect.stringContaining('The API key is not valid'),
    });
    expect(JSON.stringify(list)).not.toContain(rejectedKey);
  });

  it('refuses to delete a connection a reference is bound to; --force deletes it and lists what it unbound', async () => {
    expect((await patchbay(['ref', 'create', 'pb_ledger', '--connector', 'ledger'], { home })).code).toBe(0);
    const bound = await patchbay(['ref', 'bind', 'pb_ledger', ids.main], { home });
    expect(bound.code, bound.stderr).toBe(0);

    const refused = await patchbay(['connection', 'delete', ids.main], { home });
    expect(refused.code).not.toBe(0);
    expect(reasonLines(refused.stderr)).toEqual([expect.stringMatching(/pb_ledger.*--force/)]);
    expect(
      (JSON.parse((await patchbay(['connection', 'list', '--json'], { home })).stdout) as Conn[]).map((c) => c.id),
    ).toContain(ids.main);

    const forced = await patchbay(['connection', 'delete', ids.main, '--force', '--json'], { home });
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({
      unbound: [expect.objectContaining({ logicalName: 'pb_ledger', environment: 'default' })],
    });
    const after = JSON.parse((await patchbay(['connection', 'list', '--json'], { home })).stdout) as Conn[];
    expect(after.map((c) => c.id)).not.toContain(ids.main);
    const refs = JSON.parse((await patchbay(['ref', 'list', '--json'], { home })).stdout) as {
      logicalName: string;
      connection: unknown;
    }[];
    expect(refs).toEqual([expect.objectContaining({ logicalName: 'pb_ledger', connection: null })]);
  });

  it('prints what --force unbound for people too', async () => {
    expect((await patchbay(['ref', 'bind', 'pb_ledger', ids.stdin], { home })).code).toBe(0);
    const r = await patchbay(['connection', 'delete', ids.stdin, '--force'], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Unbound reference pb_ledger in default/);
  });

  it('refuses a connection to a connector that does not exist, naming it', async () => {
    const r = await patchbay(['connection', 'create', 'no-such-connector', '--name', 'X'], { home });
    expect(r.code).not.toBe(0);
    expect(reasonLines(r.stderr)).toEqual([expect.stringMatching(/no-such-connector/)]);
  });
});
