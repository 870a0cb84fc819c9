/**
 * `openPlatform`: opens the store and wires the services into the one object
 * the CLI and the server share.
 */
import type { Clock, Logger, Value } from '@patchbay/core';
import type { DynamicField, DynamicOption, JsonSchema } from '@patchbay/connectors';
import { openStore, type RotationResult, type Store } from '@patchbay/store';
import { environmentsService, envVarsService, usersService } from './accounts.js';
import { AuditLog, auditRetentionDays } from './audit.js';
import { auditService } from './audit-service.js';
import { type Actor, checkActor, requireOwnerRole } from './actor.js';
import { ConnectionCache } from './connection-cache.js';
import { connectionsService } from './connections.js';
import { connectorsService } from './connectors.js';
import { designTimeConnection, type DesignTimeTarget } from './design-time.js';
import { type PlatformContext, silentLogger } from './context.js';
import { flowsService } from './flows.js';
import { machinesService } from './machines.js';
import { policiesService } from './policies.js';
import { referencesService } from './references.js';
import { Resolution } from './resolver.js';
import { runsService } from './runs.js';
import { SignIn } from './signin.js';
import { solutionsService } from './solutions/service.js';
import { rolesService } from './roles-service.js';
import { type EnvironmentRole, requireRole, roleIn } from './roles.js';
import { TokenManager } from './tokens.js';
import { inProcessExecutor, nodeClock, RunnerPool, runnerSettingsFromEnv, type FlowExecutor } from '@patchbay/runtime';

export interface PlatformOptions {
  /** Data folder (SQLite database, master key file); default PATCHBAY_HOME or `~/.patchbay`. */
  home?: string;
  /** `postgres://…` for PostgreSQL; default PATCHBAY_DATABASE_URL, else SQLite in `home`. */
  databaseUrl?: string;
  /** PostgreSQL schema for every table (tests). */
  schema?: string;
  /** Master key(s); default PATCHBAY_MASTER_KEY, else the key file in `home`. */
  masterKey?: string;
  logger?: Logger;
  /** Where the server is reachable, for OAuth redirect URIs (`<publicUrl>/api/oauth/callback`). */
  publicUrl?: string;
  /** For tests of token expiry; the real clock otherwise. */
  clock?: Clock;
  /** Use an already open store instead of opening one (closed with the platform). */
  store?: Store;
  /** Days audit entries are kept; default PATCHBAY_AUDIT_RETENTION_DAYS, else 365. */
  auditRetentionDays?: number;
  /**
   * Where runs execute. Default: a pool of runner processes (settings from
   * PATCHBAY_RUN_TIMEOUT, PATCHBAY_RUNNER_MEMORY_MB, PATCHBAY_RUNNER_USER),
   * or this process when PATCHBAY_RUN_LOCAL=1. One given here is the
   * caller's to close.
   */
  executor?: FlowExecutor;
}

/** The default executor: runner processes, or this process with PATCHBAY_RUN_LOCAL=1. */
export function defaultExecutor(env: NodeJS.ProcessEnv = process.env): FlowExecutor {
  return env.PATCHBAY_RUN_LOCAL === '1' ? inProcessExecutor() : new RunnerPool(runnerSettingsFromEnv(env));
}

export async function openPlatform(opts: PlatformOptions = {}): Promise<Platform> {
  const retentionDays = opts.auditRetentionDays ?? auditRetentionDays();
  const store =
    opts.store ??
    (await openStore({
      ...(opts.home !== undefined ? { home: opts.home } : {}),
      ...(opts.databaseUrl !== undefined ? { databaseUrl: opts.databaseUrl } : {}),
      ...(opts.schema !== undefined ? { schema: opts.schema } : {}),
      ...(opts.masterKey !== undefined ? { masterKey: opts.masterKey } : {}),
    }));
  const ctx: PlatformContext = {
    store,
    logger: opts.logger ?? silentLogger,
    clock: opts.clock ?? nodeClock,
    cache: new ConnectionCache(),
    audit: new AuditLog(store, retentionDays),
    ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
  };
  const executor = opts.executor ?? defaultExecutor();
  return createPlatform(ctx, executor, opts.executor ? undefined : executor);
}

