/**
 * What is wrong with a connector step's connector and operation, worded once
 * for `validateFlow` and the engine: an unknown connector or operation (with
 * the nearest id), or an operation that cannot run as a step (a trigger).
 */
import type { ActionDefinition, ConnectorCatalog } from '../contracts.js';
import { nearest } from './suggest.js';

export interface ConnectorStepProblem {
  code: 'connector.unknown' | 'connector.unsupported';
  message: string;
  hint: string;
  /** The step's key the problem is about. */
  key: 'connector' | 'operation';
}

/** The problem with `connector/operation` in this catalog, given what `getOperation` returned; undefined when the step can run. */
export function connectorStepProblem(
  catalog: ConnectorCatalog,
  connectorId: string,
  operationId: string,
  def: ActionDefinition | undefined,
): ConnectorStepProblem | undefined {
  const action = `${connectorId}/${operationId}`;
  if (def) {
    if (def.notUsableReason === undefined) return undefined;
    return {
      code: 'connector.unsupported',
      key: 'operation',
      message: `${action} cannot run as a step: ${def.notUsableReason}.`,
      hint: 'Pick an action of this connector instead; flows start on demand, not on triggers.',
    };
  }
  const operations = catalog.listOperations?.(connectorId);
  if (operations === undefined && catalog.listConnectors) {
    const guess = nearest(connectorId, catalog.listConnectors());
    return {
      code: 'connector.unknown',
      key: 'connector',
      message: `Unknown connector "${connectorId}".`,
      hint: guess
        ? `Did you mean "${guess}"?`
        : 'Import the connector first (patchbay connector import), or check its id (patchbay connector list).',
    };
  }
  if (operations !== undefined) {
    const guess = nearest(operationId, operations);
    return {
      code: 'connector.unknown',
      key: 'operation',
      message: `Connector "${connectorId}" has no operation "${operationId}".`,
      hint: guess
        ? `Did you mean "${guess}"?`
        : `Its operations are: ${operations.slice(0, 10).join(', ')}${operations.length > 10 ? ', …' : ''}.`,
    };
  }
  return {
    code: 'connector.unknown',
    key: 'operation',
    message: `Unknown connector operation ${action}.`,
    hint: 'Import the connector first, or check the connector and operation ids.',
  };
}
