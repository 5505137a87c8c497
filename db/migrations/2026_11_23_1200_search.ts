import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  // Entities whose search documents must be sent to Meilisearch; written in the same transaction
  // as the change, removed once delivered.
  await db.schema
    .createTable('search_outbox')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('entity_type', 'text', (col) =>
      col.notNull().check(sql`entity_type in ('thread', 'article')`),
    )
    .addColumn('entity_id', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();

  // The fallback index: the same public documents, kept by the same transactions.
  await sql`
    create virtual table search_fts using fts5(
      doc_key unindexed,
      type unindexed,
      title,
      tags,
      body,
      answers,
      category_slug unindexed,
      journey_stage unindexed,
      answered unindexed,
      created_at unindexed,
      score unindexed,
      tokenize = 'porter unicode61 remove_diacritics 2'
    )
  `.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table search_fts`.execute(db);
  await db.schema.dropTable('settings').execute();
  await db.schema.dropTable('search_outbox').execute();
}
