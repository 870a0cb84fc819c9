// Flags that take numbers are checked by name before a command runs; a failure always leaves one reason line on stderr, --json or not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchbay, tempHome } from './cli.js';
import { ledgerOpenApi, reasonLines, startService, writeTemp, type TestService } from './services.js';

const loopFlow = writeTemp('loop.flow.json', {
  schema: 'patchbay/flow@1',
  name: 'Counts to five',
  outputs: { Total: { type: 'number' } },
  steps: [
    { action: 'Variables.Set', params: { name: 'Total', value: '%0%' } },
    {
      action: 'Loop.ForEach',
      params: { items: '%[1, 2, 3, 4, 5]%' },
      produces: { item: 'Item' },
      do: [{ action: 'Variables.Increase', params: { name: 'Total', by: '%Item%' } }],
    },
  ],
});

describe('numeric flags', () => {
  it('refuses a number flag that is not a whole number in range, naming the flag', async () => {
    const home = tempHome();
    const cases: [string[], RegExp][] = [
      [
        ['run', loopFlow, '--max-loop-iterations', 'lots'],
        /--max-loop-iterations expects a whole number of at least 1, not 'lots'/,
      ],
      [['run', loopFlow, '--max-loop-iterations', '0'], /--max-loop-iterations expects a whole number of at least 1/],
      [['runs', 'list', '--limit', 'ten'], /--limit expects a whole number from 1 to 1000, not 'ten'/],
      [['runs', 'list', '--limit', '2.5'], /--limit expects a whole number/],
      [['flow', 'export', 'some-id', '--version', 'latest'], /--version expects a whole number/],
      [['serve', '--port', '70000'], /--port expects a whole number from 0 to 65535, not '70000'/],
      [['serve', '--concurrency', 'many'], /--concurrency expects a whole number/],
      [['worker', '--concurrency', '0'], /--concurrency expects a whole number of at least 1/],
    ];
    for (const [args, reason] of cases) {
      const r = await patchbay(args, { home });
      expect(r.code, args.join(' ')).toBe(2);
      expect(reasonLines(r.stderr), args.join(' ')).toEqual([expect.stringMatching(reason)]);
    }
  });

  it('uses a valid --max-loop-iterations', async () => {
    const home = tempHome();
    const env = { PATCHBAY_RUN_LOCAL: '1' };
    const fine = await patchbay(['run', loopFlow, '--max-loop-iterations', '5', '--json'], { home, env });
    expect(fine.code, fine.stderr).toBe(0);
    expect(JSON.parse(fine.stdout).outputs).toEqual({ Total: 15 });
    const stopped = await patchbay(['run', loopFlow, '--max-loop-iterations', '4', '--json'], { home, env });
    expect(stopped.code).toBe(1);
    expect(JSON.parse(stopped.stdout).status).toBe('failed');
    expect(reasonLines(stopped.stderr)).toHaveLength(1);
  });
});

describe('flow export --version', () => {
  it('exports the version asked for, not the version of Patchbay', async () => {
    const home = tempHome();
    const first = await patchbay(['flow', 'save', loopFlow], { home });
    expect(first.code, first.stderr).toBe(0);
    const id = first.stdout.trim();
    const renamed = writeTemp('loop2.flow.json', { schema: 'patchbay/flow@1', name: 'Counts again', steps: [] });
    const second = await patchbay(['flow', 'save', renamed, '--id', id], { home });
    expect(second.code, second.stderr).toBe(0);
    const old = await patchbay(['flow', 'export', id, '--version', '1'], { home });
    expect(old.code, old.stderr).toBe(0);
    expect(JSON.parse(old.stdout).name).toBe('Counts to five');
    expect(JSON.parse((await patchbay(['flow', 'export', id], { home })).stdout).name).toBe('Counts again');
  });
});

describe('flow files that cannot be read', () => {
  it('says a folder is a folder, for run, validate and flow save alike', async () => {
    const home = tempHome();
    const folder = tempHome();
    for (const args of [
      ['run', folder],
      ['validate', folder],
      ['flow', 'save', folder],
    ]) {
      const r = await patchbay(args, { home });
      expect(r.code, args.join(' ')).toBe(1);
      expect(reasonLines(r.stderr), args.join(' ')).toEqual([
        expect.stringMatching(/is a folder, not a flow file — Give the path of a \*\.flow\.json file\.$/),
      ]);
    }
    const missing = await patchbay(['flow', 'save', `${folder}/none.flow.json`], { home });
    expect(reasonLines(missing.stderr)).toEqual([expect.stringMatching(/No flow file at .*none\.flow\.json/)]);
  });
});

describe('flow log lines', () => {
  it('hide sensitive input values in a run without the store (PATCHBAY_RUN_LOCAL=1), as they are hidden with it', async () => {
    const flow = writeTemp('log.flow.json', {
      schema: 'patchbay/flow@1',
      name: 'Logs a token',
      inputs: { Token: { type: 'text', required: true, sensitive: true }, Who: { type: 'text', required: true } },
      steps: [{ action: 'Log.Message', params: { message: 'token %Token% for %Who%' } }],
    });
    const modes: Record<string, string>[] = [{ PATCHBAY_RUN_LOCAL: '1' }, {}];
    for (const env of modes) {
      const r = await patchbay(['run', flow, '--input', 'Token=tok-5ecret-77', '--input', 'Who=ada'], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('info: token *** for ada');
      expect(r.stdout + r.stderr).not.toContain('tok-5ecret-77');
    }
  });
});

describe('failures with --json', () => {
  it('validate --json prints the diagnostics and still gives one reason line on stderr', async () => {
    const file = writeTemp('typo.flow.json', {
      schema: 'patchbay/flow@1',
      name: 'Typo',
      steps: [{ action: 'Variables.St', params: { name: 'A', value: '1' } }],
    });
    const r = await patchbay(['validate', file, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).valid).toBe(false);
    expect(reasonLines(r.stderr)).toEqual([`patchbay: ${file}: 1 error`]);
  });

  describe('connection test --json', () => {
    let ledger: TestService;
    beforeAll(async () => {
      ledger = await startService('ledger', () => ({
        status: 401,
        body: { error: { message: 'The API key is not valid' } },
      }));
    });
    afterAll(() => ledger.close());

    it('prints the result and still gives one reason line on stderr when the connection does not work', async () => {
      const home = tempHome();
      expect(
        (await patchbay(['connector', 'import', writeTemp('ledger.json', ledgerOpenApi(ledger.url))], { home })).code,
      ).toBe(0);
      const created = await patchbay(
        ['connection', 'create', 'ledger', '--name', 'Rejected', '--secret-env', 'api_key=K'],
        { home, env: { K: 'opt-test-key-rejected' } },
      );
      expect(created.code, created.stderr).toBe(0);
      const id = created.stdout.trim();
      const r = await patchbay(['connection', 'test', id, '--json'], { home });
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 'error' });
      expect(reasonLines(r.stderr)).toEqual([`patchbay: connection ${id} is error`]);
    });
  });
});
