/**
 * Slack's OAuth answers as Slack writes them, against a local server that
 * answers as Slack does: `token_type: "bot"` (accepted for the built-in
 * Slack connector, sent as a bearer token), a user-token-only answer under
 * `authed_user`, and a refusal as `200 {"ok": false, "error": …}`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, freshPlatform, rejection, startService, type TestService } from './test-support.js';

const BOT = 'xoxb-CANARY-slack-bot-7f3a';
const USER = 'xoxp-CANARY-slack-user-91c2';

type Answer = 'bot' | 'user' | 'refuse';

describe.each(dialects)('Slack sign-in on $name', (dialect) => {
  let answer: Answer = 'bot';
  let slack: Server;
  let slackUrl = '';
  let api: TestService;
  let env: Awaited<ReturnType<typeof freshPlatform>>;

  beforeAll(async () => {
    if (!dialect.available) return;
    slack = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (u.pathname === '/oauth/v2/authorize') {
        const back = new URL(u.searchParams.get('redirect_uri') ?? '');
        back.searchParams.set('code', 'slack-code-1');
        back.searchParams.set('state', u.searchParams.get('state') ?? '');
        res.writeHead(302, { location: back.href }).end();
        return;
      }
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const ok = form.get('code') === 'slack-code-1' && form.get('client_secret') === 'slack-secret';
        const team = { id: 'T0001', name: 'Contoso' };
        const out =
          !ok || answer === 'refuse'
            ? { ok: false, error: 'invalid_code' }
            : answer === 'bot'
              ? { ok: true, access_token: BOT, token_type: 'bot', scope: 'chat:write', bot_user_id: 'U0B', team }
              : {
                  ok: true,
                  app_id: 'A0001',
                  team,
                  authed_user: { id: 'U0001', scope: 'chat:write', access_token: USER, token_type: 'user' },
                };
        // Slack answers 200 whatever happened.
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(out));
      });
    });
    await new Promise<void>((r) => slack.listen(0, '127.0.0.1', r));
    slackUrl = `http://127.0.0.1:${(slack.address() as AddressInfo).port}`;
    api = await startService('slack-api', (r) => ({
      status: 200,
      body: { ok: true, channel: 'C1', ts: '1.0', token: (r.headers.authorization ?? '').slice(0, 12) },
    }));
    env = await freshPlatform(dialect);
  });
  afterAll(async () => {
    await env?.close();
    await api?.close();
    if (slack) await new Promise<void>((r) => slack.close(() => r()));
  });

  async function signIn(expect: Answer) {
    answer = expect;
    const p = env.platform;
    const me = await p.users.owner();
    const { connection } = await p.connections.create(me, 'default', {
      connectorId: 'slack',
      displayName: `Slack (${expect})`,
      params: {
        client_id: 'slack-client',
        authorizationUrl: `${slackUrl}/oauth/v2/authorize`,
        tokenUrl: `${slackUrl}/api/oauth.v2.access`,
      },
      secrets: { client_secret: 'slack-secret' },
      baseUrl: api.url,
    });
    const done = p.connections.signInWithLoopback(me, connection.id, {
      open: async (url) => {
        const res = await fetch(url, { redirect: 'manual' });
        void fetch(res.headers.get('location') as string).then((r) => r.text());
      },
    });
    return { me, connection, done };
  }

  it.skipIf(!dialect.available)('accepts a bot token and posts with it as a bearer token', async () => {
    const p = env.platform;
    await p.users.ensureOwner({ email: 'slack@example.com', password: 'correct horse battery' });
    const { me, connection, done } = await signIn('bot');
    const signedIn = await done;
    expect(signedIn.status).toBe('connected');
    expect(JSON.stringify(signedIn)).not.toContain(BOT);
    await p.references.create(me, 'default', {
      logicalName: 'pb_slack',
      connectorId: 'slack',
      connectionId: connection.id,
    });
    const flow = await p.flows.save(me, 'default', {
      schema: 'patchbay/flow@1',
      name: 'Say hello',
      outputs: { Posted: { type: 'object' } },
      steps: [
        {
          connector: 'slack',
          operation: 'PostMessageV2',
          connectionReference: 'pb_slack',
          params: { channel: '#general', text: 'Hello' },
          produces: { body: 'Posted' },
        },
      ],
    });
    const { run } = await p.runs.runNow(me, { flowId: flow.id });
    expect(run.status).toBe('succeeded');
    expect(run.outputs).toMatchObject({ Posted: { ok: true, ts: '1.0' } });
    const post = api.received.at(-1)!;
    expect(post.path).toBe('/api/chat.postMessage');
    expect(post.headers.authorization).toBe(`Bearer ${BOT}`);
    expect(JSON.stringify(run)).not.toContain(BOT);
  });

  it.skipIf(!dialect.available)('reads a user-token-only answer from authed_user', async () => {
    const { done } = await signIn('user');
    expect((await done).status).toBe('connected');
  });

  it.skipIf(!dialect.available)(
    "turns Slack's 200 refusal into a sign-in error with Slack's reason, leaving no token",
    async () => {
      const { me, connection, done } = await signIn('refuse');
      const err = await rejection(done);
      expect(err.message).toContain('invalid_code');
      const after = await env.platform.connections.get(me, connection.id);
      expect(after.status).toBe('needs-reauth');
    },
  );
});
