/** `patchbay env role revoke ENV EMAIL`: removes a user's explicit role (back to the default). */
import { withPlatform } from '../../platform.js';

export async function envRoleRevokeCommand(env: string, email: string): Promise<void> {
  await withPlatform(async (p, me) => {
    await p.roles.revoke(me, env, email);
    process.stderr.write(
      env === 'default'
        ? `${email} has no explicit role in ${env} any more: a maker there by default.\n`
        : `${email} has no role in ${env} any more: no access there.\n`,
    );
  });
}
