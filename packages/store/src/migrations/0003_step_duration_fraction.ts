/**
 * Step durations keep the engine's fractional milliseconds. PostgreSQL's
 * `integer` column refused them; it becomes `double precision`. SQLite's
 * integer-affinity column already stores a fraction as a real number, so it
 * needs no change.
 */
import { type Kysely, type Migration, PostgresAdapter, sql } from 'kysely';

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export const stepDurationFraction: Migration = {
  async up(db: Kysely<any>) {
    if (isPostgres(db))
      await db.schema
        .alterTable('run_steps')
        .alterColumn('duration_ms', (c) => c.setDataType('double precision'))
        .execute();
  },
  async down(db: Kysely<any>) {
    if (isPostgres(db))
      await sql`alter table run_steps alter column duration_ms type integer using round(duration_ms)::integer`.execute(
        db,
      );
  },
};
