/**
 * Connectors are stored in parts (see `repos/connectorParts.ts`): the
 * `connectors` row keeps the model's head and a summary, each operation gets
 * a `connector_operations` row and each shared schema a `connector_components` row. Listing then reads summaries only, and a
 * call loads the one operation it runs. Stored connectors are split here.
 */
import type { Kysely, Migration } from 'kysely';
import { splitConnectorModel } from '../repos/connectorParts.js';

export const connectorParts: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('connectors').addColumn('summary', 'text').execute();
    await db.schema
      .createTable('connector_operations')
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('connector_id', 'text', (c) => c.notNull())
      .addColumn('operation_id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('connector_operations_pk', ['environment', 'connector_id', 'operation_id'])
      .addForeignKeyConstraint(
        'connector_operations_connector_fk',
        ['environment', 'connector_id'],
        'connectors',
        ['environment', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();
    await db.schema
      .createTable('connector_components')
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('connector_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('connector_components_pk', ['environment', 'connector_id', 'name'])
      .addForeignKeyConstraint(
        'connector_components_connector_fk',
        ['environment', 'connector_id'],
        'connectors',
        ['environment', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();
    const rows = await db.selectFrom('connectors').select(['environment', 'id', 'model']).execute();
    for (const row of rows as { environment: string; id: string; model: string }[]) {
      const { head, operations, components, summary } = splitConnectorModel(JSON.parse(row.model));
      for (const c of components)
        await db
          .insertInto('connector_components')
          .values({ environment: row.environment, connector_id: row.id, name: c.name, model: JSON.stringify(c.model) })
          .execute();
      await db
        .updateTable('connectors')
        .set({ model: JSON.stringify(head), summary: JSON.stringify(summary) })
        .where('environment', '=', row.environment)
        .where('id', '=', row.id)
        .execute();
      for (const [position, op] of operations.entries())
        await db
          .insertInto('connector_operations')
          .values({
            environment: row.environment,
            connector_id: row.id,
            operation_id: op.id,
            position,
            model: JSON.stringify(op.model),
          })
          .execute();
    }
  },
  async down(db: Kysely<any>) {
    const rows = await db.selectFrom('connectors').select(['environment', 'id', 'model']).execute();
    for (const row of rows as { environment: string; id: string; model: string }[]) {
      const ops = await db
        .selectFrom('connector_operations')
        .select('model')
        .where('environment', '=', row.environment)
        .where('connector_id', '=', row.id)
        .orderBy('position')
        .execute();
      const components = await db
        .selectFrom('connector_components')
        .select(['name', 'model'])
        .where('environment', '=', row.environment)
        .where('connector_id', '=', row.id)
        .execute();
      const model = {
        ...JSON.parse(row.model),
        operations: ops.map((o) => JSON.parse(o.model as string)),
        ...(components.length
          ? { components: Object.fromEntries(components.map((c) => [c.name, JSON.parse(c.model as string)])) }
          : {}),
      };
      await db
        .updateTable('connectors')
        .set({ model: JSON.stringify(model) })
        .where('environment', '=', row.environment)
        .where('id', '=', row.id)
        .execute();
    }
    await db.schema.dropTable('connector_components').execute();
    await db.schema.dropTable('connector_operations').execute();
    await db.schema.alterTable('connectors').dropColumn('summary').execute();
  },
};
