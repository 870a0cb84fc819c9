/**
 * Connectors per environment: the built-in ones (always listed, never
 * replaced) and imported custom connectors (Power Platform folders, OpenAPI
 * files, uploads) with their owner and co-owners, the catalog a run or the
 * validator uses, and design-time dynamic values and schemas.
 *
 * Only the owner, a co-owner or an environment admin may replace or delete an
 * imported connector. A replacement that changes where credentials go moves
 * every other user's connection to it to `needs-reauth` (see
 * `connector-destination.ts`), in the same transaction as the change.
 */
import { PatchbayError, type ConnectorCatalog, type ResolvedConnection, type Value } from '@patchbay/core';
import type { Connector, DynamicField, DynamicOption, JsonSchema, Operation } from '@patchbay/connectors';
import type {
  ConnectorOwner,
  ConnectorSummaryRecord,
  ConnectorUsage,
  OperationSummary,
  Repositories,
  StoredConnectorSummary,
} from '@patchbay/store';
import { operationSummary } from '@patchbay/store';
import { type Actor, denied } from './actor.js';
import { destinationChanges } from './connector-destination.js';
import type { PlatformContext } from './context.js';
import { hasRole, isEnvironmentAdmin, requireRole } from './roles.js';

/** What the designer and `connector list` show: the connector without its operations' details. */
export interface ConnectorSummary {
  id: string;
  displayName: string;
  description: string;
  iconUrl?: string;
  brandColor: string;
  publisher?: string;
  builtin: boolean;
  /** Imported connectors: who imported it first (null for one imported before owners were kept). */
  owner?: { id: string; email: string } | null;
  /** Imported connectors: the users its owner made co-owners. */
  coOwners?: { id: string; email: string }[];
  authSchemes: Connector['authSchemes'];
  /** Kinds of its auth schemes, each once (`none`, `apiKey`, `basic`, `bearer`, `oauth2`). */
  authKinds: string[];
  counts: { operations: number; actions: number; triggers: number };
  /** Keys at their usual value are left out (see `OperationSummary`). */
  operations: OperationSummary[];
}

/** An upload from the designer: a Power Platform folder's files, or one OpenAPI text. */
export type ConnectorUpload =
  { files: Record<string, string>; id?: string } | { openapi: string; fileName?: string; id?: string };

type ConnectorsModule = typeof import('@patchbay/connectors');

// The connectors package (importer, YAML, XML, invoker) loads on first use, so
// commands and runs that never touch a connector do not pay for evaluating it.
let loaded: Promise<ConnectorsModule> | undefined;
function connectorsModule(): Promise<ConnectorsModule> {
  loaded ??= import('@patchbay/connectors');
  return loaded;
}

/** Built-in connectors, when the connectors package offers them (`builtinConnectors()`). */
export async function builtinConnectors(): Promise<Connector[]> {
  const fn = ((await connectorsModule()) as Record<string, unknown>).builtinConnectors;
  return typeof fn === 'function' ? (fn as () => Connector[])() : [];
}

export function summarize(c: Connector, builtin: boolean, owners?: ConnectorOwner[]): ConnectorSummary {
  const operations = c.operations.map((o) => operationSummary(o));
  const record: ConnectorSummaryRecord = {
    id: c.id,
    displayName: c.displayName,
    description: c.description,
    brandColor: c.brandColor,
    authSchemes: c.authSchemes,
    authKinds: [...new Set(c.authSchemes.map((a) => a.type))],
    counts: {
      operations: operations.length,
      actions: operations.filter((o) => o.usableAsAction !== false).length,
      triggers: operations.filter((o) => o.isTrigger).length,
    },
    operations,
  };
  if (c.iconUrl) record.iconUrl = c.iconUrl;
  if (c.publisher) record.publisher = c.publisher;
  return fromRecord(record, builtin, owners);
}

