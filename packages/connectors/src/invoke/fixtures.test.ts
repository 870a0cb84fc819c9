import { fileURLToPath } from 'node:url';
/**
 * Every Power Platform fixture that imports: a sample of its operations (the
 * first GET and the first POST that are usable actions) is invoked against a
 * local server, which must receive what the definition says — method, path,
 * query, headers (auth and policies) and body — and no secret may reach the
 * request record or the logs.
 */
import { resolveConnector } from '../resolve-operation.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPatchbayError, type Logger, type ResolvedConnection, type Value } from '@patchbay/core';
import { importConnector } from '../import/index.js';
import type { Connector, Operation, OperationInput } from '../model.js';
import { toJson, wireTexts } from './encode.js';
import { invokeOperation } from './invoke.js';
import { closeConnectorPools } from './pool.js';
import { json, startServer, type TestServer } from './testing.js';

const ROOT = fileURLToPath(new URL('../../../../fixtures/power-platform-connectors', import.meta.url));
const CANARY = 'CANARY-9c1e-secret';
const folders = ['certified-connectors', 'custom-connectors', 'independent-publisher-connectors'].flatMap((g) =>
  readdirSync(join(ROOT, g)).map((n) => join(ROOT, g, n)),
);

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_q, res) => json(res, 200, { ok: true }));
});
afterAll(async () => {
  await closeConnectorPools();
  await server.close();
});

function sample(input: OperationInput): Value {
  if (input.enum?.length) return input.enum[0] as Value;
  switch (input.type) {
    case 'integer':
    case 'number':
      return 3;
    case 'boolean':
      return true;
    case 'array':
      return ['a1', 'b2'];
    case 'object':
      return { k: 'v' };
    case 'file':
      return new Uint8Array([1, 2, 3]);
    default:
      if (input.format === 'date-time') return '2024-01-02T03:04:05Z';
      if (input.format === 'email') return 'ada@example.com';
      return `v ${input.wireName.replace(/[^A-Za-z0-9]/g, '')}/1`;
  }
}

