import { describeConnector, importConnector } from '@patchbay/connectors';
import { printJson, printTable } from '../../output.js';

export async function connectorInspectCommand(path: string, opts: { json?: boolean; id?: string }): Promise<void> {
  const connector = await importConnector(path, opts.id ? { id: opts.id } : undefined);
  const d = describeConnector(connector);
  if (opts.json) return printJson(d);
  process.stdout.write(
    `${connector.displayName} (${connector.id}) — ${connector.operations.length} operations, ${connector.authSchemes.length} auth scheme${connector.authSchemes.length === 1 ? '' : 's'}\n`,
  );
  printTable(
    connector.operations.map((o) => ({
      operation: o.id,
      method: o.method.toUpperCase(),
      path: o.path,
      visibility: o.visibility,
      note: o.isTrigger ? 'trigger' : o.needsCustomCode ? 'custom code' : o.deprecated ? 'deprecated' : '',
    })),
    ['operation', 'method', 'path', 'visibility', 'note'],
  );
  for (const w of connector.warnings) process.stderr.write(`warning: ${w}\n`);
}