/** A stored summary as the designer and `connector list` show it. */
function fromRecord(r: ConnectorSummaryRecord, builtin: boolean, owners?: ConnectorOwner[]): ConnectorSummary {
  const s: ConnectorSummary = {
    id: r.id,
    displayName: r.displayName,
    description: r.description,
    brandColor: r.brandColor,
    builtin,
    ...(owners
      ? {
          owner: owners.filter((o) => o.role === 'owner').map((o) => ({ id: o.userId, email: o.email }))[0] ?? null,
          coOwners: owners.filter((o) => o.role === 'co-owner').map((o) => ({ id: o.userId, email: o.email })),
        }
      : {}),
    authSchemes: r.authSchemes as Connector['authSchemes'],
    authKinds: r.authKinds,
    counts: r.counts,
    operations: r.operations,
  };
  if (r.iconUrl) s.iconUrl = r.iconUrl;
  if (r.publisher) s.publisher = r.publisher;
  return s;
}

/** JSON with every object's keys sorted: a stored model and the same model imported again compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** Operations a loaded operation's dynamic values and schemas call (loaded with it, for design time). */
function dynamicTargets(op: Operation): string[] {
  const out: string[] = [];
  if (op.dynamicSchemaOutput?.operationId) out.push(op.dynamicSchemaOutput.operationId);
  for (const i of op.inputs) {
    if (i.dynamicValues?.operationId) out.push(i.dynamicValues.operationId);
    if (i.dynamicSchema?.operationId) out.push(i.dynamicSchema.operationId);
  }
  return out;
}

function fromUpload(connectors: ConnectorsModule, upload: ConnectorUpload): Connector {
  const { importConnectorFromText } = connectors;
  const opts = upload.id ? { id: upload.id } : {};
  if ('openapi' in upload)
    return importConnectorFromText(upload.openapi, { ...opts, fileName: upload.fileName ?? 'openapi.json' });
  const def = upload.files[connectors.DEFINITION_FILE];
  if (typeof def !== 'string')
    throw new PatchbayError('connector.invalid', `The upload has no ${connectors.DEFINITION_FILE}.`, {
      hint: `Send the connector folder's ${connectors.DEFINITION_FILE} and ${connectors.PROPERTIES_FILE}.`,
    });
  const icon = upload.files['icon.png'];
  return importConnectorFromText(def, {
    ...opts,
    fileName: connectors.DEFINITION_FILE,
    apiProperties: upload.files[connectors.PROPERTIES_FILE] ?? '{}',
    ...(upload.files['script.csx'] !== undefined ? { script: upload.files['script.csx'] } : {}),
    ...(icon !== undefined ? { icon: new Uint8Array(Buffer.from(icon, 'base64')) } : {}),
  });
}

/** How a connector gets into an environment: the direct import (API, CLI, designer) or a solution. */
export interface InstallOptions {
  /** Where it came from, recorded with it (`upload`, a path, `solution:NAME`). */
  source: string;
  /** Solution import: a connector identical to the stored one is left as it is, whoever owns it. */
  unchangedIsNoop?: boolean;
}

/** What installing did. */
export interface InstallResult {
  /** `unchanged`: a solution carried the stored model as it is. */
  outcome: 'created' | 'updated' | 'unchanged';
  /** What changed in where credentials go (empty when nothing did). */
  destinationChanges: string[];
  /** Connections of other users moved to `needs-reauth`. */
  reauthConnections: string[];
}

function otherIdHint(id: string): string {
  return `Import yours under another id: \`patchbay connector import PATH --id ${id}-2\` (API and designer: the "id" field).`;
}

