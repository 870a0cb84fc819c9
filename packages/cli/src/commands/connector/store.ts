/** `connector import` and `connector list`: connectors in an environment of the local store. */
import { describeConnector } from '@patchbay/connectors';
import { withPlatform } from '../../platform.js';
import { printJson, printTable } from '../../output.js';

export async function connectorImportCommand(
  path: string,
  opts: { env: string; id?: string; json?: boolean },
): Promise<void> {
  await withPlatform(async (p, me) => {
    const c = await p.connectors.import(me, opts.env, path, opts.id ? { id: opts.id } : {});
    if (opts.json) printJson(describeConnector(c));
    else {
      process.stdout.write(`${c.id}\n`);
      process.stderr.write(
        `Imported ${c.displayName} into ${opts.env}: ${c.operations.length} operations, auth: ${c.authSchemes.map((s) => s.name).join(', ') || 'none'}.\n`,
      );
      for (const w of c.warnings) process.stderr.write(`warning: ${w}\n`);
    }
  });
}

export async function connectorListCommand(opts: { env: string; json?: boolean }): Promise<void> {
  await withPlatform(async (p) => {
    const list = await p.connectors.list(opts.env);
    if (opts.json) return printJson(list);
    printTable(
      list.map((c) => ({
        id: c.id,
        name: c.displayName,
        operations: c.operations.length,
        auth: c.authSchemes.map((s) => s.type).join(', '),
        builtin: c.builtin ? 'yes' : '',
      })),
      ['id', 'name', 'operations', 'auth', 'builtin'],
    );
  });
}
