/**
 * Environment roles in the services: the defaults (owner admin everywhere,
 * members makers in `default`, no access elsewhere), what each role may do,
 * and grants and revokes audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '@patchbay/store';
import { dialects, freshPlatform, rejection, unique } from './test-support.js';

const counting = (name: string) => ({
  schema: 'patchbay/flow@1' as const,
  name,
  steps: [{ action: 'Variables.Set', params: { name: 'X', value: '%1%' } }],
});

describe.each(dialects)('environment roles on $name', (dialect) => {
  let env: Awaited<ReturnType<typeof freshPlatform>>;
  let owner: User;
  let member: User;
  beforeAll(async () => {
    if (!dialect.available) return;
    env = await freshPlatform(dialect);
    owner = (await env.platform.users.ensureOwner({ email: 'owner@roles.test', password: 'owner password 1' })).user;
    member = await env.platform.users.createUser(owner, { email: 'member@roles.test', password: 'member password 1' });
  });
  afterAll(async () => {
    await env?.close();
  });

  it.skipIf(!dialect.available)(
    'keeps the single-user defaults: the owner is admin everywhere, members make in default and see nothing else',
    async () => {
      const p = env.platform;
      const prod = unique('prod');
      await p.environments.create(owner, prod);
      expect(await p.roles.mine(owner, prod)).toBe('admin');
      expect(await p.roles.mine(member, 'default')).toBe('maker');
      expect(await p.roles.mine(member, prod)).toBeNull();
      expect((await p.environments.list(owner)).map((e) => e.name)).toContain(prod);
      expect((await p.environments.list(member)).map((e) => e.name)).toEqual(['default']);
      await p.flows.save(member, 'default', counting(unique('Member flow')));
      const refused = await rejection(p.connectors.list(member, prod));
      expect(refused.code).toBe('auth.denied');
      expect(refused.message).toContain(`no role in environment "${prod}"`);
      expect(refused.hint).toContain(`patchbay env role grant ${prod} member@roles.test`);
      expect((await rejection(p.flows.list(member, prod))).code).toBe('auth.denied');
      expect((await rejection(p.environments.get(member, prod))).code).toBe('auth.denied');
    },
  );

  it.skipIf(!dialect.available)('gives each role exactly its rights (DESIGN §7)', async () => {
    const p = env.platform;
    const prod = unique('prod');
    await p.environments.create(owner, prod);
    await p.envVars.define(owner, { schemaName: unique('pb_Region'), type: 'text' });

    await p.roles.grant(owner, prod, member.email, 'user');
    expect(await p.roles.mine(member, prod)).toBe('user');
    expect((await p.environments.list(member)).map((e) => e.name)).toContain(prod);
    await p.connectors.list(member, prod);
    await p.connections.create(member, prod, {
      connectorId: 'http',
      displayName: 'Mine',
      params: { base_url: 'https://example.test' },
    });
    for (const refused of [
      () => p.flows.save(member, prod, counting('Nope')),
      () => p.references.create(member, prod, { logicalName: 'pb_nope', connectorId: 'http' }),
      () => p.solutions.create(member, prod, 'Nope', []),
      () => p.connectors.import(member, prod, { openapi: '{}' }),
      () => p.envVars.setValue(member, prod, 'pb_Anything', 'x'),
      () => p.roles.grant(member, prod, member.email, 'admin'),
      () => p.audit.list(member, { environment: prod }),
    ]) {
      const r = await rejection(refused());
      expect(r.code).toBe('auth.denied');
    }

    await p.roles.grant(owner, prod, member.email, 'maker');
    const flow = await p.flows.save(member, prod, counting(unique('Made')));
    expect(flow.environment).toBe(prod);
    await p.references.create(member, prod, { logicalName: 'pb_made', connectorId: 'http' });
    expect((await rejection(p.envVars.setValue(member, prod, 'pb_Anything', 'x'))).code).toBe('auth.denied');
    expect((await rejection(p.roles.list(member, prod))).code).toBe('auth.denied');

    await p.roles.grant(owner, prod, member.email, 'admin');
    const schemaName = unique('pb_Admin');
    await p.envVars.define(member, { schemaName, type: 'text' }, { environment: prod });
    await p.envVars.setValue(member, prod, schemaName, 'eu');
    expect((await p.envVars.list(member, prod)).find((e) => e.schemaName === schemaName)?.value).toBe('eu');
    await p.audit.list(member, { environment: prod });
    // An admin of one environment is not an admin of another.
    expect((await rejection(p.envVars.setValue(member, 'default', schemaName, 'x'))).code).toBe('auth.denied');
    const listed = await p.roles.list(member, prod);
    expect(listed[0].entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ email: owner.email, role: 'admin', source: 'owner' }),
        expect.objectContaining({ email: member.email, role: 'admin', source: 'grant' }),
      ]),
    );
    expect(listed[0].defaultRole).toBeNull();

    await p.roles.revoke(owner, prod, member.email);
    expect(await p.roles.mine(member, prod)).toBeNull();
    expect((await rejection(p.flows.list(member, prod))).code).toBe('auth.denied');
  });

  it.skipIf(!dialect.available)(
    'narrows a member in default, refuses to change the owner, and audits it all',
    async () => {
      const p = env.platform;
      const other = await p.users.createUser(owner, {
        email: unique('other') + '@roles.test',
        password: 'other pw 12',
      });
      await p.roles.grant(owner, 'default', other.email, 'user');
      expect((await rejection(p.flows.save(other, 'default', counting('Narrowed')))).code).toBe('auth.denied');
      await p.roles.revoke(owner, 'default', other.email);
      await p.flows.save(other, 'default', counting(unique('Maker again')));

      expect((await rejection(p.roles.grant(owner, 'default', owner.email, 'user'))).code).toBe('store.conflict');
      expect((await rejection(p.roles.grant(owner, 'default', 'nobody@roles.test', 'user'))).code).toBe(
        'store.not_found',
      );
      expect((await rejection(p.roles.grant(owner, 'default', other.email, 'superuser'))).code).toBe('store.invalid');
      expect((await rejection(p.roles.grant(other, 'default', other.email, 'admin'))).code).toBe('auth.denied');

      const entries = await p.audit.list(owner, { environment: 'default', limit: 1000 });
      const mine = entries.filter((e) => e.target === other.email);
      expect(mine.map((e) => `${e.action}:${e.outcome}`)).toEqual(
        expect.arrayContaining(['role.grant:ok', 'role.revoke:ok', 'role.grant:denied']),
      );
      expect(mine.find((e) => e.action === 'role.grant' && e.outcome === 'ok')?.detail).toMatchObject({
        role: 'user',
        previous: 'none',
      });
    },
  );
});
