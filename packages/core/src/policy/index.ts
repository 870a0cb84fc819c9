export {
  policySchema,
  checkPolicy,
  parsePolicyText,
  CONNECTOR_GROUPS,
  POLICY_NAME_PATTERN,
  type Policy,
  type EndpointRule,
  type ConnectorGroup,
} from './schema.js';
export {
  evaluateFlowPolicies,
  policiesFor,
  connectorGroup,
  describeViolations,
  type PolicyViolation,
  type ViolationKind,
} from './evaluate.js';
export {
  checkEndpoint,
  endpointRulesOf,
  endpointSetsFor,
  matchesEndpoint,
  type EndpointRuleSet,
  type EndpointCaller,
} from './endpoints.js';
