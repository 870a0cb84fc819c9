/**
 * Environment roles (DESIGN §7): a user's role in one environment, `admin`,
 * `maker` or `user`. A user with no row has the default: the instance owner is
 * admin everywhere, every signed-in user is a maker in `default`, and nobody
 * else has any access to another environment (the platform decides this; the
 * table holds only explicit grants).
 *
 * Connection references also learn who created them (`created_by`): the
 * creator may rebind and delete their reference. References created before
 * this migration have none.
 */
import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

export const environmentRoles: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('environment_roles')
      .addColumn('environment', 'text', (c) => c.notNull().references('environments.name').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('granted_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('environment_roles_pk', ['environment', 'user_id'])
      .addCheckConstraint('environment_roles_role_check', sql`role in ('admin', 'maker', 'user')`)
      .execute();
    await db.schema.createIndex('environment_roles_user').on('environment_roles').column('user_id').execute();
    await db.schema.alterTable('connection_references').addColumn('created_by', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('connection_references').dropColumn('created_by').execute();
    await db.schema.dropTable('environment_roles').execute();
  },
};
