import { sql } from 'kysely';
import type { Database } from '#db/client';
import { listCategoriesWithCounts } from './categories.server';
import { articleVisibleSql, threadVisibleSql, type Viewer } from './visibility.server';

// What the help-center home lists under its search: popular articles, recently answered
// questions and the topics, each only what this viewer may see.

/** How many views one reader saying "this helped" is worth when ranking popular articles. */
const helpfulVoteWeight = 10;

/**
 * Popular articles: published, not hidden pending review, visible to this viewer (its own rule
 * and its category's), ranked by views (one per reader per hour) plus ten for every reader who
 * said it helped; ties go to the newer.
 */
async function popularArticles(db: Database, viewer: Viewer, limit: number) {
  return db
    .selectFrom('articles')
    .leftJoin('categories', 'categories.id', 'articles.category_id')
    .select(['articles.id', 'articles.slug', 'articles.title', 'categories.name as category_name'])
    .where('articles.status', '=', 'published')
    .where('articles.hidden_at', 'is', null)
    .where(articleVisibleSql(viewer))
    .orderBy(
      sql`articles.views + ${sql.lit(helpfulVoteWeight)} * (select count(*) from article_feedback
        where article_feedback.article_id = articles.id and article_feedback.helpful = 1)`,
      'desc',
    )
    .orderBy('articles.published_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Recently answered questions: threads this viewer may see, not removed, by the time of their
 * newest answer that is not removed (hidden, awaiting review or deleted answers do not count),
 * newest first. A thread takes one place however many answers it got.
 */
async function recentlyAnswered(db: Database, viewer: Viewer, limit: number) {
  const rows = await db
    .selectFrom('posts')
    // NOTE: a cross join keeps SQLite reading answers first (newest first, and stopping after a
    // few) instead of every visible thread; PostgreSQL plans it as the join it is.
    .crossJoin('threads')
    .leftJoin('categories', 'categories.id', 'threads.category_id')
    .select([
      'threads.id',
      'threads.title',
      'threads.slug',
      'threads.answer_count',
      'threads.accepted_post_id',
      'posts.created_at as answered_at',
      'categories.name as category_name',
    ])
    .whereRef('threads.id', '=', 'posts.thread_id')
    .where('posts.deleted_at', 'is', null)
    .where('threads.deleted_at', 'is', null)
    .where(threadVisibleSql(viewer))
    // Only each thread's newest answer: read newest first (index posts_created), every row
    // checked against its thread's answers (index posts_thread), so the scan stops early.
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('posts as newer')
            .select('newer.id')
            .whereRef('newer.thread_id', '=', 'posts.thread_id')
            .where('newer.deleted_at', 'is', null)
            .where(sql<boolean>`(newer.created_at, newer.id) > (posts.created_at, posts.id)`),
        ),
      ),
    )
    .orderBy('posts.created_at', 'desc')
    .orderBy('posts.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(({ accepted_post_id, ...row }) => ({
    ...row,
    accepted: accepted_post_id !== null,
  }));
}

/** Everything the home page lists for this viewer. */
export async function helpCenterHome(db: Database, viewer: Viewer, limit = 6) {
  const [categories, popular, answered] = await Promise.all([
    listCategoriesWithCounts(db, viewer),
    popularArticles(db, viewer, limit),
    recentlyAnswered(db, viewer, limit),
  ]);
  return { categories, popularArticles: popular, recentlyAnswered: answered };
}
