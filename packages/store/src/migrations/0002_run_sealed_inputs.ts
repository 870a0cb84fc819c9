/**
 * Runs keep their sensitive input values sealed (envelope encryption, like
 * connection secrets) in `runs.sealed_inputs`, so a worker in another process
 * can run them; the run's record holds `***` in their place. The sealed copy
 * is removed when the run finishes.
 */
import type { Kysely, Migration } from 'kysely';

export const runSealedInputs: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('runs').addColumn('sealed_inputs', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('runs').dropColumn('sealed_inputs').execute();
  },
};
