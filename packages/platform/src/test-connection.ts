/**
 * Testing a connection: the connector's test operation
 * (`x-ms-capabilities.testConnection`), else a safe GET it names (a GET
 * operation needing no input), else — for connectors without auth — connected.
 * The outcome is stored as the connection's status with the service's message.
 */
import { toErrorData, type ResolvedConnection } from '@patchbay/core';
import type { Connector, Operation } from '@patchbay/connectors';
import type { Connection, ConnectionStatus } from '@patchbay/store';
import { schemeOf } from './schemes.js';

export interface TestOutcome {
  status: ConnectionStatus;
  statusReason: string | null;
  /** Which operation was called, if any. */
  operationId?: string;
}

/** A GET the connector offers that needs no input: safe to call to prove the credentials work. */
function safeGet(connector: Connector): Operation | undefined {
  return connector.operations.find(
    (o) =>
      o.method.toUpperCase() === 'GET' &&
      o.usableAsAction &&
      !o.deprecated &&
      !o.needsCustomCode &&
      !o.path.includes('{') &&
      o.inputs.every((i) => !i.required || i.default !== undefined),
  );
}

export async function testConnection(
  connector: Connector,
  connection: Connection,
  resolved: ResolvedConnection,
  opts: { timeoutMs?: number } = {},
): Promise<TestOutcome> {
  const scheme = schemeOf(connector, connection.scheme);
  const op = connector.testOperationId
    ? connector.operations.find((o) => o.id === connector.testOperationId)
    : safeGet(connector);
  if (!op) {
    if (scheme.type === 'none') return { status: 'connected', statusReason: null };
    if (scheme.type === 'oauth2' && resolved.getAccessToken) {
      try {
        await resolved.getAccessToken();
        return {
          status: 'connected',
          statusReason: 'Signed in; the connector names no operation to test the connection with.',
        };
      } catch (e) {
        return failed(e);
      }
    }
    return {
      status: 'connected',
      statusReason: 'Not verified: the connector names no operation to test the connection with.',
    };
  }
  try {
    const params = (connector.testOperationId ? connector.testOperationParameters : undefined) ?? {};
    // Loaded on use, so opening the platform does not evaluate the connectors package.
    const { invokeOperation } = await import('@patchbay/connectors');
    const result = await invokeOperation({
      connector,
      operation: op.id,
      params: params as Record<string, never>,
      connection: resolved,
      retry: { count: 0 },
      timeoutMs: opts.timeoutMs ?? 30_000,
      maxPages: 1,
    });
    return {
      status: 'connected',
      statusReason: null,
      operationId: op.id,
      ...(result.status >= 300 ? { statusReason: `The service answered ${result.status}.` } : {}),
    };
  } catch (e) {
    return { ...failed(e), operationId: op.id };
  }
}

function failed(e: unknown): TestOutcome {
  const d = toErrorData(e);
  return { status: d.code === 'connection.needs_reauth' ? 'needs-reauth' : 'error', statusReason: d.message };
}
