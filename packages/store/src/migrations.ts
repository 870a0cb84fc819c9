/**
 * Ordered migrations, `{up, down}` records applied by Kysely's Migrator on
 * every open (STYLE.md §9). Names sort in the order they run; never edit a
 * migration that has shipped — add the next one.
 */
import {
  DEFAULT_MIGRATION_TABLE,
  type Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  NO_MIGRATIONS,
  sql,
} from 'kysely';
import { PatchbayError } from '@patchbay/core';
import type { Dialect } from './dialect.js';
import { auditLog } from './migrations/0008_audit_log.js';
import { connectorOwners } from './migrations/0007_connector_owners.js';
import { connectorParts } from './migrations/0014_connector_parts.js';
import { machines } from './migrations/0012_machines.js';
import { runVariables } from './migrations/0013_run_variables.js';
import { environmentRoles } from './migrations/0011_environment_roles.js';
import { policies } from './migrations/0005_policies.js';
import { runRecording } from './migrations/0010_run_recording.js';
import { runSealedInputs } from './migrations/0002_run_sealed_inputs.js';
import { sessions } from './migrations/0004_sessions.js';
import { stepDurationFraction } from './migrations/0003_step_duration_fraction.js';

const ROLES = sql`role in ('owner', 'member')`;
const CONNECTION_STATUS = sql`status in ('connected', 'error', 'needs-reauth')`;
const VAR_TYPES = sql`type in ('text', 'number', 'boolean', 'json', 'secret')`;
const FLOW_ROLES = sql`role in ('co-owner', 'run-only')`;
const RUN_STATUS = sql`status in ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')`;
const STEP_STATUS = sql`status in ('running', 'succeeded', 'failed', 'skipped')`;

