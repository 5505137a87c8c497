import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect';

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
  if (dialectOf(db) === 'postgres') {
    await createPostgresSearchTable(db);
    return;
  }
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

/**
 * PostgreSQL has no FTS5: the same columns in a table, with a weighted tsvector of the searched
 * ones (English stemming, as FTS5's porter tokenizer) and a GIN index over it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
async function createPostgresSearchTable(db: Kysely<any>) {
  await sql`
    create table search_fts (
      rowid bigint primary key,
      doc_key text not null,
      type text not null,
      title text not null,
      tags text not null,
      body text not null,
      answers text not null,
      category_slug text not null,
      journey_stage text not null,
      answered text not null,
      created_at text not null,
      score double precision not null,
      document tsvector generated always as (
        setweight(to_tsvector('english', title), 'A') ||
        setweight(to_tsvector('english', tags), 'B') ||
        setweight(to_tsvector('english', body), 'C') ||
        setweight(to_tsvector('english', answers), 'C')
      ) stored
    )
  `.execute(db);
  await sql`create index search_fts_document on search_fts using gin (document)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table search_fts`.execute(db);
  await db.schema.dropTable('settings').execute();
  await db.schema.dropTable('search_outbox').execute();
}
