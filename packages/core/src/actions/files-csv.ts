/** CSV files: File.ReadCsv and File.WriteCsv, through the Data module's CSV functions. */
import type { ActionDefinition } from '../contracts.js';

export const csvFileActions: ActionDefinition[] = [];
