import type { Kysely } from 'kysely';

/** A ticket merged into another keeps its row, closed, pointing at the one it became. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('tickets')
    .addColumn('merged_into_id', 'integer', (col) => col.references('tickets.id'))
    .execute();
  await db.schema
    .createIndex('tickets_merged_into')
    .on('tickets')
    .column('merged_into_id')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_merged_into').execute();
  await db.schema.alterTable('tickets').dropColumn('merged_into_id').execute();
}
