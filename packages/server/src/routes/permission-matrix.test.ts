/**
 * The permission matrix, generated from the routes' own declarations
 * (`config: { access, permission }`, see http/permissions.ts): every route is
 * called through the real HTTP server as the instance owner, an environment
 * admin, a maker, a basic user, a user of another environment and an
 * anonymous caller, on SQLite and PostgreSQL. A route without a declaration
 * fails here. The resources the routes act on belong to the instance owner in
 * environment `team`; its connection and flow are shared with the basic user
 * (for use, and to run).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import type { User } from '@patchbay/store';
import { testDialects, type TestDatabase } from '../../../store/src/testDialects.js';
import { PERMISSIONS, type Permission } from '../http/permissions.js';
import { countingFlow, echoFlow, echoOpenApi, startEchoApi, testServer, type TestServer } from '../test-support.js';

const dialects = await testDialects();
const ACTORS = ['anonymous', 'outsider', 'basic', 'maker', 'admin', 'owner'] as const;
type ActorKey = (typeof ACTORS)[number];
const CANARY = 'canary-matrix-key-5f1c07';

/** Who holds each right over the fixture below (owner's resources in `team`, shared with the basic user). */
const ALLOWED: Record<Permission, readonly ActorKey[]> = {
  public: ACTORS,
  'signed-in': ['outsider', 'basic', 'maker', 'admin', 'owner'],
  'env.list': ['outsider', 'basic', 'maker', 'admin', 'owner'],
  'env.read': ['basic', 'maker', 'admin', 'owner'],
  'env.make': ['maker', 'admin', 'owner'],
  'env.admin': ['admin', 'owner'],
  'instance.owner': ['owner'],
  'roles.read': ['admin', 'owner'],
  'audit.read': ['admin', 'owner'],
  'policy.manage': ['admin', 'owner'],
  'connection.use': ['basic', 'owner'],
  'connection.owner': ['owner'],
  'connector.manage': ['admin', 'owner'],
  'reference.manage': ['admin', 'owner'],
  'flow.read': ['basic', 'owner'],
  'flow.run': ['basic', 'owner'],
  'flow.edit': ['owner'],
  'flow.owner': ['owner'],
  'run.read': ['owner'],
  'machine.token': [],
};

interface Call {
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
  multipart?: { name: string; bytes: Uint8Array }[];
  zip?: Uint8Array;
}
interface RouteSpec {
  /** Run before each call (re-creates what a destructive call removes); returns the call's details. */
  prepare?: (who: ActorKey) => Promise<Call> | Call;
}

