/**
 * Desktop flows in the store. Saving validates the flow against the standard
 * actions and the environment's connectors, checks that every connector step
 * names an existing reference of the same connector (an error names the
 * step), and keeps reference usage current. Owners and co-owners edit;
 * run-only users only run. Saves with `baseVersion` refuse to overwrite a
 * newer version. A definition that violates a data-loss-prevention policy is
 * saved but the flow is suspended (it cannot run) until a save or a policy
 * change makes it comply; the record lists the violating steps.
 */
import {
  PatchbayError,
  applyFlowEdits,
  blockActions,
  createActionRegistry,
  parseFlowText,
  standardActions,
  validateFlow,
  walkSteps,
  type ActionRegistry,
  type Diagnostic,
  type Flow as FlowDefinition,
  type FlowEdit,
  type PolicyViolation,
} from '@patchbay/core';
import { referencesOf, type Flow, type FlowRole, type FlowShareRole, type Repositories } from '@patchbay/store';
import { type Actor, denied } from './actor.js';
import type { ConnectorsService } from './connectors.js';
import type { PlatformContext } from './context.js';
import { suspensionReason, violationsOf } from './policies.js';
import { requireRole } from './roles.js';

export interface FlowRecord {
  id: string;
  environment: string;
  name: string;
  enabled: boolean;
  version: number;
  definition: FlowDefinition;
  ownerId: string;
  role: FlowRole;
  createdAt: string;
  updatedAt: string;
  /** Why a data-loss-prevention policy keeps the flow from running; null when it may run. */
  suspendedReason: string | null;
  /** What this version violates under the policies that apply now (the editor flags these steps). */
  violations: PolicyViolation[];
}

export interface FlowSummary {
  id: string;
  environment: string;
  name: string;
  enabled: boolean;
  version: number;
  updatedAt: string;
  owner: { id: string; email: string };
  role: FlowRole;
  suspendedReason: string | null;
}

let registry: ActionRegistry | undefined;
/** True when any step of the flow (or its subflows) is a connector step: only then is the connector catalog loaded. */
export function usesConnectors(definition: FlowDefinition): boolean {
  let found = false;
  walkSteps(definition, (step) => {
    if ('connector' in step) found = true;
  });
  return found;
}

/** The connector operations a flow's steps call, for loading only those. */
export function connectorUses(definition: FlowDefinition): { connector: string; operation: string }[] {
  const out: { connector: string; operation: string }[] = [];
  walkSteps(definition, (step) => {
    if ('connector' in step && typeof step.connector === 'string' && typeof step.operation === 'string')
      out.push({ connector: step.connector, operation: step.operation });
  });
  return out;
}

/** Standard actions and blocks (connector actions come from the environment's catalog). */
export function actionRegistry(): ActionRegistry {
  registry ??= createActionRegistry([...standardActions, ...blockActions]);
  return registry;
}

