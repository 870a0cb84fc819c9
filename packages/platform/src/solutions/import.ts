/**
 * Importing a solution, with the importer's rights and the same checks as the
 * direct API: the maker role in the target environment; setting variable
 * values needs its admin; a connector someone else owns, a reference the
 * importer does not manage and a flow they may not edit are refused.
 *
 * Parse and check the deployment settings, check every
 * connection (exists in the target environment, belongs to the reference's
 * connector, usable by the importer), every variable value and every flow —
 * then, in one transaction, install custom connectors, variable definitions
 * and values, references (created or updated, and bound) and flows. A failed
 * check changes nothing and names the place in the settings file; a flow that
 * violates a data-loss-prevention policy of the target environment refuses
 * the whole import, naming the flow file, the policy and the steps.
 */
import { PatchbayError, validateFlow, type ConnectorCatalog, type Flow as FlowDefinition } from '@patchbay/core';
import { checkEnvVarValue, referencesOf, type JsonValue, type Solution } from '@patchbay/store';
import type { Actor } from '../actor.js';
import type { PlatformContext } from '../context.js';
import { requireManagesReference, managesReference } from '../references.js';
import { isEnvironmentAdmin, requireRole } from '../roles.js';
import { actionRegistry, connectorUses, type FlowsService } from '../flows.js';
import { violationError, violationsOf } from '../policies.js';
import type { ConnectorsService } from '../connectors.js';
import type { SolutionBundle } from './bundle.js';
import { type DeploymentSettings, parseSettings } from './settings.js';

export interface ImportResult {
  solution: Solution;
  flows: { id: string; name: string; enabled: boolean; created: boolean }[];
  references: { logicalName: string; connectorId: string; connectionId: string | null; created: boolean }[];
  /** References left without a connection, with the flows that need them (imported disabled). */
  unbound: { logicalName: string; connectorId: string; flows: string[] }[];
  variables: { schemaName: string; valueSet: boolean }[];
  connectors: string[];
}

function bad(file: string, pointer: string, message: string, hint: string): PatchbayError {
  return new PatchbayError('store.invalid', message, { place: { file, pointer }, hint });
}

/** A settings value (always text in Power Platform's format) as the variable's type. */
function typedValue(file: string, pointer: string, schemaName: string, type: string, text: string): JsonValue {
  let v: unknown = text;
  if (type === 'number') v = text.trim() === '' ? NaN : Number(text);
  else if (type === 'boolean') v = text === 'true' ? true : text === 'false' ? false : text;
  else if (type === 'json') {
    try {
      v = JSON.parse(text);
    } catch {
      throw bad(
        file,
        pointer,
        `The value of "${schemaName}" is not valid JSON.`,
        'Give the JSON as text, e.g. "{\\"a\\": 1}".',
      );
    }
  }
  try {
    return checkEnvVarValue(schemaName, type as Parameters<typeof checkEnvVarValue>[1], v);
  } catch (e) {
    throw bad(
      file,
      pointer,
      e instanceof Error ? e.message : String(e),
      type === 'boolean'
        ? 'Write "true" or "false".'
        : type === 'number'
          ? 'Write a number such as "42".'
          : 'Fix the value.',
    );
  }
}