export function connectorsService(ctx: PlatformContext) {
  const { store } = ctx;
  /** Summaries per environment, with the state of the store they were read at. */
  const listCache = new Map<string, { key: string; summaries: ConnectorSummary[] }>();

  async function builtinWith(id: string): Promise<Connector | undefined> {
    const lower = id.toLowerCase();
    return (await builtinConnectors()).find((c) => c.id === id || c.id === lower);
  }

  function unknown(environment: string, id: string): PatchbayError {
    return new PatchbayError(
      'connector.unknown',
      `Connector "${id}" is not available in environment "${environment}".`,
      {
        hint: `Import it with \`patchbay connector import PATH --env ${environment}\`.`,
      },
    );
  }

  /** `ledger`, or a Power Platform id (`/providers/Microsoft.PowerApps/apis/shared_ledger`), as a stored id. */
  async function keyOf(id: string): Promise<string> {
    return id.includes('/') || /^shared_/i.test(id) ? (await connectorsModule()).normalizeConnectorId(id) : id;
  }

  /**
   * The model with only some operations (for a stored one: read from the
   * store, nothing else), or undefined. Built-in connectors come first: a
   * stored row with a built-in's id never replaces it.
   */
  async function partial(
    environment: string,
    id: string,
    operationIds: readonly string[],
  ): Promise<Connector | undefined> {
    const key = await keyOf(id);
    const builtin = await builtinWith(key);
    if (builtin) return builtin;
    const stored =
      (await store.connectors.withOperations<Connector>(environment, key, operationIds)) ??
      (await store.connectors.withOperations<Connector>(environment, key.toLowerCase(), operationIds));
    return stored?.model;
  }

  /** The whole model (every operation): for `inspect`, the API's full model and exports; a call loads `withOperations`. */
  async function get(environment: string, id: string): Promise<Connector> {
    const key = await keyOf(id);
    const builtin = await builtinWith(key);
    if (builtin) return builtin;
    const stored =
      (await store.connectors.find<Connector>(environment, key)) ??
      (await store.connectors.find<Connector>(environment, key.toLowerCase()));
    if (stored) return stored.model;
    throw unknown(environment, id);
  }

  /** The model without operations (auth, base URL, policies): what connections and sign-in need. */
  async function head(environment: string, id: string): Promise<Connector> {
    const found = await partial(environment, id, []);
    if (!found) throw unknown(environment, id);
    return found;
  }

  /**
   * The model with the operations asked for and those their dynamic values
   * and schemas call; unknown operation ids are left out (callers say so).
   */
  async function withOperations(environment: string, id: string, operationIds: readonly string[]): Promise<Connector> {
    const found = await partial(environment, id, operationIds);
    if (!found) throw unknown(environment, id);
    if (found.operations.length === 0 || (await builtinWith(found.id))) return found;
    const { resolveOperation } = await connectorsModule();
    const have = new Set(found.operations.map((o) => o.id));
    const more = [...new Set(found.operations.flatMap((o) => dynamicTargets(resolveOperation(found, o))))].filter(
      (o) => !have.has(o),
    );
    if (more.length === 0) return found;
    const extra = await partial(environment, found.id, more);
    return { ...found, operations: [...found.operations, ...(extra?.operations ?? [])] };
  }

  /** Built-in connectors (full models, in memory) and the stored ones' summaries. */
  async function all(
    environment: string,
  ): Promise<({ builtin: true; connector: Connector } | { builtin: false; summary: ConnectorSummaryRecord })[]> {
    await store.environments.require(environment);
    const builtins = await builtinConnectors();
    const ids = new Set(builtins.map((b) => b.id));
    const stored = (await store.connectors.list(environment)).filter((s) => !ids.has(s.id));
    return [
      ...builtins.map((connector) => ({ builtin: true as const, connector })),
      ...stored.map((s) => ({ builtin: false as const, summary: s.summary })),
    ];
  }

  /** The stored (imported) connector with this id, or a not-found error saying built-in ones cannot be changed. */
  async function imported(environment: string, id: string): Promise<StoredConnectorSummary> {
    await store.environments.require(environment);
    if (await builtinWith(id))
      throw denied(`"${id}" is a built-in connector: it cannot be changed, shared or deleted.`);
    const stored =
      (await store.connectors.summary(environment, id)) ??
      (await store.connectors.summary(environment, id.toLowerCase()));
    if (!stored)
      throw new PatchbayError('store.not_found', `Connector "${id}" was not found in environment "${environment}".`, {
        hint: `List the connectors with \`patchbay connector list --env ${environment}\`.`,
      });
    return stored;
  }

  async function mayManage(
    repos: Pick<Repositories, 'connectors' | 'environmentRoles'>,
    actor: Actor,
    environment: string,
    id: string,
  ): Promise<{ allowed: boolean; owners: ConnectorOwner[] }> {
    const owners = await repos.connectors.owners(environment, id);
    // Owners and co-owners manage it while they are makers there; admins always.
    if (owners.some((o) => o.userId === actor.id) && (await hasRole(ctx, actor, environment, 'maker', repos)))
      return { allowed: true, owners };
    return { allowed: await isEnvironmentAdmin(ctx, actor, environment, repos), owners };
  }

  function whose(id: string, environment: string, owners: ConnectorOwner[]): string {
    const owner = owners.find((o) => o.role === 'owner');
    const co = owners.filter((o) => o.role === 'co-owner').map((o) => o.email);
    const by = owner
      ? `belongs to ${owner.email}${co.length ? ` (co-owners: ${co.join(', ')})` : ''}`
      : 'has no recorded owner';
    return `Connector "${id}" in environment "${environment}" ${by}; only ${owner ? 'they' : 'an environment admin'} ${owner ? 'or an environment admin ' : ''}may change it.`;
  }

  async function requireManage(actor: Actor, environment: string, id: string): Promise<ConnectorOwner[]> {
    const { allowed, owners } = await mayManage(store, actor, environment, id);
    if (!allowed) throw denied(whose(id, environment, owners), 'Ask its owner to make you a co-owner.');
    return owners;
  }

  /**
   * Stores an imported connector in `tx` with the actor's rights: refuses a
   * built-in id and a connector someone else owns; records the actor as owner
   * of a new one; moves other users' connections to `needs-reauth` when the
   * credentials would now go somewhere else (or when connections were left
   * from a deleted connector of that id).
   */
  async function install(
    tx: Repositories,
    actor: Actor,
    environment: string,
    connector: Connector,
    opts: InstallOptions,
  ): Promise<InstallResult> {
    await requireRole(ctx, actor, environment, 'maker', 'import connectors', tx);
    if (await builtinWith(connector.id))
      throw new PatchbayError(
        'store.conflict',
        `"${connector.id}" is the id of a built-in connector, which cannot be replaced.`,
        {
          hint: otherIdHint(connector.id),
        },
      );
    const existing = await tx.connectors.find<Connector>(environment, connector.id);
    if (existing && opts.unchangedIsNoop && canonical(existing.model) === canonical(connector))
      return { outcome: 'unchanged', destinationChanges: [], reauthConnections: [] };
    if (existing) {
      const { allowed, owners } = await mayManage(tx, actor, environment, connector.id);
      if (!allowed)
        throw new PatchbayError('store.conflict', whose(connector.id, environment, owners), {
          hint: otherIdHint(connector.id),
        });
    }
    await tx.connectors.upsert({
      environment,
      id: connector.id,
      displayName: connector.displayName,
      model: connector,
      source: opts.source,
      custom: true,
      ownerId: actor.id,
    });
    const changes = existing ? destinationChanges(existing.model, connector) : [];
    await ctx.audit.record(
      {
        actor,
        environment,
        action: existing ? 'connector.update' : 'connector.import',
        target: connector.id,
        detail: {
          displayName: connector.displayName,
          ...(changes.length ? { destinationChanges: changes.length } : {}),
        },
      },
      tx,
    );
    let reason: string | undefined;
    if (changes.length)
      reason = `Connector "${connector.id}" was updated by ${actor.email}: ${changes.join('; ')}. Your credentials are not sent there until you reconnect this connection.`;
    else if (!existing)
      reason = `Connector "${connector.id}" was deleted and imported again by ${actor.email}, so it may send credentials somewhere new. Your credentials are not sent there until you reconnect this connection.`;
    const moved = reason
      ? await tx.connections.requireReauth({ environment, connectorId: connector.id, exceptOwnerId: actor.id, reason })
      : [];
    for (const id of moved) ctx.cache.invalidate(id);
    if (moved.length)
      ctx.logger.info('Connections need a new sign-in after a connector update.', {
        environment,
        connectorId: connector.id,
        connections: moved.length,
      });
    return { outcome: existing ? 'updated' : 'created', destinationChanges: changes, reauthConnections: moved };
  }

  async function parse(source: string | ConnectorUpload, opts: { id?: string }): Promise<Connector> {
    const connectors = await connectorsModule();
    return typeof source === 'string'
      ? connectors.importConnector(source, opts.id ? { id: opts.id } : {})
      : fromUpload(connectors, opts.id ? { ...source, id: opts.id } : source);
  }

  /** `import`, with what it did (created or updated, what changed, which connections need a new sign-in). */
  async function importWithResult(
    actor: Actor,
    environment: string,
    source: string | ConnectorUpload,
    opts: { id?: string } = {},
  ): Promise<InstallResult & { connector: Connector }> {
    await store.environments.require(environment);
    await requireRole(ctx, actor, environment, 'maker', 'import connectors');
    const connector = await parse(source, opts);
    const result = await store.transaction((tx) =>
      install(tx, actor, environment, connector, { source: typeof source === 'string' ? source : 'upload' }),
    );
    ctx.logger.info('Connector imported.', {
      environment,
      connectorId: connector.id,
      by: actor.id,
      outcome: result.outcome,
    });
    return { ...result, connector };
  }

  return {
    get,
    head,
    withOperations,
    install,

    /**
     * Imports a Power Platform folder or OpenAPI file (a path), or an upload,
     * into an environment. Re-importing replaces it, for its owner, a co-owner
     * or an environment admin only; anyone else gets `store.conflict` naming
     * the owner and how to import under another id.
     */
    async import(
      actor: Actor,
      environment: string,
      source: string | ConnectorUpload,
      opts: { id?: string } = {},
    ): Promise<Connector> {
      return (await importWithResult(actor, environment, source, opts)).connector;
    },

    importWithResult,

    /**
     * Deletes an imported connector (owner, co-owner or environment admin).
     * Refused while flows of the environment use it, unless `force`. Its
     * connections stay (they cannot run until a connector of that id is
     * imported again, which then asks their owners to reconnect).
     */
    async delete(
      actor: Actor,
      environment: string,
      id: string,
      opts: { force?: boolean } = {},
    ): Promise<{ id: string; usedBy: ConnectorUsage[] }> {
      const stored = await imported(environment, id);
      await requireManage(actor, environment, stored.id);
      const usedBy = await store.connectors.usage(environment, stored.id);
      if (usedBy.length && !opts.force) {
        const flows = [...new Set(usedBy.map((u) => u.flowName))];
        throw new PatchbayError(
          'store.conflict',
          `Connector "${stored.id}" is used by ${flows.length === 1 ? 'flow' : `${flows.length} flows:`} ${flows.map((f) => `"${f}"`).join(', ')}.`,
          {
            hint: `Remove its actions from ${flows.length === 1 ? 'that flow' : 'those flows'} first, or delete anyway with --force (API: ?force=true); the flows then cannot run until it is imported again.`,
          },
        );
      }
      await store.connectors.delete(environment, stored.id);
      ctx.logger.info('Connector deleted.', {
        environment,
        connectorId: stored.id,
        by: actor.id,
        forced: !!opts.force,
      });
      return { id: stored.id, usedBy };
    },

    /** The owner and co-owners of an imported connector. */
    async owners(environment: string, id: string): Promise<ConnectorOwner[]> {
      const stored = await imported(environment, id);
      return store.connectors.owners(environment, stored.id);
    },

    /** Makes the user with this email a co-owner (owner, co-owners and environment admins). */
    async addCoOwner(actor: Actor, environment: string, id: string, email: string): Promise<ConnectorOwner[]> {
      const stored = await imported(environment, id);
      await requireManage(actor, environment, stored.id);
      const user = await store.users.findByEmail(email);
      if (!user)
        throw new PatchbayError('store.not_found', `No user has the email ${email}.`, {
          hint: 'Ask the owner of this installation to create the account first.',
        });
      await store.connectors.addCoOwner(environment, stored.id, user.id);
      return store.connectors.owners(environment, stored.id);
    },

    /** Removes a co-owner (never the owner). */
    async removeCoOwner(actor: Actor, environment: string, id: string, email: string): Promise<ConnectorOwner[]> {
      const stored = await imported(environment, id);
      await requireManage(actor, environment, stored.id);
      const user = await store.users.findByEmail(email);
      if (user) await store.connectors.removeCoOwner(environment, stored.id, user.id);
      return store.connectors.owners(environment, stored.id);
    },

    /**
     * Built-in connectors, then the environment's imported ones (with their
     * owners): summaries, no model is read. Kept while no connector of the
     * environment and no owner changed (checked with two small queries).
     */
    async list(environment: string): Promise<ConnectorSummary[]> {
      await store.environments.require(environment);
      const owners = await store.connectors.ownersByConnector(environment);
      const key = JSON.stringify([await store.connectors.versions(environment), [...owners]]);
      const cached = listCache.get(environment);
      if (cached?.key === key) return cached.summaries;
      const entries = await all(environment);
      const summaries = entries.map((c) =>
        c.builtin ? summarize(c.connector, true) : fromRecord(c.summary, false, owners.get(c.summary.id) ?? []),
      );
      listCache.set(environment, { key, summaries });
      return summaries;
    },

    /**
     * The catalog a run or the validator is handed. With the steps' connector
     * operations (`uses`), only those operations are loaded; operation and
     * connector ids for hints come from the summaries.
     */
    async catalog(
      environment: string,
      uses?: readonly { connector: string; operation: string }[],
    ): Promise<ConnectorCatalog> {
      const { createConnectorCatalog } = await connectorsModule();
      const entries = await all(environment);
      const wanted = new Map<string, string[]>();
      for (const u of uses ?? []) {
        const key = (await keyOf(u.connector)).toLowerCase();
        wanted.set(key, [...(wanted.get(key) ?? []), u.operation]);
      }
      const models = new Map<string, Connector>();
      const operationIds = new Map<string, string[]>();
      for (const e of entries) {
        if (e.builtin) {
          models.set(e.connector.id.toLowerCase(), e.connector);
          continue;
        }
        const key = e.summary.id.toLowerCase();
        operationIds.set(
          key,
          e.summary.operations.map((o) => o.id),
        );
        const ops = uses ? wanted.get(key) : e.summary.operations.map((o) => o.id);
        if (ops?.length) {
          const loaded = await partial(environment, e.summary.id, ops);
          if (loaded) models.set(key, loaded);
        }
      }
      const inner = createConnectorCatalog((id) => models.get(id.toLowerCase()));
      return {
        getOperation: (connectorId, operationId) => inner.getOperation(connectorId, operationId),
        listOperations: (connectorId) =>
          operationIds.get(connectorId.toLowerCase()) ??
          models.get(connectorId.toLowerCase())?.operations.map((o) => o.id),
        listConnectors: () => entries.map((e) => (e.builtin ? e.connector.id : e.summary.id)),
      };
    },

    /** Options for a dynamic dropdown (`x-ms-dynamic-values`), with a connection already checked for this connector. */
    async dynamicValues(
      connector: Connector,
      req: { operationId: string; parameter: string; params?: Record<string, Value>; connection: ResolvedConnection },
    ): Promise<DynamicOption[]> {
      const { getDynamicValues } = await connectorsModule();
      return getDynamicValues({
        connector,
        operation: req.operationId,
        parameter: req.parameter,
        connection: req.connection,
        params: req.params ?? {},
        logger: ctx.logger,
      });
    },

    /** A dynamic schema (`x-ms-dynamic-schema`), of a parameter or of the operation's output when `parameter` is left out. */
    async dynamicSchema(
      connector: Connector,
      req: { operationId: string; parameter?: string; params?: Record<string, Value>; connection: ResolvedConnection },
    ): Promise<{ schema: JsonSchema; fields: DynamicField[] }> {
      const { getDynamicSchema } = await connectorsModule();
      return getDynamicSchema({
        connector,
        operation: req.operationId,
        ...(req.parameter !== undefined ? { parameter: req.parameter } : {}),
        connection: req.connection,
        params: req.params ?? {},
        logger: ctx.logger,
      });
    },
  };
}

export type ConnectorsService = ReturnType<typeof connectorsService>;
