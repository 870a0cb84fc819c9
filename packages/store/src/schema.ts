/**
 * Row shapes of every table, as Kysely sees them. Columns are snake_case in
 * the database and camelCase here (Kysely's CamelCasePlugin maps them).
 * Timestamps are ISO 8601 text in UTC on both dialects, booleans are 0/1
 * integers, JSON is text. Sealed secrets are envelope blobs (`secrets.ts`).
 */
export interface EnvironmentsTable {
  name: string;
  displayName: string;
  createdAt: string;
}

export interface UsersTable {
  id: string;
  email: string;
  displayName: string;
  role: string;
  passwordHash: string | null;
  createdAt: string;
}

export interface ApiTokensTable {
  id: string;
  userId: string;
  name: string;
  tokenHash: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface ConnectorsTable {
  environment: string;
  id: string;
  displayName: string;
  /** The model's head: everything but its operations (JSON). */
  model: string;
  /** What listing reads (JSON, `ConnectorSummaryRecord`). */
  summary: string | null;
  source: string;
  custom: number;
  createdAt: string;
  updatedAt: string;
}

/** One operation of a stored connector (JSON), in the model's order. */
export interface ConnectorOperationsTable {
  environment: string;
  connectorId: string;
  operationId: string;
  position: number;
  model: string;
}

/** One shared schema of a stored connector (JSON). */
export interface ConnectorComponentsTable {
  environment: string;
  connectorId: string;
  name: string;
  model: string;
}

export interface ConnectorOwnersTable {
  environment: string;
  connectorId: string;
  userId: string;
  /** `owner` (who imported it first) or `co-owner`. */
  role: string;
  createdAt: string;
}

export interface ConnectionsTable {
  id: string;
  environment: string;
  connectorId: string;
  displayName: string;
  ownerId: string;
  scheme: string | null;
  params: string;
  sealedSecrets: string | null;
  baseUrl: string | null;
  status: string;
  statusReason: string | null;
  statusAt: string;
  tokenExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ConnectionSharesTable {
  connectionId: string;
  userId: string;
  permission: string;
  createdAt: string;
}

export interface ConnectionReferencesTable {
  id: string;
  environment: string;
  logicalName: string;
  displayName: string;
  connectorId: string;
  description: string | null;
  connectionId: string | null;
  boundAt: string | null;
  boundBy: string | null;
  /** Who created it (null for references created before roles existed). */
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface EnvVarDefinitionsTable {
  schemaName: string;
  displayName: string;
  type: string;
  defaultValue: string | null;
  description: string | null;
  createdAt: string;
}

export interface EnvVarValuesTable {
  environment: string;
  schemaName: string;
  value: string | null;
  sealedValue: string | null;
  updatedAt: string;
}

export interface FlowsTable {
  id: string;
  environment: string;
  name: string;
  ownerId: string;
  enabled: number;
  currentVersion: number;
  createdAt: string;
  updatedAt: string;
  /** Why a data-loss-prevention policy keeps the flow from running; null when it may run. */
  suspendedReason: string | null;
  /** The machine group its runs go to (a machine on another computer); null for this server's runners. */
  machineGroup: string | null;
}

export interface FlowVersionsTable {
  flowId: string;
  version: number;
  definition: string;
  authorId: string | null;
  createdAt: string;
}

export interface FlowSharesTable {
  flowId: string;
  userId: string;
  role: string;
  createdAt: string;
}

export interface FlowEmbeddedReferencesTable {
  flowId: string;
  logicalName: string;
  connectionId: string;
  embeddedBy: string;
  createdAt: string;
}

export interface FlowReferenceUsageTable {
  flowId: string;
  environment: string;
  logicalName: string;
  connectorId: string;
}

export interface SolutionsTable {
  id: string;
  environment: string;
  name: string;
  displayName: string;
  version: string;
  flowIds: string;
  createdAt: string;
  updatedAt: string;
}

export interface RunsTable {
  id: string;
  flowId: string | null;
  flowVersion: number | null;
  adHocName: string | null;
  environment: string;
  startedBy: string | null;
  status: string;
  inputs: string;
  outputs: string | null;
  error: string | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  attempt: number;
  workerId: string | null;
  heartbeatAt: string | null;
  stepCount: number | null;
  recording: string | null;
  /** Sensitive input values, sealed (`run:<id>`), until the run finishes. */
  sealedInputs: string | null;
  /** Final values of the flow's variables (JSON), sensitive ones redacted. */
  variables: string | null;
  /** The machine group that takes the run; null for this server's runners. */
  machineGroup: string | null;
}

export interface MachinesTable {
  name: string;
  machineGroup: string;
  environment: string;
  tokenHash: string;
  tokenPrefix: string;
  status: string;
  createdBy: string | null;
  createdAt: string;
  lastSeenAt: string | null;
  connectedAt: string | null;
}

export interface RunStepsTable {
  runId: string;
  seq: number;
  stepPath: string;
  action: string;
  status: string;
  startedAt: string;
  durationMs: number | null;
  inputs: string | null;
  outputs: string | null;
  error: string | null;
}

export interface RunStepAggregatesTable {
  runId: string;
  stepPath: string;
  action: string;
  count: number;
  totalMs: number;
  minMs: number;
  maxMs: number;
  lastStatus: string;
}

export interface SessionsTable {
  idHash: string;
  userId: string;
  csrfSecret: string;
  createdAt: string;
  expiresAt: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actorId: string | null;
  actorEmail: string | null;
  environment: string | null;
  action: string;
  target: string | null;
  outcome: string;
  detail: string | null;
}

export interface PoliciesTable {
  name: string;
  /** The policy file, JSON. */
  document: string;
  updatedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface EnvironmentRolesTable {
  environment: string;
  userId: string;
  /** `admin`, `maker` or `user`. */
  role: string;
  grantedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DB {
  environments: EnvironmentsTable;
  users: UsersTable;
  apiTokens: ApiTokensTable;
  connectors: ConnectorsTable;
  connectorOperations: ConnectorOperationsTable;
  connectorComponents: ConnectorComponentsTable;
  connectorOwners: ConnectorOwnersTable;
  connections: ConnectionsTable;
  connectionShares: ConnectionSharesTable;
  connectionReferences: ConnectionReferencesTable;
  envVarDefinitions: EnvVarDefinitionsTable;
  envVarValues: EnvVarValuesTable;
  flows: FlowsTable;
  flowVersions: FlowVersionsTable;
  flowShares: FlowSharesTable;
  flowEmbeddedReferences: FlowEmbeddedReferencesTable;
  flowReferenceUsage: FlowReferenceUsageTable;
  solutions: SolutionsTable;
  runs: RunsTable;
  runSteps: RunStepsTable;
  runStepAggregates: RunStepAggregatesTable;
  sessions: SessionsTable;
  auditLog: AuditLogTable;
  policies: PoliciesTable;
  machines: MachinesTable;
  environmentRoles: EnvironmentRolesTable;
}
