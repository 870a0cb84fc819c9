/**
 * The connector gateway: a runner's connector step, called here — in the
 * process that holds the run's connections — and answered with a scrubbed
 * result. The same for a local runner process and a machine on another
 * computer: the runner names a reference, an operation and parameters; only
 * references the run resolved and operations its flow uses are served.
 */
import { PatchbayError, toErrorData, type ActionContext, type RunResources } from '@patchbay/core';
import type { GatewayMessage, ToRunner } from './protocol.js';

/** What the gateway knows of the run a call belongs to. */
export interface GatewayRun {
  resources: RunResources;
  /** The references the run resolved (any the resolver accepts when undefined). */
  references: Set<string> | undefined;
  /** `connectorId\u0000operationId`, lower case, of the operations the flow uses. */
  allowedOps: Set<string>;
  scrub: <T>(v: T) => T;
  send: (m: ToRunner) => void;
}

export async function serveGatewayCall(m: GatewayMessage, run: GatewayRun): Promise<void> {
  const { resources } = run;
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
    const def = run.allowedOps.has(`${m.connectorId.toLowerCase()}\u0000${m.operationId.toLowerCase()}`)
      ? resources.connectors?.getOperation(m.connectorId, m.operationId)
      : undefined;
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
      signal: resources.signal ?? new AbortController().signal,
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
    run.send({ type: 'gateway.result', runId: m.runId, callId: m.callId, ok: true, value: run.scrub(value ?? null) });
  } catch (e) {
    run.send({
      type: 'gateway.result',
      runId: m.runId,
      callId: m.callId,
      ok: false,
      error: run.scrub(toErrorData(e)),
    });
  }
}
