import crypto from 'node:crypto';
import type { Kysely } from 'kysely';

/**
 * Sign-in attempts become counters that are incremented before a password is checked (one
 * statement each, so parallel guesses cannot all read the same old count), and session ids are
 * stored as SHA-256 hashes: a copy of the database is no longer a set of live sessions.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sign_in_attempts')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('attempts', 'integer', (col) => col.notNull())
    .addColumn('window_started_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.dropTable('sign_in_failures').execute();

  const sessions: { id: string }[] = await db.selectFrom('sessions').select('id').execute();
  for (const { id } of sessions) {
    const hashed = crypto.createHash('sha256').update(id).digest('hex');
    await db.updateTable('sessions').set({ id: hashed }).where('id', '=', id).execute();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sign_in_attempts').execute();
  await db.schema
    .createTable('sign_in_failures')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('sign_in_failures_key_time')
    .on('sign_in_failures')
    .columns(['key', 'created_at'])
    .execute();
  // Hashed session ids cannot be turned back: everyone signs in again.
  await db.deleteFrom('sessions').execute();
}
