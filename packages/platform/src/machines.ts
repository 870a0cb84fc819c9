/**
 * Machines (Power Automate's machines and machine groups): runners on other
 * computers. The instance owner or an environment's admins register one
 * (the token is returned once; the store keeps its hash) and revoke it; both
 * are audited. `authenticate` is how the server recognises a connecting
 * machine. A machine is online while a server holds its connection and keeps
 * its `lastSeenAt` fresh.
 */
import { isMachineOnline, type Machine } from '@patchbay/store';
import type { Actor } from './actor.js';
import type { PlatformContext } from './context.js';
import { isEnvironmentAdmin, requireEnvironmentAdmin } from './roles.js';

export interface MachineView extends Machine {
  /** Whether the machine is connected to a server now. */
  online: boolean;
}

export const DEFAULT_MACHINE_GROUP = 'default';

export function machinesService(ctx: PlatformContext) {
  const { store } = ctx;

  async function register(
    actor: Actor,
    input: { name: string; group?: string; environment?: string },
  ): Promise<{ machine: Machine; token: string }> {
    const environment = await store.environments.require(input.environment ?? 'default');
    const group = input.group ?? DEFAULT_MACHINE_GROUP;
    const event = {
      actor,
      environment,
      action: 'machine.register' as const,
      target: input.name,
      detail: { group },
    };
    await ctx.audit.guard(event, () => requireEnvironmentAdmin(ctx, actor, environment, 'register machines'));
    return ctx.audit.around(event, (tx) =>
      tx.machines.register({ name: input.name, group, environment, createdBy: actor.id }),
    );
  }

  async function revoke(actor: Actor, name: string): Promise<Machine> {
    const machine = await store.machines.get(name);
    const event = {
      actor,
      environment: machine.environment,
      action: 'machine.revoke' as const,
      target: name,
      detail: { group: machine.group },
    };
    await ctx.audit.guard(event, () => requireEnvironmentAdmin(ctx, actor, machine.environment, 'revoke machines'));
    return ctx.audit.around(event, (tx) => tx.machines.revoke(name));
  }

  /** Machines of the environments the actor administers (every one for the owner). */
  async function list(actor: Actor, opts: { environment?: string } = {}): Promise<MachineView[]> {
    if (opts.environment) await requireEnvironmentAdmin(ctx, actor, opts.environment, 'list machines');
    const all = await store.machines.list(opts.environment ? { environment: opts.environment } : {});
    const out: MachineView[] = [];
    for (const m of all) {
      if (!(await isEnvironmentAdmin(ctx, actor, m.environment))) continue;
      out.push({ ...m, online: isMachineOnline(m) });
    }
    return out;
  }

  return {
    register,
    revoke,
    list,
    /** The active machine a token belongs to, or undefined (unknown or revoked). */
    authenticate: (token: string) => store.machines.authenticate(token),
    touch: (name: string) => store.machines.touch(name),
    setConnected: (name: string, connected: boolean) => store.machines.setConnected(name, connected),
  };
}

export type MachinesService = ReturnType<typeof machinesService>;
