import type { Kysely } from 'kysely';

/**
 * Personal API tokens: a token with an owner acts as that person, with no more rights than they
 * have in the browser. Tokens without an owner are the site tokens admins make, as before.
 * Deleting the person deletes their tokens.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('api_tokens')
    .addColumn('owner_id', 'integer', (col) => col.references('users.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('api_tokens_owner').on('api_tokens').column('owner_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('api_tokens_owner').execute();
  await db.deleteFrom('api_tokens').where('owner_id', 'is not', null).execute();
  await db.schema.alterTable('api_tokens').dropColumn('owner_id').execute();
}
