/**
 * The final values of a run's flow variables (as PAD's Variables pane shows
 * them after a run): JSON, sensitive values already redacted, each value
 * kept up to a size limit.
 */
import type { Kysely, Migration } from 'kysely';

export const runVariables: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('runs').addColumn('variables', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('runs').dropColumn('variables').execute();
  },
};
