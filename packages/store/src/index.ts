/**
 * @patchbay/store — the whole public surface.
 *
 *     const store = await openStore();                 // SQLite in PATCHBAY_HOME, or PostgreSQL
 *     const { user } = await store.users.ensureOwner();
 *     const conn = await store.connections.create({ environment: 'default', connectorId: 'ledger',
 *       displayName: 'Ledger (me)', ownerId: user.id, scheme: 'apiKey', secrets: { api_key: '…' } });
 *     await store.references.create({ environment: 'default', logicalName: 'ledger_main', connectorId: 'ledger' });
 *     await store.references.bind('default', 'ledger_main', conn.id);
 *     const { connection, secrets } = await store.connections.getWithSecrets(conn.id);
 *     await store.transaction(async (tx) => { … tx.flows.saveVersion(…) … });
 *     await store.close();
 *
 * Every repository method throws PatchbayError: `store.not_found`,
 * `store.conflict` (uniqueness, in use, already finished), `store.invalid`
 * (bad input, naming the field and the fix) and `secrets.key` (master key
 * missing or wrong, naming the key id needed). Secrets are sealed inside the
 * repositories; only `connections.getSecrets` / `getWithSecrets` /
 * `lockForRefresh` and `envVars.resolve` return plaintext, for the invoker and
 * the run — never put their results in a response, log or run record.
 *
 * Permission decisions (who may bind, embed, run, read) belong to the caller;
 * the store gives the facts: `connections.canUse`, `flows.roleOf`.
 */
export { openStore, defaultHome } from './store.js';
export type { Store, StoreOptions, RotationResult } from './store.js';
export type { Repositories } from './repositories.js';
export type { DialectName } from './dialect.js';

export { DEFAULT_OWNER_EMAIL } from './repos/users.js';
export type { User, UserRole, ApiToken, UsersRepository } from './repos/users.js';
export { DEFAULT_ENVIRONMENT, checkEnvironmentName } from './repos/environments.js';
export type { Environment, EnvironmentsRepository } from './repos/environments.js';
export type { ConnectorSummaryRecord, OperationSummary } from './repos/connectorParts.js';
export { operationSummary } from './repos/connectorParts.js';
export type {
  StoredConnector,
  StoredConnectorSummary,
  ConnectorsRepository,
  ConnectorOwner,
  ConnectorOwnerRole,
  ConnectorUsage,
} from './repos/connectors.js';
export { CONNECTION_STATUSES } from './repos/connections.js';
export type {
  Connection,
  ConnectionStatus,
  NewConnection,
  Secrets,
  ReferenceBinding,
  LockedConnection,
  ConnectionsRepository,
} from './repos/connections.js';
export type { ConnectionReference, NewReference, ReferenceUsage, ReferencesRepository } from './repos/references.js';
export { ENV_VAR_TYPES, checkEnvVarValue } from './repos/envVars.js';
export type { EnvVarType, EnvVarDefinition, EnvVarEntry, JsonValue, EnvVarsRepository } from './repos/envVars.js';
export { referencesOf } from './repos/flowReferences.js';
export type { UsedReference } from './repos/flowReferences.js';
export type { Flow, FlowRole, FlowShareRole, FlowVersion, EmbeddedReference, FlowsRepository } from './repos/flows.js';
export type {
  Run,
  RunStatus,
  FinishedRunStatus,
  RunStep,
  RunStepStatus,
  NewRunStep,
  RunRecording,
  RunStepAggregate,
  RunsRepository,
} from './repos/runs.js';
export type { Solution, SolutionsRepository } from './repos/solutions.js';
export type { Session, SessionsRepository } from './repos/sessions.js';
export { AUDIT_OUTCOMES } from './repos/audit.js';
export type {
  AuditEntry,
  AuditDetail,
  AuditFilter,
  AuditOutcome,
  AuditRepository,
  NewAuditEntry,
} from './repos/audit.js';
export type { StoredPolicy, PoliciesRepository } from './repos/policies.js';
export { MACHINE_ONLINE_WINDOW_MS, MACHINE_TOKEN_PREFIX, isMachineOnline } from './repos/machines.js';
export type { Machine, MachineStatus, MachinesRepository } from './repos/machines.js';
export { ENVIRONMENT_ROLES, checkEnvironmentRole } from './repos/environmentRoles.js';
export type { EnvironmentRole, EnvironmentRoleGrant, EnvironmentRolesRepository } from './repos/environmentRoles.js';
export { KEY_FILE_NAME, keyIdOf, parseMasterKey } from './secrets.js';
