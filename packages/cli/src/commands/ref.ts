/** `patchbay ref …`: connection references, the sockets flows plug into. */
import type { ReferenceInfo } from '@patchbay/platform';
import { withPlatform } from '../platform.js';
import { printJson, printTable } from '../output.js';

function refRow(r: ReferenceInfo) {
  return {
    logicalName: r.logicalName,
    connector: r.connectorId,
    connection: r.connection ? `${r.connection.displayName} (${r.connection.id}, ${r.connection.status})` : 'unbound',
    usedBy: r.usedBy.map((f) => f.flowName),
  };
}

export async function refCreateCommand(
  logicalName: string,
  opts: { connector: string; displayName?: string; description?: string; env: string; json?: boolean },
): Promise<void> {
  await withPlatform(async (p, me) => {
    const r = await p.references.create(me, opts.env, {
      logicalName,
      connectorId: opts.connector,
      displayName: opts.displayName ?? logicalName,
      ...(opts.description ? { description: opts.description } : {}),
    });
    if (opts.json) printJson(r);
    else process.stdout.write(`${r.logicalName}\n`);
  });
}

export async function refBindCommand(
  logicalName: string,
  connectionId: string,
  opts: { env: string; json?: boolean },
): Promise<void> {
  await withPlatform(async (p, me) => {
    const r = await p.references.bind(me, opts.env, logicalName, connectionId);
    if (opts.json) printJson(r);
    else
      process.stderr.write(
        `${r.logicalName} in ${opts.env} now uses connection ${connectionId}${r.usedBy.length ? ` (flows: ${r.usedBy.map((f) => f.flowName).join(', ')})` : ''}.\n`,
      );
  });
}

export async function refUnbindCommand(logicalName: string, opts: { env: string }): Promise<void> {
  await withPlatform(async (p, me) => {
    await p.references.unbind(me, opts.env, logicalName);
    process.stderr.write(`${logicalName} in ${opts.env} is unbound.\n`);
  });
}

export async function refListCommand(opts: { env: string; connector?: string; json?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    const list = await p.references.list(me, opts.env, opts.connector ? { connectorId: opts.connector } : {});
    if (opts.json) printJson(list);
    else printTable(list.map(refRow), ['logicalName', 'connector', 'connection', 'usedBy']);
  });
}

export async function refUsageCommand(logicalName: string, opts: { env: string; json?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    const usage = await p.references.usage(me, opts.env, logicalName);
    if (opts.json) printJson(usage);
    else printTable(usage, ['flowId', 'flowName', 'connectorId']);
  });
}

export async function refDeleteCommand(logicalName: string, opts: { env: string }): Promise<void> {
  await withPlatform(async (p, me) => {
    await p.references.delete(me, opts.env, logicalName);
    process.stderr.write(`Deleted reference ${logicalName} in ${opts.env}.\n`);
  });
}
