/** `patchbay env role list [ENV] [--json]`: roles in one environment, or in every environment you administer. */
import { withPlatform } from '../../platform.js';
import { printJson, printTable } from '../../output.js';

export async function envRoleListCommand(env: string | undefined, opts: { json?: boolean }): Promise<void> {
  await withPlatform(async (p, me) => {
    const list = await p.roles.list(me, env);
    if (opts.json) return printJson(list);
    printTable(
      list.flatMap((e) => [
        ...e.entries.map((r) => ({
          environment: e.environment,
          email: r.email,
          role: r.role,
          source: r.source === 'owner' ? 'instance owner' : 'granted',
        })),
        ...(e.defaultRole
          ? [{ environment: e.environment, email: '(every other user)', role: e.defaultRole, source: 'default' }]
          : []),
      ]),
      ['environment', 'email', 'role', 'source'],
    );
  });
}
