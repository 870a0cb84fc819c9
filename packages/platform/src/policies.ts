/**
 * Data-loss-prevention policies (DESIGN §7): applying, listing and deleting
 * them (the instance owner or an admin of every environment a policy names),
 * and the checks every entry point shares — flow save (kept but suspended),
 * solution import and run start (refused). Applying or deleting a policy
 * re-evaluates the flows of the environments it covers in the same
 * transaction: flows that now violate are suspended, flows that comply again
 * are lifted, and both are listed in the result.
 */
import {
  PatchbayError,
  checkPolicy,
  connectorGroup,
  describeViolations,
  evaluateFlowPolicies,
  parseFlowText,
  parsePolicyText,
  policiesFor,
  type ConnectorGroup,
  type Flow as FlowDefinition,
  type Policy,
  type PolicyViolation,
} from '@patchbay/core';
import type { Repositories, StoredPolicy } from '@patchbay/store';
import type { Actor } from './actor.js';
import type { ConnectorsService } from './connectors.js';
import type { PlatformContext } from './context.js';
import { requireEnvironmentAdmin, requireRole } from './roles.js';

export interface PolicyRecord {
  name: string;
  policy: Policy;
  updatedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface PolicyFlow {
  id: string;
  name: string;
  environment: string;
  violations: PolicyViolation[];
}

export interface PolicyChange {
  /** Flows that violate the policies after the change (suspended). */
  suspended: PolicyFlow[];
  /** Flows that were suspended and comply now (may run again). */
  lifted: Omit<PolicyFlow, 'violations'>[];
}

export interface ApplyResult extends PolicyChange {
  policy: PolicyRecord;
  created: boolean;
}

const toRecord = (p: StoredPolicy<Policy>): PolicyRecord => ({
  name: p.name,
  policy: p.document,
  updatedBy: p.updatedBy,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
});

type PolicyRepos = Pick<Repositories, 'policies'>;

/** The policies that apply to an environment. */
export async function policiesIn(repos: PolicyRepos, environment: string): Promise<Policy[]> {
  return policiesFor(
    (await repos.policies.list<Policy>()).map((p) => p.document),
    environment,
  );
}

/** What a flow definition violates in an environment (empty: it complies, or there is no policy). */
export async function violationsOf(
  repos: PolicyRepos,
  environment: string,
  definition: FlowDefinition,
): Promise<PolicyViolation[]> {
  const policies = await policiesIn(repos, environment);
  return policies.length ? evaluateFlowPolicies(definition, policies) : [];
}

/** `policy.violation` naming the policies and the steps, placed at the first violating step. */
export function violationError(
  violations: readonly PolicyViolation[],
  opts: { flowName?: string; file?: string; hint?: string } = {},
): PatchbayError {
  const first = violations[0];
  return new PatchbayError(
    'policy.violation',
    `${opts.file ? `${opts.file}: ` : ''}${describeViolations(violations, opts.flowName)}`,
    {
      place: { file: opts.file, pointer: first.stepPath, stepPath: first.stepPath, action: first.action },
      hint:
        opts.hint ??
        'Change the steps named so the flow complies (docs/security.md), or ask an administrator about the policy.',
    },
  );
}

/** The reason kept on a suspended flow. */
export function suspensionReason(violations: readonly PolicyViolation[], flowName: string): string {
  const text = describeViolations(violations, flowName);
  return text.length > 2000 ? `${text.slice(0, 1999)}…` : text;
}

export function policiesService(ctx: PlatformContext, deps: { connectors: ConnectorsService }) {
  const { store } = ctx;

  /** Re-evaluates the flows of the environments (`'*'`: all) against the policies in `repos`. */
  async function reevaluate(repos: Repositories, environments: Set<string> | '*'): Promise<PolicyChange> {
    const all = (await repos.policies.list<Policy>()).map((p) => p.document);
    const flows =
      environments === '*'
        ? await repos.flows.list()
        : (await Promise.all([...environments].map((environment) => repos.flows.list({ environment })))).flat();
    const change: PolicyChange = { suspended: [], lifted: [] };
    for (const f of flows) {
      const policies = policiesFor(all, f.environment);
      const definition = (await repos.flows.getVersion<FlowDefinition>(f.id)).definition;
      const violations = policies.length ? evaluateFlowPolicies(definition, policies) : [];
      const who = { id: f.id, name: f.name, environment: f.environment };
      if (violations.length) {
        const reason = suspensionReason(violations, f.name);
        if (reason !== f.suspendedReason) await repos.flows.setSuspended(f.id, reason);
        change.suspended.push({ ...who, violations });
      } else if (f.suspendedReason !== null) {
        await repos.flows.setSuspended(f.id, null);
        change.lifted.push(who);
      }
    }
    return change;
  }

  async function requireAdminOf(
    actor: Actor,
    environments: readonly string[],
    what: string,
    repos: Repositories = store,
  ): Promise<void> {
    for (const e of environments) await requireEnvironmentAdmin(ctx, actor, e, what, repos);
  }

  const scope = (environments: readonly string[]): Set<string> | '*' =>
    environments.includes('*') ? '*' : new Set(environments);
  const union = (a: Set<string> | '*', b: Set<string> | '*'): Set<string> | '*' =>
    a === '*' || b === '*' ? '*' : new Set([...a, ...b]);

  return {
    /**
     * Creates or replaces a policy (an object, or a policy file's text), then
     * suspends the flows that now violate and lifts those that comply.
     */
    async apply(actor: Actor, input: unknown, opts: { file?: string } = {}): Promise<ApplyResult> {
      const policy =
        typeof input === 'string'
          ? parsePolicyText(input, opts.file)
          : checkPolicy(input, opts.file ? { file: opts.file } : {});
      await requireAdminOf(actor, policy.environments, `apply data-loss-prevention policy "${policy.name}"`);
      for (const e of policy.environments) if (e !== '*') await store.environments.require(e);
      return store.transaction(async (tx) => {
        const before = await tx.policies.find<Policy>(policy.name);
        if (before)
          await requireAdminOf(
            actor,
            before.document.environments,
            `change data-loss-prevention policy "${policy.name}"`,
            tx,
          );
        const { policy: saved, created } = await tx.policies.put({
          name: policy.name,
          document: policy,
          updatedBy: actor.id,
        });
        const envs = before
          ? union(scope(before.document.environments), scope(policy.environments))
          : scope(policy.environments);
        const change = await reevaluate(tx, envs);
        ctx.logger.info('Data-loss-prevention policy applied.', {
          policy: policy.name,
          actor: actor.id,
          suspended: change.suspended.length,
          lifted: change.lifted.length,
        });
        return { policy: toRecord(saved), created, ...change };
      });
    },

    /** Every policy (any signed-in user may read them: makers need to know what applies). */
    async list(_actor: Actor): Promise<PolicyRecord[]> {
      return (await store.policies.list<Policy>()).map(toRecord);
    },

    async get(_actor: Actor, name: string): Promise<PolicyRecord> {
      return toRecord(await store.policies.get<Policy>(name));
    },

    /** Deletes a policy; flows it alone suspended are lifted. */
    async delete(actor: Actor, name: string): Promise<PolicyChange> {
      const existing = await store.policies.get<Policy>(name);
      await requireAdminOf(actor, existing.document.environments, `delete data-loss-prevention policy "${name}"`);
      return store.transaction(async (tx) => {
        await tx.policies.delete(name);
        return reevaluate(tx, scope(existing.document.environments));
      });
    },

    /** What a definition would violate in an environment (nothing is saved). */
    async check(
      actor: Actor,
      environment: string,
      input: FlowDefinition | string,
      opts: { file?: string } = {},
    ): Promise<PolicyViolation[]> {
      await store.environments.require(environment);
      await requireRole(ctx, actor, environment, 'user', 'check flows against its policies');
      // The flow's shape is checked first, so a malformed document gets the flow file's own error.
      const definition = parseFlowText(typeof input === 'string' ? input : JSON.stringify(input), opts.file);
      return violationsOf(store, environment, definition);
    },

    /**
     * Each connector of the environment with its group under every policy
     * that applies there (for the designer's admin page).
     */
    async connectorGroups(
      actor: Actor,
      environment: string,
    ): Promise<{
      policies: string[];
      connectors: { id: string; displayName: string; groups: Record<string, ConnectorGroup> }[];
    }> {
      await store.environments.require(environment);
      await requireRole(ctx, actor, environment, 'user', 'see its connectors');
      const policies = await policiesIn(store, environment);
      const connectors = await deps.connectors.list(environment);
      return {
        policies: policies.map((p) => p.name),
        connectors: connectors.map((c) => ({
          id: c.id,
          displayName: c.displayName,
          groups: Object.fromEntries(policies.map((p) => [p.name, connectorGroup(p, c.id)])),
        })),
      };
    },
  };
}

export type PoliciesService = ReturnType<typeof policiesService>;
