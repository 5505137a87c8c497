import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  // Why a thread, answer or comment is out of public view (deleted_at is set for all of them):
  // null or 'deleted' (by its author or staff), 'hidden' (flags or a moderator), 'awaiting_review'
  // (approval queue), 'spam' (its author was removed as a spammer), 'merged' (answers moved away).
  for (const table of ['threads', 'posts', 'comments']) {
    await db.schema
      .alterTable(table)
      .addColumn('moderation_state', 'text', (col) =>
        col.check(
          sql`moderation_state in ('deleted', 'hidden', 'awaiting_review', 'spam', 'merged')`,
        ),
      )
      .execute();
  }
  await db.schema.alterTable('threads').addColumn('closed_reason', 'text').execute();
  await db.schema.alterTable('threads').addColumn('pinned_at', 'text').execute();
  await db.schema
    .alterTable('threads')
    .addColumn('merged_into', 'integer', (col) => col.references('threads.id').onDelete('set null'))
    .execute();
  await db.schema.alterTable('articles').addColumn('hidden_at', 'text').execute();
  await db.schema.alterTable('users').addColumn('suspended_reason', 'text').execute();
  await db.schema.alterTable('users').addColumn('silenced_until', 'text').execute();
  await db.schema.alterTable('users').addColumn('silenced_reason', 'text').execute();
  await db.schema.alterTable('users').addColumn('spammer_at', 'text').execute();
  await db.schema
    .createIndex('threads_category_pinned')
    .on('threads')
    .columns(['category_id', 'pinned_at'])
    .where(sql.ref('pinned_at'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('threads_moderation')
    .on('threads')
    .column('moderation_state')
    .where(sql.ref('moderation_state'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('posts_moderation')
    .on('posts')
    .column('moderation_state')
    .where(sql.ref('moderation_state'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('comments_moderation')
    .on('comments')
    .column('moderation_state')
    .where(sql.ref('moderation_state'), 'is not', null)
    .execute();
  // Posting limits count a person's recent comments (threads and answers are indexed already).
  await db.schema
    .createIndex('comments_author')
    .on('comments')
    .columns(['author_id', 'created_at'])
    .ifNotExists()
    .execute();

  await db.schema
    .createTable('flags')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('target_type', 'text', (col) =>
      col.notNull().check(sql`target_type in ('thread', 'post', 'comment', 'article')`),
    )
    .addColumn('target_id', 'integer', (col) => col.notNull())
    .addColumn('user_id', 'integer', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('reason', 'text', (col) =>
      col
        .notNull()
        .check(sql`reason in ('spam', 'rude', 'off_topic', 'needs_improvement', 'other')`),
    )
    .addColumn('text', 'text')
    .addColumn('status', 'text', (col) =>
      col
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open', 'dismissed', 'upheld')`),
    )
    .addColumn('handled_by', 'integer', (col) => col.references('users.id'))
    .addColumn('handled_at', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    // One flag per person per item.
    .addUniqueConstraint('flags_once', ['target_type', 'target_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('flags_open')
    .on('flags')
    .columns(['status', 'target_type', 'target_id'])
    .execute();

  // The audit log: every moderation and admin action. Rows are never changed or removed.
  await db.schema
    .createTable('moderation_log')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('actor_id', 'integer', (col) => col.references('users.id'))
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'integer')
    .addColumn('target_user_id', 'integer', (col) => col.references('users.id'))
    .addColumn('reason', 'text')
    .addColumn('data', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('moderation_log_time')
    .on('moderation_log')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('moderation_log_action')
    .on('moderation_log')
    .columns(['action', 'created_at'])
    .execute();
  await db.schema
    .createIndex('moderation_log_target_user')
    .on('moderation_log')
    .columns(['target_user_id', 'created_at'])
    .execute();
  if (dialectOf(db) === 'postgres') {
    await sql`create function moderation_log_append_only() returns trigger language plpgsql as $$
      begin raise exception 'the moderation log is append-only'; end $$`.execute(db);
    for (const event of ['update', 'delete'])
      await sql
        .raw(
          `create trigger moderation_log_append_only_${event} before ${event} on moderation_log
           for each row execute function moderation_log_append_only()`,
        )
        .execute(db);
    return;
  }
  await sql`create trigger moderation_log_append_only_update before update on moderation_log
    begin select raise(abort, 'the moderation log is append-only'); end`.execute(db);
  await sql`create trigger moderation_log_append_only_delete before delete on moderation_log
    begin select raise(abort, 'the moderation log is append-only'); end`.execute(db);
}
