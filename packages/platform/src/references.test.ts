/**
 * Who may create, rename, bind, unbind and delete a connection reference, and
 * what a listing shows of the flows using it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '@patchbay/store';
import { dialects, freshPlatform, ledgerOpenApi, rejection, unique } from './test-support.js';

const ledgerFlow = (name: string, reference: string) => ({
  schema: 'patchbay/flow@1' as const,
  name,
  steps: [{ connector: 'ledger', operation: 'ListEntries', connectionReference: reference, params: {} }],
});

describe.each(dialects)('connection references on $name', (dialect) => {
  let env: Awaited<ReturnType<typeof freshPlatform>>;
  let owner: User;
  let member: User;
  beforeAll(async () => {
    if (!dialect.available) return;
    env = await freshPlatform(dialect);
    const p = env.platform;
    owner = (await p.users.ensureOwner({ email: 'owner@refs.test', password: 'owner password 1' })).user;
    member = await p.users.createUser(owner, { email: 'member@refs.test', password: 'member password 1' });
    await p.connectors.import(owner, 'default', { openapi: ledgerOpenApi('http://127.0.0.1:9') });
  });
  afterAll(async () => {
    await env?.close();
  });

  const connection = async (who: User, name: string) =>
    (
      await env.platform.connections.create(who, 'default', {
        connectorId: 'ledger',
        displayName: name,
        secrets: { api_key: `key-${name}` },
      })
    ).connection.id;

  it.skipIf(!dialect.available)(
    "refuses a maker who neither created the reference nor co-owns its flows: no rebinding, renaming, unbinding or deleting the owner's",
    async () => {
      const p = env.platform;
      const ref = unique('pb_owner');
      const ownerConn = await connection(owner, unique('Owner ledger'));
      await p.references.create(owner, 'default', { logicalName: ref, connectorId: 'ledger', connectionId: ownerConn });
      const flow = await p.flows.save(owner, 'default', ledgerFlow(unique('Owner flow'), ref));
      const memberConn = await connection(member, unique('Member ledger'));

      const listed = (await p.references.list(member, 'default')).find((r) => r.logicalName === ref);
      expect(listed).toMatchObject({ usedBy: [], otherFlows: 1, canManage: false });
      expect(JSON.stringify(listed)).not.toContain(flow.name);
      expect(await p.references.usage(member, 'default', ref)).toEqual([]);
      expect((await p.references.get(owner, 'default', ref)).usedBy).toEqual([
        { flowId: flow.id, flowName: flow.name },
      ]);

      for (const attempt of [
        () => p.references.bind(member, 'default', ref, memberConn),
        () => p.references.unbind(member, 'default', ref),
        () => p.references.rename(member, 'default', ref, { displayName: 'Mine now' }),
        () => p.references.delete(member, 'default', ref),
      ]) {
        const r = await rejection(attempt());
        expect(r.code).toBe('auth.denied');
        expect(r.message).toContain(`connection reference "${ref}"`);
      }
      expect((await p.references.get(owner, 'default', ref)).connection?.id).toBe(ownerConn);
      const denied = (await p.audit.list(owner, { environment: 'default', limit: 1000 })).filter(
        (e) => e.target === ref && e.outcome === 'denied',
      );
      expect(denied.map((e) => e.action)).toEqual(
        expect.arrayContaining(['reference.bind', 'reference.unbind', 'reference.delete']),
      );

      // A co-owner of every flow that uses it may rebind it (to a connection they may use).
      await p.flows.share(owner, flow.id, member.email, 'co-owner');
      await p.references.bind(member, 'default', ref, memberConn);
      expect((await p.references.get(owner, 'default', ref)).connection?.id).toBe(memberConn);
      // Never to a connection they may not use.
      const other = await connection(owner, unique('Owner second'));
      expect((await rejection(p.references.bind(member, 'default', ref, other))).code).toBe('connection.denied');
    },
  );

  it.skipIf(!dialect.available)(
    'lets the creator and environment admins manage a reference; basic users none',
    async () => {
      const p = env.platform;
      const mine = unique('pb_member');
      const memberConn = await connection(member, unique('Member own'));
      await p.references.create(member, 'default', { logicalName: mine, connectorId: 'ledger' });
      await p.references.bind(member, 'default', mine, memberConn);
      await p.references.rename(member, 'default', mine, { displayName: 'Member ledger' });
      expect(await p.references.get(member, 'default', mine)).toMatchObject({
        displayName: 'Member ledger',
        canManage: true,
      });
      // The owner (admin of every environment) manages it too.
      await p.references.unbind(owner, 'default', mine);
      await p.references.delete(member, 'default', mine);

      const basic = await p.users.createUser(owner, {
        email: unique('basic') + '@refs.test',
        password: 'basic pw 123',
      });
      await p.roles.grant(owner, 'default', basic.email, 'user');
      expect(
        (
          await rejection(
            p.references.create(basic, 'default', { logicalName: unique('pb_basic'), connectorId: 'ledger' }),
          )
        ).code,
      ).toBe('auth.denied');
      await p.references.list(basic, 'default');
    },
  );
});
