/** `connector import`, `list`, `delete` and `share`: connectors in an environment of the local store. */
import { describeConnector } from '@patchbay/connectors';
import { withPlatform } from '../../platform.js';
import { printJson, printTable } from '../../output.js';

export async function connectorImportCommand(
  path: string,
  opts: { env: string; id?: string; json?: boolean },
): Promise<void> {
  await withPlatform(async (p, me) => {
    const r = await p.connectors.importWithResult(me, opts.env, path, opts.id ? { id: opts.id } : {});
    const c = r.connector;
    if (opts.json) printJson(describeConnector(c));
    else {
      process.stdout.write(`${c.id}\n`);
      process.stderr.write(
        `${r.outcome === 'updated' ? `Updated ${c.displayName} in` : `Imported ${c.displayName} into`} ${opts.env}: ${c.operations.length} operations, auth: ${c.authSchemes.map((s) => s.name).join(', ') || 'none'}.\n`,
      );
      for (const w of c.warnings) process.stderr.write(`warning: ${w}\n`);
      if (r.destinationChanges.length)
        process.stderr.write(`Credentials now go elsewhere: ${r.destinationChanges.join('; ')}.\n`);
      if (r.reauthConnections.length)
        process.stderr.write(
          `${r.reauthConnections.length} connection(s) of other users now need their owners to reconnect them.\n`,
        );
    }
  });
}

export async function connectorListCommand(opts: { env: string; json?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    const list = await p.connectors.list(me, opts.env);
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

export async function connectorDeleteCommand(
  id: string,
  opts: { env: string; force?: boolean; json?: boolean },
): Promise<void> {
  await withPlatform(async (p, me) => {
    const r = await p.connectors.delete(me, opts.env, id, { force: opts.force === true });
    if (opts.json) return printJson(r);
    process.stderr.write(
      `Deleted connector ${r.id} from ${opts.env}${r.usedBy.length ? `; flows that can no longer run: ${[...new Set(r.usedBy.map((u) => u.flowName))].join(', ')}` : ''}.\n`,
    );
  });
}

export async function connectorShareCommand(
  id: string,
  email: string,
  opts: { env: string; remove?: boolean; json?: boolean },
): Promise<void> {
  await withPlatform(async (p, me) => {
    const owners = opts.remove
      ? await p.connectors.removeCoOwner(me, opts.env, id, email)
      : await p.connectors.addCoOwner(me, opts.env, id, email);
    if (opts.json) return printJson(owners.map((o) => ({ email: o.email, role: o.role })));
    printTable(
      owners.map((o) => ({ email: o.email, role: o.role })),
      ['email', 'role'],
    );
  });
}
