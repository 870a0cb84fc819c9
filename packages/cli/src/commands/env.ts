/** `patchbay env …`: environments and their variables. */
import { PatchbayError, coerceValue } from '@patchbay/core';
import type { Platform } from '@patchbay/platform';
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
  await withPlatform(async (p, me) => {
    const list = await p.environments.list(me);
    if (opts.json) printJson(list);
    else printTable(list, ['name', 'displayName', 'createdAt']);
  });
}

/** A stored variable value (JSON data). */
type JsonValue = Parameters<Platform['envVars']['setValue']>[3];

const TYPES = ['text', 'number', 'boolean', 'json', 'secret'] as const;

export async function envVarDefineCommand(
  schemaName: string,
  opts: { type: string; displayName?: string; json?: boolean },
): Promise<void> {
  if (!(TYPES as readonly string[]).includes(opts.type))
    throw new PatchbayError('store.invalid', `Unknown variable type '${opts.type}'`, {
      hint: `Use one of: ${TYPES.join(', ')}.`,
    });
  await withPlatform(async (p, me) => {
    const d = await p.envVars.define(me, {
      schemaName,
      type: opts.type as (typeof TYPES)[number],
      ...(opts.displayName ? { displayName: opts.displayName } : {}),
    });
    if (opts.json) printJson(d);
    else process.stdout.write(`${schemaName}\n`);
  });
}

/**
 * Reads a VALUE typed on the command line as the variable's type: text and
 * secrets as they are (`007` stays text), numbers and booleans as such, JSON
 * variables as JSON. Messages never repeat the value.
 */
export function readEnvVarValue(schemaName: string, type: string, raw: string): JsonValue {
  const what = `Environment variable "${schemaName}"`;
  switch (type) {
    case 'number':
      return coerceValue(raw, 'number', what) as number;
    case 'boolean':
      return coerceValue(raw, 'boolean', what) as boolean;
    case 'json':
      try {
        return JSON.parse(raw) as JsonValue;
      } catch {
        throw new PatchbayError('store.invalid', `${what} is of type json; the value given is not valid JSON.`, {
          hint: `Quote it for the shell, e.g. '{"Region": "eu"}' or '"text"'.`,
        });
      }
    default:
      return raw;
  }
}

export async function envVarSetCommand(
  schemaName: string,
  value: string | undefined,
  opts: { env: string; fromEnv?: string },
): Promise<void> {
  await withPlatform(async (p, me) => {
    const def = (await p.envVars.definitions()).find((d) => d.schemaName === schemaName);
    if (!def)
      throw new PatchbayError('store.not_found', `Environment variable "${schemaName}" is not defined`, {
        hint: `Define it first: patchbay env var define ${schemaName} --type text`,
      });
    if (def.type === 'secret' && !opts.fromEnv) {
      // A secret typed on the command line stays in shell history and process listings.
      throw new PatchbayError(
        'store.invalid',
        `"${schemaName}" is a secret variable; its value cannot be given on the command line`,
        {
          hint: `export THE_VALUE=… and run: patchbay env var set ${schemaName} --from-env THE_VALUE --env ${opts.env}`,
        },
      );
    }
    const raw = opts.fromEnv ? process.env[opts.fromEnv] : value;
    if (raw === undefined)
      throw new PatchbayError(
        'store.invalid',
        opts.fromEnv ? `Environment variable ${opts.fromEnv} is not set` : 'Give a VALUE or --from-env NAME',
        { hint: 'Secret values belong in --from-env, not on the command line.' },
      );
    await p.envVars.setValue(me, opts.env, schemaName, readEnvVarValue(schemaName, def.type, raw));
    process.stderr.write(`${schemaName} set in ${opts.env}.\n`);
  });
}
