import { sql, type Kysely } from 'kysely';

/**
 * Uploads: one row per file someone sent (its stored bytes are content-addressed by SHA-256, so
 * several rows may share one stored file), and where each is used. Who may read an upload follows
 * its uses, so they are rewritten whenever the content that holds them is saved.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('uploads')
    // Random, not a counter: an upload's address must not lead to its neighbours'.
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('owner_id', 'integer', (col) => col.notNull().references('users.id'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('bytes', 'integer', (col) => col.notNull())
    // The stored original (re-encoded for images) and, for wide images, the display version.
    .addColumn('sha256', 'text', (col) => col.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('display_sha256', 'text')
    .addColumn('display_width', 'integer')
    .addColumn('display_height', 'integer')
    // What was received, before re-encoding: the same file sent again is not processed again.
    .addColumn('source_sha256', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('uploads_owner_created')
    .on('uploads')
    .columns(['owner_id', 'created_at'])
    .execute();
  await db.schema.createIndex('uploads_bytes').on('uploads').column('bytes').execute();
  await db.schema.createIndex('uploads_sha256').on('uploads').column('sha256').execute();
  await db.schema
    .createIndex('uploads_display_sha256')
    .on('uploads')
    .column('display_sha256')
    .execute();
  await db.schema
    .createIndex('uploads_source_sha256')
    .on('uploads')
    .column('source_sha256')
    .execute();

  await db.schema
    .createTable('upload_uses')
    .addColumn('upload_id', 'text', (col) =>
      col.notNull().references('uploads.id').onDelete('cascade'),
    )
    .addColumn('target_type', 'text', (col) =>
      col
        .notNull()
        .check(sql`target_type in ('thread', 'post', 'article', 'ticket', 'ticket_message')`),
    )
    .addColumn('target_id', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('upload_uses_pk', ['upload_id', 'target_type', 'target_id'])
    .execute();
  await db.schema
    .createIndex('upload_uses_target')
    .on('upload_uses')
    .columns(['target_type', 'target_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('upload_uses').execute();
  await db.schema.dropTable('uploads').execute();
}
