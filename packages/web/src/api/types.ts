/** Shapes of the HTTP API (/work/notes/api-contract.md), as the designer reads them. */
import type {
  ConnectorGroup,
  ErrorData,
  Flow,
  ParamSpec,
  Policy,
  PolicyViolation,
  ProducedSpec,
  Step,
  StepEvent,
  ValueType,
} from '@patchbay/core';

export interface User {
  id: string;
  email: string;
  displayName?: string;
  role?: string;
}
export interface Session {
  user: User;
  csrfToken: string;
}

export interface ActionInfo {
  id: string;
  group: string;
  displayName: string;
  description: string;
  kind?: 'action' | 'block' | 'connector';
  bodies?: string[];
  /** Connector operations that return their items over several pages. */
  pageable?: boolean;
  /** The response's fields come from the service once these parameters have values. */
  dynamicOutputs?: { dependsOn: string[] };
  params: ParamSpec[];
  produces: ProducedSpec[];
}

export interface Environment {
  name: string;
  displayName?: string;
  createdAt?: string;
}

export interface AuthParameter {
  name: string;
  type: string;
  displayName: string;
  description?: string;
  required: boolean;
  allowedValues?: string[];
  hidden?: boolean;
  secret: boolean;
}
export interface AuthScheme {
  name: string;
  displayName: string;
  type: string;
  parameters: AuthParameter[];
}
export interface OperationSummary {
  id: string;
  summary: string;
  description?: string;
  visibility?: string;
  deprecated?: boolean;
  isTrigger?: boolean;
  usableAsAction?: boolean;
}
export interface ConnectorSummary {
  id: string;
  displayName: string;
  description?: string;
  iconUrl?: string;
  brandColor?: string;
  publisher?: string;
  builtin?: boolean;
  /** Imported connectors: who imported it first (null when not recorded). */
  owner?: { id: string; email: string } | null;
  coOwners?: { id: string; email: string }[];
  authSchemes: AuthScheme[];
  operations: OperationSummary[];
}

export type ConnectionStatus = 'connected' | 'error' | 'needs-reauth';
export interface Connection {
  id: string;
  environment: string;
  connectorId: string;
  displayName: string;
  owner: { id: string; email: string };
  scheme?: string;
  params?: Record<string, unknown>;
  baseUrl?: string;
  status: ConnectionStatus;
  statusReason?: string;
  statusAt?: string;
  sharedWithMe?: boolean;
  canManage?: boolean;
  createdAt?: string;
}

export interface Reference {
  logicalName: string;
  displayName: string;
  connectorId: string;
  description?: string;
  connection: { id: string; displayName: string; status: ConnectionStatus; owner: { email: string } } | null;
  usedBy: { flowId: string; flowName: string }[];
  /** Flows using it that the caller may not see (counted, never named). */
  otherFlows?: number;
  /** Whether the caller may rebind, rename or delete it. */
  canManage?: boolean;
}

/** A connection a co-owner embedded for one of a flow's references (`GET /api/flows/:id/embedded-references`). */
export interface EmbeddedReference {
  logicalName: string;
  embeddedBy: { id: string; email: string };
  connection: { id: string; displayName: string; connectorId: string; status: ConnectionStatus } | null;
}
/** Who a flow is shared with (`GET /api/flows/:id/shares`). */
export interface FlowShare {
  user: { id: string; email: string };
  role: 'co-owner' | 'run-only';
  createdAt?: string;
}

export interface VariableDeclDoc {
  type: ValueType;
  required?: boolean;
  default?: unknown;
  description?: string;
  sensitive?: boolean;
}

/** A step and a flow document: core's types, derived from the flow JSON Schema the server validates with. */
export type StepDoc = Step;
export type FlowDoc = Flow;

export interface FlowSummary {
  id: string;
  name: string;
  enabled: boolean;
  version: number;
  updatedAt: string;
  owner?: { email: string };
  role?: 'owner' | 'co-owner' | 'run-only';
}
export interface FlowRecord {
  id: string;
  environment: string;
  name: string;
  enabled: boolean;
  version: number;
  definition: FlowDoc;
  role?: string;
  updatedAt: string;
  /** Why a data-loss-prevention policy keeps the flow from running; null when it may run. */
  suspendedReason?: string | null;
  violations?: PolicyViolation[];
}

export interface PolicyRecord {
  name: string;
  policy: Policy;
  updatedAt: string;
}

/** Each connector of an environment with its group under every policy that applies there. */
export interface ConnectorGroups {
  policies: string[];
  connectors: { id: string; displayName: string; groups: Record<string, ConnectorGroup> }[];
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
export interface RunSummary {
  id: string;
  flowId: string;
  flowName?: string;
  status: RunStatus;
  startedBy?: string;
  queuedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  error?: ErrorData;
}
export interface RunStepRecord {
  seq: number;
  stepPath: string;
  action: string;
  status: string;
  startedAt?: string;
  durationMs?: number;
  inputs?: unknown;
  outputs?: unknown;
  error?: ErrorData;
}
export interface RunDetail {
  run: RunSummary & { outputs?: Record<string, unknown>; variables?: Record<string, unknown> };
  steps: RunStepRecord[];
}
export type { StepEvent };

export interface Solution {
  name: string;
  flows: { id: string; name: string }[];
  version?: string | number;
}
export interface OptionItem {
  value: string;
  title: string;
}
