import { blockActions, standardActions, type ActionDefinition } from '@patchbay/core';
import { printJson, printTable } from '../../output.js';

/** What `actions list --json` prints for one action: its declaration without code. */
export function describeAction(a: ActionDefinition) {
  return {
    id: a.id,
    group: a.group,
    displayName: a.displayName,
    description: a.description,
    kind: a.kind ?? 'action',
    bodies: a.bodies,
    params: a.params,
    produces: a.produces,
  };
}

export async function actionsListCommand(opts: { json?: boolean; group?: string }): Promise<void> {
  let actions = [...blockActions, ...standardActions];
  if (opts.group) actions = actions.filter((a) => a.group.toLowerCase() === opts.group!.toLowerCase());
  if (opts.json) printJson(actions.map(describeAction));
  else
    printTable(
      actions.map((a) => ({ id: a.id, group: a.group, name: a.displayName })),
      ['id', 'group', 'name'],
    );
}
