/** `patchbay env …`: environments and their variables. */
import { PatchbayError } from '@patchbay/core';
import { withPlatform } from '../platform.js';
import { printJson, printTable } from '../output.js';

export async function envCreateCommand(name: string, opts: { displayName?: string; json?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    const e = await p.environments.create(me, name, opts.displayName ? { displayName: opts.displayName } : {});
    if (opts.json) printJson(e);
    else process.stdout.write(`${e.name}\n`);
  });
}

export async function envListCommand(opts: { json?: boolean }): Promise<void> {
  await withPlatform(async (p) => {
    const list = await p.environments.list();
    if (opts.json) printJson(list);
    else printTable(list as unknown as Record<string, unknown>[], ['name', 'displayName', 'createdAt']);
  });
}

const TYPES = ['text', 'number', 'boolean', 'json', 'secret'] as const;

export async function envVarDefineCommand(schemaName: string, opts: { type: string; displayName?: string; json?: boolean }): Promise<void> {
  if (!(TYPES as readonly string[]).includes(opts.type)) throw new PatchbayError('store.invalid', `Unknown variable type '${opts.type}'`, { hint: `Use one of: ${TYPES.join(', ')}.` });
  await withPlatform(async (p, me) => {
    const d = await p.envVars.define(me, { schemaName, type: opts.type as (typeof TYPES)[number], ...(opts.displayName ? { displayName: opts.displayName } : {}) });
    if (opts.json) printJson(d);
    else process.stdout.write(`${schemaName}\n`);
  });
}

export async function envVarSetCommand(schemaName: string, value: string | undefined, opts: { env: string; fromEnv?: string }): Promise<void> {
  await withPlatform(async (p, me) => {
    const raw = opts.fromEnv ? process.env[opts.fromEnv] : value;
    if (raw === undefined) throw new PatchbayError('store.invalid', opts.fromEnv ? `Environment variable ${opts.fromEnv} is not set` : 'Give a VALUE or --from-env NAME', { hint: 'Secret values belong in --from-env, not on the command line.' });
    let parsed: unknown = raw;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = raw;
    }
    await p.envVars.setValue(me, opts.env, schemaName, parsed as never);
    process.stderr.write(`${schemaName} set in ${opts.env}.\n`);
  });
}
