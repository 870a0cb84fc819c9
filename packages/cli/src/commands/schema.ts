import { flowJsonSchema, PatchbayError } from '@patchbay/core';
import { printJson } from '../output.js';

export async function schemaCommand(name: string): Promise<void> {
  if (name !== 'flow')
    throw new PatchbayError('flow.invalid', `Unknown schema '${name}'`, {
      hint: "The published schema is 'flow': patchbay schema flow",
    });
  printJson(flowJsonSchema);
}
