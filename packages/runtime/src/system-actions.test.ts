import { describe, expect, it } from 'vitest';
import os from 'node:os';
import { actionError, nodeContext, runAction } from './actions.test-support.js';

describe.skipIf(process.platform === 'win32')('System.RunCommand', () => {
  it('gives output, error output and exit code', async () => {
    expect(await runAction('System.RunCommand', { command: 'echo hi; echo err >&2; exit 3' })).toEqual({
      stdout: 'hi\n',
      stderr: 'err\n',
      exitCode: 3,
    });
    expect(
      (await actionError('System.RunCommand', { command: 'echo nope >&2; exit 2', failOnNonZeroExit: true })).message,
    ).toBe('The command exited with code 2: nope');
  });

  it('runs in a working folder with extra environment variables', async () => {
    const out = await runAction('System.RunCommand', {
      command: 'echo "$PB_X" && pwd',
      workingFolder: '/',
      environment: { PB_X: 42 },
    });
    expect(out.stdout).toBe('42\n/\n');
    expect((await actionError('System.RunCommand', { command: 'pwd', workingFolder: '/no/such/dir' })).message).toBe(
      "Parameter 'workingFolder': the folder /no/such/dir does not exist.",
    );
  });

  it('stops at its timeout and when the run is cancelled', async () => {
    expect((await actionError('System.RunCommand', { command: 'sleep 10', timeoutSeconds: 0.2 })).message).toMatch(
      /did not finish within 0.2 s/,
    );
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    expect(
      (await actionError('System.RunCommand', { command: 'sleep 10' }, nodeContext({ signal: ac.signal }))).code,
    ).toBe('run.cancelled');
  });
});

describe('environment, folders and logging', () => {
  it('reads environment variables, failing clearly on a missing one', async () => {
    process.env.PB_TEST_VALUE = 'v1';
    expect((await runAction('System.GetEnvironmentVariable', { name: 'PB_TEST_VALUE' })).value).toBe('v1');
    expect((await actionError('System.GetEnvironmentVariable', { name: 'PB_TEST_MISSING_X' })).message).toBe(
      'The environment variable PB_TEST_MISSING_X is not set.',
    );
    expect(
      (await runAction('System.GetEnvironmentVariable', { name: 'PB_TEST_MISSING_X', failIfMissing: false })).value,
    ).toBe('');
  });

  it("keeps Patchbay's own secrets (master key, owner password, database URL, connector call auth) from flows", async () => {
    const secrets = {
      PATCHBAY_MASTER_KEY: 'mk-s3cret',
      PATCHBAY_OWNER_PASSWORD: 'pw-s3cret',
      PATCHBAY_DATABASE_URL: 'postgres://u:db-s3cret@h/db',
      PATCHBAY_AUTH_API_KEY: 'ak-s3cret',
    };
    const saved = Object.fromEntries(Object.keys(secrets).map((k) => [k, process.env[k]]));
    Object.assign(process.env, secrets, { PB_TEST_VISIBLE: 'seen' });
    try {
      for (const name of [...Object.keys(secrets), 'patchbay_master_key']) {
        expect((await actionError('System.GetEnvironmentVariable', { name })).message).toBe(
          `The environment variable ${name} is not set.`,
        );
      }
      expect((await runAction('System.GetEnvironmentVariable', { name: 'PB_TEST_VISIBLE' })).value).toBe('seen');
      if (process.platform !== 'win32') {
        const out = await runAction('System.RunCommand', { command: 'env' });
        expect(out.stdout).toContain('PB_TEST_VISIBLE=seen');
        expect(out.stdout).not.toMatch(/s3cret/);
      }
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('gives the temporary and working folders', async () => {
    expect((await runAction('System.GetTempFolder', {})).folder).toBe(os.tmpdir());
    expect(
      (await runAction('System.GetCurrentDirectory', {}, nodeContext({ host: { cwd: '/srv/flows' } }))).folder,
    ).toBe('/srv/flows');
  });

  it('logs a message at its level', async () => {
    const ctx = nodeContext();
    await runAction('Log.Message', { message: 'careful', level: 'warning' }, ctx);
    await runAction('Log.Message', { message: [1, 2] }, ctx);
    expect(ctx.logs.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'careful'],
      ['info', '1\n2'],
    ]);
    expect((await actionError('Log.Message', { message: 'x', level: 'loud' })).code).toBe('action.param');
  });
});

describe('Scripting.RunJavaScript', () => {
  it('passes inputs in and gives the result and console output', async () => {
    const out = await runAction('Scripting.RunJavaScript', {
      script: 'console.log("rows", Rows.length);\nreturn Rows.filter((r) => r.Amount % 2 === 0).map((r) => r.Id);',
      inputs: {
        Rows: [
          { Id: 'a', Amount: 2 },
          { Id: 'b', Amount: 3 },
        ],
      },
    });
    expect(out).toEqual({ result: ['a'], output: 'rows 2' });
  });

  it('fails with the line of the error, at the time limit, and on bad inputs', async () => {
    expect((await actionError('Scripting.RunJavaScript', { script: 'const a = 1;\nundefinedFn();' })).message).toMatch(
      /JavaScript ReferenceError at line 2.*undefinedFn/,
    );
    expect(
      (await actionError('Scripting.RunJavaScript', { script: 'for(;;){}', timeoutSeconds: 0.2 })).message,
    ).toMatch(/within 0.2 s/);
    expect(
      (await actionError('Scripting.RunJavaScript', { script: 'return 1', inputs: { 'bad name': 1 } })).message,
    ).toMatch(/not a JavaScript variable name/);
    expect((await actionError('Scripting.RunJavaScript', { script: '  ' })).message).toMatch(/script is empty/);
  });
});