const initial: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('environments')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db
      .insertInto('environments')
      .values({ name: 'default', display_name: 'Default', created_at: new Date().toISOString() })
      .execute();

    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addCheckConstraint('users_role_check', ROLES)
      .execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .execute();

    await db.schema
      .createTable('connectors')
      .addColumn('environment', 'text', (c) => c.notNull().references('environments.name').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('custom', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('connectors_pk', ['environment', 'id'])
      .execute();

    await db.schema
      .createTable('connections')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('environment', 'text', (c) => c.notNull().references('environments.name'))
      .addColumn('connector_id', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('scheme', 'text')
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('sealed_secrets', 'text')
      .addColumn('base_url', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_reason', 'text')
      .addColumn('status_at', 'text', (c) => c.notNull())
      .addColumn('token_expires_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addCheckConstraint('connections_status_check', CONNECTION_STATUS)
      .execute();
    await db.schema
      .createIndex('connections_env_connector')
      .on('connections')
      .columns(['environment', 'connector_id'])
      .execute();
    await db.schema.createIndex('connections_owner').on('connections').column('owner_id').execute();

    await db.schema
      .createTable('connection_shares')
      .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('permission', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('connection_shares_pk', ['connection_id', 'user_id'])
      .addCheckConstraint('connection_shares_permission_check', sql`permission in ('use')`)
      .execute();
    await db.schema.createIndex('connection_shares_user').on('connection_shares').column('user_id').execute();

    await db.schema
      .createTable('connection_references')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('environment', 'text', (c) => c.notNull().references('environments.name').onDelete('cascade'))
      .addColumn('logical_name', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('connector_id', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('connection_id', 'text', (c) => c.references('connections.id'))
      .addColumn('bound_at', 'text')
      .addColumn('bound_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('connection_references_env_name', ['environment', 'logical_name'])
      .execute();
    await db.schema
      .createIndex('connection_references_connection')
      .on('connection_references')
      .column('connection_id')
      .execute();

    await db.schema
      .createTable('env_var_definitions')
      .addColumn('schema_name', 'text', (c) => c.primaryKey())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('default_value', 'text')
      .addColumn('description', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addCheckConstraint('env_var_definitions_type_check', VAR_TYPES)
      .execute();

    await db.schema
      .createTable('env_var_values')
      .addColumn('environment', 'text', (c) => c.notNull().references('environments.name').onDelete('cascade'))
      .addColumn('schema_name', 'text', (c) =>
        c.notNull().references('env_var_definitions.schema_name').onDelete('cascade'),
      )
      .addColumn('value', 'text')
      .addColumn('sealed_value', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('env_var_values_pk', ['environment', 'schema_name'])
      .execute();

    await db.schema
      .createTable('flows')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('environment', 'text', (c) => c.notNull().references('environments.name'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('current_version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('flows_env_name', ['environment', 'name'])
      .execute();

    await db.schema
      .createTable('flow_versions')
      .addColumn('flow_id', 'text', (c) => c.notNull().references('flows.id').onDelete('cascade'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('author_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('flow_versions_pk', ['flow_id', 'version'])
      .execute();

    await db.schema
      .createTable('flow_shares')
      .addColumn('flow_id', 'text', (c) => c.notNull().references('flows.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('flow_shares_pk', ['flow_id', 'user_id'])
      .addCheckConstraint('flow_shares_role_check', FLOW_ROLES)
      .execute();

    await db.schema
      .createTable('flow_embedded_references')
      .addColumn('flow_id', 'text', (c) => c.notNull().references('flows.id').onDelete('cascade'))
      .addColumn('logical_name', 'text', (c) => c.notNull())
      .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
      .addColumn('embedded_by', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('flow_embedded_references_pk', ['flow_id', 'logical_name'])
      .execute();

    await db.schema
      .createTable('flow_reference_usage')
      .addColumn('flow_id', 'text', (c) => c.notNull().references('flows.id').onDelete('cascade'))
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('logical_name', 'text', (c) => c.notNull())
      .addColumn('connector_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('flow_reference_usage_pk', ['flow_id', 'logical_name'])
      .execute();
    await db.schema
      .createIndex('flow_reference_usage_ref')
      .on('flow_reference_usage')
      .columns(['environment', 'logical_name'])
      .execute();

    await db.schema
      .createTable('solutions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('environment', 'text', (c) => c.notNull().references('environments.name').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('flow_ids', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('solutions_env_name', ['environment', 'name'])
      .execute();

    await db.schema
      .createTable('runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('flow_id', 'text', (c) => c.references('flows.id').onDelete('set null'))
      .addColumn('flow_version', 'integer')
      .addColumn('ad_hoc_name', 'text')
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('started_by', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('inputs', 'text', (c) => c.notNull())
      .addColumn('outputs', 'text')
      .addColumn('error', 'text')
      .addColumn('queued_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('worker_id', 'text')
      .addColumn('heartbeat_at', 'text')
      .addCheckConstraint('runs_status_check', RUN_STATUS)
      .execute();
    await db.schema.createIndex('runs_env_queued').on('runs').columns(['environment', 'queued_at']).execute();
    await db.schema.createIndex('runs_flow').on('runs').column('flow_id').execute();
    await db.schema.createIndex('runs_status_heartbeat').on('runs').columns(['status', 'heartbeat_at']).execute();

    await db.schema
      .createTable('run_steps')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('step_path', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('duration_ms', 'integer')
      .addColumn('inputs', 'text')
      .addColumn('outputs', 'text')
      .addColumn('error', 'text')
      .addPrimaryKeyConstraint('run_steps_pk', ['run_id', 'seq'])
      .addCheckConstraint('run_steps_status_check', STEP_STATUS)
      .execute();
  },
  async down(db: Kysely<any>) {
    for (const t of [
      'run_steps',
      'runs',
      'solutions',
      'flow_reference_usage',
      'flow_embedded_references',
      'flow_shares',
      'flow_versions',
      'flows',
      'env_var_values',
      'env_var_definitions',
      'connection_references',
      'connection_shares',
      'connections',
      'connectors',
      'api_tokens',
      'users',
      'environments',
    ]) {
      await db.schema.dropTable(t).execute();
    }
  },
};

/** Every migration, in the order it runs. */
export const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_run_sealed_inputs': runSealedInputs,
  '0003_step_duration_fraction': stepDurationFraction,
  '0004_sessions': sessions,
  '0005_policies': policies,
  '0007_connector_owners': connectorOwners,
  '0008_audit_log': auditLog,
  '0010_run_recording': runRecording,
  '0011_environment_roles': environmentRoles,
  '0012_machines': machines,
  '0013_run_variables': runVariables,
  '0014_connector_parts': connectorParts,
};

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

function migrator(db: Kysely<any>, dialect: Dialect): Migrator {
  return new Migrator({
    db,
    provider: new StaticProvider(),
    ...(dialect.migrationSchema ? { migrationTableSchema: dialect.migrationSchema } : {}),
  });
}

/**
 * Whether the database has applied exactly the migrations this Patchbay knows:
 * one query, so an up-to-date database opens without the migrator's table
 * checks. Anything else (no migration table yet, a missing or unknown
 * migration, a query error) answers false and the migrator decides.
 */
async function isUpToDate(db: Kysely<any>, dialect: Dialect): Promise<boolean> {
  const table = dialect.migrationSchema
    ? `${dialect.migrationSchema}.${DEFAULT_MIGRATION_TABLE}`
    : DEFAULT_MIGRATION_TABLE;
  let applied: string[];
  try {
    applied = (await sql<{ name: string }>`select name from ${sql.table(table)}`.execute(db)).rows.map((r) => r.name);
  } catch {
    return false;
  }
  const known = Object.keys(migrations);
  return applied.length === known.length && known.every((name) => applied.includes(name));
}

/** Brings the database up to the newest migration; a failure names the migration and leaves earlier ones applied. */
export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  if (await isUpToDate(db, dialect)) return [];
  const { error, results } = await migrator(db, dialect).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new PatchbayError(
      'store.invalid',
      `Could not migrate the database at ${dialect.location}${failed ? ` (migration ${failed})` : ''}: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
        hint: 'Check that the database is reachable and was not written by a newer Patchbay.',
      },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Undoes every migration (tests and `patchbay` maintenance only). */
export async function migrateDownAll(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const { error } = await migrator(db, dialect).migrateTo(NO_MIGRATIONS);
  if (error) throw error;
}