function createPlatform(ctx: PlatformContext, executor: FlowExecutor, ownExecutor: FlowExecutor | undefined) {
  const { store } = ctx;
  const connectors = connectorsService(ctx);
  // Connections, sign-in and tokens need the connector's auth and base URL, never its operations.
  const connectorOf = (environment: string, id: string) => connectors.head(environment, id);
  const tokens = new TokenManager(ctx, connectorOf);
  const resolution = new Resolution(ctx, tokens, connectorOf);
  const signIn = new SignIn(ctx, connectorOf);
  const connections = connectionsService(ctx, {
    connectorOf,
    testableConnectorOf: (environment, id) => connectors.get(environment, id),
    resolution,
    signIn,
  });
  const references = referencesService(ctx, { connectorOf });
  const flows = flowsService(ctx, { connectors });
  const runs = runsService(ctx, { flows, connectors, resolution, executor });
  const solutions = solutionsService(ctx, { connectors, flows, references });
  const designTime = { connectors, usable: connections.usable, resolution };
  const policies = policiesService(ctx, { connectors });
  const machines = machinesService(ctx);
  const guard =
    <A extends unknown[], R>(fn: (actor: Actor, ...args: A) => R) =>
    (actor: Actor, ...args: A): R =>
      fn(checkActor(actor), ...args);
  /** For reads that take no actor inside: the actor needs at least `minimum` in the environment (first argument). */
  const inEnv =
    <A extends unknown[], R>(
      minimum: EnvironmentRole,
      what: string,
      fn: (environment: string, ...args: A) => Promise<R>,
    ) =>
    async (actor: Actor, environment: string, ...args: A): Promise<R> => {
      const a = checkActor(actor);
      await store.environments.require(environment);
      await requireRole(ctx, a, environment, minimum, what);
      return fn(environment, ...args);
    };
  const roles = rolesService(ctx);

  return {
    /** The store underneath, for the server's own tables and the benchmarks. Prefer the services. */
    store,
    users: usersService(ctx),
    /** The audit log: who did what, where, with which outcome (owner and environment admins read it). */
    audit: auditService(ctx),
    environments: environmentsService(ctx),
    envVars: envVarsService(ctx),
    /** Environment roles: `admin`, `maker`, `user` (DESIGN §7; defaults in roles.ts). */
    roles: {
      grant: guard(roles.grant),
      revoke: guard(roles.revoke),
      list: guard(roles.list),
      /** The actor's own role in an environment (defaults applied); null: no access. */
      mine: (actor: Actor, environment: string): Promise<EnvironmentRole | null> =>
        roleIn(ctx, checkActor(actor), environment),
    },
    connectors: {
      import: guard(connectors.import),
      importWithResult: guard(connectors.importWithResult),
      delete: guard(connectors.delete),
      owners: inEnv('user', 'see its connectors', connectors.owners),
      addCoOwner: guard(connectors.addCoOwner),
      removeCoOwner: guard(connectors.removeCoOwner),
      list: inEnv('user', 'see its connectors', connectors.list),
      get: inEnv('user', 'see its connectors', connectors.get),
      /** The model with only these operations (and those their dynamic values and schemas call). */
      withOperations: inEnv('user', 'see its connectors', connectors.withOperations),
      catalog: inEnv('user', 'see its connectors', connectors.catalog),
      /**
       * Options for a dynamic dropdown, through a connection the actor may use
       * (by id, or through a reference bound in the environment) that is for
       * this connector in this environment.
       */
      dynamicValues: guard(
        async (
          actor: Actor,
          environment: string,
          req: DesignTimeTarget & { operationId: string; parameter: string; params?: Record<string, Value> },
        ): Promise<DynamicOption[]> => {
          const { connector, connection } = await designTimeConnection(ctx, designTime, actor, environment, req);
          return connectors.dynamicValues(connector, { ...req, connection });
        },
      ),
      /** A dynamic schema of a parameter (or of the output, without `parameter`), with the same checks as `dynamicValues`. */
      dynamicSchema: guard(
        async (
          actor: Actor,
          environment: string,
          req: DesignTimeTarget & { operationId: string; parameter?: string; params?: Record<string, Value> },
        ): Promise<{ schema: JsonSchema; fields: DynamicField[] }> => {
          const { connector, connection } = await designTimeConnection(ctx, designTime, actor, environment, req);
          return connectors.dynamicSchema(connector, { ...req, connection });
        },
      ),
    },
    connections: {
      create: guard(connections.create),
      list: guard(connections.list),
      get: guard(connections.get),
      update: guard(connections.update),
      test: guard(connections.test),
      share: guard(connections.share),
      unshare: guard(connections.unshare),
      delete: guard(connections.delete),
      startAuthorization: guard(connections.startAuthorization),
      completeAuthorization: connections.completeAuthorization,
      signInWithLoopback: guard(connections.signInWithLoopback),
      reconnect: guard(connections.reconnect),
    },
    references: {
      create: guard(references.create),
      bind: guard(references.bind),
      unbind: guard(references.unbind),
      rename: guard(references.rename),
      list: guard(references.list),
      get: guard(references.get),
      usage: guard(references.usage),
      delete: guard(references.delete),
    },
    flows: {
      save: guard(flows.save),
      validate: guard(flows.validate),
      get: guard(flows.get),
      list: guard(flows.list),
      versions: guard(flows.versions),
      setEnabled: guard(flows.setEnabled),
      setMachineGroup: guard(flows.setMachineGroup),
      rename: guard(flows.rename),
      delete: guard(flows.delete),
      share: guard(flows.share),
      unshare: guard(flows.unshare),
      embedReference: guard(flows.embedReference),
      removeEmbeddedReference: guard(flows.removeEmbeddedReference),
      applyEdits: guard(flows.applyEdits),
    },
    runs: {
      start: guard(runs.start),
      execute: runs.execute,
      runNow: guard(runs.runNow),
      resolverFor: guard(runs.resolverFor),
      list: guard(runs.list),
      get: guard(runs.get),
      cancel: guard(runs.cancel),
    },
    policies: {
      apply: guard(policies.apply),
      list: guard(policies.list),
      get: guard(policies.get),
      delete: guard(policies.delete),
      check: guard(policies.check),
      connectorGroups: guard(policies.connectorGroups),
    },
    /** Machines: runners on other computers (register / revoke: the owner or the environment's admins). */
    machines: {
      register: guard(machines.register),
      revoke: guard(machines.revoke),
      list: guard(machines.list),
      authenticate: machines.authenticate,
      touch: machines.touch,
      setConnected: machines.setConnected,
    },
    solutions: {
      create: guard(solutions.create),
      list: guard(solutions.list),
      export: guard(solutions.export),
      exportZip: guard(solutions.exportZip),
      createSettings: solutions.createSettings,
      import: guard(solutions.import),
    },
    secrets: {
      /** Re-wraps every secret under a new master key (owner accounts). */
      async rotateKey(actor: Actor, opts: { newKey?: string; dropOldKeys?: boolean } = {}): Promise<RotationResult> {
        requireOwnerRole(checkActor(actor), 'rotate the master key');
        const r = await store.rotateMasterKey(opts.newKey, { dropOldKeys: opts.dropOldKeys ?? false });
        ctx.cache.clear();
        return r;
      },
    },
    /** Where this platform's runs execute. */
    executor,
    async close(): Promise<void> {
      ctx.cache.clear();
      await ownExecutor?.close();
      await store.close();
    },
  };
}

/** The one object the CLI and the server share. Every method that acts takes the acting user first. */
export type Platform = ReturnType<typeof createPlatform>;
