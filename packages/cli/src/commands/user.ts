/** `patchbay user …` and `patchbay token …`: local accounts and API tokens. */
import { PatchbayError } from '@patchbay/core';
import { withPlatform } from '../platform.js';
import { printJson, printTable } from '../output.js';

export async function userCreateCommand(
  email: string,
  opts: { role: string; passwordEnv?: string; displayName?: string; json?: boolean },
): Promise<void> {
  if (opts.role !== 'owner' && opts.role !== 'member')
    throw new PatchbayError('store.invalid', `Unknown role '${opts.role}'`, { hint: 'Use owner or member.' });
  const password = opts.passwordEnv ? process.env[opts.passwordEnv] : undefined;
  if (opts.passwordEnv && password === undefined)
    throw new PatchbayError('store.invalid', `Environment variable ${opts.passwordEnv} is not set`, {
      hint: 'Passwords come from an environment variable, never from the command line.',
    });
  await withPlatform(async (p, me) => {
    const user = await p.users.createUser(me, {
      email,
      role: opts.role as 'owner' | 'member',
      ...(password ? { password } : {}),
      ...(opts.displayName ? { displayName: opts.displayName } : {}),
    });
    if (opts.json) printJson(user);
    else process.stdout.write(`${user.id}\n`);
  });
}

export async function userListCommand(opts: { json?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    const users = await p.users.list(me);
    if (opts.json) printJson(users);
    else printTable(users as unknown as Record<string, unknown>[], ['id', 'email', 'role', 'createdAt']);
  });
}

export async function tokenCreateCommand(name: string, opts: { json?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    const { token, record } = await p.users.createToken(me, name);
    if (opts.json) printJson({ token, ...record });
    else {
      process.stdout.write(`${token}\n`);
      process.stderr.write(
        `API token '${name}' (${record.id}) for ${me.email}: shown only now. Send it as "Authorization: Bearer …", or set PATCHBAY_TOKEN for the CLI.\n`,
      );
    }
  });
}

export async function tokenListCommand(opts: { json?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    const tokens = await p.users.listTokens(me);
    if (opts.json) printJson(tokens);
    else printTable(tokens as unknown as Record<string, unknown>[], ['id', 'name', 'createdAt', 'lastUsedAt']);
  });
}

export async function tokenRevokeCommand(id: string): Promise<void> {
  await withPlatform(async (p, me) => {
    await p.users.revokeToken(me, id);
    process.stderr.write(`Revoked API token ${id}.\n`);
  });
}