function connectionFor(c: Connector, op: Operation): ResolvedConnection {
  const scheme = c.authSchemes[0];
  const params: Record<string, unknown> = {};
  for (const p of scheme.parameters) params[p.name] = p.secret ? `${CANARY}-${p.name}` : `p-${p.name}`;
  if (scheme.apiKey) params[scheme.apiKey.parameter] = `${CANARY}-key`;
  for (const m of JSON.stringify(op.policies).matchAll(/@connectionParameters\('([^']+)'/g))
    params[m[1]] ??= `cp${m[1].replace(/[^A-Za-z0-9]/g, '')}`;
  return {
    connectionId: 'fixture',
    connectorId: c.id,
    scheme: scheme.name,
    params,
    baseUrl: server.url,
    getAccessToken: async () => `${CANARY}-token`,
  };
}

function valuesFor(op: Operation): Record<string, Value> {
  const params: Record<string, Value> = {};
  for (const i of op.inputs) if (i.required && i.default === undefined) params[i.name] = sample(i);
  const optionalQuery = op.inputs.find((i) => i.in === 'query' && !i.required && i.default === undefined);
  if (optionalQuery) params[optionalQuery.name] = sample(optionalQuery);
  return params;
}

function at(v: unknown, path: string[]): unknown {
  return path.reduce<unknown>(
    (n, k) => (n && typeof n === 'object' ? (n as Record<string, unknown>)[k] : undefined),
    v,
  );
}

const usable = (op: Operation): boolean => op.usableAsAction && !op.needsCustomCode;

describe.each(folders.map((f) => [f.slice(ROOT.length + 1), f]))('%s', (_name, folder) => {
  let connector: Connector | undefined;
  beforeAll(async () => {
    try {
      connector = resolveConnector(await importConnector(folder));
    } catch (e) {
      if (!isPatchbayError(e)) throw e; // a broken definition gives the importer's own error (tested there)
    }
  });

  it('sends what the definition says for its first GET and first POST', async (ctx) => {
    if (!connector) return ctx.skip();
    const c = connector;
    const ops = [
      c.operations.find((o) => o.method === 'GET' && usable(o)),
      c.operations.find((o) => o.method === 'POST' && usable(o)),
    ].filter((o): o is Operation => o !== undefined);
    if (ops.length === 0) return ctx.skip();
    const logs: string[] = [];
    const log = (m: string, d?: Record<string, unknown>): void => void logs.push(m + JSON.stringify(d ?? {}));
    const logger: Logger = { debug: log, info: log, warn: log, error: log };
    for (const op of ops) {
      const params = valuesFor(op);
      const connection = connectionFor(c, op);
      const before = server.received.length;
      const result = await invokeOperation({
        connector: c,
        operation: op.id,
        params,
        connection,
        logger,
        retry: { count: 0 },
      });
      expect(server.received.length - before, op.id).toBe(1);
      const got = server.received.at(-1)!;
      const routed = op.policies.some((p) => p.templateId === 'routerequesttoendpoint');
      const policyHeaders = new Set(
        op.policies
          .filter((p) => p.templateId === 'setheader')
          .map((p) => String(p.parameters['x-ms-apimTemplateParameter.name']).toLowerCase()),
      );
      const policyQuery = new Set(
        op.policies
          .filter((p) => p.templateId === 'setqueryparameter')
          .map((p) => String(p.parameters['x-ms-apimTemplateParameter.name'])),
      );

      expect(got.method, op.id).toBe(routed ? got.method : op.method);
      if (!routed) {
        const basePath = new URL(c.baseUrl.replace(/\{[^}]+\}/g, 'x')).pathname.replace(/\/$/, '');
        const expected =
          basePath +
          op.path.replace(/\{([^}]+)\}/g, (_w, n: string) => {
            const input = op.inputs.find((i) => i.in === 'path' && i.wireName === n)!;
            const v = params[input.name] ?? (input.default as Value);
            const once = encodeURIComponent(String(v));
            return input.urlEncoding === 'double' ? encodeURIComponent(once) : once;
          });
        expect(encodeURI(decodeURI(got.path)), `${op.id} path`).toBe(encodeURI(decodeURI(expected)));
      }
      for (const input of op.inputs) {
        const v =
          input.name in params
            ? params[input.name]
            : input.required || input.visibility === 'internal'
              ? (input.default as Value | undefined)
              : undefined;
        if (v === undefined || v === null) continue;
        if (input.in === 'query' && !policyQuery.has(input.wireName))
          expect(got.query.getAll(input.wireName), `${op.id} query ${input.wireName}`).toEqual(wireTexts(input, v));
        if (input.in === 'header' && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(input.wireName))
          expect(logs.join('\n'), `${op.id} unsendable header warning`).toContain(`"${input.wireName}"`);
        else if (input.in === 'header' && !policyHeaders.has(input.wireName.toLowerCase()))
          expect(got.headers[input.wireName.toLowerCase()], `${op.id} header ${input.wireName}`).toBe(
            wireTexts(input, v).join(','),
          );
        if (input.in === 'body' && op.bodyKind === 'json') {
          const body = JSON.parse(got.body.toString()) as unknown;
          expect(input.bodyPath?.length ? at(body, input.bodyPath) : body, `${op.id} body ${input.key}`).toEqual(
            input.bodyPath?.length || input.isWholeBody ? toJson(v) : expect.anything(),
          );
        }
      }
      for (const name of policyHeaders) expect(got.headers[name], `${op.id} policy header ${name}`).toBeDefined();
      for (const name of policyQuery) expect(got.query.has(name), `${op.id} policy query ${name}`).toBe(true);

      const scheme = c.authSchemes.find((s) => s.name === connection.scheme)!;
      const noAuth = op.authSchemes !== undefined && op.authSchemes.length === 0;
      if (!noAuth && scheme.type === 'apiKey' && scheme.apiKey) {
        const key = String(connection.params[scheme.apiKey.parameter]);
        if (scheme.apiKey.in === 'header') expect(got.headers[scheme.apiKey.name.toLowerCase()]).toBe(key);
        if (scheme.apiKey.in === 'query') expect(got.query.get(scheme.apiKey.name)).toBe(key);
      }
      if (!noAuth && scheme.type === 'basic')
        expect(got.headers.authorization).toBe(
          `Basic ${Buffer.from(`${String(connection.params.username)}:${String(connection.params.password)}`).toString('base64')}`,
        );
      if (!noAuth && scheme.type === 'oauth2') expect(got.headers.authorization).toBe(`Bearer ${CANARY}-token`);

      expect(result.status).toBe(200);
      expect(JSON.stringify(result.request), `${op.id} request record`).not.toContain(CANARY);
    }
    expect(logs.join('\n')).not.toContain(CANARY);
  });

  it('refuses operations covered by its custom code script', async (ctx) => {
    const op = connector?.operations.find((o) => o.needsCustomCode);
    if (!connector || !op) return ctx.skip();
    await expect(
      invokeOperation({ connector, operation: op.id, params: valuesFor(op), connection: connectionFor(connector, op) }),
    ).rejects.toMatchObject({ code: 'connector.unsupported' });
  });
});
