import type { ActionDefinition } from '../contracts.js';

export const webActions: ActionDefinition[] = [];
