// The attack a member of a shared server tried, replayed against a real `patchbay serve` process whose
// environment holds the owner's password and the master key: the member's flows read the server's
// environment, its data folder and its API, and find none of the canaries; the owner's flows still run.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoOpenApi, startEchoApi } from '../../server/src/test-support.js';
import { BIN, tempHome } from './cli.js';

const ownerPassword = `canary-owner-pw-${randomBytes(8).toString('hex')}`;
const masterKey = randomBytes(32);
const apiKey = `canary-api-key-${randomBytes(8).toString('hex')}`;
const canaries = [ownerPassword, masterKey.toString('hex'), masterKey.toString('base64'), apiKey];

interface Caller {
  call(method: string, path: string, body?: unknown): Promise<{ status: number; text: string; json: any }>;
}

async function signIn(base: string, email: string, password: string): Promise<Caller> {
  const r = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (r.status !== 200) throw new Error(`sign-in failed: ${r.status} ${await r.text()}`);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  return {
    async call(method, path, body) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          cookie,
          'x-csrf-token': csrfToken,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, text, json };
    },
  };
}

/** Saves and runs a flow as the caller; returns everything the caller can read about the run. */
async function runAs(caller: Caller, steps: unknown[], outputs: Record<string, unknown> = {}): Promise<any> {
  const name = `Flow ${randomBytes(4).toString('hex')}`;
  const saved = await caller.call('POST', '/api/envs/default/flows', {
    definition: { schema: 'patchbay/flow@1', name, outputs, steps },
  });
  if (saved.status !== 200) throw new Error(`save failed: ${saved.text}`);
  const flowId = saved.json.id ?? saved.json.flow?.id;
  const started = await caller.call('POST', `/api/flows/${flowId}/runs`, {});
  // Refused before it starts (a reference the caller may not use): the refusal is what the caller reads.
  if (started.status !== 200) return { record: undefined, text: started.text };
  const runId = started.json.runId as string;
  for (;;) {
    const r = await caller.call('GET', `/api/runs/${runId}`);
    if (['succeeded', 'failed', 'cancelled', 'interrupted'].includes(r.json.run.status)) {
      const list = await caller.call('GET', `/api/runs?flowId=${flowId}`);
      return { record: r.json, text: r.text + list.text };
    }
    await new Promise((res) => setTimeout(res, 50));
  }
}

describe('a member on a shared server', () => {
  const home = tempHome();
  let server: ChildProcess;
  let base = '';
  let owner: Caller;
  let member: Caller;
  let echo: Awaited<ReturnType<typeof startEchoApi>>;
  let stderr = '';

  beforeAll(async () => {
    // An install with a key file and the key in the environment too.
    writeFileSync(join(home, 'master.key'), `${masterKey.toString('hex')}\n`, { mode: 0o600 });
    echo = await startEchoApi();
    server = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1'], {
      env: {
        ...process.env,
        PATCHBAY_HOME: home,
        PATCHBAY_MASTER_KEY: masterKey.toString('hex'),
        PATCHBAY_OWNER_EMAIL: 'owner@patchbay.test',
        PATCHBAY_OWNER_PASSWORD: ownerPassword,
        CI: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stderr?.on('data', (d) => (stderr += d));
    base = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout?.on('data', (d) => {
        out += d;
        const m = /running at (http:\/\/\S+?) /.exec(out);
        if (m) resolve(m[1]);
      });
      server.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    owner = await signIn(base, 'owner@patchbay.test', ownerPassword);
    const created = await owner.call('POST', '/api/users', {
      email: 'member@patchbay.test',
      password: 'member-password-1',
      role: 'member',
    });
    expect(created.status).toBe(200);
    member = await signIn(base, 'member@patchbay.test', 'member-password-1');
    // The owner's connection, with an API key the member must never see.
    expect((await owner.call('POST', '/api/envs/default/connectors', { openapi: echoOpenApi(echo.url) })).status).toBe(
      200,
    );
    const c = await owner.call('POST', '/api/envs/default/connections', {
      connectorId: 'echo',
      displayName: 'Owner echo',
      secrets: { api_key: apiKey },
    });
    expect(c.status).toBe(200);
    await owner.call('POST', '/api/envs/default/references', {
      logicalName: 'echo_owner',
      displayName: 'Echo',
      connectorId: 'echo',
    });
    await owner.call('PUT', '/api/envs/default/references/echo_owner/binding', { connectionId: c.json.connection.id });
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const gone = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await gone;
    }
    await echo?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it("finds no secret through commands, files, scripts or web requests, and the owner's flows still run", async () => {
    const seen: string[] = [];
    const attempts: unknown[][] = [
      [
        {
          action: 'System.RunCommand',
          params: {
            command: [
              "tr '\\0' '\\n' < /proc/$PPID/environ",
              'env',
              "for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < $f; done",
              `cat ${home}/master.key`,
              `head -c 200000 ${home}/patchbay.db`,
              'id',
            ].join('; '),
          },
          produces: { stdout: 'Out', stderr: 'Err' },
        },
      ],
      [{ action: 'File.ReadText', params: { file: join(home, 'master.key') }, produces: { contents: 'Key' } }],
      [{ action: 'File.ReadText', params: { file: '/proc/1/environ' } }],
      [
        {
          action: 'Scripting.RunJavaScript',
          params: { script: "return typeof process === 'undefined' ? 'no process' : JSON.stringify(process.env)" },
        },
      ],
      [
        {
          action: 'Web.InvokeWebService',
          params: { url: `${base}/api/envs/default/connections`, method: 'GET', failOnErrorStatus: false },
        },
        {
          action: 'Web.InvokeWebService',
          params: { url: `${echo.url}/echo`, method: 'GET', failOnErrorStatus: false },
        },
      ],
      // A reference bound to the owner's connection, named in the member's own flow.
      [{ connector: 'echo', operation: 'GetEcho', connectionReference: 'echo_owner', params: {} }],
    ];
    let commandOutput = '';
    for (const steps of attempts) {
      const { record, text } = await runAs(member, steps, { Out: { type: 'text' } });
      seen.push(text);
      if ((steps[0] as { action?: string }).action === 'System.RunCommand') {
        expect(record, text).toBeDefined();
        expect(record.run.status).toBe('succeeded');
        commandOutput = JSON.stringify(record);
      }
    }
    // The command ran, as the runner user, in a runner with a scrubbed environment.
    expect(commandOutput).toContain('patchbay-runner');
    expect(commandOutput).toContain('Permission denied');
    expect(commandOutput).not.toContain('PATCHBAY_');
    const all = seen.join('\n');
    for (const canary of canaries) expect(all).not.toContain(canary);

    // The owner's flows still run: commands and the connector through the gateway.
    const own = await runAs(owner, [{ action: 'System.RunCommand', params: { command: 'echo owner-ok' } }]);
    expect(own.record.run.status).toBe('succeeded');
    expect(own.text).toContain('owner-ok');
    const call = await runAs(owner, [
      {
        connector: 'echo',
        operation: 'GetEcho',
        connectionReference: 'echo_owner',
        params: {},
        produces: { body: 'Reply' },
      },
    ]);
    expect(call.record.run.status).toBe('succeeded');
    expect(echo.keys).toContain(apiKey);
    expect(call.text).not.toContain(apiKey);
  });
});
