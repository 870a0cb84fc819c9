import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import { type TestDatabase, rejection, testDialects, unique } from '../testDialects.js';

const dialects = await testDialects();

describe.each(dialects)('users, environments and connectors on $name', (dialect) => {
  let db: TestDatabase;
  let s: Store;
  beforeAll(async () => {
    if (!dialect.available) return;
    db = dialect.create();
    s = await db.open();
  });
  afterAll(async () => {
    await s?.close();
    await db?.dispose();
  });
  const run = it.skipIf(!dialect.available);

  run('creates the owner once, with a generated password that signs in', async () => {
    const first = await s.users.ensureOwner();
    expect(first.created).toBe(true);
    expect(first.user.role).toBe('owner');
    expect(first.password).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const second = await s.users.ensureOwner({ email: 'someone@else.test' });
    expect(second).toEqual({ created: false, user: first.user });
    expect((await s.users.owner()).id).toBe(first.user.id);
    expect((await s.users.verifyPassword('OWNER@localhost', first.password!))?.id).toBe(first.user.id);
  });

  run('creates a password-less owner for commands that do not serve, and gives it a password once later', async () => {
    const d = dialect.create();
    const t = await d.open();
    try {
      const made = await t.users.ensureOwner({ generatePassword: false });
      expect(made.created).toBe(true);
      expect(made.password).toBeUndefined();
      expect(made.user.hasPassword).toBe(false);
      expect(await t.users.ensureOwner({ generatePassword: false })).toEqual({ created: false, user: made.user });
      const served = await t.users.ensureOwner();
      expect(served.created).toBe(false);
      expect(served.password).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      expect((await t.users.verifyPassword(made.user.email, served.password!))?.id).toBe(made.user.id);
      const again = await t.users.ensureOwner();
      expect(again.password).toBeUndefined();
      expect(again.user.hasPassword).toBe(true);
    } finally {
      await t.close();
      await d.dispose();
    }
  });

  run('verifies passwords and never returns the hash', async () => {
    const email = `${unique('ada')}@example.test`;
    const u = await s.users.create({ email, password: 'correct horse battery', displayName: 'Ada' });
    expect(Object.keys(u).sort()).toEqual(['createdAt', 'displayName', 'email', 'hasPassword', 'id', 'role']);
    expect(u.role).toBe('member');
    expect((await s.users.verifyPassword(email, 'correct horse battery'))?.id).toBe(u.id);
    expect(await s.users.verifyPassword(email, 'wrong horse battery')).toBeUndefined();
    expect(await s.users.verifyPassword('nobody@example.test', 'correct horse battery')).toBeUndefined();
    expect(await s.users.verifyPassword('not an email', 'x')).toBeUndefined();
    await s.users.setPassword(u.id, 'another good password');
    expect((await s.users.verifyPassword(email, 'another good password'))?.id).toBe(u.id);
  });

  run('keeps emails unique regardless of case and checks input', async () => {
    const email = `${unique('bob')}@example.test`;
    await s.users.create({ email });
    expect((await rejection(s.users.create({ email: email.toUpperCase() }))).code).toBe('store.conflict');
    expect((await rejection(s.users.create({ email: 'no-at-sign' }))).code).toBe('store.invalid');
    expect((await rejection(s.users.create({ email: `${unique('c')}@x.test`, password: 'short' }))).code).toBe(
      'store.invalid',
    );
    expect((await rejection(s.users.get('usr_missing'))).code).toBe('store.not_found');
    expect((await s.users.findByEmail(email.toUpperCase()))?.email).toBe(email);
  });

  run('updates and deletes users, refusing while they own things', async () => {
    const u = await s.users.create({ email: `${unique('dee')}@example.test` });
    expect((await s.users.update(u.id, { displayName: 'Dee', role: 'owner' })).displayName).toBe('Dee');
    const c = await s.connections.create({
      environment: 'default',
      connectorId: 'ledger',
      displayName: 'x',
      ownerId: u.id,
    });
    expect((await rejection(s.users.delete(u.id))).code).toBe('store.conflict');
    await s.connections.delete(c.id);
    await s.users.delete(u.id);
    expect((await rejection(s.users.get(u.id))).code).toBe('store.not_found');
  });

  run('issues API tokens shown once, stored hashed, revocable', async () => {
    const u = await s.users.create({ email: `${unique('tok')}@example.test` });
    const { token, record } = await s.users.createToken(u.id, 'laptop CLI');
    expect(token.startsWith(record.prefix)).toBe(true);
    expect((await s.users.authenticateToken(token))?.id).toBe(u.id);
    expect((await s.users.listTokens(u.id))[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(await s.users.listTokens(u.id))).not.toContain(token);
    expect((await db.rawContent()).includes(token)).toBe(false);
    expect(await s.users.authenticateToken(`${token}x`)).toBeUndefined();
    expect(await s.users.authenticateToken('garbage')).toBeUndefined();
    await s.users.revokeToken(record.id);
    expect(await s.users.authenticateToken(token)).toBeUndefined();
    expect((await rejection(s.users.revokeToken(record.id))).code).toBe('store.not_found');
  });

  run('has a default environment and creates, validates and deletes others', async () => {
    expect((await s.environments.get('default')).name).toBe('default');
    const name = unique('dev');
    await s.environments.create({ name, displayName: 'Development' });
    expect((await s.environments.list()).map((e) => e.name)).toContain(name);
    expect((await rejection(s.environments.create({ name }))).code).toBe('store.conflict');
    expect((await rejection(s.environments.create({ name: 'Has Spaces' }))).code).toBe('store.invalid');
    expect((await rejection(s.environments.delete('default'))).code).toBe('store.conflict');
    const owner = await s.users.owner();
    const c = await s.connections.create({
      environment: name,
      connectorId: 'ledger',
      displayName: 'x',
      ownerId: owner.id,
    });
    expect((await rejection(s.environments.delete(name))).code).toBe('store.conflict');
    await s.connections.delete(c.id);
    await s.environments.delete(name);
    const missing = await rejection(s.environments.get(name));
    expect(missing.code).toBe('store.not_found');
    expect(missing.hint).toContain('patchbay env create');
  });

  run('stores connectors per environment and replaces them on re-import', async () => {
    const env = unique('c');
    await s.environments.create({ name: env });
    const model = { id: 'ledger', operations: [{ id: 'ListEntries' }] };
    const a = await s.connectors.upsert({
      environment: env,
      id: 'ledger',
      displayName: 'Ledger',
      model,
      source: '/tmp/ledger.json',
      custom: true,
    });
    expect((await s.connectors.find(env, 'ledger'))?.model).toEqual(model);
    const b = await s.connectors.upsert({
      environment: env,
      id: 'ledger',
      displayName: 'Ledger 2',
      model: { ...model, v: 2 },
      source: '/tmp/ledger.json',
      custom: true,
    });
    expect(b.displayName).toBe('Ledger 2');
    expect(b.createdAt).toBe(a.createdAt);
    expect((await s.connectors.list(env)).map((c) => c.id)).toEqual(['ledger']);
    expect(await s.connectors.find('default', 'ledger')).toBeUndefined();
    expect((await s.connectors.find(env, 'ledger'))?.model).toEqual({ ...model, v: 2 });
    expect(
      (
        await rejection(
          s.connectors.upsert({
            environment: 'nowhere',
            id: 'x',
            displayName: 'X',
            model: {},
            source: 's',
            custom: false,
          }),
        )
      ).code,
    ).toBe('store.not_found');
    expect(
      (
        await rejection(
          s.connectors.upsert({
            environment: env,
            id: 'bad id!',
            displayName: 'X',
            model: {},
            source: 's',
            custom: false,
          }),
        )
      ).code,
    ).toBe('store.invalid');
    await s.connectors.delete(env, 'ledger');
    expect((await rejection(s.connectors.get(env, 'ledger'))).code).toBe('store.not_found');
  });

  run('lists summaries without models and loads the operations a call needs', async () => {
    const env = unique('sum');
    await s.environments.create({ name: env });
    const operations = Array.from({ length: 1200 }, (_, i) => ({
      id: `Op${i}`,
      summary: `Operation ${i}`,
      isTrigger: i === 0,
      usableAsAction: i !== 0,
      outputs: { schema: { type: 'object', description: 'x'.repeat(200) } },
    }));
    await s.connectors.upsert({
      environment: env,
      id: 'big',
      displayName: 'Big',
      model: {
        id: 'big',
        displayName: 'Big',
        iconUrl: 'https://example.test/icon.png',
        authSchemes: [
          { name: 'key', type: 'apiKey' },
          { name: 'oauth', type: 'oauth2' },
        ],
        operations,
      },
      source: 'upload',
      custom: true,
    });
    const [listed] = await s.connectors.list(env);
    expect(listed).not.toHaveProperty('model');
    expect(listed.summary.counts).toEqual({ operations: 1200, actions: 1199, triggers: 1 });
    expect(listed.summary.authKinds).toEqual(['apiKey', 'oauth2']);
    expect(listed.summary.iconUrl).toBe('https://example.test/icon.png');
    expect(listed.summary.operations[5]).toEqual({ id: 'Op5', summary: 'Operation 5' });
    expect(listed.summary.operations[0]).toEqual({
      id: 'Op0',
      summary: 'Operation 0',
      isTrigger: true,
      usableAsAction: false,
    });
    const one = await s.connectors.withOperations<{ operations: { id: string }[] }>(env, 'big', [
      'op7',
      'Op1100',
      'Nope',
    ]);
    expect(one?.model.operations.map((o) => o.id)).toEqual(['Op7', 'Op1100']);
    expect((await s.connectors.find<{ operations: unknown[] }>(env, 'big'))?.model.operations).toEqual(operations);
    expect(
      (
        await rejection(
          s.connectors.upsert({
            environment: env,
            id: 'broken',
            displayName: 'Broken',
            model: { operations: [{ summary: 'no id' }] },
            source: 's',
            custom: true,
          }),
        )
      ).message,
    ).toContain('operation 0 of the connector model has no id');
    await s.connectors.delete(env, 'big');
    expect(await s.connectors.withOperations(env, 'big', ['Op1'])).toBeUndefined();
  });

  run('loads an operation with the shared schemas it reaches, cycles included', async () => {
    const env = unique('cmp');
    await s.environments.create({ name: env });
    const ref = (name: string) => ({ $ref: `#/components/${name.replace(/~/g, '~0').replace(/\//g, '~1')}` });
    const model = {
      id: 'graph',
      operations: [
        { id: 'GetNode', outputs: { schema: ref('Node') } },
        { id: 'GetOther', outputs: { schema: ref('a/b "odd"') } },
      ],
      components: {
        Node: { type: 'object', properties: { next: ref('Node'), edge: ref('Edge') } },
        Edge: { type: 'object', properties: { to: ref('Node') } },
        'a/b "odd"': { type: 'string' },
        Unused: { type: 'integer' },
      },
    };
    await s.connectors.upsert({
      environment: env,
      id: 'graph',
      displayName: 'Graph',
      model,
      source: 's',
      custom: true,
    });
    const one = await s.connectors.withOperations<typeof model>(env, 'graph', ['GetNode']);
    expect(Object.keys(one?.model.components ?? {}).sort()).toEqual(['Edge', 'Node']);
    const other = await s.connectors.withOperations<typeof model>(env, 'graph', ['GetOther']);
    expect(other?.model.components).toEqual({ 'a/b "odd"': { type: 'string' } });
    expect((await s.connectors.find(env, 'graph'))?.model).toEqual(model);
  });
});
