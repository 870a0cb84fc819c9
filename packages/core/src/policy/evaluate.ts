/**
 * What a flow violates: given the policies that apply to its environment and
 * its definition (main steps, subflows, nested steps), each violation with
 * the policy, the step path and what to change. Each policy is checked on
 * its own and every violation is reported, so the strictest policy wins.
 */
import type { Flow } from '../flow/schema.js';
import { walkSteps } from '../flow/walk.js';
import { CONNECTOR_GROUPS, type ConnectorGroup, type Policy } from './schema.js';

export type ViolationKind = 'mixedGroups' | 'blockedConnector' | 'blockedModule' | 'blockedAction';

export interface PolicyViolation {
  policy: string;
  kind: ViolationKind;
  /** JSON pointer of the step, e.g. `/subflows/Fetch/steps/0/then/1`. */
  stepPath: string;
  /** The step's action id, or `connector/operation` for connector steps. */
  action: string;
  message: string;
}

/** The policies that apply to an environment (`environments` names it, or is `["*"]`). */
export function policiesFor<P extends Pick<Policy, 'environments'>>(policies: readonly P[], environment: string): P[] {
  return policies.filter((p) => p.environments.includes('*') || p.environments.includes(environment));
}

/** The group a policy puts a connector in (case-insensitive; `default`, else nonBusiness, for unlisted ones). */
export function connectorGroup(policy: Policy, connectorId: string): ConnectorGroup {
  const id = connectorId.toLowerCase();
  for (const g of CONNECTOR_GROUPS) if (policy.connectors?.[g]?.some((c) => c.toLowerCase() === id)) return g;
  return policy.connectors?.default ?? 'nonBusiness';
}

const GROUP_NAME: Record<ConnectorGroup, string> = {
  business: 'Business',
  nonBusiness: 'Non-business',
  blocked: 'Blocked',
};

const has = (list: readonly string[] | undefined, v: string) =>
  list?.some((x) => x.toLowerCase() === v.toLowerCase()) ?? false;

interface ConnectorUse {
  connector: string;
  stepPath: string;
  action: string;
  group: ConnectorGroup;
}

function evaluateOne(policy: Policy, flow: Flow): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  const uses: ConnectorUse[] = [];
  const v = (kind: ViolationKind, stepPath: string, action: string, message: string) =>
    out.push({ policy: policy.name, kind, stepPath, action, message });
  walkSteps(flow, (step, path) => {
    if (typeof step.connector === 'string') {
      const action = `${step.connector}/${step.operation ?? ''}`;
      const group = connectorGroup(policy, step.connector);
      if (group === 'blocked')
        v(
          'blockedConnector',
          path,
          action,
          `Step ${path} uses connector "${step.connector}", which policy "${policy.name}" blocks.`,
        );
      else uses.push({ connector: step.connector, stepPath: path, action, group });
      return;
    }
    const id = step.action;
    if (typeof id !== 'string' || !id.includes('.')) return;
    const module = id.slice(0, id.indexOf('.'));
    if (has(policy.desktopActions?.blockedModules, module))
      v('blockedModule', path, id, `Step ${path} uses ${id}; policy "${policy.name}" blocks the ${module} actions.`);
    else if (has(policy.desktopActions?.blockedActions, id))
      v('blockedAction', path, id, `Step ${path} uses ${id}, which policy "${policy.name}" blocks.`);
  });
  const business = uses.find((u) => u.group === 'business');
  const nonBusiness = uses.find((u) => u.group === 'nonBusiness');
  if (business && nonBusiness) {
    for (const u of uses) {
      const other = u.group === 'business' ? nonBusiness : business;
      v(
        'mixedGroups',
        u.stepPath,
        u.action,
        `Step ${u.stepPath} uses ${GROUP_NAME[u.group]} connector "${u.connector}" in a flow that also uses ${GROUP_NAME[other.group]} connector "${other.connector}" (step ${other.stepPath}); policy "${policy.name}" does not allow mixing them.`,
      );
    }
  }
  return out;
}

/** Every violation of the flow against the given policies (already filtered to its environment), in step order per policy. */
export function evaluateFlowPolicies(flow: Flow, policies: readonly Policy[]): PolicyViolation[] {
  return policies.flatMap((p) => evaluateOne(p, flow));
}

/** One message for a list of violations: each policy and the steps, as a save, import or run start refuses them. */
export function describeViolations(violations: readonly PolicyViolation[], flowName?: string): string {
  const byPolicy = new Map<string, PolicyViolation[]>();
  for (const x of violations) byPolicy.set(x.policy, [...(byPolicy.get(x.policy) ?? []), x]);
  const parts = [...byPolicy].map(
    ([policy, list]) =>
      `policy "${policy}" at ${[...new Set(list.map((x) => `step ${x.stepPath} (${x.action})`))].join(', ')}`,
  );
  const head = flowName ? `Flow "${flowName}" violates` : 'The flow violates';
  return `${head} data-loss-prevention ${parts.join('; ')}: ${violations[0].message}`;
}
