import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  // What came from another site: which local row each outside row became (so a re-run updates
  // instead of duplicating), and the attribution its licence asks us to show.
  await db.schema
    .createTable('import_records')
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) =>
      col.notNull().check(sql`kind in ('user', 'thread', 'post', 'comment', 'revision')`),
    )
    .addColumn('external_id', 'text', (col) => col.notNull())
    .addColumn('local_id', 'integer', (col) => col.notNull())
    .addColumn('content_hash', 'text', (col) => col.notNull())
    .addColumn('url', 'text')
    .addColumn('author_name', 'text')
    .addColumn('license', 'text')
    // The score the row had where it came from; local votes add to it.
    .addColumn('base_score', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('imported_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('import_records_pk', ['source', 'kind', 'external_id'])
    .execute();
  await db.schema
    .createIndex('import_records_local')
    .on('import_records')
    .columns(['kind', 'local_id'])
    .execute();

  // "Duplicate of" and "linked" between threads, in the direction they were made.
  await db.schema
    .createTable('thread_links')
    .addColumn('thread_id', 'integer', (col) =>
      col.notNull().references('threads.id').onDelete('cascade'),
    )
    .addColumn('linked_thread_id', 'integer', (col) =>
      col.notNull().references('threads.id').onDelete('cascade'),
    )
    .addColumn('relation', 'text', (col) =>
      col.notNull().check(sql`relation in ('duplicate', 'related')`),
    )
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('thread_links_pk', ['thread_id', 'linked_thread_id', 'relation'])
    .execute();
  await db.schema
    .createIndex('thread_links_linked')
    .on('thread_links')
    .columns(['linked_thread_id', 'relation'])
    .execute();

  // One row per import run: what it read and what it counted.
  await db.schema
    .createTable('import_runs')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('path', 'text', (col) => col.notNull())
    .addColumn('started_at', 'text', (col) => col.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('summary', 'text')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_runs').execute();
  await db.schema.dropTable('thread_links').execute();
  await db.schema.dropTable('import_records').execute();
}
