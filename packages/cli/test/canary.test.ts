// The canary: one unique secret goes into a connection and is used by runs; it must then appear in no output, export or database byte.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { patchbay, tempHome, type CliResult } from './cli.js';
import {
  ledgerOpenApi,
  readTree,
  startService,
  tempDir,
  testDatabases,
  writeTemp,
  type TestDatabase,
  type TestService,
} from './services.js';

describe.each(await testDatabases())('the canary secret on $name', (database) => {
  const home = tempHome();
  let db: TestDatabase;
  const canary = `canary-${randomUUID()}`;
  const secretVar = `canary-var-${randomUUID()}`;
  const outputs: CliResult[] = [];
  const exportDir = join(tempDir('patchbay-canary-'), 'Canary');
  let ledger: TestService;
  const ids: Record<string, string> = {};

  const pb = async (args: string[], env?: Record<string, string>) => {
    const r = await patchbay(args, { home, env: { ...db.env, ...env } });
    outputs.push(r);
    return r;
  };
  const ok = async (args: string[], env?: Record<string, string>) => {
    const r = await pb(args, env);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout.trim();
  };

  beforeAll(async () => {
    db = await database.create();
    // A careless service: it echoes the key it was sent, in its error messages and in a header.
    ledger = await startService('ledger', (r) => {
      const key = String(r.headers['x-api-key'] ?? '');
      if (r.path.startsWith('/entries/deny'))
        return { status: 401, body: { error: { message: `The key ${key} may not read this entry` } } };
      if (r.path.startsWith('/entries/echo')) return { status: 200, body: { service: 'ledger', note: 'ok' } };
      return undefined;
    });
  });
  afterAll(async () => {
    await ledger?.close();
    await db?.drop();
  });

  it('is used for real: connection, reference, flows, runs, test, export', async () => {
    await ok(['connector', 'import', writeTemp('ledger.json', ledgerOpenApi(ledger.url))]);
    ids.conn = JSON.parse(
      await ok(
        ['connection', 'create', 'ledger', '--name', 'Canary ledger', '--secret-env', 'api_key=CANARY', '--json'],
        { CANARY: canary },
      ),
    ).id as string;
    await ok(['ref', 'create', 'pb_canary', '--connector', 'ledger', '--json']);
    await ok(['ref', 'bind', 'pb_canary', ids.conn, '--json']);
    await ok(['env', 'var', 'define', 'pb_Token', '--type', 'secret', '--json']);
    await ok(['env', 'var', 'set', 'pb_Token', '--from-env', 'SECRET_VAR'], { SECRET_VAR: secretVar });

    const flow = {
      schema: 'patchbay/flow@1',
      name: 'Canary flow',
      inputs: { Id: { type: 'text', required: true } },
      outputs: { Note: { type: 'text' } },
      steps: [
        {
          connector: 'ledger',
          operation: 'ListEntries',
          connectionReference: 'pb_canary',
          params: {},
          produces: { body: 'Entries' },
        },
        {
          connector: 'ledger',
          operation: 'GetEntry',
          connectionReference: 'pb_canary',
          params: { id: '%Id%' },
          produces: { body: 'Entry' },
        },
        { action: 'Variables.Set', params: { name: 'Note', value: '%Entry.note%' } },
      ],
    };
    const file = writeTemp('canary.flow.json', flow);
    ids.flow = JSON.parse(await ok(['flow', 'save', file, '--json'])).id as string;

    const good = await pb(['run', file, '--input', 'Id=echo', '--json']);
    expect(good.code, good.stderr).toBe(0);
    expect(JSON.parse(good.stdout).outputs).toEqual({ Note: 'ok' });
    const bad = await pb(['run', file, '--input', 'Id=deny', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).status).toBe('failed');
    const badPlain = await pb(['run', file, '--input', 'Id=deny']);
    expect(badPlain.code).toBe(1);
    expect(ledger.received.filter((r) => r.headers['x-api-key'] === canary).length).toBeGreaterThanOrEqual(4);

    await ok(['connection', 'test', ids.conn, '--json']);
    await ok(['solution', 'create', 'Canary', '--flow', ids.flow, '--json']);
    await ok(['solution', 'export', 'Canary', '--out', exportDir, '--zip', '--json']);
  });

  it('appears in no output of any command that lists or shows what it touched', async () => {
    await ok(['connection', 'list', '--json']);
    await ok(['connection', 'list']);
    await ok(['ref', 'list', '--json']);
    await ok(['ref', 'list']);
    await ok(['ref', 'usage', 'pb_canary', '--json']);
    await ok(['flow', 'list', '--json']);
    await ok(['flow', 'export', ids.flow]);
    await ok(['connector', 'list', '--json']);
    const runs = JSON.parse(await ok(['runs', 'list', '--json'])) as { id: string; status: string }[];
    expect(runs.map((r) => r.status).sort()).toEqual(['failed', 'failed', 'succeeded']);
    await ok(['runs', 'list']);
    for (const r of runs) {
      const shown = await ok(['runs', 'show', r.id, '--json']);
      expect(JSON.parse(shown).steps.length).toBeGreaterThan(0);
      await ok(['runs', 'show', r.id]);
    }
    expect(outputs.length).toBeGreaterThan(20);
    const printed = outputs.map((o) => o.stdout + o.stderr).join('\n');
    // The failed runs say why, without the key the service echoed.
    expect(printed).toMatch(/may not read this entry/);
    expect(printed).not.toContain(canary);
    expect(printed).not.toContain(secretVar);
  });

  it('appears nowhere in the exported folder or zip', () => {
    const files = readTree(exportDir);
    expect(files.size).toBeGreaterThan(2);
    const zip = unzipSync(readFileSync(`${exportDir}.zip`));
    for (const text of [...files.values(), ...Object.values(zip).map((b) => Buffer.from(b).toString('utf8'))]) {
      expect(text).not.toContain(canary);
      expect(text).not.toContain(secretVar);
      expect(text).not.toContain(ids.conn);
    }
  });

  it('appears in no byte of the database or anything else in PATCHBAY_HOME', async () => {
    const raw = await db.rawContent(home);
    // The search can find what is there: plain names are stored as they are.
    expect(raw).toContain('Canary ledger');
    for (const needle of [canary, secretVar]) {
      expect(raw.includes(needle), `${needle} in the ${database.name} database`).toBe(false);
      expect(
        raw.includes(Buffer.from(needle, 'utf16le').toString('latin1')),
        `${needle} (UTF-16) in the database`,
      ).toBe(false);
    }
    if (database.name === 'sqlite') expect(existsSync(join(home, 'patchbay.db'))).toBe(true);
    for (const f of readdirSync(home)
      .map((n) => join(home, n))
      .filter((n) => statSync(n).isFile())) {
      const bytes = readFileSync(f);
      for (const needle of [canary, secretVar])
        expect(bytes.includes(Buffer.from(needle, 'utf8')), `${needle} in ${f}`).toBe(false);
    }
  });
});
