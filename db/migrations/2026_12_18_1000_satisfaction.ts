import type { Kysely } from 'kysely';

/**
 * Satisfaction: when a ticket is solved its requester is asked "good or bad?". One row per ticket
 * keeps the latest answer and, as they were at the solve, who solved it, its category and what
 * resolved it, so results split by agent, category and resolution kind.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('satisfaction_ratings')
    .addColumn('ticket_id', 'integer', (col) =>
      col.primaryKey().references('tickets.id').onDelete('cascade'),
    )
    .addColumn('rating', 'text')
    .addColumn('comment', 'text')
    .addColumn('agent_id', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('category_id', 'integer', (col) =>
      col.references('categories.id').onDelete('set null'),
    )
    .addColumn('resolution_kind', 'text')
    .addColumn('requested_at', 'text', (col) => col.notNull())
    .addColumn('rated_at', 'text')
    .execute();
  await db.schema
    .createIndex('satisfaction_ratings_rated')
    .on('satisfaction_ratings')
    .column('rated_at')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('satisfaction_ratings').execute();
  await db.deleteFrom('settings').where('key', '=', 'satisfaction_secret').execute();
}
