/** Runs the core validator in the browser and groups its diagnostics by step, for the workspace's error flags. */
import { useDeferredValue, useMemo } from 'react';
import { useQueries } from '@tanstack/react-query';
import {
  blockActions,
  createActionRegistry,
  getAtPointer,
  parsePointer,
  validateFlow,
  type ActionDefinition,
  type Diagnostic,
} from '@patchbay/core';
import { api, enc } from '../api/client.js';
import { keys } from '../api/queries.js';
import type { ActionInfo, FlowDoc, StepDoc } from '../api/types.js';

function connectorSteps(flow: FlowDoc): { connector: string; operation: string }[] {
  const seen = new Map<string, { connector: string; operation: string }>();
  const visit = (steps: readonly StepDoc[] | undefined) =>
    (steps ?? []).forEach((s) => {
      if (s.connector && s.operation)
        seen.set(`${s.connector}/${s.operation}`, { connector: s.connector, operation: s.operation });
      visit(s.then);
      s.elseIf?.forEach((b) => visit(b.then));
      visit(s.else);
      s.cases?.forEach((c) => visit(c.do));
      visit(s.default);
      visit(s.do);
    });
  visit(flow.steps);
  for (const sub of Object.values(flow.subflows ?? {})) visit(sub.steps);
  return [...seen.values()];
}

/** The action forms of every connector operation the flow uses, keyed `connector/operation`. */
export function useOperationInfos(env: string, flow: FlowDoc | undefined): Map<string, ActionInfo> {
  const ops = flow ? connectorSteps(flow) : [];
  const results = useQueries({
    queries: ops.map((o) => ({
      queryKey: keys.operationAction(env, o.connector, o.operation),
      queryFn: () =>
        api<ActionInfo>(
          'GET',
          `/api/envs/${enc(env)}/connectors/${enc(o.connector)}/operations/${enc(o.operation)}/action`,
        ),
      staleTime: Infinity,
      retry: false,
    })),
  });
  const out = new Map<string, ActionInfo>();
  results.forEach((r, i) => r.data && out.set(`${ops[i].connector}/${ops[i].operation}`, r.data));
  const key = [...out.keys()].join('|');
  // Stable identity while the same operations are loaded.
  return useMemo(() => new Map(out), [key]);
}

/**
 * Validation runs in a deferred render: the steps show first (a 1,000-step
 * flow validates in about 100 ms), their error flags a moment later.
 */
export function useDiagnostics(
  current: FlowDoc | undefined,
  actions: ActionInfo[] | undefined,
  ops: Map<string, ActionInfo>,
): { byStep: Map<string, string[]>; all: Diagnostic[] } {
  const flow = useDeferredValue(current, undefined);
  return useMemo(() => {
    const byStep = new Map<string, string[]>();
    if (!flow || !actions) return { byStep, all: [] };
    const defs = new Map<string, ActionDefinition>();
    for (const b of blockActions) defs.set(b.id, b);
    for (const a of actions) defs.set(a.id, a as ActionDefinition);
    const registry = createActionRegistry([...defs.values()]);
    let all: Diagnostic[];
    try {
      all = validateFlow(flow, {
        actions: registry,
        connectors: { getOperation: (c, o) => ops.get(`${c}/${o}`) as ActionDefinition | undefined },
      });
    } catch (e) {
      all = [
        {
          severity: 'error',
          code: 'internal',
          message: e instanceof Error ? e.message : String(e),
          pointer: '',
          stepPath: '',
        },
      ];
    }
    for (const d of all) {
      if (d.severity !== 'error' || !d.stepPath) continue;
      // A connector operation whose form has not loaded yet is not an error.
      const step = getAtPointer(flow, parsePointer(d.stepPath)) as StepDoc | undefined;
      if (step?.connector && !ops.has(`${step.connector}/${step.operation}`)) continue;
      const list = byStep.get(d.stepPath) ?? [];
      list.push(d.hint ? `${d.message} ${d.hint}` : d.message);
      byStep.set(d.stepPath, list);
    }
    return { byStep, all };
  }, [flow, actions, ops]);
}
