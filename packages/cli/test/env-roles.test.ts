// `patchbay env role grant|revoke|list`: roles per environment, as a table or JSON.
import { describe, expect, it } from 'vitest';
import { patchbay, tempHome } from './cli.js';

describe('patchbay env role', { timeout: 180_000 }, () => {
  it('grants, lists and revokes a role, and refuses an unknown role', async () => {
    const home = tempHome();
    expect((await patchbay(['env', 'create', 'prod'], { home })).code).toBe(0);
    const user = await patchbay(['user', 'create', 'ana@example.com', '--password-env', 'PW'], {
      home,
      env: { PW: 'ana password 1' },
    });
    expect(user.code, user.stderr).toBe(0);

    const grant = await patchbay(['env', 'role', 'grant', 'prod', 'ana@example.com', 'maker'], { home });
    expect(grant.code, grant.stderr).toBe(0);
    expect(grant.stderr).toContain('ana@example.com is now maker in prod.');
    const json = await patchbay(['env', 'role', 'list', 'prod', '--json'], { home });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({
        environment: 'prod',
        defaultRole: null,
        entries: expect.arrayContaining([
          expect.objectContaining({ email: 'ana@example.com', role: 'maker', source: 'grant' }),
          expect.objectContaining({ role: 'admin', source: 'owner' }),
        ]),
      }),
    ]);
    const table = await patchbay(['env', 'role', 'list'], { home });
    expect(table.stdout).toMatch(/^ENVIRONMENT\s+EMAIL\s+ROLE\s+SOURCE/);
    expect(table.stdout).toMatch(/default\s+\(every other user\)\s+maker\s+default/);
    expect(table.stdout).toMatch(/prod\s+ana@example\.com\s+maker\s+granted/);

    const bad = await patchbay(['env', 'role', 'grant', 'prod', 'ana@example.com', 'root'], { home });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('Role "root" is not one of admin, maker, user');

    expect((await patchbay(['env', 'role', 'revoke', 'prod', 'ana@example.com'], { home })).code).toBe(0);
    const after = JSON.parse((await patchbay(['env', 'role', 'list', 'prod', '--json'], { home })).stdout);
    expect(JSON.stringify(after)).not.toContain('ana@example.com');
  });
});
