import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatchbayError } from '@patchbay/core';
import type { Store, User } from '../index.js';
import { type TestDatabase, testDialects } from '../testDialects.js';

const dialects = await testDialects();

/** Any text, including control characters, NUL and lone surrogates. */
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', 'x'.repeat(5000), 'default', "'; drop table users; --"),
);

/** Resolves, or rejects with a store PatchbayError — never a raw database error. */
async function settles(p: Promise<unknown>): Promise<'ok' | string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof PatchbayError && e.code.startsWith('store.')) return e.code;
    throw e;
  }
}

describe.each(dialects)('bad input on $name', (dialect) => {
  let db: TestDatabase;
  let s: Store;
  let owner: User;
  beforeAll(async () => {
    if (!dialect.available) return;
    db = dialect.create();
    s = await db.open();
    owner = await s.users.create({ email: 'owner@example.test' });
  });
  afterAll(async () => {
    await s?.close();
    await db?.dispose();
  });

  it.skipIf(!dialect.available)(
    'gets a clear store error or works, and secrets round-trip whatever they hold',
    async () => {
      await fc.assert(
        fc.asyncProperty(text, text, async (a, b) => {
          await settles(s.environments.create({ name: a, displayName: b }));
          await settles(s.users.create({ email: a, displayName: b }));
          await settles(
            s.references.create({
              environment: 'default',
              logicalName: a,
              connectorId: b,
              displayName: a,
              description: b,
            }),
          );
          await settles(s.envVars.define({ schemaName: a, type: 'text', defaultValue: b, description: b }));
          await settles(
            s.flows.create({
              environment: 'default',
              name: a,
              ownerId: owner.id,
              definition: { steps: [{ connector: a, connectionReference: b }] },
            }),
          );
          await settles(s.runs.create({ environment: 'default', adHocName: a, inputs: { v: b } }));
          await settles(s.solutions.create({ environment: 'default', name: a, displayName: b, flowIds: [b] }));
          const made = s.connections.create({
            environment: 'default',
            connectorId: 'ledger',
            displayName: a,
            ownerId: owner.id,
            scheme: 'apiKey',
            params: { p: b },
            secrets: { k: b, [a]: a },
            baseUrl: b,
          });
          if ((await settles(made)) === 'ok') {
            const c = await made;
            expect(await s.connections.getSecrets(c.id)).toEqual({ k: b, [a]: a });
            expect((await s.connections.get(c.id)).params).toEqual({ p: b });
          }
        }),
        { numRuns: dialect.name === 'sqlite' ? 150 : 60 },
      );
    },
  );
});
