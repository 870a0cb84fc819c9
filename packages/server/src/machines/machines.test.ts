/**
 * Machines for real: a server on 127.0.0.1 (SQLite and PostgreSQL), and
 * `patchbay runner` in a second process with its own temporary folder and
 * nothing in its environment but PATH and the machine token. A member's
 * flow with host actions and a connector action runs on the machine; no
 * message the server sends it holds a secret; a revoked or wrong token is
 * refused; a machine killed mid-run fails that run with the reason.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlatform } from '@patchbay/platform';
import type { ToRunner } from '@patchbay/runtime';
import { type TestDatabase, testDialects } from '../../../store/src/testDialects.js';
import { startServer, type RunningServer } from '../start.js';
import { echoOpenApi, startEchoApi } from '../test-support.js';

const CANARY = `canary-${randomBytes(4).toString('hex')}`;
const OWNER = { email: 'owner@machines.test', password: `${CANARY}-owner-password` };
const MEMBER = { email: 'member@machines.test', password: `${CANARY}-member-password` };
const API_KEY = `${CANARY}-api-key`;
const MASTER_KEY = randomBytes(32).toString('hex');
const root = fileURLToPath(new URL('../../../..', import.meta.url));
const bin = join(root, 'packages/cli/bin/patchbay.js');
const dialects = await testDialects();

interface Http {
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
}

async function signIn(url: string, who: { email: string; password: string }): Promise<Http> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(who),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return {
    async call(method, path, body) {
      const r = await fetch(`${url}${path}`, {
        method,
        headers: {
          cookie,
          'x-csrf-token': csrfToken,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await r.text();
      return { status: r.status, json: text ? JSON.parse(text) : undefined };
    },
  };
}

interface Machine {
  child: ChildProcess;
  folder: string;
  output: string[];
  exited: Promise<number | null>;
}

function startMachine(url: string, token: string): Machine {
  const folder = mkdtempSync(join(tmpdir(), 'patchbay-machine-test-'));
  const child = spawn(process.execPath, [bin, 'runner', '--server', url, '--token-env', 'MACHINE_TOKEN'], {
    cwd: folder,
    // No store, no key, no Patchbay variable: only PATH, a home of its own and the token.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: folder, MACHINE_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, folder, output, exited };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const FINAL = ['succeeded', 'failed', 'cancelled', 'interrupted'];
const finished = (caller: Http, runId: string) =>
  until(`run ${runId}`, async () => {
    const r = await caller.call('GET', `/api/runs/${runId}`);
    return FINAL.includes(r.json?.run?.status) ? (r.json as { run: any; steps: any[] }) : undefined;
  });

/** A member's flow: host actions (a command, a file written and read) and a connector call through the gateway. */
const hostAndConnectorFlow = {
  schema: 'patchbay/flow@1',
  name: 'On the machine',
  outputs: { Env: { type: 'text' }, Text: { type: 'text' }, Reply: { type: 'object' } },
  steps: [
    { action: 'System.RunCommand', params: { command: 'env' }, produces: { stdout: 'Env' } },
    { action: 'File.WriteText', params: { file: 'note.txt', text: 'written on the machine' } },
    { action: 'File.ReadText', params: { file: 'note.txt' }, produces: { contents: 'Text' } },
    {
      connector: 'echo',
      operation: 'GetEcho',
      connectionReference: 'member_echo',
      params: {},
      produces: { body: 'Reply' },
    },
  ],
};

const slowFlow = {
  schema: 'patchbay/flow@1',
  name: 'Slow on the machine',
  steps: [
    { action: 'Variables.Set', params: { name: 'Started', value: '%1%' } },
    { action: 'Wait', params: { seconds: 600 } },
  ],
};

