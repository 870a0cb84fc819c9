import type { ActionDefinition } from '../contracts.js';

export const scriptingActions: ActionDefinition[] = [];
