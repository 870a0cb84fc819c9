// OAuth2 sign-in from the command through the loopback redirect, against a real local authorization server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { OAuth2Server } from 'oauth2-mock-server';
import { BIN, patchbay, tempHome, type CliResult } from './cli.js';
import { reasonLines, startService, writeTemp, type TestService } from './services.js';

/** "Vault": OAuth2 authorization code; GET /me needs a live token. */
function vaultOpenApi(api: string, issuer: string): string {
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'Vault', version: '1.0.0' },
    servers: [{ url: api }],
    components: {
      securitySchemes: {
        oauth: {
          type: 'oauth2',
          flows: {
            authorizationCode: {
              authorizationUrl: `${issuer}/authorize`,
              tokenUrl: `${issuer}/token`,
              refreshUrl: `${issuer}/token`,
              scopes: { 'vault.read': 'Read' },
            },
          },
        },
      },
    },
    security: [{ oauth: ['vault.read'] }],
    paths: {
      '/me': {
        get: {
          operationId: 'Me',
          summary: 'Who am I',
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
    },
  });
}

/**
 * Runs the command and, when it prints "Sign in at: URL", does what a browser
 * would: opens the URL and follows the provider's redirect to the loopback
 * listener. Resolves with the command's result and the URL it printed.
 */
function runWithBrowser(
  args: string[],
  opts: { home: string; env: Record<string, string>; browser: (url: string) => Promise<void> },
): Promise<CliResult & { signInUrl: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, PATCHBAY_HOME: opts.home, CI: 'true', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signInUrl = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      const m = /Sign in at: (\S+)/.exec(stderr);
      if (m && !signInUrl) {
        signInUrl = m[1];
        opts.browser(signInUrl).catch(reject);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, signInUrl }));
    child.stdin.end();
  });
}

describe('OAuth2 connections from the command', () => {
  const home = tempHome();
  const auth = new OAuth2Server();
  const grants: string[] = [];
  const issued = new Set<string>();
  const live = new Set<string>();
  const clientSecret = 'vault-client-secret-6a1f';
  let api: TestService;

  beforeAll(async () => {
    await auth.issuer.keys.generate('RS256');
    await auth.start(0, '127.0.0.1');
    auth.service.on(
      'beforeResponse',
      (res: { statusCode: number; body: Record<string, unknown> }, req: { body: Record<string, string> }) => {
        const b = req.body;
        grants.push(b.grant_type);
        if (b.grant_type === 'authorization_code' && !b.code_verifier) {
          res.statusCode = 400;
          res.body = { error: 'invalid_grant', error_description: 'PKCE code_verifier required.' };
          return;
        }
        for (const k of ['access_token', 'refresh_token', 'id_token'])
          if (typeof res.body[k] === 'string') issued.add(res.body[k] as string);
        if (typeof res.body.access_token === 'string') live.add(res.body.access_token);
      },
    );
    api = await startService('vault-api', (r) => {
      const token = (r.headers.authorization ?? '').replace(/^Bearer /, '');
      return live.has(token)
        ? { status: 200, body: { user: 'johndoe' } }
        : { status: 401, body: { error: 'invalid_token' } };
    });
    const imported = await patchbay(
      ['connector', 'import', writeTemp('vault.json', vaultOpenApi(api.url, String(auth.issuer.url)))],
      { home },
    );
    expect(imported.code, imported.stderr).toBe(0);
  });
  afterAll(async () => {
    await api?.close();
    await auth.stop();
  });

  it('prints the sign-in address, finishes through the loopback redirect and reports connected', async () => {
    let redirectedTo = '';
    const r = await runWithBrowser(
      [
        'connection',
        'create',
        'vault',
        '--name',
        'Vault',
        '--param',
        'client_id=patchbay-cli',
        '--secret-env',
        'client_secret=VAULT_SECRET',
        '--json',
      ],
      {
        home,
        env: { VAULT_SECRET: clientSecret },
        browser: async (url) => {
          const res = await fetch(url, { redirect: 'manual' });
          redirectedTo = res.headers.get('location') ?? '';
          const back = await fetch(redirectedTo);
          await back.text();
        },
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const u = new URL(r.signInUrl);
    expect(`${u.origin}${u.pathname}`).toBe(`${String(auth.issuer.url)}/authorize`);
    expect(u.searchParams.get('client_id')).toBe('patchbay-cli');
    expect(u.searchParams.get('code_challenge_method')).toBe('S256');
    expect(u.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(redirectedTo).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?code=/);
    const c = JSON.parse(r.stdout) as { id: string; status: string };
    expect(c.status).toBe('connected');
    expect(grants).toEqual(['authorization_code']);

    const tested = await patchbay(['connection', 'test', c.id, '--json'], { home });
    expect(tested.code, tested.stderr).toBe(0);
    expect(JSON.parse(tested.stdout)).toMatchObject({ status: 'connected' });
    expect(api.received.at(-1)?.headers.authorization).toMatch(/^Bearer \S+$/);

    const list = await patchbay(['connection', 'list', '--json'], { home });
    const printed = [r.stdout, r.stderr, tested.stdout, tested.stderr, list.stdout].join('\n');
    expect(printed).not.toContain(clientSecret);
    for (const token of issued) expect(printed).not.toContain(token);
  });

  it('fails in one line when the provider refuses the sign-in, and leaves the connection needing sign-in', async () => {
    const r = await runWithBrowser(
      [
        'connection',
        'create',
        'vault',
        '--name',
        'Vault refused',
        '--param',
        'client_id=patchbay-cli',
        '--secret-env',
        'client_secret=VAULT_SECRET',
      ],
      {
        home,
        env: { VAULT_SECRET: clientSecret },
        browser: async (url) => {
          // The user presses "Cancel": the provider sends the error to the redirect URI.
          const u = new URL(url);
          const back = new URL(u.searchParams.get('redirect_uri') ?? '');
          back.searchParams.set('state', u.searchParams.get('state') ?? '');
          back.searchParams.set('error', 'access_denied');
          back.searchParams.set('error_description', 'The user said no');
          await (await fetch(back)).text();
        },
      },
    );
    expect(r.code).not.toBe(0);
    expect(reasonLines(r.stderr)).toEqual([expect.stringMatching(/access_denied.*The user said no/)]);
    const list = JSON.parse((await patchbay(['connection', 'list', '--json'], { home })).stdout) as {
      displayName: string;
      status: string;
    }[];
    expect(list.find((c) => c.displayName === 'Vault refused')?.status).toBe('needs-reauth');
  });

  it('--no-sign-in creates the connection needing sign-in without waiting for a browser', async () => {
    const r = await patchbay(
      [
        'connection',
        'create',
        'vault',
        '--name',
        'Vault later',
        '--param',
        'client_id=patchbay-cli',
        '--secret-env',
        'client_secret=VAULT_SECRET',
        '--no-sign-in',
        '--json',
      ],
      { home, env: { VAULT_SECRET: clientSecret } },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ displayName: 'Vault later', status: 'needs-reauth' });
    expect(r.stderr).not.toMatch(/Sign in at/);
  });
});
