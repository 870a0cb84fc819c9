export type {
  Connector,
  ConnectorSource,
  AuthScheme,
  AuthType,
  OAuth2Settings,
  OAuth2Flow,
  ConnectionParameter,
  ConnectionParameterType,
  Operation,
  OperationInput,
  OperationOutputs,
  OutputField,
  InputLocation,
  FieldType,
  BodyKind,
  Visibility,
  DynamicValues,
  DynamicSchema,
  DynamicParameter,
  Policy,
  JsonSchema,
} from './model.js';
export { DEFAULT_BRAND_COLOR } from './model.js';

// Shared schemas: one view that follows `#/components/NAME` references, bounded and cycle-safe.
export { schemaView, componentName, componentRef } from './schemas.js';
export type { SchemaView } from './schemas.js';
export { resolveOperation, resolveConnector } from './resolve-operation.js';

// Calling operations: the invoker, its pools and retry policy.
export { invokeOperation, findOperation, DEFAULT_TIMEOUT_MS, DEFAULT_MAX_PAGES } from './invoke/invoke.js';
export type { InvokeOptions, InvokeResult, InvokeRequestRecord } from './invoke/invoke.js';
export { closeConnectorPools } from './invoke/pool.js';
export { DEFAULT_RETRY } from './invoke/retry.js';
export type { RetryPolicy } from './invoke/retry.js';

// Importing connectors: Power Platform folders and OpenAPI files into the model.
export {
  importConnector,
  importConnectorFromText,
  importConnectorFromObjects,
  normalizeConnectorId,
  describeConnector,
  APPLIED_POLICY_TEMPLATES,
  DEFINITION_FILE,
  PROPERTIES_FILE,
} from './import/index.js';
export type { ImportOptions, TextImportOptions, ConnectorDocuments, ConnectorDescription } from './import/index.js';

// Connector operations as engine actions, and design-time lookups.
export { createConnectorCatalog, operationAction } from './catalog/catalog.js';
export type { CatalogOptions } from './catalog/catalog.js';
export { getDynamicValues, getDynamicSchema } from './dynamic/dynamic.js';
export type { DynamicRequest, DynamicOption, DynamicField } from './dynamic/dynamic.js';

// Built-in connectors and the declarative helpers they are written with.
export {
  builtinConnectors,
  parseFeed,
  prop,
  httpOperation,
  codeOperation,
  defineConnector,
  oauth2Scheme,
} from './builtin/index.js';
export type { FeedItem, PropValues, BuiltinRunContext } from './builtin/index.js';
