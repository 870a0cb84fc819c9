/**
 * Data-loss-prevention policies: one row per policy, its file as JSON text
 * (checked by the platform before it is stored), who changed it last. A flow
 * that violates a policy is kept but suspended: `flows.suspended_reason` says
 * why (null when it may run).
 */
import type { Kysely, Migration } from 'kysely';

export const policies: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('policies')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.alterTable('flows').addColumn('suspended_reason', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('flows').dropColumn('suspended_reason').execute();
    await db.schema.dropTable('policies').execute();
  },
};
