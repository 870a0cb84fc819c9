// `patchbay audit list`, and the owner password: never printed by ordinary commands, generated and shown once by `serve`.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, patchbay, tempHome } from './cli.js';

/** Starts `patchbay serve` on a free port; resolves with what it printed once it listens, and a way to stop it. */
function serve(home: string): Promise<{ out: string; url: string; stop(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--log', 'silent'], {
      env: { ...process.env, PATCHBAY_HOME: home, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const url = /running at (http:\/\/\S+?) /.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({
          out,
          url,
          stop: () =>
            new Promise((done) => {
              child.once('close', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
  });
}

describe('patchbay audit list', { timeout: 180_000 }, () => {
  it('lists the entries the owner may read, filtered, as a table or JSON, and refuses a member', async () => {
    const home = tempHome();
    expect((await patchbay(['token', 'create', 'ci'], { home })).code).toBe(0);
    expect(
      (
        await patchbay(['user', 'create', 'm@example.com', '--password-env', 'PW'], {
          home,
          env: { PW: 'member pw 1' },
        })
      ).code,
    ).toBe(0);
    const json = await patchbay(['audit', 'list', '--json'], { home });
    expect(json.code, json.stderr).toBe(0);
    const entries = JSON.parse(json.stdout) as { action: string; actor: { email: string }; outcome: string }[];
    expect(entries).toEqual([
      expect.objectContaining({ action: 'token.create', actor: expect.objectContaining({ email: 'owner@localhost' }) }),
    ]);
    const table = await patchbay(['audit', 'list', '--actor', 'owner@localhost'], { home });
    expect(table.stdout).toMatch(/^AT\s+ACTOR\s+ENV\s+ACTION\s+TARGET\s+OUTCOME\s+DETAIL/);
    expect(table.stdout).toMatch(/owner@localhost\s+-\s+token\.create\s+tok_\S+\s+ok\s+name=ci/);
    expect((await patchbay(['audit', 'list', '--since', '2999-01-01T00:00:00Z'], { home })).stdout).toBe('(none)\n');
    const bad = await patchbay(['audit', 'list', '--since', 'yesterday'], { home });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('"yesterday" is not a time');

    const memberToken = await import('@patchbay/platform').then(async ({ openPlatform }) => {
      const p = await openPlatform({ home });
      try {
        return (await p.users.createToken((await p.users.findByEmail('m@example.com'))!, 'm')).token;
      } finally {
        await p.close();
      }
    });
    const refused = await patchbay(['audit', 'list'], { home, env: { PATCHBAY_TOKEN: memberToken } });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Only the owner or an environment admin may read the audit log');
  });
});

describe('the generated owner password', { timeout: 180_000 }, () => {
  it('is printed by no ordinary command, and once by the serve that generates it', async () => {
    const home = tempHome();
    const first = await patchbay(['connector', 'list', '--json'], { home });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).not.toMatch(/password/i);
    expect(first.stdout).not.toMatch(/owner account/i);
    expect((await patchbay(['env', 'list'], { home })).stderr).not.toMatch(/password/i);

    const s1 = await serve(home);
    let password: string;
    try {
      password = /Password: (\S+)/.exec(s1.out)?.[1] ?? '';
      expect(password.length).toBeGreaterThanOrEqual(20);
      const ok = await fetch(`${s1.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'owner@localhost', password }),
      });
      expect(ok.status).toBe(200);
    } finally {
      await s1.stop();
    }
    const s2 = await serve(home);
    await s2.stop();
    expect(s2.out).not.toMatch(/password/i);
    expect(s2.out).not.toContain(password);
  });
});
