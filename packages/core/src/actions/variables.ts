import type { ActionDefinition } from '../contracts.js';

export const variablesActions: ActionDefinition[] = [];
