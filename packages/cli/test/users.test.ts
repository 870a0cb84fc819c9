// `patchbay user` and `patchbay token`, and PATCHBAY_TOKEN acting as another user: a
// member sees and uses the owner's connection only once it is shared, never its secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchbay, tempHome } from './cli.js';
import { ledgerOpenApi, startService, writeTemp, type TestService } from './services.js';

describe('patchbay user, token and PATCHBAY_TOKEN', () => {
  const home = tempHome();
  const key = 'users-test-key-5e1b77';
  let ledger: TestService;
  let connectionId = '';
  let memberToken = '';

  beforeAll(async () => {
    ledger = await startService('ledger', () => undefined);
    expect(
      (await patchbay(['connector', 'import', writeTemp('ledger.json', ledgerOpenApi(ledger.url))], { home })).code,
    ).toBe(0);
    const c = await patchbay(
      ['connection', 'create', 'ledger', '--name', 'Owner ledger', '--secret-env', 'api_key=K'],
      { home, env: { K: key } },
    );
    expect(c.code, c.stderr).toBe(0);
    connectionId = c.stdout.trim();
  });
  afterAll(() => ledger.close());

  it('creates a member with a password from the environment, and lists accounts', async () => {
    const r = await patchbay(['user', 'create', 'member@example.com', '--password-env', 'PW', '--json'], {
      home,
      env: { PW: 'member-password-1' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ email: 'member@example.com', role: 'member' });
    expect(r.stdout).not.toContain('member-password-1');
    const list = JSON.parse((await patchbay(['user', 'list', '--json'], { home })).stdout) as { email: string }[];
    expect(list.map((u) => u.email)).toContain('member@example.com');
  });

  it("acts as the token's user: the owner's connection is invisible until shared, then usable but never readable", async () => {
    const owner = JSON.parse((await patchbay(['token', 'create', 'owner-cli', '--json'], { home })).stdout) as {
      token: string;
    };
    expect(owner.token.length).toBeGreaterThan(20);
    const bad = await patchbay(['connection', 'list'], { home, env: { PATCHBAY_TOKEN: 'not-a-token' } });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/PATCHBAY_TOKEN is not a valid API token/);

    // The member's own token, made for them as the member (a user only ever mints tokens for themselves).
    const asMember = await import('@patchbay/platform').then(async ({ openPlatform }) => {
      const p = await openPlatform({ home });
      try {
        const m = await p.users.findByEmail('member@example.com');
        return (await p.users.createToken(m!, 'member-cli')).token;
      } finally {
        await p.close();
      }
    });
    memberToken = asMember;
    const before = JSON.parse(
      (await patchbay(['connection', 'list', '--json'], { home, env: { PATCHBAY_TOKEN: memberToken } })).stdout,
    ) as { id: string }[];
    expect(before.map((c) => c.id)).not.toContain(connectionId);

    expect((await patchbay(['connection', 'share', connectionId, 'member@example.com'], { home })).code).toBe(0);
    const after = await patchbay(['connection', 'list', '--json'], { home, env: { PATCHBAY_TOKEN: memberToken } });
    const shared = (JSON.parse(after.stdout) as { id: string; sharedWithMe: boolean; canManage: boolean }[]).find(
      (c) => c.id === connectionId,
    );
    expect(shared).toMatchObject({ sharedWithMe: true, canManage: false });
    expect(after.stdout).not.toContain(key);
    const del = await patchbay(['connection', 'delete', connectionId], { home, env: { PATCHBAY_TOKEN: memberToken } });
    expect(del.code).not.toBe(0);
  });

  it('lists and revokes tokens without showing their values', async () => {
    const list = await patchbay(['token', 'list', '--json'], { home, env: { PATCHBAY_TOKEN: memberToken } });
    expect(list.code, list.stderr).toBe(0);
    const tokens = JSON.parse(list.stdout) as { id: string; name: string }[];
    expect(tokens.map((t) => t.name)).toEqual(['member-cli']);
    expect(list.stdout).not.toContain(memberToken);
    expect(
      (await patchbay(['token', 'revoke', tokens[0].id], { home, env: { PATCHBAY_TOKEN: memberToken } })).code,
    ).toBe(0);
    const gone = await patchbay(['connection', 'list'], { home, env: { PATCHBAY_TOKEN: memberToken } });
    expect(gone.code).not.toBe(0);
  });
});
