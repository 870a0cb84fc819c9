/**
 * Bounded run records. A long run keeps full step records for its first and
 * last steps and every failed or warned step; every other step is folded into
 * one aggregate per step path (`run_step_aggregates`). The run row says how
 * many steps ran and how they were recorded (`step_count`, `recording`), so a
 * cut record is always explicit.
 */
import type { Kysely, Migration } from 'kysely';

export const runRecording: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('runs').addColumn('step_count', 'integer').execute();
    await db.schema.alterTable('runs').addColumn('recording', 'text').execute();
    await db.schema
      .createTable('run_step_aggregates')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('step_path', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('total_ms', 'double precision', (c) => c.notNull())
      .addColumn('min_ms', 'double precision', (c) => c.notNull())
      .addColumn('max_ms', 'double precision', (c) => c.notNull())
      .addColumn('last_status', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('run_step_aggregates_pk', ['run_id', 'step_path'])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('run_step_aggregates').execute();
    await db.schema.alterTable('runs').dropColumn('recording').execute();
    await db.schema.alterTable('runs').dropColumn('step_count').execute();
  },
};
