import type { ActionDefinition } from '../contracts.js';

export const filesActions: ActionDefinition[] = [];
