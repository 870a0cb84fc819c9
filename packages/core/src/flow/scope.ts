/**
 * Subflow scopes, as in Power Automate for desktop: a **Global** subflow
 * shares every variable of the flow; a **Local** one has its own variables,
 * takes inputs and hands back outputs through Run subflow, and reaches the
 * flow's variables as `global.Name`. Without `scope`, a subflow that declares
 * inputs or outputs is Local (as every subflow was before scopes) and any
 * other is Global (PAD's default).
 */
import type { Subflow } from './schema.js';

export type SubflowScope = 'global' | 'local';

export function subflowScope(sub: Pick<Subflow, 'scope' | 'inputs' | 'outputs'>): SubflowScope {
  if (sub.scope === 'global' || sub.scope === 'local') return sub.scope;
  const declares = Object.keys(sub.inputs ?? {}).length > 0 || Object.keys(sub.outputs ?? {}).length > 0;
  return declares ? 'local' : 'global';
}
