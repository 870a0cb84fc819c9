/** `patchbay env role grant ENV EMAIL ROLE`: gives a user a role (admin, maker, user) in an environment. */
import { withPlatform } from '../../platform.js';

export async function envRoleGrantCommand(env: string, email: string, role: string): Promise<void> {
  await withPlatform(async (p, me) => {
    const r = await p.roles.grant(me, env, email, role);
    process.stderr.write(`${r.email} is now ${r.role} in ${r.environment}.\n`);
  });
}
