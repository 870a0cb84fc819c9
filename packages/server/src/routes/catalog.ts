/** The action catalog (standard actions and blocks) and the flow file's JSON Schema. */
import { blockActions, flowJsonSchema, standardActions, type ActionDefinition } from '@patchbay/core';
import type { App } from '../http/types.js';

export function actionInfo(a: ActionDefinition) {
  return {
    id: a.id,
    group: a.group,
    displayName: a.displayName,
    description: a.description,
    kind: a.kind ?? 'action',
    ...(a.bodies ? { bodies: [...a.bodies] } : {}),
    ...(a.pageable ? { pageable: true } : {}),
    ...(a.dynamicOutputs ? { dynamicOutputs: { dependsOn: [...a.dynamicOutputs.dependsOn] } } : {}),
    params: [...a.params],
    produces: [...a.produces],
  };
}

export async function catalogRoutes(app: App): Promise<void> {
  const actions = [...standardActions, ...blockActions].map(actionInfo);
  app.get(
    '/api/actions',
    {
      config: { access: 'user', permission: 'signed-in' },
      schema: { tags: ['catalog'], description: 'Standard actions and blocks, as the designer lists them.' },
    },
    async () => actions,
  );
  app.get(
    '/api/schema/flow',
    {
      config: { access: 'user', permission: 'signed-in' },
      schema: { tags: ['catalog'], description: 'The JSON Schema of a flow file.' },
    },
    async () => flowJsonSchema,
  );
}