describe.each(dialects)('machines on $name', (dialect) => {
  const run = it.skipIf(!dialect.available);
  let db: TestDatabase;
  let home: string;
  let server: RunningServer;
  let owner: Http;
  let member: Http;
  let echo: Awaited<ReturnType<typeof startEchoApi>>;
  const sent: { machine: string; message: ToRunner }[] = [];
  const machines: Machine[] = [];

  beforeAll(async () => {
    if (!dialect.available) return;
    if (!existsSync(join(root, 'packages/cli/dist/patchbay.js')))
      throw new Error('Build the command first: npm run build (or node scripts/build.mjs --cli-only).');
    db = dialect.create();
    home = mkdtempSync(join(tmpdir(), 'patchbay-machines-home-'));
    const store = await db.open({ masterKey: MASTER_KEY });
    const platform = await openPlatform({ store, home });
    server = await startServer({
      platform,
      port: 0,
      host: '127.0.0.1',
      log: false,
      ownerEmail: OWNER.email,
      ownerPassword: OWNER.password,
      print: () => undefined,
      machines: { graceMs: 1500, onSend: (machine, message) => sent.push({ machine, message }) },
    });
    echo = await startEchoApi();
    owner = await signIn(server.url, OWNER);
    expect((await owner.call('POST', '/api/users', { ...MEMBER, role: 'member' })).status).toBe(200);
    member = await signIn(server.url, MEMBER);
    expect((await owner.call('POST', '/api/envs/default/connectors', { openapi: echoOpenApi(echo.url) })).status).toBe(
      200,
    );
  });

  afterAll(async () => {
    for (const m of machines) {
      m.child.kill('SIGKILL');
      await m.exited;
      rmSync(m.folder, { recursive: true, force: true });
    }
    await server?.close({ graceMs: 1000 });
    await echo?.close();
    await db?.dispose();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  run('only the owner registers machines; a member is refused and the refusal is audited', async () => {
    const refused = await member.call('POST', '/api/machines', { name: 'sneaky', group: 'builders' });
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toMatch(/Only the instance owner or an admin/);
    expect((await member.call('GET', '/api/machines')).json).toEqual([]);
    const audit = await owner.call('GET', '/api/audit?action=machine.register');
    expect(JSON.stringify(audit.json)).toContain('denied');
  });

  run("a member's flow with host and connector actions runs on the machine, and no secret is sent to it", async () => {
    const reg = await owner.call('POST', '/api/machines', { name: 'build-01', group: 'builders' });
    expect(reg.status).toBe(201);
    const token = reg.json.token as string;
    expect(token).toMatch(/^pbm_/);
    expect(JSON.stringify((await owner.call('GET', '/api/machines')).json)).not.toContain(token);

    // The member's own connection (its API key is a canary), reference and flow.
    const conn = await member.call('POST', '/api/envs/default/connections', {
      connectorId: 'echo',
      displayName: 'Echo (member)',
      secrets: { api_key: API_KEY },
    });
    expect(conn.status).toBe(200);
    const ref = await member.call('POST', '/api/envs/default/references', {
      logicalName: 'member_echo',
      displayName: 'Member echo',
      connectorId: 'echo',
      connectionId: conn.json.connection.id,
    });
    expect(ref.status).toBe(200);
    const flow = await member.call('POST', '/api/envs/default/flows', { definition: hostAndConnectorFlow });
    expect(flow.status, JSON.stringify(flow.json)).toBe(200);
    const flowId = flow.json.id as string;

    // On this server the member's host actions run only when its runners drop privileges (root and a runner user).
    const local = await member.call('POST', `/api/flows/${flowId}/runs`, {});
    const localDone = await finished(member, local.json.runId);
    if (server.platform.executor.dropsPrivileges()) expect(localDone.run.status).toBe('succeeded');
    else {
      expect(localDone.run.status).toBe('failed');
      expect(localDone.run.error.message).toMatch(/only the instance owner may run flows with host actions/);
    }

    // …a machine group that has no machine is refused clearly…
    const nowhere = await member.call('POST', `/api/flows/${flowId}/runs`, { machineGroup: 'nobody' });
    expect(nowhere.status).toBe(400);
    expect(nowhere.json.error.message).toMatch(/No machine of group "nobody"/);

    // …and a run for the group waits queued while no machine of it is online.
    const queued = await member.call('POST', `/api/flows/${flowId}/runs`, { machineGroup: 'builders' });
    expect(queued.status).toBe(200);
    const runId = queued.json.runId as string;
    expect((await member.call('GET', `/api/runs/${runId}`)).json.run.status).toBe('queued');

    const m = startMachine(server.url, token);
    machines.push(m);
    const done = await finished(member, runId);
    expect(done.run.status, JSON.stringify(done.run.error)).toBe('succeeded');
    const outputs = done.run.outputs as { Env: string; Text: string; Reply: { receivedKey: string } };
    expect(outputs.Text.trim()).toBe('written on the machine');
    // The connector call went through the server's gateway, which injected the key; the answer came back scrubbed.
    expect(echo.keys).toContain(API_KEY);
    expect(outputs.Reply.receivedKey).toBe('***');
    // The runner's environment holds nothing of Patchbay's, not even the machine token.
    expect(outputs.Env).not.toContain(token);
    expect(outputs.Env).not.toMatch(/PATCHBAY_|MACHINE_TOKEN/);
    expect(outputs.Env).toContain('patchbay-machine-runner-');
    expect(done.steps.map((s: { action: string }) => s.action).join(' ')).toContain('GetEcho');

    const list = (await owner.call('GET', '/api/machines')).json as { name: string; online: boolean }[];
    expect(list.find((x) => x.name === 'build-01')?.online).toBe(true);

    // Every message the server sent the machine: the run, gateway results; never a secret.
    const toMachine = sent.filter((s) => s.machine === 'build-01').map((s) => s.message);
    expect(toMachine.map((x) => x.type)).toEqual(expect.arrayContaining(['run', 'gateway.result']));
    const wire = JSON.stringify(toMachine, (_k, v: unknown) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
    );
    for (const secret of [API_KEY, MASTER_KEY, OWNER.password, MEMBER.password, CANARY])
      expect(wire).not.toContain(secret);
  });

  run('a revoked token and a wrong token are refused', async () => {
    const m = machines[0];
    const revoked = await owner.call('DELETE', '/api/machines/build-01');
    expect(revoked.status).toBe(200);
    expect(await m.exited).toBe(1);
    expect(m.output.join(''), m.output.join('')).toMatch(/refused this machine: .*build-01 was revoked/);
    const wrong = startMachine(server.url, 'pbm_not-a-real-token');
    machines.push(wrong);
    expect(await wrong.exited).toBe(1);
    const list = (await owner.call('GET', '/api/machines')).json as { name: string; status: string; online: boolean }[];
    expect(list.find((x) => x.name === 'build-01')).toMatchObject({ status: 'revoked', online: false });
    const audit = JSON.stringify((await owner.call('GET', '/api/audit')).json);
    expect(audit).toContain('machine.revoke');
    expect(audit).toContain('machine.register');
  });

  run(
    'a flow targets a group; a cancelled run stops on the machine; a machine killed mid-run fails that run',
    async () => {
      const reg = await owner.call('POST', '/api/machines', { name: 'build-02', group: 'slow' });
      const m = startMachine(server.url, reg.json.token as string);
      machines.push(m);
      const flow = await member.call('POST', '/api/envs/default/flows', { definition: slowFlow });
      const flowId = flow.json.id as string;
      // Every run of the flow goes to the group, without naming it in the run.
      const target = await member.call('PUT', `/api/flows/${flowId}/machine-group`, { group: 'slow' });
      expect(target.status, JSON.stringify(target.json)).toBe(200);
      const reachedWait = (runId: string) =>
        until('the run to reach its wait', async () => {
          const r = await member.call('GET', `/api/runs/${runId}`);
          return r.json.steps.some((s: { action: string }) => s.action === 'Wait') ? true : undefined;
        });

      const first = (await member.call('POST', `/api/flows/${flowId}/runs`, {})).json.runId as string;
      await reachedWait(first);
      expect((await member.call('GET', `/api/runs/${first}`)).json.run.machineGroup).toBe('slow');
      expect((await member.call('POST', `/api/runs/${first}/cancel`)).status).toBe(200);
      expect((await finished(member, first)).run.status).toBe('cancelled');

      // The machine is free again: the next run reaches its wait, then the machine is killed.
      const start = await member.call('POST', `/api/flows/${flowId}/runs`, {});
      const runId = start.json.runId as string;
      await reachedWait(runId);
      m.child.kill('SIGKILL');
      const done = await finished(member, runId);
      expect(done.run.status).toBe('failed');
      expect(done.run.error.message).toBe('The run failed because the machine build-02 went offline.');
      const list = (await owner.call('GET', '/api/machines')).json as { name: string; online: boolean }[];
      expect(list.find((x) => x.name === 'build-02')?.online).toBe(false);
    },
  );
});
