/** Robin, Power Automate for desktop's flow language: import into and export from Patchbay flows. */
export {
  importRobin,
  type RobinImport,
  type RobinImportOptions,
  type UnsupportedStatement,
  type ImportedReference,
} from './import.js';
export { exportRobin, type RobinExport, type RobinExportOptions, type RobinActionLookup } from './export.js';
export {
  robinActionTable,
  robinConditionTable,
  robinMappingMarkdown,
  type RobinActionMapping,
  type RobinArg,
  type RobinConditionMapping,
} from './table.js';
export { padActions, UNSUPPORTED_ACTION } from './pad-actions.js';
