/**
 * Connector ownership against a hostile member, through the HTTP API with
 * canary secrets: the member's own HTTP server on 127.0.0.1 must never see
 * the owner's key, whatever the member tries (re-import, solution import,
 * dynamic values, the HTTP connector), and an update that moves the host
 * asks every other connection owner to reconnect first.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OWNER,
  echoFlow,
  login,
  newUser,
  testServer,
  waitForRun,
  type Caller,
  type TestServer,
} from '../test-support.js';

const OWNER_KEY = 'canary-owner-key-3c9e51';
const MEMBER_KEY = 'canary-member-key-81f0d2';

/** A service on 127.0.0.1 that records everything it receives (headers, URL) and answers a small list. */
async function recordingServer(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.url} ${JSON.stringify(req.headers)}`);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ value: [{ id: 'a', name: 'A' }], path: req.url }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** The echo API as OpenAPI 3: an API key header, a GET, and a parameter whose options come from the service. */
function echoApi(url: string, title = 'Echo'): string {
  const ok = { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } };
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title, version: '1.0.0' },
    servers: [{ url }],
    components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } } },
    security: [{ apiKey: [] }],
    paths: {
      '/echo': { get: { operationId: 'GetEcho', summary: 'Echo', responses: ok } },
      '/echo/choices': { get: { operationId: 'ListChoices', summary: 'Choices', responses: ok } },
      '/echo/pick': {
        get: {
          operationId: 'PickEcho',
          summary: 'Pick',
          parameters: [
            {
              name: 'choice',
              in: 'query',
              schema: { type: 'string' },
              'x-ms-dynamic-values': { operationId: 'ListChoices', 'value-collection': 'value', 'value-path': 'id' },
            },
          ],
          responses: ok,
        },
      },
    },
  });
}

let s: TestServer;
let owner: Caller;
let member: Caller;
let ownerApi: Awaited<ReturnType<typeof recordingServer>>;
let movedApi: Awaited<ReturnType<typeof recordingServer>>;
let memberApi: Awaited<ReturnType<typeof recordingServer>>;
let ownerConn: string;
let ownerHttpConn: string;
let memberConn: string;
let flowId: string;

beforeAll(async () => {
  s = await testServer();
  [ownerApi, movedApi, memberApi] = await Promise.all([recordingServer(), recordingServer(), recordingServer()]);
  owner = await login(s.app, OWNER.email, OWNER.password);
  member = await newUser(s.app, owner, 'member@patchbay.test');
  expect(
    (await owner.call('POST', '/api/envs/default/connectors', { openapi: echoApi(ownerApi.url) })).statusCode,
  ).toBe(200);
  const c = await owner.call('POST', '/api/envs/default/connections', {
    connectorId: 'echo',
    displayName: 'Echo (owner)',
    secrets: { api_key: OWNER_KEY },
  });
  ownerConn = c.json().connection.id;
  await owner.call('POST', `/api/connections/${ownerConn}/shares`, { email: member.user.email });
  await owner.call('POST', '/api/envs/default/references', {
    logicalName: 'echo_main',
    displayName: 'Echo',
    connectorId: 'echo',
  });
  await owner.call('PUT', '/api/envs/default/references/echo_main/binding', { connectionId: ownerConn });
  flowId = (await owner.call('POST', '/api/envs/default/flows', { definition: echoFlow() })).json().id;
});
afterAll(async () => {
  await s.close();
  await Promise.all([ownerApi.close(), movedApi.close(), memberApi.close()]);
});

describe('connector takeover by re-import', () => {
  it("refuses a member's import of the owner's connector id, naming the owner and --id", async () => {
    const r = await member.call('POST', '/api/envs/default/connectors', { openapi: echoApi(memberApi.url) });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toContain(OWNER.email);
    expect(r.json().error.hint).toContain('--id');
    const stored = (await owner.call('GET', '/api/envs/default/connectors/echo')).json();
    expect(stored.baseUrl).toBe(ownerApi.url);
    const listed = (await member.call('GET', '/api/envs/default/connectors')).json();
    expect(listed.find((c: { id: string }) => c.id === 'echo')).toMatchObject({
      owner: { email: OWNER.email },
      coOwners: [],
    });
  });

  it("keeps the owner's key on the owner's service: the run reaches it, the member's server sees nothing", async () => {
    const start = await owner.call('POST', `/api/flows/${flowId}/runs`, {});
    const { run } = await waitForRun(owner, start.json().runId);
    expect(run.status).toBe('succeeded');
    expect(ownerApi.seen.join('\n')).toContain(OWNER_KEY);
    expect(memberApi.seen.join('\n')).not.toContain(OWNER_KEY);
  });

  it('lets the member import the same API under another id', async () => {
    const r = await member.call('POST', '/api/envs/default/connectors', {
      openapi: echoApi(memberApi.url),
      id: 'echo-member',
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ id: 'echo-member', owner: { email: member.user.email }, outcome: 'created' });
  });

  it('refuses to replace a built-in connector, for everyone', async () => {
    for (const who of [member, owner]) {
      const r = await who.call('POST', '/api/envs/default/connectors', { openapi: echoApi(memberApi.url), id: 'http' });
      expect(r.statusCode).toBe(409);
      expect(r.json().error.message).toContain('built-in');
    }
    expect((await owner.call('DELETE', '/api/envs/default/connectors/http')).statusCode).toBe(403);
  });
});

describe('design-time calls', () => {
  const pick = (who: Caller, connectorId: string, connectionId: string, env = 'default') =>
    who.call('POST', `/api/envs/${env}/connectors/${connectorId}/operations/PickEcho/dynamic-values`, {
      parameter: 'choice',
      connectionId,
    });

  it("load options with a connection of that connector (the owner's, through the owner's service)", async () => {
    const r = await pick(owner, 'echo', ownerConn);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual([{ value: 'a', title: 'a' }]);
    expect(ownerApi.seen.at(-1)).toContain(OWNER_KEY);
  });

  it("refuse the owner's shared connection with the member's connector: the key never reaches the member's server", async () => {
    const r = await pick(member, 'echo-member', ownerConn);
    expect(r.statusCode).toBe(403);
    expect(r.json().error.message).toContain('is for connector "echo"');
    const schema = await member.call(
      'POST',
      '/api/envs/default/connectors/echo-member/operations/GetEcho/dynamic-schema',
      { connectionId: ownerConn },
    );
    expect(schema.statusCode).toBe(403);
    expect(memberApi.seen.join('\n')).not.toContain(OWNER_KEY);
  });

  it('refuse a connection of the same connector id in another environment', async () => {
    expect((await owner.call('POST', '/api/environments', { name: 'staging' })).statusCode).toBe(200);
    // A member has no access to a new environment until an admin grants a role there.
    const grant = await owner.call('PUT', '/api/envs/staging/roles', { email: member.user.email, role: 'maker' });
    expect(grant.statusCode).toBe(200);
    const r = await member.call('POST', '/api/envs/staging/connectors', { openapi: echoApi(memberApi.url) });
    expect(r.statusCode).toBe(200);
    const cross = await pick(member, 'echo', ownerConn, 'staging');
    expect(cross.statusCode).toBe(403);
    expect(cross.json().error.message).toContain('environment "default"');
    expect(memberApi.seen.join('\n')).not.toContain(OWNER_KEY);
  });
});

describe('solution import', () => {
  let zip: Buffer;
  const upload = async (who: Caller, env: string, bytes: Uint8Array) => {
    const boundary = `----patchbay${Math.random().toString(16).slice(2)}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="solution"; filename="s.zip"\r\nContent-Type: application/zip\r\n\r\n`,
      ),
      Buffer.from(bytes),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return who.call('POST', `/api/envs/${env}/solutions/import`, payload, {
      'content-type': `multipart/form-data; boundary=${boundary}`,
    });
  };

  beforeAll(async () => {
    // The member's own solution in staging: a flow and the member's "echo" (which points at the member's server).
    await member.call('POST', '/api/envs/staging/references', {
      logicalName: 'echo_main',
      displayName: 'Echo',
      connectorId: 'echo',
    });
    const flow = await member.call('POST', '/api/envs/staging/flows', { definition: echoFlow('Takeover') });
    expect(flow.statusCode, flow.body).toBe(200);
    const created = await member.call('POST', '/api/envs/staging/solutions', {
      name: 'Takeover',
      flowIds: [flow.json().id],
    });
    expect(created.statusCode, created.body).toBe(200);
    const exported = await member.call('GET', '/api/envs/staging/solutions/Takeover/export');
    expect(exported.statusCode).toBe(200);
    zip = exported.rawPayload;
  });

  it("refuses a member's solution that would replace the owner's connector, and changes nothing", async () => {
    const r = await upload(member, 'default', zip);
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toContain(OWNER.email);
    expect((await owner.call('GET', '/api/envs/default/connectors/echo')).json().baseUrl).toBe(ownerApi.url);
    const flows = (await owner.call('GET', '/api/envs/default/flows')).json() as { name: string }[];
    expect(flows.map((f) => f.name)).not.toContain('Takeover');
  });

  it('refuses a solution carrying a built-in connector id, even from the instance owner', async () => {
    const { unzipSync, zipSync, strToU8, strFromU8 } = await import('fflate');
    const files = unzipSync(new Uint8Array(zip));
    const manifest = JSON.parse(strFromU8(files['solution.json']));
    const model = JSON.parse(strFromU8(files['connectors/echo/connector.json']));
    files['connectors/http/connector.json'] = strToU8(JSON.stringify({ ...model, id: 'http' }));
    files['solution.json'] = strToU8(JSON.stringify({ ...manifest, connectors: ['echo', 'http'] }));
    const forged = zipSync(files);
    await owner.call('POST', '/api/environments', { name: 'forge' });
    await owner.call('PUT', '/api/envs/forge/roles', { email: member.user.email, role: 'maker' });
    for (const who of [member, owner]) {
      const r = await upload(who, 'forge', forged);
      expect(r.statusCode, r.body).toBe(409);
      expect(r.json().error.message).toContain('built-in');
    }
    const http = (await owner.call('GET', '/api/envs/forge/connectors/http')).json();
    expect(http.source).toEqual({ kind: 'builtin' });
    // All or nothing: neither the flow nor the solution's other connector stayed.
    expect((await owner.call('GET', '/api/envs/forge/flows')).json()).toEqual([]);
    expect((await owner.call('GET', '/api/envs/forge/connectors/echo')).statusCode).toBe(404);
  });

  it('imports the same solution where the connector is unchanged or free', async () => {
    await owner.call('POST', '/api/environments', { name: 'qa' });
    await owner.call('PUT', '/api/envs/qa/roles', { email: member.user.email, role: 'maker' });
    const r = await upload(member, 'qa', zip);
    expect(r.statusCode, r.body).toBe(200);
    const listed = (await member.call('GET', '/api/envs/qa/connectors')).json();
    expect(listed.find((c: { id: string }) => c.id === 'echo').owner).toEqual({
      id: member.user.id,
      email: member.user.email,
    });
  });
});

describe('the HTTP connector with a shared connection', () => {
  beforeAll(async () => {
    const c = await owner.call('POST', '/api/envs/default/connections', {
      connectorId: 'http',
      displayName: 'Owner API (bearer)',
      scheme: 'bearer',
      secrets: { token: OWNER_KEY },
      baseUrl: ownerApi.url,
    });
    expect(c.statusCode, c.body).toBe(200);
    ownerHttpConn = c.json().connection.id;
    await owner.call('POST', `/api/connections/${ownerHttpConn}/shares`, { email: member.user.email });
  });

  const webFlow = (name: string, uri: string) => ({
    schema: 'patchbay/flow@1',
    name,
    outputs: { Reply: { type: 'object' } },
    steps: [
      {
        connector: 'http',
        operation: 'SendRequest',
        connectionReference: 'web_main',
        params: { method: 'GET', uri },
        produces: { body: 'Reply' },
      },
    ],
  });

  it("refuses a URL off the connection's base URL and never sends the token there", async () => {
    await member.call('POST', '/api/envs/default/references', {
      logicalName: 'web_main',
      displayName: 'Web',
      connectorId: 'http',
    });
    const flow = await member.call('POST', '/api/envs/default/flows', {
      definition: webFlow('Exfiltrate', `${memberApi.url}/steal`),
    });
    expect(flow.statusCode, flow.body).toBe(200);
    const start = await member.call('POST', `/api/flows/${flow.json().id}/runs`, {
      connections: { web_main: ownerHttpConn },
    });
    expect(start.statusCode, start.body).toBe(200);
    const { run, steps } = await waitForRun(member, start.json().runId);
    expect(run.status).toBe('failed');
    expect(JSON.stringify(run.error)).toContain("does not send this connection's credentials");
    expect(memberApi.seen.some((l) => l.startsWith('/steal'))).toBe(false);
    expect(JSON.stringify({ run, steps })).not.toContain(OWNER_KEY);
  });

  it('sends it under the base URL', async () => {
    const flow = await member.call('POST', '/api/envs/default/flows', {
      definition: webFlow('Allowed', `${ownerApi.url}/echo`),
    });
    const start = await member.call('POST', `/api/flows/${flow.json().id}/runs`, {
      connections: { web_main: ownerHttpConn },
    });
    const { run } = await waitForRun(member, start.json().runId);
    expect(run.status).toBe('succeeded');
    expect(ownerApi.seen.at(-1)).toContain(`Bearer ${OWNER_KEY}`);
  });
});

describe('an update that moves the host', () => {
  it("moves other users' connections to needs-reauth, naming the change; the updater's stay", async () => {
    const mine = await member.call('POST', '/api/envs/default/connections', {
      connectorId: 'echo',
      displayName: 'Echo (member)',
      secrets: { api_key: MEMBER_KEY },
    });
    memberConn = mine.json().connection.id;
    expect((await member.call('POST', `/api/connections/${memberConn}/test`)).json().status).toBe('connected');

    const r = await owner.call('POST', '/api/envs/default/connectors', { openapi: echoApi(movedApi.url) });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ outcome: 'updated', reauthConnections: 1 });
    expect(r.json().destinationChanges[0]).toContain(movedApi.url);

    const after = (await member.call('GET', `/api/connections/${memberConn}`)).json();
    expect(after.status).toBe('needs-reauth');
    expect(after.statusReason).toContain('base URL');
    expect(after.statusReason).toContain(movedApi.url);
    expect(after.statusReason).toContain(OWNER.email);
    expect((await owner.call('GET', `/api/connections/${ownerConn}`)).json().status).toBe('connected');
  });

  it("does not send the member's key to the new host: not by test, design-time calls or runs", async () => {
    const t = await member.call('POST', `/api/connections/${memberConn}/test`);
    expect(t.json().status).toBe('needs-reauth');
    const dv = await member.call('POST', '/api/envs/default/connectors/echo/operations/PickEcho/dynamic-values', {
      parameter: 'choice',
      connectionId: memberConn,
    });
    expect(dv.statusCode).toBe(409);
    expect(dv.json().error.code).toBe('connection.needs_reauth');
    const own = await member.call('POST', '/api/envs/default/flows', { definition: echoFlow('Member echo') });
    expect(own.statusCode, own.body).toBe(200);
    const start = await member.call('POST', `/api/flows/${own.json().id}/runs`, {
      connections: { echo_main: memberConn },
    });
    expect(start.statusCode, start.body).toBe(200);
    const { run } = await waitForRun(member, start.json().runId);
    expect(run.status).toBe('failed');
    expect(JSON.stringify(run.error)).toContain('needs its owner to reconnect');
    expect(movedApi.seen.join('\n')).not.toContain(MEMBER_KEY);
  });

  it('sends it after its owner reconnects (consent)', async () => {
    expect((await member.call('POST', `/api/connections/${memberConn}/reconnect`, {})).json().connection.status).toBe(
      'connected',
    );
    const dv = await member.call('POST', '/api/envs/default/connectors/echo/operations/PickEcho/dynamic-values', {
      parameter: 'choice',
      connectionId: memberConn,
    });
    expect(dv.statusCode, dv.body).toBe(200);
    expect(movedApi.seen.at(-1)).toContain(MEMBER_KEY);
  });
});

describe('co-owners', () => {
  it('lets a co-owner update the connector, and nobody else', async () => {
    expect(
      (await member.call('POST', '/api/envs/default/connectors/echo/owners', { email: member.user.email })).statusCode,
    ).toBe(403);
    const added = await owner.call('POST', '/api/envs/default/connectors/echo/owners', { email: member.user.email });
    expect(added.json()).toEqual([
      { id: s.owner.id, email: OWNER.email, role: 'owner' },
      { id: member.user.id, email: member.user.email, role: 'co-owner' },
    ]);
    const r = await member.call('POST', '/api/envs/default/connectors', { openapi: echoApi(movedApi.url) });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ outcome: 'updated', reauthConnections: 0 });
    const removed = await owner.call(
      'DELETE',
      `/api/envs/default/connectors/echo/owners/${encodeURIComponent(member.user.email)}`,
    );
    expect(removed.json()).toEqual([{ id: s.owner.id, email: OWNER.email, role: 'owner' }]);
    expect(
      (await member.call('POST', '/api/envs/default/connectors', { openapi: echoApi(movedApi.url) })).statusCode,
    ).toBe(409);
  });
});

describe('deleting a connector', () => {
  it('refuses a member who does not own it', async () => {
    const r = await member.call('DELETE', '/api/envs/default/connectors/echo?force=true');
    expect(r.statusCode).toBe(403);
    expect(r.json().error.message).toContain(OWNER.email);
    expect((await owner.call('GET', '/api/envs/default/connectors/echo')).statusCode).toBe(200);
  });

  it('refuses while flows use it, naming them, and deletes with force', async () => {
    const r = await owner.call('DELETE', '/api/envs/default/connectors/echo');
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toContain('"Echo call"');
    expect(r.json().error.hint).toContain('--force');
    const forced = await owner.call('DELETE', '/api/envs/default/connectors/echo?force=true');
    expect(forced.statusCode).toBe(200);
    expect(forced.json().usedBy).toContainEqual({ flowId, flowName: 'Echo call', logicalName: 'echo_main' });
    expect((await owner.call('GET', '/api/envs/default/connectors/echo')).statusCode).toBe(404);
  });

  it('deletes an unused connector without force; the member deletes their own', async () => {
    expect((await member.call('DELETE', '/api/envs/default/connectors/echo-member')).statusCode).toBe(200);
    expect((await member.call('DELETE', '/api/envs/default/connectors/echo-member')).statusCode).toBe(404);
  });

  it("asks every connection owner to reconnect when someone imports the id again, so the member's server gets no key", async () => {
    const r = await member.call('POST', '/api/envs/default/connectors', { openapi: echoApi(memberApi.url) });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ outcome: 'created', owner: { email: member.user.email } });
    expect((await owner.call('GET', `/api/connections/${ownerConn}`)).json()).toMatchObject({
      status: 'needs-reauth',
      statusReason: expect.stringContaining('deleted and imported again'),
    });
    const start = await owner.call('POST', `/api/flows/${flowId}/runs`, {});
    const { run } = await waitForRun(owner, start.json().runId);
    expect(run.status).toBe('failed');
    expect(memberApi.seen.join('\n')).not.toContain(OWNER_KEY);
  });
});
