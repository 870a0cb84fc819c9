/**
 * The connector gateway: a runner's connector step, called here — in the
 * process that holds the run's connections — and answered with a scrubbed
 * result. The same for a local runner process and a machine on another
 * computer: the runner names a reference, an operation and parameters; only
 * references the run resolved and operations its flow uses are served.
 */
import {
  PatchbayError,
  toErrorData,
  type ActionContext,
  type ActionDefinition,
  type RunResources,
} from '@patchbay/core';
import type { GatewayMessage, ToRunner } from './protocol.js';

/** What the gateway knows of the run a call belongs to. */
export interface GatewayRun {
  resources: RunResources;
  /** The references the run resolved (any the resolver accepts when undefined). */
  references: Set<string> | undefined;
  /** `connectorId\u0000operationId`, lower case, of the operations the flow uses. */
  allowedOps: Set<string>;
  scrub: <T>(v: T) => T;
}

/** Serves one call and answers it with `send` (the channel it came by). */
export type GatewayServer = (m: GatewayMessage, send: (m: ToRunner) => void) => Promise<void>;

/**
 * The gateway of one run. The operations a run may call are fixed when it starts, so each is looked up once
 * (by the ids the runner sends) and kept for the run's later calls; the references are checked on every call,
 * and the connection resolver (which checks the binding is still usable) runs on every call.
 */
export function gatewayFor(run: GatewayRun): GatewayServer {
  const { resources } = run;
  const operations = new Map<string, ActionDefinition>();
  const signal = resources.signal ?? new AbortController().signal;
  const operation = (m: GatewayMessage): ActionDefinition | undefined => {
    const key = `${m.connectorId}\u0000${m.operationId}`;
    let def = operations.get(key);
    if (def) return def;
    def = run.allowedOps.has(key.toLowerCase())
      ? resources.connectors?.getOperation(m.connectorId, m.operationId)
      : undefined;
    if (def?.run) operations.set(key, def);
    return def;
  };
  return async (m, send) => {
    try {
      if (run.references && !run.references.has(m.reference))
        throw new PatchbayError(
          'connection.unresolved',
          `Connection reference "${m.reference}" is not one this run resolved.`,
          {
            place: { stepPath: m.step.path, action: m.step.action },
            hint: 'A run can use only the connection references its flow names.',
          },
        );
      const def = operation(m);
      if (!def?.run)
        throw new PatchbayError(
          'connector.unknown',
          `Operation ${m.operationId} of connector ${m.connectorId} is not part of this run.`,
          {
            place: { stepPath: m.step.path, action: m.step.action },
          },
        );
      const ctx: ActionContext = {
        host: resources.host,
        logger: resources.logger,
        clock: resources.clock,
        signal,
        ...(resources.connections ? { connections: resources.connections } : {}),
        // Endpoint rules hold for the call the gateway makes, on the URL it finally calls.
        ...(resources.endpointRules ? { endpointRules: resources.endpointRules } : {}),
        step: {
          path: m.step.path,
          action: m.step.action,
          connectionReference: m.reference,
          ...(m.step.retry ? { retry: m.step.retry } : {}),
          ...(m.step.pagination ? { pagination: m.step.pagination } : {}),
        },
        getVariable: () => undefined,
        setVariable: () => undefined,
      };
      const value = await def.run(ctx, m.params);
      send({ type: 'gateway.result', runId: m.runId, callId: m.callId, ok: true, value: run.scrub(value ?? null) });
    } catch (e) {
      send({
        type: 'gateway.result',
        runId: m.runId,
        callId: m.callId,
        ok: false,
        error: run.scrub(toErrorData(e)),
      });
    }
  };
}
