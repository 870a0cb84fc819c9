/**
 * Users, environments and environment variables: thin services over the
 * store with the rights checks the CLI and server share.
 */
import { PatchbayError, type Value } from '@patchbay/core';
import type {
  ApiToken,
  EnvVarDefinition,
  EnvVarEntry,
  EnvVarType,
  Environment,
  JsonValue,
  User,
  UserRole,
} from '@patchbay/store';
import { type Actor, requireOwnerRole } from './actor.js';
import type { PlatformContext } from './context.js';
import { requireEnvironmentAdmin, requireRole, roleIn } from './roles.js';

export function usersService(ctx: PlatformContext) {
  const { store } = ctx;
  return {
    /** Creates the first owner account when there is none (a generated password is returned once). */
    ensureOwner: (opts: { email?: string; password?: string; generatePassword?: boolean } = {}) =>
      store.users.ensureOwner(opts),
    /** The user whose email and password match; `auth.denied` otherwise (same message either way). Audited either way. */
    async login(email: string, password: string): Promise<User> {
      const user = await store.users.verifyPassword(email, password);
      if (!user) {
        // The typed email, only when it looks like one (a password typed into the wrong field stays out of the log).
        const typed = typeof email === 'string' ? email.trim().toLowerCase() : '';
        await ctx.audit.record({
          actor: null,
          environment: null,
          action: 'signin.failed',
          target: /^[^\s@]+@[^\s@]+$/.test(typed) && typed.length <= 254 ? typed : '(not an email)',
          outcome: 'failed',
        });
        throw new PatchbayError('auth.denied', 'The email or password is wrong.', {
          hint: 'Check both and try again.',
        });
      }
      await ctx.audit.record({ actor: user, environment: null, action: 'signin', target: user.email });
      return user;
    },
    /** Owner accounts create users. */
    async createUser(
      actor: Actor,
      input: { email: string; password?: string; displayName?: string; role?: UserRole },
    ): Promise<User> {
      requireOwnerRole(actor, 'create users');
      return store.users.create(input);
    },
    /** An API token for the actor (shown once). */
    createToken: (actor: Actor, name: string): Promise<{ token: string; record: ApiToken }> =>
      ctx.audit.around(
        { actor, environment: null, action: 'token.create' },
        (tx) => tx.users.createToken(actor.id, name),
        (r) => ({ target: r.record.id, detail: { name: r.record.name } }),
      ),
    listTokens: (actor: Actor): Promise<ApiToken[]> => store.users.listTokens(actor.id),
    async revokeToken(actor: Actor, tokenId: string): Promise<void> {
      const mine = (await store.users.listTokens(actor.id)).some((t) => t.id === tokenId);
      if (!mine && actor.role !== 'owner')
        throw new PatchbayError('store.not_found', `API token ${tokenId} was not found.`);
      await ctx.audit.around({ actor, environment: null, action: 'token.revoke', target: tokenId }, (tx) =>
        tx.users.revokeToken(tokenId),
      );
    },
    authenticateToken: (token: string): Promise<User | undefined> => store.users.authenticateToken(token),
    /** The first owner account (the CLI acts as this user on the local machine). */
    owner: (): Promise<User> => store.users.owner(),
    get: (id: string): Promise<User> => store.users.get(id),
    findByEmail: (email: string): Promise<User | undefined> => store.users.findByEmail(email),
    async list(actor: Actor): Promise<User[]> {
      requireOwnerRole(actor, 'list users');
      return store.users.list();
    },
  };
}

export function environmentsService(ctx: PlatformContext) {
  const { store } = ctx;
  return {
    /** The environments the actor has a role in (all of them for the instance owner). */
    async list(actor: Actor): Promise<Environment[]> {
      const out: Environment[] = [];
      for (const e of await store.environments.list()) if ((await roleIn(ctx, actor, e.name)) !== null) out.push(e);
      return out;
    },
    /** One environment, if the actor has a role in it. */
    async get(actor: Actor, name: string): Promise<Environment> {
      const e = await store.environments.get(name);
      await requireRole(ctx, actor, name, 'user', 'see it');
      return e;
    },
    /** Owner accounts create environments (`dev`, `test`, `prod`, …). */
    async create(actor: Actor, name: string, opts: { displayName?: string } = {}): Promise<Environment> {
      requireOwnerRole(actor, 'create environments');
      return store.environments.create({ name, ...opts });
    },
  };
}

export function envVarsService(ctx: PlatformContext) {
  const { store } = ctx;
  return {
    /**
     * Defines (or updates) a variable. Definitions are instance-wide: the
     * instance owner defines any; an environment admin defines a new one while
     * setting it in their environment (`opts.environment`), and changes an
     * existing definition only as the instance owner. Secret variables have no default.
     */
    async define(
      actor: Actor,
      input: {
        schemaName: string;
        type: EnvVarType;
        displayName?: string;
        defaultValue?: JsonValue;
        description?: string;
      },
      opts: { environment?: string } = {},
    ): Promise<EnvVarDefinition> {
      if (actor.role !== 'owner') {
        const existing = (await store.envVars.listDefinitions()).some((d) => d.schemaName === input.schemaName);
        if (existing || opts.environment === undefined)
          requireOwnerRole(actor, 'change environment variable definitions, which every environment shares');
        else {
          await store.environments.require(opts.environment);
          await requireEnvironmentAdmin(ctx, actor, opts.environment, 'define environment variables');
        }
      }
      return store.envVars.upsertDefinition(input);
    },
    /** Sets the value in one environment (secret values are sealed); environment admins. */
    async setValue(actor: Actor, environment: string, schemaName: string, value: JsonValue): Promise<void> {
      await store.environments.require(environment);
      await requireEnvironmentAdmin(ctx, actor, environment, 'set environment variable values');
      await store.envVars.setValue(environment, schemaName, value);
    },
    /** Definitions with their values in `environment`; secret values are never included. */
    async list(actor: Actor, environment: string): Promise<EnvVarEntry[]> {
      await store.environments.require(environment);
      await requireRole(ctx, actor, environment, 'user', 'see its environment variables');
      return store.envVars.list(environment);
    },
    definitions: (): Promise<EnvVarDefinition[]> => store.envVars.listDefinitions(),
    /** What a run sees, secrets opened, with the names to redact. For the engine only. */
    resolveForRun: (environment: string): Promise<{ values: Record<string, Value>; secretNames: string[] }> =>
      store.envVars.resolve(environment),
  };
}
