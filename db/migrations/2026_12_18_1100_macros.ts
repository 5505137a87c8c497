import type { Kysely } from 'kysely';

/**
 * Macros: a canned reply with placeholders and actions (set status or priority, assign, link an
 * article or thread, solve). Shared (owner_id null) or one agent's own; every use is counted.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('macros')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('body_md', 'text', (col) => col.notNull())
    .addColumn('owner_id', 'integer', (col) => col.references('users.id').onDelete('cascade'))
    .addColumn('created_by', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('archived_at', 'text')
    .execute();
  await db.schema.createIndex('macros_owner').on('macros').column('owner_id').execute();

  await db.schema
    .createTable('macro_actions')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('macro_id', 'integer', (col) =>
      col.notNull().references('macros.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('value', 'text')
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'integer')
    .execute();
  await db.schema
    .createIndex('macro_actions_macro')
    .on('macro_actions')
    .column('macro_id')
    .execute();

  await db.schema
    .createTable('macro_uses')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('macro_id', 'integer', (col) =>
      col.notNull().references('macros.id').onDelete('cascade'),
    )
    .addColumn('ticket_id', 'integer', (col) =>
      col.notNull().references('tickets.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('macro_uses_macro').on('macro_uses').column('macro_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('macro_uses').execute();
  await db.schema.dropTable('macro_actions').execute();
  await db.schema.dropTable('macros').execute();
}
