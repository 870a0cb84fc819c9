/**
 * Machines in the store: runners on other computers, each with a name, a
 * machine group, an environment and the SHA-256 hash of its token (the token
 * itself is shown once, at registration, and kept nowhere). A revoked machine
 * keeps its row (`status: 'revoked'`) so its name and history stay readable;
 * registering the name again gives it a new token.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { type RepoContext, checkName, conflict, notFound, now, referencing } from '../context.js';
import type { MachinesTable } from '../schema.js';

export type MachineStatus = 'active' | 'revoked';

export interface Machine {
  name: string;
  group: string;
  environment: string;
  /** The token's first characters, to recognise it; never enough to use it. */
  tokenPrefix: string;
  status: MachineStatus;
  createdBy: string | null;
  createdAt: string;
  lastSeenAt: string | null;
  /** Since when it is connected to a server; null when it is not. */
  connectedAt: string | null;
}

/** A connected machine whose server has not refreshed `lastSeenAt` for this long counts as offline (its server stopped). */
export const MACHINE_ONLINE_WINDOW_MS = 15_000;

/** Whether a machine is online now: connected, and seen within the window. */
export function isMachineOnline(m: Machine, at = Date.now()): boolean {
  return (
    m.status === 'active' &&
    m.connectedAt !== null &&
    m.lastSeenAt !== null &&
    at - Date.parse(m.lastSeenAt) < MACHINE_ONLINE_WINDOW_MS
  );
}

export const MACHINE_TOKEN_PREFIX = 'pbm_';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const toMachine = (r: Selectable<MachinesTable>): Machine => ({
  name: r.name,
  group: r.machineGroup,
  environment: r.environment,
  tokenPrefix: r.tokenPrefix,
  status: r.status as MachineStatus,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  lastSeenAt: r.lastSeenAt,
  connectedAt: r.connectedAt,
});

const LIST_HINT = 'List machines with `patchbay machine list`.';

export function machinesRepository(ctx: RepoContext) {
  const { db } = ctx;

  async function find(name: string): Promise<Machine | undefined> {
    const r = await db.selectFrom('machines').selectAll().where('name', '=', name).executeTakeFirst();
    return r ? toMachine(r) : undefined;
  }

  return {
    find,

    async get(name: string): Promise<Machine> {
      const m = await find(name);
      if (!m) throw notFound(`Machine "${name}"`, LIST_HINT);
      return m;
    },

    async list(filter: { environment?: string } = {}): Promise<Machine[]> {
      let q = db.selectFrom('machines').selectAll();
      if (filter.environment !== undefined) q = q.where('environment', '=', filter.environment);
      return (await q.orderBy('name').execute()).map(toMachine);
    },

    /**
     * Registers a machine and returns its token (shown once). A revoked
     * machine's name can be registered again; an active one's cannot.
     */
    async register(input: {
      name: string;
      group: string;
      environment: string;
      createdBy: string;
    }): Promise<{ machine: Machine; token: string }> {
      const name = checkName('Machine name', input.name);
      const group = checkName('Machine group', input.group);
      const existing = await find(name);
      if (existing?.status === 'active')
        throw conflict(
          `Machine "${name}" is already registered.`,
          'Revoke it first (`patchbay machine revoke NAME`) to give it a new token, or pick another name.',
        );
      const token = MACHINE_TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const r: Selectable<MachinesTable> = {
        name,
        machineGroup: group,
        environment: input.environment,
        tokenHash: hashToken(token),
        tokenPrefix: token.slice(0, MACHINE_TOKEN_PREFIX.length + 6),
        status: 'active',
        createdBy: input.createdBy,
        createdAt: now(),
        lastSeenAt: null,
        connectedAt: null,
      };
      await referencing(
        ctx,
        () => notFound(`Environment "${input.environment}"`, 'List environments with `patchbay env list`.'),
        async () => {
          if (existing) await db.deleteFrom('machines').where('name', '=', name).execute();
          await db.insertInto('machines').values(r).execute();
        },
      );
      return { machine: toMachine(r), token };
    },

    async revoke(name: string): Promise<Machine> {
      const r = await db
        .updateTable('machines')
        .set({ status: 'revoked', connectedAt: null })
        .where('name', '=', name)
        .returningAll()
        .executeTakeFirst();
      if (!r) throw notFound(`Machine "${name}"`, LIST_HINT);
      return toMachine(r);
    },

    /** The active machine a token belongs to, or undefined for an unknown or revoked token. */
    async authenticate(token: string): Promise<Machine | undefined> {
      if (typeof token !== 'string' || !token.startsWith(MACHINE_TOKEN_PREFIX)) return undefined;
      const r = await db
        .selectFrom('machines')
        .selectAll()
        .where('tokenHash', '=', hashToken(token))
        .where('status', '=', 'active')
        .executeTakeFirst();
      return r ? toMachine(r) : undefined;
    },

    /** Records that the machine is still connected (its server calls this every few seconds). */
    async touch(name: string): Promise<void> {
      await db.updateTable('machines').set({ lastSeenAt: now() }).where('name', '=', name).execute();
    },

    /** Records that the machine connected (true) or went offline (false). */
    async setConnected(name: string, connected: boolean): Promise<void> {
      const t = now();
      await db
        .updateTable('machines')
        .set({ lastSeenAt: t, connectedAt: connected ? t : null })
        .where('name', '=', name)
        .execute();
    },
  };
}

export type MachinesRepository = ReturnType<typeof machinesRepository>;
