// `patchbay connector delete` and `connector share`, and a member (PATCHBAY_TOKEN) who tries to re-import
// the owner's connector: refused with the owner's name and how to import under another id.
import { beforeAll, describe, expect, it } from 'vitest';
import { patchbay, tempHome } from './cli.js';
import { ledgerOpenApi, reasonLines, writeTemp } from './services.js';

describe('patchbay connector delete and share', () => {
  const home = tempHome();
  const ownerSpec = writeTemp('ledger.json', ledgerOpenApi('http://127.0.0.1:9/owner'));
  const memberSpec = writeTemp('ledger-member.json', ledgerOpenApi('http://127.0.0.1:9/member'));
  let memberToken = '';
  const asMember = (args: string[]) => patchbay(args, { home, env: { PATCHBAY_TOKEN: memberToken } });

  beforeAll(async () => {
    expect((await patchbay(['connector', 'import', ownerSpec], { home })).code).toBe(0);
    const u = await patchbay(['user', 'create', 'member@example.com', '--password-env', 'PW'], {
      home,
      env: { PW: 'member-password-1' },
    });
    expect(u.code, u.stderr).toBe(0);
    const { openPlatform } = await import('@patchbay/platform');
    const p = await openPlatform({ home });
    try {
      const m = await p.users.findByEmail('member@example.com');
      memberToken = (await p.users.createToken(m!, 'member-cli')).token;
    } finally {
      await p.close();
    }
  });

  it("refuses a member's re-import of the owner's connector, naming the owner and --id", async () => {
    const r = await asMember(['connector', 'import', memberSpec]);
    expect(r.code).not.toBe(0);
    expect(reasonLines(r.stderr).join(' ')).toMatch(/belongs to .*@/);
    expect(r.stderr).toContain('--id');
    const other = await asMember(['connector', 'import', memberSpec, '--id', 'ledger-member']);
    expect(other.code, other.stderr).toBe(0);
    expect(other.stdout.trim()).toBe('ledger-member');
  });

  it('makes a co-owner, who may then update it', async () => {
    const r = await patchbay(['connector', 'share', 'ledger', 'member@example.com', '--json'], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      expect.objectContaining({ role: 'owner' }),
      { email: 'member@example.com', role: 'co-owner' },
    ]);
    const update = await asMember(['connector', 'import', ownerSpec]);
    expect(update.code, update.stderr).toBe(0);
    expect(update.stderr).toContain('Updated');
    expect((await patchbay(['connector', 'share', 'ledger', 'member@example.com', '--remove'], { home })).code).toBe(0);
    expect((await asMember(['connector', 'import', ownerSpec])).code).not.toBe(0);
  });

  it('never deletes a built-in connector, nor one of someone else', async () => {
    const builtin = await patchbay(['connector', 'delete', 'http'], { home });
    expect(builtin.code).not.toBe(0);
    expect(builtin.stderr).toContain('built-in');
    const theirs = await asMember(['connector', 'delete', 'ledger', '--force']);
    expect(theirs.code).not.toBe(0);
    expect(theirs.stderr).toMatch(/only they or an environment admin/);
  });

  it('refuses while a flow uses it, and deletes with --force', async () => {
    expect((await patchbay(['ref', 'create', 'pb_ledger', '--connector', 'ledger'], { home })).code).toBe(0);
    const flow = writeTemp('uses-ledger.flow.json', {
      schema: 'patchbay/flow@1',
      name: 'Uses ledger',
      steps: [{ connector: 'ledger', operation: 'ListEntries', connectionReference: 'pb_ledger', params: {} }],
    });
    const saved = await patchbay(['flow', 'save', flow], { home });
    expect(saved.code, saved.stderr).toBe(0);
    const refused = await patchbay(['connector', 'delete', 'ledger'], { home });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('"Uses ledger"');
    expect(refused.stderr).toContain('--force');
    const forced = await patchbay(['connector', 'delete', 'ledger', '--force', '--json'], { home });
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ id: 'ledger', usedBy: [{ flowName: 'Uses ledger' }] });
    const list = JSON.parse((await patchbay(['connector', 'list', '--json'], { home })).stdout) as { id: string }[];
    expect(list.map((c) => c.id)).not.toContain('ledger');
    expect((await asMember(['connector', 'delete', 'ledger-member'])).code).toBe(0);
  });
});
