/**
 * Connectors per environment: the built-in ones (always listed) and imported
 * custom connectors (Power Platform folders, OpenAPI files, uploads), the
 * catalog a run or the validator uses, and design-time dynamic values.
 */
import { PatchbayError, type ConnectorCatalog, type ResolvedConnection, type Value } from '@patchbay/core';
import type { Connector, DynamicOption } from '@patchbay/connectors';
import type { Actor } from './actor.js';
import type { PlatformContext } from './context.js';

/** What the designer and `connector list` show: the connector without its operations' details. */
export interface ConnectorSummary {
  id: string;
  displayName: string;
  description: string;
  iconUrl?: string;
  brandColor: string;
  publisher?: string;
  builtin: boolean;
  authSchemes: Connector['authSchemes'];
  operations: {
    id: string;
    summary: string;
    description: string;
    visibility: string;
    deprecated: boolean;
    isTrigger: boolean;
    usableAsAction: boolean;
  }[];
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

export function summarize(c: Connector, builtin: boolean): ConnectorSummary {
  const s: ConnectorSummary = {
    id: c.id,
    displayName: c.displayName,
    description: c.description,
    brandColor: c.brandColor,
    builtin,
    authSchemes: c.authSchemes,
    operations: c.operations.map((o) => ({
      id: o.id,
      summary: o.summary,
      description: o.description,
      visibility: o.visibility,
      deprecated: o.deprecated,
      isTrigger: o.isTrigger,
      usableAsAction: o.usableAsAction,
    })),
  };
  if (c.iconUrl) s.iconUrl = c.iconUrl;
  if (c.publisher) s.publisher = c.publisher;
  return s;
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

export function connectorsService(ctx: PlatformContext) {
  const { store } = ctx;

  async function get(environment: string, id: string): Promise<Connector> {
    // `ledger`, or a Power Platform id (`/providers/Microsoft.PowerApps/apis/shared_ledger`).
    const key = id.includes('/') || /^shared_/i.test(id) ? (await connectorsModule()).normalizeConnectorId(id) : id;
    const stored =
      (await store.connectors.find<Connector>(environment, key)) ??
      (await store.connectors.find<Connector>(environment, key.toLowerCase()));
    if (stored) return stored.model;
    const builtin = (await builtinConnectors()).find((c) => c.id === key || c.id === key.toLowerCase());
    if (builtin) return builtin;
    throw new PatchbayError(
      'connector.unknown',
      `Connector "${id}" is not available in environment "${environment}".`,
      { hint: `Import it with \`patchbay connector import PATH --env ${environment}\`.` },
    );
  }

  async function all(environment: string): Promise<{ connector: Connector; builtin: boolean }[]> {
    await store.environments.require(environment);
    const stored = await store.connectors.list<Connector>(environment);
    const ids = new Set(stored.map((s) => s.id));
    return [
      ...(await builtinConnectors()).filter((c) => !ids.has(c.id)).map((connector) => ({ connector, builtin: true })),
      ...stored.map((s) => ({ connector: s.model, builtin: !s.custom })),
    ];
  }

  return {
    get,

    /** Imports a Power Platform folder or OpenAPI file (a path), or an upload, into an environment; re-importing replaces it. */
    async import(
      actor: Actor,
      environment: string,
      source: string | ConnectorUpload,
      opts: { id?: string } = {},
    ): Promise<Connector> {
      await store.environments.require(environment);
      const connectors = await connectorsModule();
      const connector =
        typeof source === 'string'
          ? await connectors.importConnector(source, opts.id ? { id: opts.id } : {})
          : fromUpload(connectors, opts.id ? { ...source, id: opts.id } : source);
      if ((await builtinConnectors()).some((b) => b.id === connector.id)) {
        throw new PatchbayError('store.conflict', `"${connector.id}" is the id of a built-in connector.`, {
          hint: 'Import it with another id (--id).',
        });
      }
      const existed = (await store.connectors.find(environment, connector.id)) !== undefined;
      await ctx.audit.around(
        {
          actor,
          environment,
          action: existed ? 'connector.update' : 'connector.import',
          target: connector.id,
          detail: { displayName: connector.displayName },
        },
        (tx) =>
          tx.connectors.upsert({
            environment,
            id: connector.id,
            displayName: connector.displayName,
            model: connector,
            source: typeof source === 'string' ? source : 'upload',
            custom: true,
          }),
      );
      ctx.logger.info('Connector imported.', { environment, connectorId: connector.id, by: actor.id });
      return connector;
    },

    /** Built-in connectors, then the environment's imported ones. */
    async list(environment: string): Promise<ConnectorSummary[]> {
      return (await all(environment)).map((c) => summarize(c.connector, c.builtin));
    },

    /** Every connector of the environment (full models). */
    async models(environment: string): Promise<Connector[]> {
      return (await all(environment)).map((c) => c.connector);
    },

    /** The catalog a run or the validator is handed: every connector of the environment. */
    async catalog(environment: string): Promise<ConnectorCatalog> {
      const { createConnectorCatalog } = await connectorsModule();
      return createConnectorCatalog((await all(environment)).map((c) => c.connector));
    },

    /** Options for a dynamic dropdown (`x-ms-dynamic-values`), using a connection the actor may use. */
    async dynamicValues(
      environment: string,
      req: {
        connectorId: string;
        operationId: string;
        parameter: string;
        params?: Record<string, Value>;
        connection: ResolvedConnection;
      },
    ): Promise<DynamicOption[]> {
      const connector = await get(environment, req.connectorId);
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
  };
}

export type ConnectorsService = ReturnType<typeof connectorsService>;
