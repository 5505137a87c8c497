import type { Kysely } from 'kysely';

/**
 * Answers by time: the home page lists the questions answered last, reading answers newest
 * first and stopping after a few, instead of sorting every answer on each render.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('posts_created').on('posts').columns(['created_at', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('posts_created').execute();
}
