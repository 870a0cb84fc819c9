import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveOperation } from '@patchbay/connectors';
import { dialects, freshPlatform } from './test-support.js';

/** An API with `n` operations sharing one schema that refers to itself. */
function wideApi(n: number): string {
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < n; i++)
    paths[`/items${i}/{id}`] = {
      get: {
        operationId: `GetItem${i}`,
        summary: `Get item ${i}`,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } },
          },
        },
      },
    };
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'Wide', version: '1' },
    servers: [{ url: 'https://wide.example.test' }],
    components: {
      securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' } },
      schemas: {
        Item: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            parent: { $ref: '#/components/schemas/Item' },
            tags: { type: 'array', items: { $ref: '#/components/schemas/Tag' } },
          },
        },
        Tag: { type: 'object', properties: { label: { type: 'string' } } },
      },
    },
    security: [{ key: [] }],
    paths,
  });
}

describe.each(dialects)('connector summaries on $name', (dialect) => {
  let env: Awaited<ReturnType<typeof freshPlatform>>;
  beforeAll(async () => {
    if (dialect.available) env = await freshPlatform(dialect);
  });
  afterAll(async () => {
    await env?.close();
  });

  it.skipIf(!dialect.available)(
    'lists summaries with counts and auth kinds, and loads one operation with the schemas it uses',
    async () => {
      const p = env.platform;
      const { user: me } = await p.users.ensureOwner({ email: 'sum@example.com', password: 'correct horse battery' });
      await p.connectors.import(me, 'default', { openapi: wideApi(1000) });
      const listed = (await p.connectors.list(me, 'default')).find((c) => c.id === 'wide')!;
      expect(listed.counts).toEqual({ operations: 1000, actions: 1000, triggers: 0 });
      expect(listed.authKinds).toEqual(['apiKey']);
      expect(listed.owner?.email).toBe('sum@example.com');
      expect(listed.operations[999]).toEqual({ id: 'GetItem999', summary: 'Get item 999' });
      expect(listed.builtin).toBe(false);

      const one = await p.connectors.withOperations(me, 'default', 'wide', ['GetItem42']);
      expect(one.operations.map((o) => o.id)).toEqual(['GetItem42']);
      expect(Object.keys(one.components ?? {}).sort()).toEqual(['Item', 'Tag']);
      expect(resolveOperation(one, one.operations[0]).outputs.fields.map((f) => f.key)).toContain('body/tags/label');

      const catalog = await p.connectors.catalog(me, 'default', [{ connector: 'wide', operation: 'GetItem7' }]);
      const action = catalog.getOperation('wide', 'GetItem7');
      expect(action?.produces?.find((o) => o.key === 'body')?.type).toBe('object');
      expect(catalog.listOperations?.('wide')).toHaveLength(1000);
      expect(catalog.listConnectors?.()).toContain('wide');

      const whole = await p.connectors.get(me, 'default', 'wide');
      expect(whole.operations).toHaveLength(1000);

      // The listing follows re-imports, new owners and deletions.
      await p.connectors.import(me, 'default', { openapi: wideApi(3) });
      const again = (await p.connectors.list(me, 'default')).find((c) => c.id === 'wide')!;
      expect(again.counts.operations).toBe(3);
      await p.store.users.create({ email: 'co@example.com' });
      await p.connectors.addCoOwner(me, 'default', 'wide', 'co@example.com');
      const shared = (await p.connectors.list(me, 'default')).find((c) => c.id === 'wide')!;
      expect(shared.coOwners?.map((o) => o.email)).toEqual(['co@example.com']);
      await p.connectors.delete(me, 'default', 'wide');
      expect((await p.connectors.list(me, 'default')).map((c) => c.id)).not.toContain('wide');
    },
  );
});
