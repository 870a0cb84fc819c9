/**
 * The audit log: an append-only record of security events (sign-ins, tokens,
 * connections, references, connectors, roles, policies, solution imports,
 * runs of shared flows). Rows are only ever inserted, and removed only by the
 * retention prune; `detail` is a small JSON object that never holds a secret.
 */
import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

export const auditLog: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_email', 'text')
      .addColumn('environment', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .addCheckConstraint('audit_log_outcome_check', sql`outcome in ('ok', 'denied', 'failed')`)
      .execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'id']).execute();
    await db.schema.createIndex('audit_log_env_at').on('audit_log').columns(['environment', 'at']).execute();
    await db.schema.createIndex('audit_log_actor_at').on('audit_log').columns(['actor_email', 'at']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('audit_log').execute();
  },
};
