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

// Calling operations: the invoker, its pools and retry policy.
export { invokeOperation, findOperation, DEFAULT_TIMEOUT_MS, DEFAULT_MAX_PAGES } from './invoke/invoke.js';
export type { InvokeOptions, InvokeResult, InvokeRequestRecord } from './invoke/invoke.js';
export { closeConnectorPools } from './invoke/pool.js';
export { DEFAULT_RETRY } from './invoke/retry.js';
export type { RetryPolicy } from './invoke/retry.js';
