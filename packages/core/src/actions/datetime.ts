import type { ActionDefinition } from '../contracts.js';

export const datetimeActions: ActionDefinition[] = [];
