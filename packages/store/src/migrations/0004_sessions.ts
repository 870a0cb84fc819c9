/**
 * Sign-in sessions in the database, so any server behind a load balancer can
 * serve any request. The cookie holds a random id; the table holds only its
 * SHA-256 (`id_hash`), the user, the session's CSRF secret and when it expires.
 */
import type { Kysely, Migration } from 'kysely';

export const sessions: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('csrf_secret', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('sessions').execute();
  },
};
