/**
 * @patchbay/platform — the services layer the CLI and the server share.
 *
 *     const platform = await openPlatform({ home, publicUrl: 'http://127.0.0.1:5170' });
 *     const me = await platform.users.owner();                       // the acting user
 *     await platform.environments.create(me, 'prod');
 *     await platform.connectors.import(me, 'prod', './ledger-connector');
 *     const { connection } = await platform.connections.create(me, 'prod', {
 *       connectorId: 'ledger', displayName: 'Ledger (prod)', secrets: { api_key: process.env.KEY! } });
 *     await platform.references.create(me, 'prod', { logicalName: 'ledger_main', connectorId: 'ledger' });
 *     await platform.references.bind(me, 'prod', 'ledger_main', connection.id);
 *     const flow = await platform.flows.save(me, 'prod', flowFileText, { file: 'report.flow.json' });
 *     const run = await platform.runs.start(me, { flowId: flow.id, inputs: {} });   // queued
 *     await platform.runs.execute(run.id, { onEvent });                               // a worker runs it
 *     await platform.close();
 *
 * Every method that acts takes the acting user (`Actor`) first and checks
 * rights itself. Errors are PatchbayErrors: `auth.denied`, `connection.denied`,
 * `connection.unresolved` (with each reference and how to bind it),
 * `connection.needs_reauth`, `flow.invalid` (pointer, line:column, step),
 * `store.not_found` / `store.conflict` / `store.invalid`. No object returned
 * carries a secret: connections go through `toPublicConnection`.
 */
export { openPlatform } from './platform.js';
export type { Platform, PlatformOptions } from './platform.js';
export type { Actor } from './actor.js';
export { toPublicConnection } from './mappers.js';
export type { PublicConnection } from './mappers.js';
export type { NewConnectionInput } from './connections.js';
export type { ConnectorSummary, ConnectorUpload } from './connectors.js';
export type { ReferenceInfo } from './references.js';
export { logicalNameFor } from './references.js';
export type { FlowRecord, FlowSummary } from './flows.js';
export type { StartRunInput, ExecuteOptions } from './runs.js';
export { DEFAULT_RECORDING, RECORDING_MODES } from './run-recorder.js';
export type { RecordingMode, RecordingSettings } from './run-recorder.js';
export type { ImportResult } from './solutions/import.js';
export type { ApplyResult, PolicyChange, PolicyFlow, PolicyRecord } from './policies.js';
export { requireEnvironmentAdmin } from './roles.js';
export { DEFAULT_MACHINE_GROUP } from './machines.js';
export type { MachineView } from './machines.js';
export type { DeploymentSettings } from './solutions/settings.js';
export { parseSettings, powerPlatformConnectorId } from './solutions/settings.js';
export type { SolutionManifest } from './solutions/bundle.js';
export { REFRESH_EARLY_MS } from './tokens.js';
export { SIGNIN_TTL_MS } from './signin.js';
export { AUDIT_ACTIONS, DEFAULT_AUDIT_RETENTION_DAYS, auditRetentionDays } from './audit.js';
export type { AuditAction, AuditEvent } from './audit.js';
export type { AuditQuery } from './audit-service.js';
