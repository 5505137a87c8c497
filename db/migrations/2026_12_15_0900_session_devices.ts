import type { Kysely } from 'kysely';

/**
 * Where each session was started and when it was last used, for the sessions page
 * (`/settings/security`). Sessions from before this migration have none of it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['created_at', 'last_seen_at', 'user_agent', 'ip_address'])
    await db.schema.alterTable('sessions').addColumn(column, 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['created_at', 'last_seen_at', 'user_agent', 'ip_address'])
    await db.schema.alterTable('sessions').dropColumn(column).execute();
}
