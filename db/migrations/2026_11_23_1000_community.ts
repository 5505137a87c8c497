import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tags')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('name', 'text', (col) => col.notNull().unique())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('threads')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('slug', 'text', (col) => col.notNull())
    .addColumn('body_md', 'text', (col) => col.notNull())
    .addColumn('body_html', 'text', (col) => col.notNull())
    .addColumn('author_id', 'integer', (col) => col.notNull().references('users.id'))
    .addColumn('category_id', 'integer', (col) =>
      col.references('categories.id').onDelete('set null'),
    )
    .addColumn('status', 'text', (col) =>
      col
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open', 'answered', 'closed', 'locked')`),
    )
    .addColumn('accepted_post_id', 'integer')
    .addColumn('duplicate_of', 'integer', (col) =>
      col.references('threads.id').onDelete('set null'),
    )
    .addColumn('journey_stage', 'text', (col) =>
      col.check(
        sql`journey_stage in ('evaluating', 'purchasing', 'onboarding', 'first_success', 'adoption', 'advocacy')`,
      ),
    )
    .addColumn('views', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('score', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('answer_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('last_activity_at', 'text', (col) => col.notNull())
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_by', 'integer', (col) => col.references('users.id'))
    .execute();
  // One index per list order, so deep pages stay fast (keyset pagination walks them).
  for (const [name, columns] of [
    ['threads_newest', ['created_at', 'id']],
    ['threads_active', ['last_activity_at', 'id']],
    ['threads_top', ['score', 'id']],
    ['threads_unanswered', ['answer_count', 'created_at', 'id']],
    ['threads_category', ['category_id', 'created_at']],
    ['threads_author', ['author_id', 'created_at']],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on('threads')
      .columns([...columns])
      .execute();
  }

  await db.schema
    .createTable('thread_tags')
    .addColumn('thread_id', 'integer', (col) =>
      col.notNull().references('threads.id').onDelete('cascade'),
    )
    .addColumn('tag_id', 'integer', (col) =>
      col.notNull().references('tags.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('thread_tags_pk', ['thread_id', 'tag_id'])
    .execute();
  await db.schema
    .createIndex('thread_tags_tag')
    .on('thread_tags')
    .columns(['tag_id', 'thread_id'])
    .execute();

  await db.schema
    .createTable('posts')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('thread_id', 'integer', (col) =>
      col.notNull().references('threads.id').onDelete('cascade'),
    )
    .addColumn('author_id', 'integer', (col) => col.notNull().references('users.id'))
    .addColumn('body_md', 'text', (col) => col.notNull())
    .addColumn('body_html', 'text', (col) => col.notNull())
    .addColumn('score', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_by', 'integer', (col) => col.references('users.id'))
    .execute();
  await db.schema
    .createIndex('posts_thread')
    .on('posts')
    .columns(['thread_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('posts_author')
    .on('posts')
    .columns(['author_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('comments')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('thread_id', 'integer', (col) =>
      col.notNull().references('threads.id').onDelete('cascade'),
    )
    .addColumn('post_id', 'integer', (col) => col.references('posts.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', (col) => col.notNull().references('users.id'))
    .addColumn('body_md', 'text', (col) => col.notNull())
    .addColumn('body_html', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema
    .createIndex('comments_thread')
    .on('comments')
    .columns(['thread_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('votes')
    .addColumn('user_id', 'integer', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('target_type', 'text', (col) =>
      col.notNull().check(sql`target_type in ('thread', 'post')`),
    )
    .addColumn('target_id', 'integer', (col) => col.notNull())
    .addColumn('value', 'integer', (col) => col.notNull().check(sql`value in (-1, 1)`))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('votes_pk', ['user_id', 'target_type', 'target_id'])
    .execute();
  await db.schema
    .createIndex('votes_target')
    .on('votes')
    .columns(['target_type', 'target_id'])
    .execute();

  await db.schema
    .createTable('revisions')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('target_type', 'text', (col) =>
      col.notNull().check(sql`target_type in ('thread', 'post', 'article')`),
    )
    .addColumn('target_id', 'integer', (col) => col.notNull())
    .addColumn('number', 'integer', (col) => col.notNull())
    .addColumn('author_id', 'integer', (col) => col.notNull().references('users.id'))
    .addColumn('title', 'text')
    .addColumn('body_md', 'text', (col) => col.notNull())
    .addColumn('tags', 'text')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('revisions_number', ['target_type', 'target_id', 'number'])
    .execute();

  await db.schema
    .createTable('thread_views')
    .addColumn('thread_id', 'integer', (col) =>
      col.notNull().references('threads.id').onDelete('cascade'),
    )
    .addColumn('visitor', 'text', (col) => col.notNull())
    .addColumn('viewed_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('thread_views_pk', ['thread_id', 'visitor'])
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('user_id', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('visitor_id', 'text')
    .addColumn('thread_id', 'integer', (col) => col.references('threads.id').onDelete('cascade'))
    .addColumn('post_id', 'integer', (col) => col.references('posts.id').onDelete('cascade'))
    .addColumn('data', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('events_type_time')
    .on('events')
    .columns(['type', 'created_at'])
    .execute();
  await db.schema
    .createIndex('events_thread')
    .on('events')
    .columns(['thread_id', 'type'])
    .execute();
  // "This solved my problem" counts once per reader per thread.
  await db.schema
    .createIndex('events_self_resolved_once')
    .on('events')
    .columns(['thread_id', 'visitor_id'])
    .unique()
    .where(sql.ref('type'), '=', 'self_resolved')
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('type', 'text', (col) =>
      col.notNull().check(sql`type in ('answer', 'comment', 'accepted', 'mention')`),
    )
    .addColumn('actor_id', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('thread_id', 'integer', (col) =>
      col.notNull().references('threads.id').onDelete('cascade'),
    )
    .addColumn('post_id', 'integer', (col) => col.references('posts.id').onDelete('cascade'))
    .addColumn('comment_id', 'integer', (col) => col.references('comments.id').onDelete('cascade'))
    .addColumn('read_at', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('notifications_user')
    .on('notifications')
    .columns(['user_id', 'read_at', 'created_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'notifications',
    'events',
    'thread_views',
    'revisions',
    'votes',
    'comments',
    'posts',
    'thread_tags',
    'threads',
    'tags',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
