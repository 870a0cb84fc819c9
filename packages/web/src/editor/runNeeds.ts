/**
 * Which connection references a run needs the runner's own connection for.
 * The server resolves each reference the flow uses to the runner's own
 * connection (the `connections` map of `POST /api/flows/:id/runs`), else the
 * connection a co-owner embedded, else the environment's binding when the
 * runner may use it. The designer asks for the ones that would not resolve,
 * offering the runner's compatible connections.
 */
import { walkSteps } from '@patchbay/core';
import type { Connection, EmbeddedReference, FlowDoc, Reference } from '../api/types.js';

export interface UsedReference {
  logicalName: string;
  connectorId: string;
}

export interface RunNeed extends UsedReference {
  displayName: string;
  /** Why the run cannot use the environment's binding. */
  reason: string;
  /** Connections of the same connector and environment the runner may use. */
  choices: Connection[];
}

/** The references the flow's connector steps name (disabled ones too, as the server counts them), first use first. */
export function usedReferences(flow: FlowDoc): UsedReference[] {
  const found = new Map<string, UsedReference>();
  walkSteps(flow, (step) => {
    if (step.connector && step.connectionReference && !found.has(step.connectionReference))
      found.set(step.connectionReference, { logicalName: step.connectionReference, connectorId: step.connector });
  });
  return [...found.values()];
}

export function runNeeds(input: {
  flow: FlowDoc;
  references: readonly Reference[];
  connections: readonly Connection[];
  embedded: readonly EmbeddedReference[];
}): RunNeed[] {
  const usable = new Set(input.connections.map((c) => c.id));
  const needs: RunNeed[] = [];
  for (const used of usedReferences(input.flow)) {
    if (input.embedded.some((e) => e.logicalName === used.logicalName && e.connection)) continue;
    const ref = input.references.find((r) => r.logicalName === used.logicalName);
    let reason = '';
    if (!ref) reason = 'The reference does not exist in this environment.';
    else if (!ref.connection) reason = 'The reference is not bound to a connection in this environment.';
    else if (!usable.has(ref.connection.id))
      reason = `It is bound to ${ref.connection.displayName} (${ref.connection.owner.email}), which is not shared with you.`;
    if (!reason) continue;
    needs.push({
      ...used,
      displayName: ref?.displayName ?? used.logicalName,
      reason,
      choices: input.connections.filter((c) => c.connectorId.toLowerCase() === used.connectorId.toLowerCase()),
    });
  }
  return needs;
}
