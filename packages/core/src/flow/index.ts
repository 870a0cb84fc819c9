export { flowSchema, flowJsonSchema, FLOW_SCHEMA_ID, NAME_PATTERN, SWITCH_OPERATORS } from './schema.js';
export type {
  Flow,
  Step,
  Subflow,
  OnErrorPolicy,
  OnErrorRule,
  ErrorHandling,
  InputDeclaration,
  OutputDeclaration,
  VariableDeclaration,
  SwitchCase,
  SwitchOperator,
} from './schema.js';
export { parseFlowText } from './parse.js';
export { validateFlow, type Diagnostic, type ValidateOptions } from './validate.js';
export { walkSteps, childLists } from './walk.js';
export { SourceMap } from './location.js';
export { blockActions } from './blocks.js';
export { parseInputValue, toValue } from './input-value.js';
export { subflowScope, type SubflowScope } from './scope.js';
