/**
 * Who owns an imported connector: its owner (who first imported it) and the
 * co-owners the owner added. Only they, or an environment admin, may update
 * or delete it. Connectors imported before this migration have no owner row:
 * only an environment admin may change them until one claims them by updating.
 */
import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

export const connectorOwners: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('connector_owners')
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('connector_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('connector_owners_pk', ['environment', 'connector_id', 'user_id'])
      .addForeignKeyConstraint(
        'connector_owners_connector_fk',
        ['environment', 'connector_id'],
        'connectors',
        ['environment', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .addCheckConstraint('connector_owners_role_check', sql`role in ('owner', 'co-owner')`)
      .execute();
    await db.schema.createIndex('connector_owners_user').on('connector_owners').column('user_id').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('connector_owners').execute();
  },
};
