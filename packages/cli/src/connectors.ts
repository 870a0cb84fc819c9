/** Finds a connector by id: the built-in ones, then the ones imported into the local store. */
import { PatchbayError } from '@patchbay/core';
import { builtinConnectors, type Connector } from '@patchbay/connectors';

/** With `operationId`, only that operation is loaded when the connector has it (else the whole model, for hints). */
export async function findConnector(id: string, env = 'default', operationId?: string): Promise<Connector> {
  const builtin = builtinConnectors().find((c) => c.id === id);
  if (builtin) return builtin;
  const { withPlatform } = await import('./platform.js');
  const found = await withPlatform(async (p, me) => {
    if (operationId !== undefined) {
      const one = await p.connectors.withOperations(me, env, id, [operationId]).catch(() => undefined);
      if (one?.operations.some((o) => o.id === operationId)) return one;
    }
    return p.connectors.get(me, env, id).catch(() => undefined);
  });
  if (found) return found;
  throw new PatchbayError('connector.unknown', `No connector '${id}' in environment ${env}`, {
    hint: 'Give the path of a connector folder or OpenAPI file, or import it first: patchbay connector import PATH',
  });
}
