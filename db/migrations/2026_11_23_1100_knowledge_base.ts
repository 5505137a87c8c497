import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('articles')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('slug', 'text', (col) => col.notNull().unique())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('body_md', 'text', (col) => col.notNull())
    .addColumn('body_html', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col
        .notNull()
        .defaultTo('draft')
        .check(sql`status in ('draft', 'in_review', 'published', 'archived')`),
    )
    .addColumn('category_id', 'integer', (col) =>
      col.references('categories.id').onDelete('set null'),
    )
    .addColumn('journey_stage', 'text', (col) =>
      col.check(
        sql`journey_stage in ('evaluating', 'purchasing', 'onboarding', 'first_success', 'adoption', 'advocacy')`,
      ),
    )
    .addColumn('author_id', 'integer', (col) => col.notNull().references('users.id'))
    .addColumn('owner_id', 'integer', (col) => col.notNull().references('users.id'))
    // One answer becomes at most one article.
    .addColumn('source_post_id', 'integer', (col) =>
      col.unique().references('posts.id').onDelete('set null'),
    )
    .addColumn('views', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('review_due_at', 'text')
    .addColumn('verified_at', 'text')
    .addColumn('verified_by', 'integer', (col) => col.references('users.id'))
    .addColumn('published_at', 'text')
    .addColumn('status_changed_at', 'text', (col) => col.notNull())
    .addColumn('status_changed_by', 'integer', (col) => col.notNull().references('users.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('articles_status_category')
    .on('articles')
    .columns(['status', 'category_id'])
    .execute();
  await db.schema
    .createIndex('articles_status_views')
    .on('articles')
    .columns(['status', 'views'])
    .execute();
  await db.schema
    .createIndex('articles_status_updated')
    .on('articles')
    .columns(['status', 'updated_at'])
    .execute();
  await db.schema
    .createIndex('articles_review_due')
    .on('articles')
    .columns(['status', 'review_due_at'])
    .execute();

  await db.schema
    .createTable('article_tags')
    .addColumn('article_id', 'integer', (col) =>
      col.notNull().references('articles.id').onDelete('cascade'),
    )
    .addColumn('tag_id', 'integer', (col) =>
      col.notNull().references('tags.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('article_tags_pk', ['article_id', 'tag_id'])
    .execute();
  await db.schema
    .createIndex('article_tags_tag')
    .on('article_tags')
    .columns(['tag_id', 'article_id'])
    .execute();

  // Slugs an article used to have, so old links keep working (301 to the current one).
  await db.schema
    .createTable('article_redirects')
    .addColumn('slug', 'text', (col) => col.primaryKey())
    .addColumn('article_id', 'integer', (col) =>
      col.notNull().references('articles.id').onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('article_status_changes')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('article_id', 'integer', (col) =>
      col.notNull().references('articles.id').onDelete('cascade'),
    )
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (col) => col.notNull())
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('article_status_changes_article')
    .on('article_status_changes')
    .columns(['article_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('article_feedback')
    .addColumn('article_id', 'integer', (col) =>
      col.notNull().references('articles.id').onDelete('cascade'),
    )
    .addColumn('reader', 'text', (col) => col.notNull())
    .addColumn('user_id', 'integer', (col) => col.references('users.id').onDelete('set null'))
    .addColumn('helpful', 'integer', (col) => col.notNull())
    .addColumn('reason', 'text', (col) =>
      col.check(sql`reason in ('outdated', 'unclear', 'did_not_solve', 'other')`),
    )
    .addColumn('comment', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('article_feedback_pk', ['article_id', 'reader'])
    .execute();

  await db.schema
    .createTable('article_views')
    .addColumn('article_id', 'integer', (col) =>
      col.notNull().references('articles.id').onDelete('cascade'),
    )
    .addColumn('visitor', 'text', (col) => col.notNull())
    .addColumn('viewed_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('article_views_pk', ['article_id', 'visitor'])
    .execute();

  await db.schema
    .alterTable('events')
    .addColumn('article_id', 'integer', (col) => col.references('articles.id').onDelete('cascade'))
    .execute();
  await db.schema
    .createIndex('events_article')
    .on('events')
    .columns(['article_id', 'type'])
    .execute();
  await db.schema
    .createIndex('events_article_self_resolved_once')
    .on('events')
    .columns(['article_id', 'visitor_id'])
    .unique()
    .where(sql.ref('type'), '=', 'self_resolved')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('events_article_self_resolved_once').execute();
  await db.schema.dropIndex('events_article').execute();
  await db.schema.alterTable('events').dropColumn('article_id').execute();
  for (const table of [
    'article_views',
    'article_feedback',
    'article_status_changes',
    'article_redirects',
    'article_tags',
    'articles',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