function multipartBody(parts: { name: string; bytes: Uint8Array }[]): { body: Buffer; type: string } {
  const boundary = `----patchbay${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts)
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.name}.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.from(p.bytes),
      Buffer.from('\r\n'),
    );
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

describe.each(dialects)('the permission matrix on $name', (dialect) => {
  let s: TestServer;
  let db: TestDatabase | undefined;
  let base: string;
  let echo: Awaited<ReturnType<typeof startEchoApi>>;
  const users = {} as Record<Exclude<ActorKey, 'anonymous'> | 'spare', User>;
  const tokens = {} as Record<Exclude<ActorKey, 'anonymous'>, string>;
  const own = {} as Record<'admin' | 'maker' | 'basic', { connection: string; flow?: string }>;
  const fx = {} as { connection: string; flow: string; refFlow: string; run: string; zip: Uint8Array };
  let n = 0;
  const uniq = (p: string) => `${p}${++n}`;

  beforeAll(async () => {
    if (!dialect.available) return;
    db = dialect.name === 'postgres' ? dialect.create() : undefined;
    s = await testServer(db ? { platformOptions: { store: await db.open() } } : {});
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    const address = s.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    echo = await startEchoApi();
    const p = s.platform;
    const owner = s.owner;
    users.owner = owner;
    await p.environments.create(owner, 'team');
    await p.environments.create(owner, 'other');
    await p.environments.create(owner, 'src');
    for (const k of ['admin', 'maker', 'basic', 'outsider', 'spare'] as const)
      users[k] = await p.users.createUser(owner, { email: `${k}@matrix.test`, password: `${k} password 1` });
    await p.roles.grant(owner, 'team', users.admin.email, 'admin');
    await p.roles.grant(owner, 'team', users.maker.email, 'maker');
    await p.roles.grant(owner, 'team', users.basic.email, 'user');
    await p.roles.grant(owner, 'team', users.spare.email, 'user');
    await p.roles.grant(owner, 'other', users.outsider.email, 'maker');
    for (const k of ['owner', 'admin', 'maker', 'basic', 'outsider'] as const)
      tokens[k] = (await p.users.createToken(users[k], 'matrix')).token;

    await p.connectors.import(owner, 'team', { openapi: echoOpenApi(echo.url) });
    const conn = async (who: User, name: string) =>
      (
        await p.connections.create(who, 'team', {
          connectorId: 'echo',
          displayName: name,
          secrets: { api_key: who.id === owner.id ? CANARY : `key-${name}` },
        })
      ).connection.id;
    fx.connection = await conn(owner, 'Owner echo');
    await p.connections.share(owner, fx.connection, users.basic.email);
    for (const k of ['admin', 'maker', 'basic'] as const) own[k] = { connection: await conn(users[k], `${k} echo`) };
    await p.references.create(owner, 'team', {
      logicalName: 'pb_team',
      connectorId: 'echo',
      connectionId: fx.connection,
    });
    const flow = await p.flows.save(owner, 'team', countingFlow('Team flow') as never);
    fx.flow = flow.id;
    await p.flows.share(owner, flow.id, users.basic.email, 'run-only');
    // A flow that uses the reference, for embedding a connection in it.
    fx.refFlow = (await p.flows.save(owner, 'team', echoFlow('Reference flow', 'pb_team') as never)).id;
    for (const k of ['admin', 'maker'] as const) {
      own[k].flow = (await p.flows.save(users[k], 'team', countingFlow(`${k} flow`) as never)).id;
      await p.solutions.create(users[k], 'team', `Sol_${k}`, [own[k].flow as string]);
    }
    await p.solutions.create(owner, 'team', 'Sol_owner', [fx.flow]);
    fx.run = (await p.runs.start(owner, { flowId: fx.flow, inputs: { Start: 1 } })).id;
    await p.envVars.define(owner, { schemaName: 'pb_Region', type: 'text' });
    await p.policies.apply(owner, { name: 'TeamPolicy', environments: ['team'] });
    const shipped = await p.flows.save(owner, 'src', countingFlow('Shipped flow') as never);
    await p.solutions.create(owner, 'src', 'Shipment', [shipped.id]);
    fx.zip = await p.solutions.exportZip(owner, 'src', 'Shipment');
  }, 120_000);

  afterAll(async () => {
    await echo?.close();
    await s?.close();
    await db?.dispose();
  });

  const p = () => s.platform;
  const tokenOf = async (who: ActorKey) =>
    who === 'anonymous' ? 'tok_unknown' : (await p().users.createToken(users[who], uniq('t'))).record.id;

  const SPECS: Record<string, RouteSpec> = {
    'POST /api/auth/login': { prepare: () => ({ body: { email: 'spare@matrix.test', password: 'spare password 1' } }) },
    'POST /api/auth/tokens': { prepare: () => ({ body: { name: uniq('token') } }) },
    'DELETE /api/auth/tokens/:id': { prepare: async (who) => ({ params: { id: await tokenOf(who) } }) },
    'POST /api/users': {
      prepare: () => ({ body: { email: `${uniq('new')}@matrix.test`, password: 'a password 12', role: 'member' } }),
    },
    'POST /api/environments': { prepare: () => ({ body: { name: uniq('env') } }) },
    'PUT /api/envs/:env/variables/:schemaName': {
      prepare: () => ({ params: { schemaName: 'pb_Region' }, body: { value: 'eu' } }),
    },
    'PUT /api/envs/:env/roles': { prepare: () => ({ body: { email: 'spare@matrix.test', role: 'user' } }) },
    'DELETE /api/envs/:env/roles/:email': {
      prepare: async () => {
        await p().roles.grant(users.owner, 'team', users.spare.email, 'user');
        return { params: { email: 'spare@matrix.test' } };
      },
    },
    'POST /api/envs/:env/connections': {
      prepare: () => ({ body: { connectorId: 'echo', displayName: uniq('Conn'), secrets: { api_key: 'k' } } }),
    },
    'PATCH /api/connections/:id': { prepare: () => ({ body: { displayName: 'Owner echo' } }) },
    'POST /api/connections/:id/reconnect': { prepare: () => ({ body: { secrets: { api_key: CANARY } } }) },
    'POST /api/connections/:id/shares': { prepare: () => ({ body: { email: 'spare@matrix.test' } }) },
    'DELETE /api/connections/:id/shares/:userId': {
      prepare: async () => {
        await p().connections.share(users.owner, fx.connection, users.spare.email);
        return { params: { userId: users.spare.id } };
      },
    },
    'DELETE /api/connections/:id': {
      prepare: async () => {
        const c = await p().connections.create(users.owner, 'team', {
          connectorId: 'echo',
          displayName: uniq('Spare'),
          secrets: { api_key: 'spare' },
        });
        return { params: { id: c.connection.id } };
      },
    },
    'POST /api/envs/:env/connectors': {
      prepare: (who) => ({ body: { openapi: echoOpenApi(echo.url).replace('"Echo"', `"Echo ${who}"`) } }),
    },
    'DELETE /api/envs/:env/connectors/:id': {
      prepare: async () => {
        const id = uniq('spareecho');
        await p().connectors.import(users.owner, 'team', { openapi: echoOpenApi(echo.url) }, { id });
        return { params: { id } };
      },
    },
    'POST /api/envs/:env/connectors/:id/owners': { prepare: () => ({ body: { email: 'spare@matrix.test' } }) },
    'DELETE /api/envs/:env/connectors/:id/owners/:email': {
      prepare: async () => {
        await p().connectors.addCoOwner(users.owner, 'team', 'echo', users.spare.email);
        return { params: { email: 'spare@matrix.test' } };
      },
    },
    'POST /api/envs/:env/connectors/:id/operations/:operationId/dynamic-values': {
      prepare: () => ({ body: { parameter: 'q', connectionId: fx.connection } }),
    },
    'POST /api/envs/:env/connectors/:id/operations/:operationId/dynamic-schema': {
      prepare: () => ({ body: { connectionId: fx.connection } }),
    },
    'POST /api/envs/:env/flows': { prepare: () => ({ body: { definition: countingFlow(uniq('New flow')) } }) },
    'POST /api/flows/:id/edits': {
      prepare: async () => ({ body: { baseVersion: (await p().store.flows.get(fx.flow)).currentVersion, edits: [] } }),
    },
    'PUT /api/flows/:id': {
      prepare: async () => ({
        body: {
          baseVersion: (await p().store.flows.get(fx.flow)).currentVersion,
          definition: countingFlow('Team flow'),
        },
      }),
    },
    'PATCH /api/flows/:id': { prepare: () => ({ body: { enabled: true } }) },
    'DELETE /api/flows/:id': {
      prepare: async () => ({
        params: { id: (await p().flows.save(users.owner, 'team', countingFlow(uniq('Doomed')) as never)).id },
      }),
    },
    'POST /api/flows/:id/validate': { prepare: () => ({ body: { definition: countingFlow('Team flow') } }) },
    'POST /api/flows/:id/shares': { prepare: () => ({ body: { email: 'spare@matrix.test', role: 'run-only' } }) },
    'DELETE /api/flows/:id/shares/:userId': {
      prepare: async () => {
        await p().flows.share(users.owner, fx.flow, users.spare.email, 'run-only');
        return { params: { userId: users.spare.id } };
      },
    },
    'POST /api/flows/:id/embedded-references': {
      prepare: () => ({ params: { id: fx.refFlow }, body: { logicalName: 'pb_team', connectionId: fx.connection } }),
    },
    'DELETE /api/flows/:id/embedded-references/:logicalName': {
      prepare: async () => {
        await p().flows.embedReference(users.owner, fx.refFlow, 'pb_team', fx.connection);
        return { params: { id: fx.refFlow, logicalName: 'pb_team' } };
      },
    },
    'GET /api/policies/_connectors': { prepare: () => ({ query: 'env=team' }) },
    'POST /api/policies': { prepare: () => ({ body: { name: 'TeamPolicy', environments: ['team'] } }) },
    'DELETE /api/policies/:name': {
      prepare: async () => {
        await p().policies.apply(users.owner, { name: 'SparePolicy', environments: ['team'] });
        return { params: { name: 'SparePolicy' } };
      },
    },
    'POST /api/policies/_check': { prepare: () => ({ body: { env: 'team', definition: countingFlow('Checked') } }) },
    'POST /api/envs/:env/references': {
      prepare: () => ({ body: { logicalName: uniq('pb_new'), displayName: 'New', connectorId: 'echo' } }),
    },
    'PATCH /api/envs/:env/references/:logicalName': { prepare: () => ({ body: { displayName: 'Team echo' } }) },
    'PUT /api/envs/:env/references/:logicalName/binding': {
      prepare: (who) => ({
        body: {
          connectionId: who === 'admin' || who === 'maker' || who === 'basic' ? own[who].connection : fx.connection,
        },
      }),
    },
    'DELETE /api/envs/:env/references/:logicalName/binding': {
      prepare: async () => {
        await p().references.bind(users.owner, 'team', 'pb_team', fx.connection);
        return {};
      },
    },
    'DELETE /api/envs/:env/references/:logicalName': {
      prepare: async () => {
        const name = uniq('pb_doomed');
        await p().references.create(users.owner, 'team', { logicalName: name, connectorId: 'echo' });
        return { params: { logicalName: name } };
      },
    },
    'POST /api/flows/:id/runs': { prepare: () => ({ body: { inputs: { Start: 1 } } }) },
    'POST /api/envs/:env/solutions': {
      prepare: (who) => ({
        body: {
          name: uniq('Sol'),
          flowIds: [who === 'admin' || who === 'maker' ? (own[who].flow as string) : fx.flow],
        },
      }),
    },
    'GET /api/envs/:env/solutions/:name/export': {
      prepare: (who) => ({ params: { name: who === 'admin' || who === 'maker' ? `Sol_${who}` : 'Sol_owner' } }),
    },
    'POST /api/envs/:env/solutions/settings': { prepare: () => ({ zip: fx.zip }) },
    'GET /api/machines': { prepare: () => ({ query: 'env=team' }) },
    'POST /api/machines': {
      prepare: () => ({ body: { name: uniq('machine'), group: 'builders', environment: 'team' } }),
    },
    'DELETE /api/machines/:name': {
      prepare: async () => {
        const name = uniq('doomed-machine');
        await p().machines.register(users.owner, { name, group: 'builders', environment: 'team' });
        return { params: { name } };
      },
    },
    'POST /api/machine/poll': { prepare: () => ({ query: 'session=none' }) },
    'POST /api/machine/send': { prepare: () => ({ query: 'session=none' }) },
    'PUT /api/flows/:id/machine-group': { prepare: () => ({ body: { group: null } }) },
    'POST /api/envs/:env/solutions/import': {
      prepare: async () => {
        // Each importer starts from an environment without the solution's flow (imports replace only your own flows).
        const f = await p().store.flows.findByName('team', 'Shipped flow');
        if (f) await p().store.flows.delete(f.id);
        return { multipart: [{ name: 'solution', bytes: fx.zip }] };
      },
    },
  };

  /** Path parameters every route shares, by name (an `:id` by the route's noun). */
  function defaults(url: string): Record<string, string> {
    const id = url.startsWith('/api/connections/')
      ? fx.connection
      : url.startsWith('/api/flows/')
        ? fx.flow
        : url.startsWith('/api/runs/')
          ? fx.run
          : 'echo';
    return {
      env: 'team',
      id,
      operationId: 'GetEcho',
      logicalName: 'pb_team',
      name: 'TeamPolicy',
      schemaName: 'pb_Region',
    };
  }

  async function call(method: string, url: string, who: ActorKey): Promise<{ status: number; body: string }> {
    const spec = SPECS[`${method} ${url}`];
    const c: Call = (await spec?.prepare?.(who)) ?? {};
    const params = { ...defaults(url), ...c.params };
    const path = url.replace(/:([A-Za-z]+)/g, (_, k: string) => encodeURIComponent(params[k] ?? k));
    const headers: Record<string, string> = who === 'anonymous' ? {} : { authorization: `Bearer ${tokens[who]}` };
    let body: string | Buffer | undefined;
    if (c.multipart) {
      const m = multipartBody(c.multipart);
      body = m.body;
      headers['content-type'] = m.type;
    } else if (c.zip) {
      body = Buffer.from(c.zip);
      headers['content-type'] = 'application/zip';
    } else if (c.body !== undefined) {
      body = JSON.stringify(c.body);
      headers['content-type'] = 'application/json';
    }
    const res = await request(`${base}${path}${c.query ? `?${c.query}` : ''}`, {
      method: method as 'GET',
      headers,
      headersTimeout: 30_000,
      ...(body !== undefined ? { body } : {}),
    });
    // The live run stream stays open: its status line is enough.
    let text = '';
    if (url.endsWith('/events')) {
      res.body.on('error', () => undefined);
      res.body.destroy();
    } else text = await res.body.text();
    return { status: res.statusCode, body: text };
  }

  it.skipIf(!dialect.available)('every API route declares a known permission', () => {
    const undeclared = s.app.routeDeclarations
      .filter((r) => r.url.startsWith('/api') || r.url === '/')
      .filter((r) => !r.permission || !(r.permission in PERMISSIONS))
      .map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });

  it.skipIf(!dialect.available)(
    'answers every route × caller as its declaration says, and never leaks the canary',
    async () => {
      const routes = s.app.routeDeclarations.filter(
        (r) => (r.url.startsWith('/api') || r.url === '/') && !r.url.startsWith('/api/docs'),
      );
      expect(routes.length).toBeGreaterThan(70);
      const wrong: string[] = [];
      for (const r of routes) {
        const allowed = ALLOWED[r.permission as Permission];
        for (const who of ACTORS) {
          let answer: { status: number; body: string };
          try {
            answer = await call(r.method, r.url, who);
          } catch (e) {
            wrong.push(`${r.method} ${r.url} as ${who}: ${String(e)}`);
            continue;
          }
          const { status, body } = answer;
          if (process.env.MATRIX_TRACE) process.stderr.write(`${r.method} ${r.url} ${who} ${status}\n`);
          const ok = allowed.includes(who);
          const refused = status === 401 || status === 403 || status === 404;
          if (ok ? refused || status >= 500 : !refused)
            wrong.push(`${r.method} ${r.url} as ${who} (${r.permission}): ${status} ${body.slice(0, 160)}`);
          else if (!ok && who === 'anonymous' && status !== 401)
            wrong.push(`${r.method} ${r.url} anonymous: ${status}`);
          if (body.includes(CANARY)) wrong.push(`${r.method} ${r.url} as ${who} answered the canary`);
        }
      }
      expect(wrong).toEqual([]);
    },
    600_000,
  );
});
