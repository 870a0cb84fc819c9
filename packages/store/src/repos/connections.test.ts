import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store, User } from '../index.js';
import { type TestDatabase, rejection, testDialects, unique } from '../testDialects.js';

const dialects = await testDialects();

describe.each(dialects)('connections, references and environment variables on $name', (dialect) => {
  let db: TestDatabase;
  let s: Store;
  let ada: User;
  let bob: User;
  let env: string;
  beforeAll(async () => {
    if (!dialect.available) return;
    db = dialect.create();
    s = await db.open();
    ada = await s.users.create({ email: 'ada@example.test' });
    bob = await s.users.create({ email: 'bob@example.test' });
  });
  afterAll(async () => {
    await s?.close();
    await db?.dispose();
  });
  const run = it.skipIf(!dialect.available);
  const newEnv = async () => {
    env = unique('e');
    await s.environments.create({ name: env });
    return env;
  };
  const conn = (environment: string, connectorId = 'ledger', ownerId = ada.id) =>
    s.connections.create({
      environment,
      connectorId,
      displayName: `${connectorId} conn`,
      ownerId,
      scheme: 'apiKey',
      params: { region: 'eu' },
      secrets: { api_key: 'k-123' },
    });

  run('tells in one read whether a planned connection may still be used', async () => {
    await newEnv();
    const c = await conn(env);
    const ref = { environment: env, logicalName: unique('pb_ledger') };
    expect(await s.connections.usability(c.id, ada.id)).toEqual({
      status: 'connected',
      ownerId: ada.id,
      shared: false,
    });
    expect((await s.connections.usability(c.id, bob.id, ref))?.reference).toEqual({ found: false, connectionId: null });
    await s.references.create({ ...ref, connectorId: 'ledger' });
    expect((await s.connections.usability(c.id, bob.id, ref))?.reference).toEqual({ found: true, connectionId: null });
    await s.references.bind(ref.environment, ref.logicalName, c.id);
    await s.connections.share(c.id, bob.id);
    expect(await s.connections.usability(c.id, bob.id, ref)).toEqual({
      status: 'connected',
      ownerId: ada.id,
      shared: true,
      reference: { found: true, connectionId: c.id },
    });
    await s.connections.unshare(c.id, bob.id);
    expect((await s.connections.usability(c.id, bob.id))?.shared).toBe(false);
    await s.references.delete(ref.environment, ref.logicalName);
    await s.connections.delete(c.id);
    expect(await s.connections.usability(c.id, bob.id, ref)).toBeUndefined();
  });

  run('creates, reads, updates and deletes a connection without exposing secrets', async () => {
    await newEnv();
    const c = await conn(env);
    expect(c).toMatchObject({
      environment: env,
      connectorId: 'ledger',
      ownerId: ada.id,
      scheme: 'apiKey',
      params: { region: 'eu' },
      hasSecrets: true,
      status: 'connected',
      baseUrl: null,
    });
    expect(JSON.stringify(c)).not.toContain('k-123');
    expect(await s.connections.get(c.id)).toEqual(c);
    const u = await s.connections.update(c.id, {
      displayName: 'Ledger EU',
      baseUrl: 'https://ledger.example.test/v2',
      params: { region: 'us' },
    });
    expect(u).toMatchObject({
      displayName: 'Ledger EU',
      baseUrl: 'https://ledger.example.test/v2',
      params: { region: 'us' },
    });
    expect((await rejection(s.connections.update(c.id, { baseUrl: 'ftp://x' }))).code).toBe('store.invalid');
    expect((await s.connections.getWithSecrets(c.id)).secrets).toEqual({ api_key: 'k-123' });
    await s.connections.delete(c.id);
    expect((await rejection(s.connections.get(c.id))).code).toBe('store.not_found');
    expect((await rejection(s.connections.getSecrets(c.id))).code).toBe('store.not_found');
  });

  run('replaces, merges and removes secrets and records token expiry', async () => {
    await newEnv();
    const c = await conn(env);
    await s.connections.setSecrets(
      c.id,
      { access_token: 'a1', refresh_token: 'r1' },
      { merge: true, tokenExpiresAt: '2030-01-01T00:00:00.000Z' },
    );
    expect(await s.connections.getSecrets(c.id)).toEqual({ api_key: 'k-123', access_token: 'a1', refresh_token: 'r1' });
    expect((await s.connections.get(c.id)).tokenExpiresAt).toBe('2030-01-01T00:00:00.000Z');
    await s.connections.setSecrets(c.id, { refresh_token: '' }, { merge: true });
    expect(await s.connections.getSecrets(c.id)).toEqual({ api_key: 'k-123', access_token: 'a1' });
    const cleared = await s.connections.setSecrets(c.id, {});
    expect(cleared.hasSecrets).toBe(false);
    expect(await s.connections.getSecrets(c.id)).toEqual({});
    expect((await rejection(s.connections.setSecrets(c.id, { n: 5 as unknown as string }))).code).toBe('store.invalid');
    expect((await rejection(s.connections.setSecrets(c.id, {}, { tokenExpiresAt: 'soon' }))).code).toBe(
      'store.invalid',
    );
    expect(
      (await s.connections.setSecrets(c.id, {}, { tokenExpiresAt: '2031-05-01T10:00:00+02:00' })).tokenExpiresAt,
    ).toBe('2031-05-01T08:00:00.000Z');
  });

  run('records status with reason and time', async () => {
    await newEnv();
    const c = await conn(env);
    const e = await s.connections.setStatus(c.id, 'needs-reauth', 'invalid_grant: refresh token revoked');
    expect(e).toMatchObject({ status: 'needs-reauth', statusReason: 'invalid_grant: refresh token revoked' });
    expect(await s.connections.getSecrets(c.id)).toEqual({ api_key: 'k-123' });
    expect((await rejection(s.connections.setStatus(c.id, 'broken' as 'error'))).code).toBe('store.invalid');
    expect((await s.connections.setStatus(c.id, 'connected')).statusReason).toBeNull();
    // A provider's long or odd error text is stored shortened, never refused.
    const long = await s.connections.setStatus(c.id, 'error', `<html>\u0000${'x'.repeat(5000)}`);
    expect(long.status).toBe('error');
    expect(long.statusReason!.length).toBeLessThanOrEqual(1000);
  });

  run('shares for use only and lists what a user may use', async () => {
    await newEnv();
    const mine = await conn(env);
    const theirs = await conn(env, 'ledger', bob.id);
    expect(await s.connections.canUse(theirs.id, ada.id)).toBe(false);
    expect((await s.connections.list({ environment: env, usableBy: ada.id })).map((c) => c.id)).toEqual([mine.id]);
    await s.connections.share(theirs.id, ada.id);
    await s.connections.share(theirs.id, ada.id);
    expect(await s.connections.canUse(theirs.id, ada.id)).toBe(true);
    expect((await s.connections.shares(theirs.id)).map((x) => [x.userId, x.permission])).toEqual([[ada.id, 'use']]);
    expect((await s.connections.list({ environment: env, usableBy: ada.id })).map((c) => c.id).sort()).toEqual(
      [mine.id, theirs.id].sort(),
    );
    expect((await s.connections.list({ environment: env, ownerId: bob.id })).map((c) => c.id)).toEqual([theirs.id]);
    await s.connections.unshare(theirs.id, ada.id);
    expect(await s.connections.canUse(theirs.id, ada.id)).toBe(false);
    expect((await rejection(s.connections.share(theirs.id, 'usr_nobody'))).code).toBe('store.not_found');
  });

  run('binds references per environment, only to a connection of the same connector there', async () => {
    const dev = await newEnv();
    const prod = await newEnv();
    await s.references.create({
      environment: dev,
      logicalName: 'pb_ledger',
      connectorId: 'ledger',
      displayName: 'Ledger',
    });
    await s.references.create({ environment: prod, logicalName: 'pb_ledger', connectorId: 'ledger' });
    expect(
      (await rejection(s.references.create({ environment: dev, logicalName: 'pb_ledger', connectorId: 'ledger' })))
        .code,
    ).toBe('store.conflict');
    const devConn = await conn(dev);
    const prodConn = await conn(prod);
    const mail = await conn(prod, 'office365');
    expect((await s.references.bind(dev, 'pb_ledger', devConn.id, { boundBy: ada.id })).connectionId).toBe(devConn.id);
    const otherEnv = await rejection(s.references.bind(prod, 'pb_ledger', devConn.id));
    expect(otherEnv.code).toBe('store.invalid');
    expect(otherEnv.message).toContain(dev);
    const otherConnector = await rejection(s.references.bind(prod, 'pb_ledger', mail.id));
    expect(otherConnector.code).toBe('store.invalid');
    expect(otherConnector.message).toContain('office365');
    await s.references.bind(prod, 'pb_ledger', prodConn.id);
    expect((await s.references.get(dev, 'pb_ledger')).connectionId).toBe(devConn.id);
    expect((await s.references.get(prod, 'pb_ledger')).connectionId).toBe(prodConn.id);
    // Rebinding is one update of the reference.
    const second = await conn(prod);
    await s.references.bind(prod, 'pb_ledger', second.id);
    expect((await s.references.get(prod, 'pb_ledger')).connectionId).toBe(second.id);
    expect((await s.references.unbind(prod, 'pb_ledger')).connectionId).toBeNull();
    expect((await rejection(s.references.bind(prod, 'nope', second.id))).code).toBe('store.not_found');
    expect((await rejection(s.references.bind(prod, 'pb_ledger', 'conn_missing'))).code).toBe('store.not_found');
  });

  run('refuses to delete a bound connection unless forced, and lists what it unbinds', async () => {
    await newEnv();
    const c = await conn(env);
    await s.references.create({ environment: env, logicalName: 'pb_a', connectorId: 'ledger' });
    await s.references.create({ environment: env, logicalName: 'pb_b', connectorId: 'ledger' });
    await s.references.bind(env, 'pb_a', c.id);
    await s.references.bind(env, 'pb_b', c.id);
    expect(await s.connections.bindings(c.id)).toEqual([
      { environment: env, logicalName: 'pb_a' },
      { environment: env, logicalName: 'pb_b' },
    ]);
    const refused = await rejection(s.connections.delete(c.id));
    expect(refused.code).toBe('store.conflict');
    expect(refused.message).toContain('pb_a');
    expect(refused.hint).toContain('--force');
    expect(await s.connections.delete(c.id, { force: true })).toEqual({
      unbound: [
        { environment: env, logicalName: 'pb_a' },
        { environment: env, logicalName: 'pb_b' },
      ],
    });
    expect((await s.references.get(env, 'pb_a')).connectionId).toBeNull();
  });

  run('keeps reference usage current on every flow save and refuses deleting a used reference', async () => {
    await newEnv();
    await s.references.create({ environment: env, logicalName: 'pb_ledger', connectorId: 'ledger' });
    await s.references.create({ environment: env, logicalName: 'pb_mail', connectorId: 'office365' });
    const step = (ref: string, connector: string) => ({
      connector,
      operation: 'Op',
      connectionReference: ref,
      params: {},
    });
    const flow = await s.flows.create({
      environment: env,
      name: 'Report',
      ownerId: ada.id,
      definition: {
        schema: 'patchbay/flow@1',
        name: 'Report',
        steps: [step('pb_ledger', 'ledger'), { action: 'If', params: {}, then: [step('pb_mail', 'office365')] }],
      },
    });
    expect((await s.references.usage(env, 'pb_mail')).map((u) => u.flowName)).toEqual(['Report']);
    const refused = await rejection(s.references.delete(env, 'pb_mail'));
    expect(refused.code).toBe('store.conflict');
    expect(refused.message).toContain('Report');
    await s.flows.saveVersion(flow.id, {
      authorId: ada.id,
      definition: { schema: 'patchbay/flow@1', name: 'Report', steps: [step('pb_ledger', 'ledger')] },
    });
    expect(await s.references.usage(env, 'pb_mail')).toEqual([]);
    expect(await s.flows.referenceUsage(flow.id)).toEqual([{ logicalName: 'pb_ledger', connectorId: 'ledger' }]);
    await s.references.delete(env, 'pb_mail');
    expect(await s.references.find(env, 'pb_mail')).toBeUndefined();
    const mixed = await rejection(
      s.flows.saveVersion(flow.id, {
        authorId: ada.id,
        definition: { steps: [step('pb_ledger', 'ledger'), step('pb_ledger', 'office365')] },
      }),
    );
    expect(mixed.code).toBe('store.invalid');
    expect(mixed.message).toContain('/steps/1');
    expect((await s.flows.get(flow.id)).currentVersion).toBe(2);
  });

  run('upserts references for imports, refusing a change of connector', async () => {
    await newEnv();
    expect(
      (await s.references.upsert({ environment: env, logicalName: 'pb_x', connectorId: 'ledger', displayName: 'X' }))
        .created,
    ).toBe(true);
    const again = await s.references.upsert({
      environment: env,
      logicalName: 'pb_x',
      connectorId: 'ledger',
      description: 'Ledger books',
    });
    expect(again).toMatchObject({ created: false, reference: { displayName: 'X', description: 'Ledger books' } });
    expect(
      (await rejection(s.references.upsert({ environment: env, logicalName: 'pb_x', connectorId: 'office365' }))).code,
    ).toBe('store.conflict');
    expect((await s.references.update(env, 'pb_x', { displayName: 'Ledger' })).displayName).toBe('Ledger');
    expect((await s.references.list(env, { connectorId: 'ledger' })).map((r) => r.logicalName)).toEqual(['pb_x']);
    expect(
      (await rejection(s.references.create({ environment: env, logicalName: 'has space', connectorId: 'ledger' })))
        .code,
    ).toBe('store.invalid');
  });

  run('holds environment variables per environment, sealing secret values', async () => {
    const dev = await newEnv();
    const prod = await newEnv();
    const name = unique('pb_limit');
    await s.envVars.define({ schemaName: name, type: 'number', defaultValue: 10, displayName: 'Limit' });
    await s.envVars.define({ schemaName: `${name}_key`, type: 'secret' });
    await s.envVars.define({ schemaName: `${name}_cfg`, type: 'json', defaultValue: { a: [1, 2] } });
    expect((await rejection(s.envVars.define({ schemaName: name, type: 'text' }))).code).toBe('store.conflict');
    expect(
      (await rejection(s.envVars.define({ schemaName: `${name}_s2`, type: 'secret', defaultValue: 'x' }))).code,
    ).toBe('store.invalid');
    expect((await rejection(s.envVars.setValue(prod, name, 'many'))).code).toBe('store.invalid');
    await s.envVars.setValue(prod, name, 500);
    await s.envVars.setValue(prod, `${name}_key`, 'prod-key-999');
    const devValues = await s.envVars.resolve(dev);
    expect(devValues.values[name]).toBe(10);
    expect(devValues.values[`${name}_cfg`]).toEqual({ a: [1, 2] });
    expect(devValues.values[`${name}_key`]).toBeUndefined();
    const prodValues = await s.envVars.resolve(prod);
    expect(prodValues.values[name]).toBe(500);
    expect(prodValues.values[`${name}_key`]).toBe('prod-key-999');
    expect(prodValues.secretNames).toContain(`${name}_key`);
    const listed = await s.envVars.list(prod);
    expect(listed.find((e) => e.schemaName === `${name}_key`)).toMatchObject({
      hasValue: true,
      value: undefined,
      type: 'secret',
    });
    expect(JSON.stringify(listed)).not.toContain('prod-key-999');
    await s.envVars.clearValue(prod, name);
    expect((await s.envVars.resolve(prod)).values[name]).toBe(10);
    expect(
      (await s.envVars.upsertDefinition({ schemaName: name, type: 'number', defaultValue: 20 })).defaultValue,
    ).toBe(20);
    expect((await rejection(s.envVars.upsertDefinition({ schemaName: name, type: 'text' }))).code).toBe(
      'store.conflict',
    );
    await s.envVars.deleteDefinition(`${name}_key`);
    expect((await rejection(s.envVars.getDefinition(`${name}_key`))).code).toBe('store.not_found');
    expect((await rejection(s.envVars.setValue('nowhere', name, 1))).code).toBe('store.not_found');
  });
});
