import { sql, type Kysely } from 'kysely';

// Gap analytics (issue 9). The event log grows by the million, so the dashboard reads rollups
// that are kept up to date from it (app/models/analytics-rollup.server.ts), never the log itself.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  // How far the rollups have read the event log.
  await db.schema
    .createTable('analytics_rollup_state')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('last_event_id', 'integer', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();

  // Counters per metric, UTC day and subject (an article, a thread, a journey stage, or 0).
  await db.schema
    .createTable('analytics_daily')
    .addColumn('metric', 'text', (col) => col.notNull())
    .addColumn('day', 'text', (col) => col.notNull())
    .addColumn('subject', 'integer', (col) => col.notNull())
    .addColumn('n', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('analytics_daily_pk', ['metric', 'day', 'subject'])
    .modifyEnd(sql`without rowid`)
    .execute();

  // Searches per normalised query and day: how many, how many found nothing, how many were clicked.
  await db.schema
    .createTable('analytics_query_days')
    .addColumn('day', 'text', (col) => col.notNull())
    .addColumn('query', 'text', (col) => col.notNull())
    .addColumn('searches', 'integer', (col) => col.notNull())
    .addColumn('zero_results', 'integer', (col) => col.notNull())
    .addColumn('clicked', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('analytics_query_days_pk', ['day', 'query'])
    .modifyEnd(sql`without rowid`)
    .execute();

  // Who used the help center in which week (distinct counts cannot be summed from days).
  await db.schema
    .createTable('analytics_week_readers')
    .addColumn('week', 'text', (col) => col.notNull())
    .addColumn('reader', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('analytics_week_readers_pk', ['week', 'reader'])
    .modifyEnd(sql`without rowid`)
    .execute();
  await db.schema
    .createTable('analytics_weeks')
    .addColumn('week', 'text', (col) => col.primaryKey())
    .addColumn('visitors', 'integer', (col) => col.notNull())
    .execute();

  // Searches of the last 30 minutes (of event time) that a later click or page may still settle:
  // a click marks a search as clicked, the first content opened names a failed search's stage.
  await db.schema
    .createTable('analytics_open_searches')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('reader', 'text', (col) => col.notNull())
    .addColumn('query', 'text', (col) => col.notNull())
    .addColumn('day', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('zero', 'integer', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('analytics_open_searches_reader')
    .on('analytics_open_searches')
    .columns(['reader', 'created_at'])
    .execute();

  // Tickets filed within 24 hours after their requester read an article (or filed from it).
  await db.schema
    .createTable('analytics_ticket_reads')
    .addColumn('ticket_id', 'integer', (col) =>
      col.notNull().references('tickets.id').onDelete('cascade'),
    )
    .addColumn('article_id', 'integer', (col) =>
      col.notNull().references('articles.id').onDelete('cascade'),
    )
    .addColumn('filed_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('analytics_ticket_reads_pk', ['ticket_id', 'article_id'])
    .execute();
  await db.schema
    .createIndex('analytics_ticket_reads_article')
    .on('analytics_ticket_reads')
    .columns(['article_id', 'filed_at'])
    .execute();

  // Gaps someone acted on: written up, promoted, reviewed, done or dismissed. Gaps nobody has
  // touched are computed from the figures and need no row.
  await db.schema
    .createTable('content_gaps')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('key', 'text', (col) => col.notNull().unique())
    .addColumn('kind', 'text', (col) =>
      col.notNull().check(sql`kind in ('missing_content', 'promote_answer', 'review_article')`),
    )
    .addColumn('title', 'text', (col) => col.notNull())
    // Space-separated words a missing-content gap is matched by, so new evidence finds it.
    .addColumn('terms', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('status', 'text', (col) =>
      col
        .notNull()
        .defaultTo('open')
        .check(sql`status in ('open', 'done', 'dismissed')`),
    )
    .addColumn('reason', 'text')
    // The draft written or promoted from this gap; publishing it settles the gap.
    .addColumn('article_id', 'integer', (col) => col.references('articles.id').onDelete('set null'))
    // What the draft starts with (JSON), taken when the agent chose to write it.
    .addColumn('prefill', 'text')
    .addColumn('created_by', 'integer', (col) => col.references('users.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('done_at', 'text')
    .addColumn('done_by', 'integer', (col) => col.references('users.id'))
    .addColumn('dismissed_at', 'text')
    .addColumn('dismissed_by', 'integer', (col) => col.references('users.id'))
    .execute();
  await db.schema
    .createIndex('content_gaps_status')
    .on('content_gaps')
    .columns(['status', 'updated_at'])
    .execute();
  await db.schema
    .createIndex('content_gaps_article')
    .on('content_gaps')
    .column('article_id')
    .execute();

  // Live figures that stay on small tables still need their ranges indexed.
  // Covering: weekly requesters are read from the index alone.
  await db.schema
    .createIndex('tickets_created')
    .on('tickets')
    .columns(['created_at', 'requester_id'])
    .execute();
  await db.schema
    .createIndex('article_feedback_updated')
    .on('article_feedback')
    .columns(['updated_at', 'article_id', 'helpful'])
    .execute();
  await db.schema
    .createIndex('threads_unanswered_views')
    .on('threads')
    .columns(['answer_count', 'views'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['threads_unanswered_views', 'article_feedback_updated', 'tickets_created'])
    await db.schema.dropIndex(index).execute();
  for (const table of [
    'content_gaps',
    'analytics_ticket_reads',
    'analytics_open_searches',
    'analytics_weeks',
    'analytics_week_readers',
    'analytics_query_days',
    'analytics_daily',
    'analytics_rollup_state',
  ])
    await db.schema.dropTable(table).execute();
}
