import { sql, type Kysely } from 'kysely';

/**
 * Mail out: the mail outbox (one row per message, written in the transaction that causes it) and
 * its attempts; what each person wants mailed (per kind: instantly, in a digest, never), the
 * categories they follow and the threads they watch; items waiting for a digest. Webhook
 * deliveries gain a claim lease so the shared outbox worker never hands one row to two workers.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('to_address', 'text', (col) => col.notNull())
    .addColumn('to_name', 'text')
    .addColumn('user_id', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('text_body', 'text', (col) => col.notNull())
    .addColumn('html_body', 'text', (col) => col.notNull())
    .addColumn('thread_key', 'text')
    .addColumn('message_id', 'text', (col) => col.notNull())
    .addColumn('in_reply_to', 'text')
    .addColumn('unsubscribe_user_id', 'integer')
    .addColumn('unsubscribe_kind', 'text')
    .addColumn('status', 'text', (col) =>
      col
        .notNull()
        .defaultTo('queued')
        .check(sql`status in ('queued', 'sending', 'sent', 'failed', 'skipped')`),
    )
    .addColumn('skip_reason', 'text')
    .addColumn('last_error', 'text')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text')
    .addColumn('claimed_until', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema
    .createIndex('mail_outbox_due')
    .on('mail_outbox')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('mail_outbox_address')
    .on('mail_outbox')
    .columns(['to_address', 'id'])
    .execute();
  await db.schema
    .createIndex('mail_outbox_thread')
    .on('mail_outbox')
    .columns(['thread_key', 'to_address', 'id'])
    .execute();

  await db.schema
    .createTable('mail_attempts')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('mail_id', 'integer', (col) =>
      col.notNull().references('mail_outbox.id').onDelete('cascade'),
    )
    .addColumn('ok', 'integer', (col) => col.notNull())
    .addColumn('response', 'text')
    .addColumn('duration_ms', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('mail_attempts_mail')
    .on('mail_attempts')
    .columns(['mail_id', 'id'])
    .execute();

  await db.schema
    .createTable('notification_preferences')
    .addColumn('user_id', 'integer', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('delivery', 'text', (col) =>
      col.notNull().check(sql`delivery in ('instant', 'digest', 'never')`),
    )
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('notification_preferences_pk', ['user_id', 'kind'])
    .execute();

  await db.schema
    .createTable('mail_digests')
    .addColumn('user_id', 'integer', (col) =>
      col.primaryKey().references('users.id').onDelete('cascade'),
    )
    .addColumn('frequency', 'text', (col) =>
      col.notNull().check(sql`frequency in ('daily', 'weekly')`),
    )
    .addColumn('last_sent_at', 'text')
    .execute();

  await db.schema
    .createTable('mail_digest_items')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('url', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('mail_digest_items_user')
    .on('mail_digest_items')
    .columns(['user_id', 'id'])
    .execute();

  await db.schema
    .createTable('category_follows')
    .addColumn('user_id', 'integer', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('category_id', 'integer', (col) =>
      col.notNull().references('categories.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('category_follows_pk', ['user_id', 'category_id'])
    .execute();

  // A row with watching = 0 remembers that someone stopped watching a thread they would watch by
  // default (as its asker or an answerer).
  await db.schema
    .createTable('thread_watches')
    .addColumn('user_id', 'integer', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('thread_id', 'integer', (col) =>
      col.notNull().references('threads.id').onDelete('cascade'),
    )
    .addColumn('watching', 'integer', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('thread_watches_pk', ['user_id', 'thread_id'])
    .execute();
  await db.schema
    .createIndex('thread_watches_thread')
    .on('thread_watches')
    .columns(['thread_id', 'watching'])
    .execute();

  await db.schema.alterTable('webhook_deliveries').addColumn('claimed_until', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_deliveries').dropColumn('claimed_until').execute();
  for (const table of [
    'thread_watches',
    'category_follows',
    'mail_digest_items',
    'mail_digests',
    'notification_preferences',
    'mail_attempts',
    'mail_outbox',
  ])
    await db.schema.dropTable(table).execute();
}
