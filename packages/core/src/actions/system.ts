import type { ActionDefinition } from '../contracts.js';

export const systemActions: ActionDefinition[] = [];
