import { sql, type Kysely } from 'kysely';

/**
 * Account lifecycle: links sent by mail (verify an address, reset a password, confirm a new
 * address, claim an imported account) become rows of `account_tokens` that hold only the
 * SHA-256 of the token; `users.email_verified_at` says whether an address was confirmed; and the
 * sign-in counters become general rate-limit counters (sign-in and account mails share them),
 * each with the end of its own window.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('account_tokens')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('purpose', 'text', (col) =>
      col
        .notNull()
        .check(sql`purpose in ('verify_email', 'password_reset', 'email_change', 'account_claim')`),
    )
    .addColumn('user_id', 'integer', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    // The address the link was sent to (for an email change, the new one).
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema
    .createIndex('account_tokens_user_purpose')
    .on('account_tokens')
    .columns(['user_id', 'purpose'])
    .execute();

  await db.schema.alterTable('users').addColumn('email_verified_at', 'text').execute();
  // Accounts people signed up for before addresses were confirmed keep receiving mail: they are
  // counted as verified from their sign-up. Accounts without a password (imported, or made for a
  // mirrored ticket's requester) were never used by their owner and stay unverified until claimed.
  await db
    .updateTable('users')
    .set({ email_verified_at: sql`created_at` })
    .where('password_hash', 'is not', null)
    .execute();

  await db.schema
    .createTable('rate_limit_counters')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('count', 'integer', (col) => col.notNull())
    .addColumn('window_ends_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('rate_limit_counters_window_end')
    .on('rate_limit_counters')
    .column('window_ends_at')
    .execute();
  // Sign-in windows were 15 minutes long from their start.
  const attempts: { key: string; attempts: number; window_started_at: string }[] = await db
    .selectFrom('sign_in_attempts')
    .select(['key', 'attempts', 'window_started_at'])
    .execute();
  for (const row of attempts) {
    const windowEndsAt = new Date(new Date(row.window_started_at).getTime() + 15 * 60_000);
    await db
      .insertInto('rate_limit_counters')
      .values({
        key: `sign-in:${row.key}`,
        count: row.attempts,
        window_ends_at: windowEndsAt.toISOString(),
      })
      .execute();
  }
  await db.schema.dropTable('sign_in_attempts').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('account_tokens').execute();
  await db.schema.alterTable('users').dropColumn('email_verified_at').execute();
  await db.schema.dropTable('rate_limit_counters').execute();
  // Counters in flight are forgotten: at worst someone gets a fresh window.
  await db.schema
    .createTable('sign_in_attempts')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('attempts', 'integer', (col) => col.notNull())
    .addColumn('window_started_at', 'text', (col) => col.notNull())
    .execute();
}
