import type { Kysely } from 'kysely';

/**
 * Custom ticket fields an admin defines (text, number, dropdown, checkbox, date), which of them
 * customers see and must fill in, and which agents must fill in before solving; one value per
 * ticket and field, kept as text and checked against the field's type on every write.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ticket_fields')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('key', 'text', (col) => col.notNull().unique())
    .addColumn('label', 'text', (col) => col.notNull())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('options', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('hint', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('customer_visible', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('required_for_customer', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('required_to_solve', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('archived_at', 'text')
    .execute();

  await db.schema
    .createTable('ticket_field_values')
    .addColumn('ticket_id', 'integer', (col) =>
      col.notNull().references('tickets.id').onDelete('cascade'),
    )
    .addColumn('field_id', 'integer', (col) =>
      col.notNull().references('ticket_fields.id').onDelete('cascade'),
    )
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('ticket_field_values_pk', ['ticket_id', 'field_id'])
    .execute();
  await db.schema
    .createIndex('ticket_field_values_field')
    .on('ticket_field_values')
    .columns(['field_id', 'value'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ticket_field_values').execute();
  await db.schema.dropTable('ticket_fields').execute();
}
