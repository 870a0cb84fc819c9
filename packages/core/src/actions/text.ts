import type { ActionDefinition } from '../contracts.js';

export const textActions: ActionDefinition[] = [];
