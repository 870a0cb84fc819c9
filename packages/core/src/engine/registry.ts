/** An action registry: standard actions, blocks and anything a package registers later. */
import type { ActionDefinition, ActionRegistry } from '../contracts.js';
import { PatchbayError } from '../errors.js';

export function createActionRegistry(
  defs: ActionDefinition[],
): ActionRegistry & { register(def: ActionDefinition): void } {
  const byId = new Map<string, ActionDefinition>();
  const register = (def: ActionDefinition): void => {
    if (!def || typeof def.id !== 'string' || def.id === '')
      throw new PatchbayError('action.unknown', 'An action definition needs an id.');
    if (byId.has(def.id))
      throw new PatchbayError('action.unknown', `The action "${def.id}" is registered twice.`, {
        hint: 'Give each action a unique id.',
      });
    byId.set(def.id, def);
  };
  for (const d of defs) register(d);
  return {
    get: (id) => byId.get(id),
    list: () => [...byId.values()],
    register,
  };
}
