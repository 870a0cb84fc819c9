/** Finds a connector by id: the built-in ones, then the ones imported into the local store. */
import { PatchbayError } from '@patchbay/core';
import { builtinConnectors, type Connector } from '@patchbay/connectors';

export async function findConnector(id: string, env = 'default'): Promise<Connector> {
  const builtin = builtinConnectors().find((c) => c.id === id);
  if (builtin) return builtin;
  const { withPlatform } = await import('./platform.js');
  const found = await withPlatform(async (p, me) => p.connectors.get(me, env, id).catch(() => undefined));
  if (found) return found;
  throw new PatchbayError('connector.unknown', `No connector '${id}' in environment ${env}`, {
    hint: 'Give the path of a connector folder or OpenAPI file, or import it first: patchbay connector import PATH',
  });
}
