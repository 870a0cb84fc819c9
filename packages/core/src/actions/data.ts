import type { ActionDefinition } from '../contracts.js';

export const dataActions: ActionDefinition[] = [];