export async function importSolution(
  ctx: PlatformContext,
  deps: { connectors: ConnectorsService; flows: FlowsService },
  input: {
    actor: Actor;
    bundle: SolutionBundle;
    environment: string;
    settings?: DeploymentSettings | string;
    settingsFile?: string;
  },
): Promise<ImportResult> {
  const { store } = ctx;
  const { actor, bundle, environment } = input;
  // Loaded here rather than at the top, so opening the platform does not evaluate the connectors package.
  const { createConnectorCatalog, normalizeConnectorId } = await import('@patchbay/connectors');
  const file = input.settingsFile ?? 'settings.json';
  await store.environments.require(environment);
  await requireRole(ctx, actor, environment, 'maker', 'import solutions');
  const admin = await isEnvironmentAdmin(ctx, actor, environment);
  const settings =
    input.settings === undefined
      ? { EnvironmentVariables: [], ConnectionReferences: [] }
      : parseSettings(input.settings, file);

  // 1. Connection references: known, right connector, connection usable here.
  const bindings = new Map<string, string>();
  for (const [i, s] of settings.ConnectionReferences.entries()) {
    const at = `/ConnectionReferences/${i}`;
    const ref = bundle.references.find((r) => r.logicalName === s.LogicalName);
    if (!ref)
      throw bad(
        file,
        `${at}/LogicalName`,
        `The solution has no connection reference "${s.LogicalName}".`,
        `Its references are: ${bundle.references.map((r) => r.logicalName).join(', ') || 'none'}.`,
      );
    if (s.ConnectorId !== '' && normalizeConnectorId(s.ConnectorId) !== ref.connectorId.toLowerCase()) {
      throw bad(
        file,
        `${at}/ConnectorId`,
        `"${s.LogicalName}" is a reference for connector "${ref.connectorId}", not "${s.ConnectorId}".`,
        `Write "/providers/Microsoft.PowerApps/apis/shared_${ref.connectorId}".`,
      );
    }
    if (s.ConnectionId === '') continue;
    const c = await store.connections.find(s.ConnectionId);
    if (!c || c.environment !== environment)
      throw bad(
        file,
        `${at}/ConnectionId`,
        `Connection ${s.ConnectionId} does not exist in environment "${environment}".`,
        `Create it there (patchbay connection create ${ref.connectorId} --env ${environment}) and put its id here.`,
      );
    if (c.connectorId.toLowerCase() !== ref.connectorId.toLowerCase())
      throw bad(
        file,
        `${at}/ConnectionId`,
        `Connection ${s.ConnectionId} is for connector "${c.connectorId}", but "${s.LogicalName}" needs "${ref.connectorId}".`,
        `Give a ${ref.connectorId} connection.`,
      );
    if (!(await store.connections.canUse(c.id, actor.id)))
      throw bad(
        file,
        `${at}/ConnectionId`,
        `Connection ${s.ConnectionId} is not yours to use.`,
        'Use one of your connections, or ask its owner to share it with you.',
      );
    bindings.set(s.LogicalName, c.id);
  }
  // References that exist already change only for whoever manages them (as with the API's bind and rename).
  const managed = new Set<string>();
  for (const r of bundle.references) {
    const existing = await store.references.find(environment, r.logicalName);
    if (existing && existing.connectorId.toLowerCase() !== r.connectorId.toLowerCase()) {
      throw new PatchbayError(
        'store.conflict',
        `Environment "${environment}" already has a reference "${r.logicalName}" for connector "${existing.connectorId}"; the solution's is for "${r.connectorId}".`,
        { hint: 'Delete or rename the existing reference first.' },
      );
    }
    if (!existing || (await managesReference(ctx, actor, existing))) managed.add(r.logicalName);
    else if (bindings.has(r.logicalName)) {
      const i = settings.ConnectionReferences.findIndex((x) => x.LogicalName === r.logicalName);
      try {
        await requireManagesReference(ctx, actor, existing, 'bind');
      } catch (e) {
        if (e instanceof PatchbayError)
          throw new PatchbayError(e.code, e.message, {
            place: { file, pointer: `/ConnectionReferences/${i}/ConnectionId` },
            hint: 'Leave its ConnectionId empty to keep the binding it has, or ask its creator or an environment admin.',
          });
        throw e;
      }
    }
  }

  // 2. Environment variables: known to the solution, values of the right type.
  const values = new Map<string, JsonValue>();
  for (const [i, s] of settings.EnvironmentVariables.entries()) {
    const at = `/EnvironmentVariables/${i}`;
    const v = bundle.variables.find((x) => x.schemaName === s.SchemaName);
    if (!v)
      throw bad(
        file,
        `${at}/SchemaName`,
        `The solution has no environment variable "${s.SchemaName}".`,
        `Its variables are: ${bundle.variables.map((x) => x.schemaName).join(', ') || 'none'}.`,
      );
    const existing = (await store.envVars.listDefinitions()).find((d) => d.schemaName === v.schemaName);
    if (existing && existing.type !== v.type)
      throw new PatchbayError(
        'store.conflict',
        `Environment variable "${v.schemaName}" is of type ${existing.type} here, but ${v.type} in the solution.`,
        { hint: 'Use another schema name in one of them.' },
      );
    if (s.Value === '') continue;
    if (!admin)
      throw new PatchbayError(
        'auth.denied',
        `Only an admin of environment "${environment}" may set environment variables, so this import may not set "${v.schemaName}".`,
        {
          place: { file, pointer: `${at}/Value` },
          hint: 'Leave the Value empty (an admin sets it later with `patchbay env var set`), or ask an environment admin to import.',
        },
      );
    values.set(v.schemaName, typedValue(file, `${at}/Value`, v.schemaName, v.type, s.Value));
  }

  // 3. Flows: valid against this environment's connectors plus the solution's, and editable by the importer.
  // The solution's connectors win over the environment's, of which only the operations the flows call are loaded.
  const envCatalog = await deps.connectors.catalog(
    environment,
    bundle.flows.flatMap((f) => connectorUses(f.definition)),
  );
  const bundled = createConnectorCatalog(bundle.connectors);
  const inBundle = (id: string) => bundle.connectors.some((c) => c.id.toLowerCase() === id.toLowerCase());
  const catalog: ConnectorCatalog = {
    getOperation: (c, o) => (inBundle(c) ? bundled : envCatalog).getOperation(c, o),
    listOperations: (c) => (inBundle(c) ? bundled : envCatalog).listOperations?.(c),
    listConnectors: () => [
      ...new Set([...(envCatalog.listConnectors?.() ?? []), ...bundle.connectors.map((c) => c.id)]),
    ],
  };
  const vars = new Set([
    ...(await store.envVars.listDefinitions()).map((d) => d.schemaName),
    ...bundle.variables.map((v) => v.schemaName),
  ]);
  const existingFlows = new Map<string, string>();
  for (const f of bundle.flows) {
    const errors = validateFlow(f.definition, {
      actions: actionRegistry(),
      connectors: catalog,
      knownVariables: vars,
      file: f.file,
    }).filter((d) => d.severity === 'error');
    if (errors.length)
      throw new PatchbayError('flow.invalid', `${f.file}: ${errors[0].message}`, {
        place: { file: f.file, pointer: errors[0].pointer, stepPath: errors[0].stepPath || undefined },
        hint: errors[0].hint ?? 'Fix the flow in the source environment and export again.',
      });
    const violations = await violationsOf(store, environment, f.definition);
    if (violations.length)
      throw violationError(violations, {
        flowName: f.definition.name,
        file: f.file,
        hint: `Nothing was imported. Change the steps named in the source environment and export again, or ask an administrator of "${environment}" about the policy.`,
      });
    for (const u of referencesOf(f.definition)) {
      if (!bundle.references.some((r) => r.logicalName === u.logicalName))
        throw new PatchbayError(
          'store.invalid',
          `${f.file} uses reference "${u.logicalName}", which the solution does not list.`,
          { place: { file: f.file, pointer: u.pointer }, hint: 'Export the solution again.' },
        );
    }
    const existing = await store.flows.findByName(environment, f.definition.name);
    if (existing) {
      const { role } = await deps.flows.roleOf(actor, existing.id).catch(() => ({ role: undefined }));
      if (role !== 'owner' && role !== 'co-owner')
        throw new PatchbayError(
          'auth.denied',
          `Environment "${environment}" already has a flow "${existing.name}" that you may not edit.`,
          { hint: 'Ask its owner to make you a co-owner, or import as that user.' },
        );
      existingFlows.set(f.definition.name, existing.id);
    }
  }

  // 4. One transaction.
  return store.transaction(async (tx) => {
    // The same rules as a direct import: no built-in id, no connector someone else owns (unless unchanged).
    for (const c of bundle.connectors)
      await deps.connectors.install(tx, actor, environment, c, {
        source: `solution:${bundle.manifest.name}`,
        unchangedIsNoop: true,
      });
    const variables: ImportResult['variables'] = [];
    const defined = new Set((await tx.envVars.listDefinitions()).map((d) => d.schemaName));
    for (const v of bundle.variables) {
      // Definitions are shared by every environment: an existing one changes only for the instance owner.
      if (!defined.has(v.schemaName) || actor.role === 'owner')
        await tx.envVars.upsertDefinition({
          schemaName: v.schemaName,
          type: v.type,
          displayName: v.displayName,
          ...(v.defaultValue !== undefined ? { defaultValue: v.defaultValue } : {}),
          ...(v.description ? { description: v.description } : {}),
        });
      const value = values.get(v.schemaName);
      if (value !== undefined) await tx.envVars.setValue(environment, v.schemaName, value);
      variables.push({ schemaName: v.schemaName, valueSet: value !== undefined });
    }
    const references: ImportResult['references'] = [];
    for (const r of bundle.references) {
      if (!managed.has(r.logicalName)) {
        // Someone else's reference: used as it is, neither renamed nor rebound.
        const kept = await tx.references.get(environment, r.logicalName);
        references.push({
          logicalName: r.logicalName,
          connectorId: r.connectorId,
          connectionId: kept.connectionId,
          created: false,
        });
        continue;
      }
      const { created } = await tx.references.upsert({
        environment,
        logicalName: r.logicalName,
        connectorId: r.connectorId,
        displayName: r.displayName,
        createdBy: actor.id,
        ...(r.description ? { description: r.description } : {}),
      });
      const conn = bindings.get(r.logicalName);
      const after = conn
        ? await tx.references.bind(environment, r.logicalName, conn, { boundBy: actor.id })
        : await tx.references.get(environment, r.logicalName);
      references.push({
        logicalName: r.logicalName,
        connectorId: r.connectorId,
        connectionId: after.connectionId,
        created,
      });
    }
    const bound = new Set(references.filter((r) => r.connectionId).map((r) => r.logicalName));
    const flows: ImportResult['flows'] = [];
    const unbound = new Map<string, { logicalName: string; connectorId: string; flows: string[] }>();
    for (const f of bundle.flows) {
      const missing = referencesOf(f.definition).filter((u) => !bound.has(u.logicalName));
      for (const m of missing) {
        const e = unbound.get(m.logicalName) ?? { logicalName: m.logicalName, connectorId: m.connectorId, flows: [] };
        e.flows.push(f.definition.name);
        unbound.set(m.logicalName, e);
      }
      const enabled = missing.length === 0;
      const id = existingFlows.get(f.definition.name);
      let flow;
      if (id) {
        await tx.flows.saveVersion(id, { definition: f.definition, authorId: actor.id });
        flow = await tx.flows.setEnabled(id, enabled);
      } else {
        flow = await tx.flows.create({
          environment,
          name: f.definition.name,
          ownerId: actor.id,
          definition: f.definition as FlowDefinition,
          enabled,
        });
      }
      flows.push({ id: flow.id, name: flow.name, enabled: flow.enabled, created: !id });
    }
    const m = bundle.manifest;
    const flowIds = flows.map((f) => f.id);
    const existing = (await tx.solutions.list(environment)).find((s) => s.name === m.name);
    const solution = existing
      ? await tx.solutions.update(environment, m.name, { displayName: m.displayName, version: m.version, flowIds })
      : await tx.solutions.create({
          environment,
          name: m.name,
          displayName: m.displayName,
          version: m.version,
          flowIds,
        });
    await ctx.audit.record(
      {
        actor,
        environment,
        action: 'solution.import',
        target: m.name,
        detail: {
          version: m.version,
          flows: flows.length,
          references: references.length,
          variablesSet: variables.filter((v) => v.valueSet).length,
          connectors: bundle.connectors.map((c) => c.id).join(','),
        },
      },
      tx,
    );
    ctx.logger.info('Solution imported.', {
      environment,
      solution: m.name,
      flows: flows.length,
      unbound: unbound.size,
    });
    return {
      solution,
      flows,
      references,
      unbound: [...unbound.values()],
      variables,
      connectors: bundle.connectors.map((c) => c.id),
    };
  });
}
