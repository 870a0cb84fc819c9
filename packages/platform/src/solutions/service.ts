/**
 * Solutions (ALM): a named set of flows exported with the connection
 * references they use (logical names and connectors only), the environment
 * variable definitions they read and the custom connectors they call; and
 * imported into another environment with deployment settings, in one
 * transaction, after every check has passed.
 */
import { PatchbayError, type Flow as FlowDefinition } from '@patchbay/core';
import { type Connector } from '@patchbay/connectors';
import { referencesOf, type Solution } from '@patchbay/store';
import type { Actor } from '../actor.js';
import { requireRole } from '../roles.js';
import type { ConnectorsService } from '../connectors.js';
import type { PlatformContext } from '../context.js';
import type { FlowsService } from '../flows.js';
import type { ReferencesService } from '../references.js';
import {
  type ReferenceEntry,
  type SolutionBundle,
  type VariableEntry,
  SOLUTION_SCHEMA,
  bundleFiles,
  flowFileName,
  parseBundle,
  readFiles,
  writeFolder,
  zipFiles,
} from './bundle.js';
import { type ImportResult, importSolution } from './import.js';
import { type DeploymentSettings, settingsTemplate } from './settings.js';

export interface SolutionsDeps {
  connectors: ConnectorsService;
  flows: FlowsService;
  references: ReferencesService;
}

/** Whether a flow's text mentions a variable name as a whole word (how it reads environment variables). */
function mentions(text: string, name: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9_]|$)`).test(text);
}

export function solutionsService(ctx: PlatformContext, deps: SolutionsDeps) {
  const { store } = ctx;

  async function build(actor: Actor, environment: string, name: string): Promise<SolutionBundle> {
    await store.environments.require(environment);
    await requireRole(ctx, actor, environment, 'maker', 'export solutions');
    const solution = await store.solutions.get(environment, name);
    const taken = new Set<string>();
    const flows: SolutionBundle['flows'] = [];
    for (const id of solution.flowIds) {
      const { flow, role } = await deps.flows.roleOf(actor, id);
      if (role === 'run-only')
        throw new PatchbayError(
          'auth.denied',
          `Flow "${flow.name}" is shared with you to run only, so you may not export it.`,
        );
      const definition = (await store.flows.getVersion<FlowDefinition>(id)).definition;
      flows.push({ file: flowFileName(flow.name, taken), definition });
    }
    const used = new Map<string, string>();
    for (const f of flows) for (const u of referencesOf(f.definition)) used.set(u.logicalName, u.connectorId);
    const references: ReferenceEntry[] = [];
    for (const [logicalName, connectorId] of [...used].sort(([a], [b]) => a.localeCompare(b))) {
      const r = await store.references.find(environment, logicalName);
      references.push({
        logicalName,
        displayName: r?.displayName ?? logicalName,
        connectorId: r?.connectorId ?? connectorId,
        ...(r?.description ? { description: r.description } : {}),
      });
    }
    const texts = flows.map((f) => JSON.stringify(f.definition));
    const variables: VariableEntry[] = (await store.envVars.listDefinitions())
      .filter((d) => texts.some((t) => mentions(t, d.schemaName)))
      .map((d) => ({
        schemaName: d.schemaName,
        displayName: d.displayName,
        type: d.type,
        ...(d.defaultValue !== undefined ? { defaultValue: d.defaultValue } : {}),
        ...(d.description ? { description: d.description } : {}),
      }));
    const connectorIds = new Set(references.map((r) => r.connectorId));
    const connectors: Connector[] = [];
    for (const id of [...connectorIds].sort()) {
      const stored = await store.connectors.find<Connector>(environment, id);
      if (stored?.custom) connectors.push(stored.model);
    }
    return {
      manifest: {
        schema: SOLUTION_SCHEMA,
        name: solution.name,
        displayName: solution.displayName,
        version: solution.version,
        exportedFrom: environment,
        exportedAt: ctx.clock.now().toISOString(),
        flows: flows.map((f) => ({ name: f.definition.name, file: f.file })),
        connectors: connectors.map((c) => c.id),
      },
      flows,
      references,
      variables,
      connectors,
    };
  }

  return {
    /** A solution holding flows of the environment the actor owns or co-owns. */
    async create(
      actor: Actor,
      environment: string,
      name: string,
      flowIds: string[],
      opts: { displayName?: string; version?: string } = {},
    ): Promise<Solution> {
      await store.environments.require(environment);
      await requireRole(ctx, actor, environment, 'maker', 'create solutions');
      for (const id of flowIds) {
        const { flow, role } = await deps.flows.roleOf(actor, id);
        if (role === 'run-only')
          throw new PatchbayError(
            'auth.denied',
            `Flow "${flow.name}" is shared with you to run only; it cannot go into your solution.`,
          );
      }
      return store.solutions.create({ environment, name, flowIds, ...opts });
    },

    async list(actor: Actor, environment: string): Promise<Solution[]> {
      await store.environments.require(environment);
      await requireRole(ctx, actor, environment, 'user', 'list solutions');
      return store.solutions.list(environment);
    },

    /** Writes the solution folder (and `<dir>.zip` with `zip`); returns what it wrote. */
    async export(
      actor: Actor,
      environment: string,
      name: string,
      opts: { dir: string; zip?: boolean },
    ): Promise<{ dir: string; files: string[]; zipPath?: string }> {
      const files = bundleFiles(await build(actor, environment, name));
      const written = await writeFolder(opts.dir, files);
      const out: { dir: string; files: string[]; zipPath?: string } = { dir: opts.dir, files: written };
      if (opts.zip) {
        const { writeFile } = await import('node:fs/promises');
        out.zipPath = `${opts.dir.replace(/[\\/]+$/, '')}.zip`;
        await writeFile(out.zipPath, await zipFiles(files));
      }
      return out;
    },

    /** The solution as zip bytes (the server's download). */
    async exportZip(actor: Actor, environment: string, name: string): Promise<Uint8Array> {
      return zipFiles(bundleFiles(await build(actor, environment, name)));
    },

    /** The deployment settings template for an exported solution (folder, zip path or zip bytes). */
    async createSettings(source: string | Uint8Array): Promise<DeploymentSettings> {
      return settingsTemplate(parseBundle(await readFiles(source)));
    },

    /**
     * Imports into `environment` with deployment settings (object or the
     * settings file's text). Every check runs first; then one transaction
     * installs connectors, variables, references (bound) and flows. Flows
     * whose references stay unbound are imported disabled and listed.
     */
    async import(
      actor: Actor,
      source: string | Uint8Array,
      environment: string,
      settings?: DeploymentSettings | string,
      opts: { settingsFile?: string } = {},
    ): Promise<ImportResult> {
      const bundle = parseBundle(await readFiles(source));
      return ctx.audit.guard({ actor, environment, action: 'solution.import', target: bundle.manifest.name }, () =>
        importSolution(ctx, deps, { actor, bundle, environment, settings, settingsFile: opts.settingsFile }),
      );
    },
  };
}
