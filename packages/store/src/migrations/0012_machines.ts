/**
 * Machines: runners on other computers (`patchbay runner`), registered with a
 * machine token of which only a hash is kept. Each belongs to one
 * environment and one machine group; `status` is `active` or `revoked`
 * (online while `connected_at` is set and the server it is connected to
 * keeps `last_seen_at` fresh). A flow (`flows.machine_group`) or a single run
 * (`runs.machine_group`) can target a machine group: such a run waits queued
 * until a machine of that group takes it.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const machines: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('machines')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('machine_group', 'text', (c) => c.notNull())
      .addColumn('environment', 'text', (c) => c.notNull().references('environments.name').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('token_prefix', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text')
      .addColumn('connected_at', 'text')
      .addCheckConstraint('machines_status_check', sql`status in ('active', 'revoked')`)
      .execute();
    await db.schema
      .createIndex('machines_group_idx')
      .on('machines')
      .columns(['environment', 'machine_group'])
      .execute();
    await db.schema.alterTable('flows').addColumn('machine_group', 'text').execute();
    await db.schema.alterTable('runs').addColumn('machine_group', 'text').execute();
    await db.schema.createIndex('runs_machine_group_idx').on('runs').columns(['machine_group', 'status']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('runs_machine_group_idx').execute();
    await db.schema.alterTable('runs').dropColumn('machine_group').execute();
    await db.schema.alterTable('flows').dropColumn('machine_group').execute();
    await db.schema.dropTable('machines').execute();
  },
};
