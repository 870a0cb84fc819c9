// `patchbay machine register / list / revoke` and the argument checks of `patchbay runner`.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { patchbay, tempHome } from './cli.js';

describe('patchbay machine', { timeout: 180_000 }, () => {
  it('registers a machine with a token printed once, lists it, refuses a member, revokes it', async () => {
    const home = tempHome();
    const reg = await patchbay(['machine', 'register', 'build-01', '--group', 'builders', '--json'], { home });
    expect(reg.code, reg.stderr).toBe(0);
    const { machine, token } = JSON.parse(reg.stdout) as { machine: Record<string, unknown>; token: string };
    expect(token).toMatch(/^pbm_/);
    expect(machine).toMatchObject({ name: 'build-01', group: 'builders', environment: 'default', status: 'active' });
    // Only a hash is kept: no file in the data folder holds the token.
    for (const f of readdirSync(home)) expect(readFileSync(join(home, f)).toString('latin1')).not.toContain(token);

    const text = await patchbay(['machine', 'register', 'build-02'], { home });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.trim()).toMatch(/^pbm_[A-Za-z0-9_-]+$/);
    expect(text.stderr).toContain('Registered machine build-02 (group default, environment default)');
    expect(text.stderr).toContain('--token-env');

    const again = await patchbay(['machine', 'register', 'build-01'], { home });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('Machine "build-01" is already registered');

    const list = await patchbay(['machine', 'list', '--json'], { home });
    expect(list.code, list.stderr).toBe(0);
    const machines = JSON.parse(list.stdout) as { name: string; online: boolean; group: string }[];
    expect(machines.map((m) => [m.name, m.group, m.online])).toEqual([
      ['build-01', 'builders', false],
      ['build-02', 'default', false],
    ]);
    expect(list.stdout).not.toContain(token);
    const table = await patchbay(['machine', 'list'], { home });
    expect(table.stdout).toMatch(/^NAME\s+GROUP\s+ENVIRONMENT\s+STATE\s+LASTSEEN\s+TOKEN/);
    expect(table.stdout).toMatch(/build-01\s+builders\s+default\s+offline\s+-\s+pbm_/);

    const memberToken = await import('@patchbay/platform').then(async ({ openPlatform }) => {
      const p = await openPlatform({ home });
      try {
        const { user: owner } = await p.users.ensureOwner({ generatePassword: false });
        const member = await p.users.createUser(owner, { email: 'm@example.com', role: 'member' });
        return (await p.users.createToken(member, 'm')).token;
      } finally {
        await p.close();
      }
    });
    const refused = await patchbay(['machine', 'register', 'sneaky'], { home, env: { PATCHBAY_TOKEN: memberToken } });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      'Only the instance owner or an admin of environment "default" may register machines',
    );

    const revoke = await patchbay(['machine', 'revoke', 'build-01'], { home });
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(revoke.stderr).toContain('Revoked machine build-01');
    expect((await patchbay(['machine', 'list'], { home })).stdout).toMatch(/build-01\s+builders\s+default\s+revoked/);
    const audit = await patchbay(['audit', 'list', '--json'], { home });
    const actions = (JSON.parse(audit.stdout) as { action: string; outcome: string }[]).map(
      (e) => `${e.action}:${e.outcome}`,
    );
    expect(actions).toEqual(
      expect.arrayContaining(['machine.register:ok', 'machine.register:denied', 'machine.revoke:ok']),
    );
    expect(audit.stdout).not.toContain(token);
  });

  it('patchbay runner says what is missing', async () => {
    const noToken = await patchbay(['runner', '--server', 'http://127.0.0.1:1', '--token-env', 'NOPE_TOKEN']);
    expect(noToken.code).not.toBe(0);
    expect(noToken.stderr).toContain('The environment variable NOPE_TOKEN holds no machine token');
    const badUrl = await patchbay(['runner', '--server', 'ftp://x', '--token-env', 'T'], { env: { T: 'pbm_x' } });
    expect(badUrl.code).not.toBe(0);
    expect(badUrl.stderr).toContain('--server "ftp://x" is not an http(s) URL');
  });
});
