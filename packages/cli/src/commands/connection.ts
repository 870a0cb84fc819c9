/**
 * `patchbay connection …`. Secret parameters come from --secret-env, JSON on
 * stdin (--secrets-stdin) or a prompt on a terminal — never from argv, so they
 * do not end up in shell history or process listings.
 */
import { PatchbayError } from '@patchbay/core';
import type { PublicConnection } from '@patchbay/platform';
import { withPlatform } from '../platform.js';
import { CliExit, printJson, printTable } from '../output.js';

export interface CreateOptions {
  name: string;
  env: string;
  scheme?: string;
  param?: Record<string, string>;
  secretEnv?: Record<string, string>;
  secretsStdin?: boolean;
  baseUrl?: string;
  noSignIn?: boolean;
  json?: boolean;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function promptSecret(label: string): Promise<string> {
  const { password, isCancel } = await import('@clack/prompts');
  const v = await password({ message: label });
  if (isCancel(v)) throw new CliExit(130, 'cancelled');
  return v;
}

/** ` at line L, column C` from a JSON.parse error that gives a position, else nothing. */
function jsonErrorPlace(text: string, e: unknown): string {
  const m = /position (\d+)/.exec(e instanceof Error ? e.message : '');
  if (!m) return '';
  const before = text.slice(0, Number(m[1])).split('\n');
  return ` at line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

function connectionRow(c: PublicConnection) {
  return {
    id: c.id,
    name: c.displayName,
    connector: c.connectorId,
    owner: c.owner.email,
    status: c.status + (c.statusReason && c.status !== 'connected' ? ` (${c.statusReason})` : ''),
    shared: c.sharedWithMe ? 'with me' : '',
  };
}

export async function connectionCreateCommand(connectorId: string, opts: CreateOptions): Promise<void> {
  await withPlatform(async (p, me) => {
    const connector = await p.connectors.withOperations(me, opts.env, connectorId, []);
    const scheme = opts.scheme ? connector.authSchemes.find((s) => s.name === opts.scheme) : connector.authSchemes[0];
    if (opts.scheme && !scheme) {
      throw new PatchbayError('store.invalid', `Connector ${connectorId} has no auth scheme '${opts.scheme}'`, {
        hint: `Its schemes are: ${connector.authSchemes.map((s) => s.name).join(', ')}.`,
      });
    }
    const secretNames = new Set((scheme?.parameters ?? []).filter((x) => x.secret).map((x) => x.name));
    const params: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(opts.param ?? {})) {
      if (secretNames.has(k))
        throw new PatchbayError(
          'store.invalid',
          `'${k}' is a secret parameter and cannot be given on the command line`,
          { hint: `Use --secret-env ${k}=ENV_VAR, --secrets-stdin, or answer the prompt.` },
        );
      params[k] = v;
    }
    const secrets: Record<string, string> = {};
    for (const [k, envName] of Object.entries(opts.secretEnv ?? {})) {
      const v = process.env[envName];
      if (v === undefined)
        throw new PatchbayError('store.invalid', `Environment variable ${envName} (for '${k}') is not set`, {
          hint: `export ${envName}=… before running the command.`,
        });
      secrets[k] = v;
    }
    if (opts.secretsStdin) {
      const text = await readStdin();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        // JSON.parse quotes the text it could not read, which here is secret: keep only the place.
        throw new PatchbayError(
          'store.invalid',
          `--secrets-stdin expects a JSON object; stdin is not valid JSON${jsonErrorPlace(text, e)}`,
          { hint: 'e.g. echo \'{"api_key": "…"}\' | patchbay connection create …' },
        );
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new PatchbayError('store.invalid', '--secrets-stdin expects a JSON object of secret parameter values');
      for (const [k, v] of Object.entries(parsed)) {
        // A nested object or list would be stored as "[object Object]" or "a,b": refuse it by name, never by value.
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
          throw new PatchbayError(
            'store.invalid',
            `--secrets-stdin: the value of "${k}" must be text, not ${v === null ? 'null' : Array.isArray(v) ? 'a list' : 'an object'}`,
            { hint: 'Give each secret parameter as a JSON string, e.g. {"api_key": "…"}.' },
          );
        }
        secrets[k] = String(v);
      }
    }
    for (const param of scheme?.parameters ?? []) {
      if (!param.secret || !param.required || secrets[param.name] !== undefined || param.type === 'oauthSetting')
        continue;
      if (scheme?.type === 'oauth2' && param.name === 'client_secret' && !process.stdin.isTTY) continue;
      if (process.stdin.isTTY && !process.env.CI)
        secrets[param.name] = await promptSecret(`${param.displayName || param.name}:`);
    }
    const { connection } = await p.connections.create(me, opts.env, {
      connectorId: connector.id,
      displayName: opts.name,
      ...(scheme ? { scheme: scheme.name } : {}),
      params,
      secrets,
      ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
    });
    let result = connection;
    const needsSignIn = scheme?.type === 'oauth2' && scheme.oauth2?.flow !== 'clientCredentials';
    if (needsSignIn && !opts.noSignIn) {
      result = await p.connections.signInWithLoopback(me, connection.id, { open: (url) => openBrowser(url) });
    }
    if (opts.json) printJson(result);
    else {
      process.stdout.write(`${result.id}\n`);
      process.stderr.write(
        `Connection '${result.displayName}' to ${result.connectorId} in ${opts.env}: ${result.status}${result.statusReason && result.status !== 'connected' ? ` — ${result.statusReason}` : ''}\n`,
      );
    }
  });
}

/** Shows the sign-in address and tries the desktop's browser opener. */
async function openBrowser(url: string): Promise<void> {
  process.stderr.write(`Sign in at: ${url}\n`);
  if (process.env.CI || !process.stdout.isTTY) return;
  const { spawn } = await import('node:child_process');
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    spawn(cmd, [url], { stdio: 'ignore', detached: true })
      .on('error', () => undefined)
      .unref();
  } catch {
    // The printed address is enough.
  }
}

export async function connectionListCommand(opts: { env: string; connector?: string; json?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    const list = await p.connections.list(me, opts.env, opts.connector ? { connectorId: opts.connector } : {});
    if (opts.json) printJson(list);
    else printTable(list.map(connectionRow), ['id', 'name', 'connector', 'owner', 'status', 'shared']);
  });
}

export async function connectionTestCommand(id: string, opts: { json?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    const r = await p.connections.test(me, id);
    if (opts.json) printJson(r);
    else process.stdout.write(`${r.status}${r.statusReason ? `: ${r.statusReason}` : ''}\n`);
    if (r.status !== 'connected') throw new CliExit(1, `connection ${id} is ${r.status}`);
  });
}

export async function connectionShareCommand(id: string, email: string, opts: { remove?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    if (opts.remove) await p.connections.unshare(me, id, email);
    else await p.connections.share(me, id, email);
    process.stderr.write(
      opts.remove
        ? `${email} can no longer use connection ${id}.\n`
        : `${email} can now use connection ${id} (not read its secrets).\n`,
    );
  });
}

export async function connectionDeleteCommand(id: string, opts: { force?: boolean; json?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    const r = await p.connections.delete(me, id, { force: opts.force });
    if (opts.json) printJson(r);
    else {
      process.stderr.write(`Deleted connection ${id}.\n`);
      for (const b of r.unbound) process.stderr.write(`Unbound reference ${b.logicalName} in ${b.environment}.\n`);
    }
  });
}

export async function connectionReconnectCommand(
  id: string,
  opts: { secretEnv?: Record<string, string>; json?: boolean },
): Promise<void> {
  await withPlatform(async (p, me) => {
    const secrets: Record<string, string> = {};
    for (const [k, envName] of Object.entries(opts.secretEnv ?? {})) {
      const v = process.env[envName];
      if (v === undefined)
        throw new PatchbayError('store.invalid', `Environment variable ${envName} (for '${k}') is not set`);
      secrets[k] = v;
    }
    const c = Object.keys(secrets).length
      ? (await p.connections.reconnect(me, id, { secrets })).connection
      : await p.connections.signInWithLoopback(me, id, { open: (url) => openBrowser(url) });
    if (opts.json) printJson(c);
    else process.stderr.write(`Connection ${id}: ${c.status}\n`);
  });
}
