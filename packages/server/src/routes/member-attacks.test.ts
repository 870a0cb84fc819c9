/**
 * A member replays the reference and solution-import attacks through the HTTP
 * API, as a second account, with a canary secret: rebinding, renaming or
 * deleting the owner's reference, reading the names of the owner's flows, and
 * a solution import that sets an environment variable; a basic user's import.
 * Each is refused or without effect, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, type TestDatabase } from '../../../store/src/testDialects.js';
import {
  OWNER,
  echoFlow,
  echoOpenApi,
  login,
  newUser,
  startEchoApi,
  testServer,
  waitForRun,
  type Caller,
  type TestServer,
} from '../test-support.js';

const dialects = await testDialects();
const CANARY = 'canary-attack-key-0b7d42';

function multipart(parts: { name: string; bytes: Buffer }[]): { payload: Buffer; type: string } {
  const boundary = `----patchbay${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts)
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.name}.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      p.bytes,
      Buffer.from('\r\n'),
    );
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

describe.each(dialects)('a member against the owner on $name', (dialect) => {
  let s: TestServer;
  let db: TestDatabase | undefined;
  let owner: Caller;
  let member: Caller;
  let echo: Awaited<ReturnType<typeof startEchoApi>>;
  let ownerFlow: { id: string; name: string };
  let memberConn: string;

  beforeAll(async () => {
    if (!dialect.available) return;
    db = dialect.name === 'postgres' ? dialect.create() : undefined;
    s = await testServer(db ? { platformOptions: { store: await db.open() } } : {});
    owner = await login(s.app, OWNER.email, OWNER.password);
    member = await newUser(s.app, owner, 'member@attack.test');
    echo = await startEchoApi();
    expect(
      (await owner.call('POST', '/api/envs/default/connectors', { openapi: echoOpenApi(echo.url) })).statusCode,
    ).toBe(200);
    const c = await owner.call('POST', '/api/envs/default/connections', {
      connectorId: 'echo',
      displayName: 'Owner echo',
      secrets: { api_key: CANARY },
    });
    const ownerConn = c.json().connection.id as string;
    await owner.call('POST', '/api/envs/default/references', {
      logicalName: 'echo_main',
      displayName: 'Echo',
      connectorId: 'echo',
      connectionId: ownerConn,
    });
    ownerFlow = (
      await owner.call('POST', '/api/envs/default/flows', { definition: echoFlow('Owner secret report') })
    ).json();
    const m = await member.call('POST', '/api/envs/default/connections', {
      connectorId: 'echo',
      displayName: 'Member echo',
      secrets: { api_key: 'member-key' },
    });
    memberConn = m.json().connection.id;
  }, 120_000);

  afterAll(async () => {
    await echo?.close();
    await s?.close();
    await db?.dispose();
  });

  it.skipIf(!dialect.available)(
    "cannot rebind, unbind, rename or delete the owner's reference, nor read its flows' names",
    async () => {
      const attempts = [
        await member.call('PUT', '/api/envs/default/references/echo_main/binding', { connectionId: memberConn }),
        await member.call('DELETE', '/api/envs/default/references/echo_main/binding'),
        await member.call('PATCH', '/api/envs/default/references/echo_main', { displayName: 'Mine' }),
        await member.call('DELETE', '/api/envs/default/references/echo_main'),
      ];
      expect(attempts.map((r) => r.statusCode)).toEqual([403, 403, 403, 403]);
      const listed = await member.call('GET', '/api/envs/default/references');
      expect(listed.body).not.toContain(ownerFlow.name);
      expect(listed.json().find((r: { logicalName: string }) => r.logicalName === 'echo_main')).toMatchObject({
        usedBy: [],
        otherFlows: 1,
        canManage: false,
      });
      const one = await member.call('GET', '/api/envs/default/references/echo_main');
      expect(one.body).not.toContain(ownerFlow.name);

      // The owner's flow still runs with the owner's connection, through the owner's reference.
      const start = await owner.call('POST', `/api/flows/${ownerFlow.id}/runs`, { inputs: {} });
      const { run } = await waitForRun(owner, start.json().runId);
      expect(run.status).toBe('succeeded');
      expect(echo.keys.at(-1)).toBe(CANARY);
      expect(echo.keys).not.toContain('member-key');
      for (const r of [...attempts, listed, one]) expect(r.body).not.toContain(CANARY);
    },
  );

  it.skipIf(!dialect.available)(
    "a maker's solution import may not set an environment variable; without the value it imports; a basic user may not import",
    async () => {
      const put = await owner.call('PUT', '/api/envs/default/variables/pb_Target', {
        value: 'owner-value',
        type: 'text',
      });
      expect(put.statusCode, put.body).toBe(200);
      // Members may not set variables directly…
      expect((await member.call('PUT', '/api/envs/default/variables/pb_Target', { value: 'x' })).statusCode).toBe(403);
      const flow = (
        await member.call('POST', '/api/envs/default/flows', {
          definition: {
            schema: 'patchbay/flow@1',
            name: 'Member shipment',
            steps: [{ action: 'Variables.Set', params: { name: 'Where', value: '%pb_Target%' } }],
          },
        })
      ).json();
      expect(
        (await member.call('POST', '/api/envs/default/solutions', { name: 'MemberSol', flowIds: [flow.id] }))
          .statusCode,
      ).toBe(200);
      const zip = (await member.call('GET', '/api/envs/default/solutions/MemberSol/export')).rawPayload;
      const settings = (value: string) =>
        Buffer.from(
          JSON.stringify({
            EnvironmentVariables: [{ SchemaName: 'pb_Target', Value: value }],
            ConnectionReferences: [],
          }),
        );
      const importAs = (who: Caller, value: string) => {
        const m = multipart([
          { name: 'solution', bytes: zip },
          { name: 'settings', bytes: settings(value) },
        ]);
        return who.call('POST', '/api/envs/default/solutions/import', m.payload, { 'content-type': m.type });
      };

      // …nor through a solution import: refused, naming the place, and nothing changes.
      const sneaky = await importAs(member, 'member-value');
      expect(sneaky.statusCode, sneaky.body).toBe(403);
      expect(sneaky.json().error.message).toContain('may set environment variables');
      const vars = (await owner.call('GET', '/api/envs/default/variables')).json();
      expect(vars.find((v: { schemaName: string }) => v.schemaName === 'pb_Target').value).toBe('owner-value');

      const plain = await importAs(member, '');
      expect(plain.statusCode, plain.body).toBe(200);
      expect(plain.json().variables).toEqual([{ schemaName: 'pb_Target', valueSet: false }]);

      const basic = await newUser(s.app, owner, 'basic@attack.test');
      expect(
        (await owner.call('PUT', '/api/envs/default/roles', { email: 'basic@attack.test', role: 'user' })).statusCode,
      ).toBe(200);
      const refused = await importAs(basic, '');
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.message).toContain('Basic user');

      const audit = await owner.call('GET', '/api/audit?env=default&action=solution.import');
      const outcomes = audit
        .json()
        .map((e: { actor: { email: string }; outcome: string }) => `${e.actor.email}:${e.outcome}`);
      expect(outcomes).toEqual(
        expect.arrayContaining(['member@attack.test:denied', 'member@attack.test:ok', 'basic@attack.test:denied']),
      );
      expect(audit.body).not.toContain(CANARY);
    },
  );
});