const sameConnector = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function flowsService(ctx: PlatformContext, deps: { connectors: ConnectorsService }) {
  const { store } = ctx;

  async function roleOf(actor: Actor, id: string): Promise<{ flow: Flow; role: FlowRole }> {
    let flow: Flow | undefined;
    try {
      flow = await store.flows.get(id);
    } catch (e) {
      if (!(e instanceof PatchbayError && e.code === 'store.not_found')) throw e;
    }
    // The owner needs no look-up of shares.
    const role = flow ? (flow.ownerId === actor.id ? 'owner' : await store.flows.roleOf(id, actor.id)) : undefined;
    if (!flow || !role)
      throw new PatchbayError('store.not_found', `Flow ${id} was not found.`, {
        hint: 'List your flows with `patchbay flow list`.',
      });
    await requireRole(ctx, actor, flow.environment, 'user', 'use flows');
    return { flow, role };
  }

  async function editable(actor: Actor, id: string, what = 'edit it'): Promise<{ flow: Flow; role: FlowRole }> {
    const r = await roleOf(actor, id);
    if (r.role === 'run-only')
      throw denied(
        `Flow "${r.flow.name}" is shared with you to run only; you may not ${what}.`,
        'Ask its owner to make you a co-owner.',
      );
    await requireRole(ctx, actor, r.flow.environment, 'maker', `edit flows (flow "${r.flow.name}")`);
    return r;
  }

  async function record(flow: Flow, role: FlowRole, version?: number): Promise<FlowRecord> {
    const v = await store.flows.getVersion<FlowDefinition>(flow.id, version);
    return {
      id: flow.id,
      environment: flow.environment,
      name: flow.name,
      enabled: flow.enabled,
      version: v.version,
      definition: v.definition,
      ownerId: flow.ownerId,
      role,
      createdAt: flow.createdAt,
      updatedAt: flow.updatedAt,
      suspendedReason: flow.suspendedReason,
      violations: await violationsOf(store, flow.environment, v.definition),
    };
  }

  /** Diagnostics for a definition in an environment (schema, actions, expressions, connector operations). */
  async function diagnostics(
    environment: string,
    definition: FlowDefinition,
    opts: { sourceText?: string; file?: string } = {},
  ): Promise<Diagnostic[]> {
    const vars = (await store.envVars.listDefinitions()).map((d) => d.schemaName);
    const connectors = usesConnectors(definition)
      ? await deps.connectors.catalog(environment, connectorUses(definition))
      : undefined;
    return validateFlow(definition, {
      actions: actionRegistry(),
      ...(connectors ? { connectors } : {}),
      knownVariables: vars,
      ...opts,
    });
  }

  /** Throws the first error of the definition, with its place; checks connector steps' references in `repos`. */
  async function check(
    repos: Pick<Repositories, 'references'>,
    environment: string,
    input: FlowDefinition | string,
    file?: string,
  ): Promise<FlowDefinition> {
    const text = typeof input === 'string' ? input : undefined;
    const definition = text !== undefined ? parseFlowText(text, file) : input;
    if (typeof definition !== 'object' || definition === null)
      throw new PatchbayError('flow.invalid', 'A flow definition must be a JSON object.');
    const errors = (
      await diagnostics(environment, definition, {
        ...(text !== undefined ? { sourceText: text } : {}),
        ...(file ? { file } : {}),
      })
    ).filter((d) => d.severity === 'error');
    if (errors.length) {
      const d = errors[0];
      const more =
        errors.length > 1 ? ` (${errors.length - 1} more problem${errors.length > 2 ? 's' : ''} after this one)` : '';
      throw new PatchbayError('flow.invalid', `${d.message}${more}`, {
        place: {
          file,
          pointer: d.pointer,
          line: d.line,
          column: d.column,
          stepPath: d.stepPath || undefined,
          action: d.action,
        },
        hint: d.hint,
      });
    }
    let used;
    try {
      used = referencesOf(definition);
    } catch (e) {
      throw e instanceof PatchbayError ? new PatchbayError('flow.invalid', e.message, { hint: e.hint }) : e;
    }
    for (const u of used) {
      const ref = await repos.references.find(environment, u.logicalName);
      if (!ref) {
        throw new PatchbayError(
          'flow.invalid',
          `The step uses connection reference "${u.logicalName}", which does not exist in environment "${environment}".`,
          {
            place: { file, pointer: u.pointer, stepPath: u.pointer, action: u.connectorId },
            hint: `Create it: patchbay ref create ${u.logicalName} --connector ${u.connectorId} --env ${environment}`,
          },
        );
      }
      if (!sameConnector(ref.connectorId, u.connectorId)) {
        throw new PatchbayError(
          'flow.invalid',
          `The step calls connector "${u.connectorId}" through reference "${u.logicalName}", which is for connector "${ref.connectorId}".`,
          {
            place: { file, pointer: u.pointer, stepPath: u.pointer, action: u.connectorId },
            hint: `Use a reference of connector "${u.connectorId}".`,
          },
        );
      }
    }
    return definition;
  }

  async function saveChecked(
    actor: Actor,
    environment: string,
    definition: FlowDefinition,
    opts: { id?: string; baseVersion?: number },
  ): Promise<FlowRecord> {
    await requireRole(ctx, actor, environment, 'maker', 'create or edit flows');
    const existing = opts.id
      ? (await editable(actor, opts.id)).flow
      : await store.flows.findByName(environment, definition.name);
    if (existing && !opts.id) await editable(actor, existing.id);
    if (existing && existing.environment !== environment)
      throw new PatchbayError(
        'store.invalid',
        `Flow ${existing.id} lives in environment "${existing.environment}", not "${environment}".`,
      );
    // A flow that violates a data-loss-prevention policy is kept, but suspended until it complies.
    const violations = await violationsOf(store, environment, definition);
    const suspendedReason = violations.length ? suspensionReason(violations, definition.name) : null;
    const saved = await store.transaction(async (tx) => {
      if (!existing)
        return tx.flows.create({ environment, name: definition.name, ownerId: actor.id, definition, suspendedReason });
      const now = await tx.flows.get(existing.id);
      if (opts.baseVersion !== undefined && opts.baseVersion !== now.currentVersion) {
        throw new PatchbayError(
          'store.conflict',
          `Flow "${now.name}" changed since version ${opts.baseVersion}; it is at version ${now.currentVersion}.`,
          { hint: 'Reload the flow and apply your change again.' },
        );
      }
      if (definition.name !== now.name) await tx.flows.rename(existing.id, definition.name);
      await tx.flows.saveVersion(existing.id, { definition, authorId: actor.id });
      return tx.flows.setSuspended(existing.id, suspendedReason);
    });
    return record(saved, existing ? (await roleOf(actor, saved.id)).role : 'owner');
  }

  return {
    /**
     * Saves a definition (object or flow file text) as a new flow, or as a new
     * version of flow `id` (or of the flow with the same name in the environment).
     */
    async save(
      actor: Actor,
      environment: string,
      input: FlowDefinition | string,
      opts: { id?: string; baseVersion?: number; file?: string } = {},
    ): Promise<FlowRecord> {
      await store.environments.require(environment);
      await requireRole(ctx, actor, environment, 'maker', 'create or edit flows');
      const definition = await check(store, environment, input, opts.file);
      return saveChecked(actor, environment, definition, opts);
    },

    /** Validation only: every diagnostic, nothing saved. */
    async validate(actor: Actor, environment: string, definition: FlowDefinition): Promise<Diagnostic[]> {
      await store.environments.require(environment);
      await requireRole(ctx, actor, environment, 'user', 'validate flows');
      return diagnostics(environment, definition);
    },

    async get(actor: Actor, id: string, opts: { version?: number } = {}): Promise<FlowRecord> {
      const { flow, role } = await roleOf(actor, id);
      return record(flow, role, opts.version);
    },

    async list(actor: Actor, environment: string): Promise<FlowSummary[]> {
      await store.environments.require(environment);
      await requireRole(ctx, actor, environment, 'user', 'list flows');
      const flows = await store.flows.list({ environment, visibleTo: actor.id });
      const owners = new Map<string, { id: string; email: string }>();
      const out: FlowSummary[] = [];
      for (const f of flows) {
        if (!owners.has(f.ownerId)) {
          const u = await store.users.get(f.ownerId);
          owners.set(f.ownerId, { id: u.id, email: u.email });
        }
        const role = (await store.flows.roleOf(f.id, actor.id)) ?? 'run-only';
        out.push({
          id: f.id,
          environment: f.environment,
          name: f.name,
          enabled: f.enabled,
          version: f.currentVersion,
          updatedAt: f.updatedAt,
          owner: owners.get(f.ownerId) as { id: string; email: string },
          role,
          suspendedReason: f.suspendedReason,
        });
      }
      return out;
    },

    async versions(
      actor: Actor,
      id: string,
    ): Promise<{ version: number; authorId: string | null; createdAt: string }[]> {
      await roleOf(actor, id);
      return (await store.flows.listVersions(id)).map((v) => ({
        version: v.version,
        authorId: v.authorId,
        createdAt: v.createdAt,
      }));
    },

    async setEnabled(actor: Actor, id: string, enabled: boolean): Promise<FlowRecord> {
      const { role } = await editable(actor, id, enabled ? 'enable it' : 'disable it');
      return record(await store.flows.setEnabled(id, enabled), role);
    },

    /** Sends the flow's runs to a machine group (registered in its environment), or back to this server with null. */
    async setMachineGroup(actor: Actor, id: string, group: string | null): Promise<FlowRecord> {
      const { flow, role } = await editable(actor, id, 'choose where it runs');
      if (group !== null) {
        const machines = await store.machines.list({ environment: flow.environment });
        if (!machines.some((m) => m.group === group && m.status === 'active'))
          throw new PatchbayError(
            'store.invalid',
            `No machine of group "${group}" is registered in environment "${flow.environment}".`,
            {
              hint: `Register one with \`patchbay machine register NAME --group ${group} --env ${flow.environment}\`.`,
            },
          );
      }
      return record(await store.flows.setMachineGroup(id, group), role);
    },

    /** Renames the flow (a new version whose definition carries the new name). */
    async rename(actor: Actor, id: string, name: string): Promise<FlowRecord> {
      const { flow } = await editable(actor, id, 'rename it');
      const v = await store.flows.getVersion<FlowDefinition>(id);
      return saveChecked(actor, flow.environment, { ...v.definition, name }, { id });
    },

    async delete(actor: Actor, id: string): Promise<void> {
      const { flow, role } = await roleOf(actor, id);
      if (role !== 'owner') throw denied(`Only the owner of flow "${flow.name}" may delete it.`);
      await store.flows.delete(id);
    },

    /** Shares with the user with this email as co-owner (edit) or run-only. Owners and co-owners may share. */
    async share(actor: Actor, id: string, email: string, role: FlowShareRole): Promise<void> {
      await editable(actor, id, 'share it');
      const user = await store.users.findByEmail(email);
      if (!user)
        throw new PatchbayError('store.not_found', `No user has the email ${email}.`, {
          hint: 'Ask the owner of this installation to create the account first.',
        });
      await store.flows.share(id, user.id, role);
    },

    async unshare(actor: Actor, id: string, email: string): Promise<void> {
      await editable(actor, id, 'change who may use it');
      const user = await store.users.findByEmail(email);
      if (user) await store.flows.unshare(id, user.id);
    },

    /**
     * A co-owner (or the owner) embeds a connection they own for one of the
     * flow's references, so users it is shared with run with it.
     */
    async embedReference(actor: Actor, flowId: string, logicalName: string, connectionId: string): Promise<void> {
      await editable(actor, flowId, 'embed a connection in it');
      const c = await store.connections.find(connectionId);
      if (!c || c.ownerId !== actor.id)
        throw denied(
          `You may embed only a connection you own; ${connectionId} is not yours.`,
          'Create your own connection and embed that.',
        );
      await store.flows.embedReference(flowId, { logicalName, connectionId, embeddedBy: actor.id });
    },

    async removeEmbeddedReference(actor: Actor, flowId: string, logicalName: string): Promise<void> {
      await editable(actor, flowId, 'change its embedded connections');
      await store.flows.removeEmbeddedReference(flowId, logicalName);
    },

    /** Applies designer edits (core's pure `applyFlowEdits`) to version `baseVersion` and saves the result. */
    async applyEdits(actor: Actor, id: string, baseVersion: number, edits: readonly FlowEdit[]): Promise<FlowRecord> {
      const { flow } = await editable(actor, id);
      if (flow.currentVersion !== baseVersion) {
        throw new PatchbayError(
          'store.conflict',
          `Flow "${flow.name}" changed since version ${baseVersion}; it is at version ${flow.currentVersion}.`,
          { hint: 'Reload the flow and apply your change again.' },
        );
      }
      const v = await store.flows.getVersion<FlowDefinition>(id, baseVersion);
      const next = applyFlowEdits(v.definition, edits);
      const definition = await check(store, flow.environment, next);
      return saveChecked(actor, flow.environment, definition, { id, baseVersion });
    },

    /** Internal: the checks a solution import runs before its transaction. */
    check,
    /** Internal: the actor's role on a flow (not found when they have none). */
    roleOf,
  };
}

export type FlowsService = ReturnType<typeof flowsService>;
