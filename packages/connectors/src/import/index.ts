export {
  importConnector,
  importConnectorFromText,
  importConnectorFromObjects,
  DEFINITION_FILE,
  PROPERTIES_FILE,
  type TextImportOptions,
} from './load.js';
export type { ConnectorDocuments, ImportOptions } from './build.js';
export { normalizeConnectorId } from './id.js';
export { describeConnector, type ConnectorDescription } from './describe.js';
export { APPLIED_POLICY_TEMPLATES } from './policies.js';
