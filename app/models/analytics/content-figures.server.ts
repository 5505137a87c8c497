import type { Database } from '#db/client';
import { rangeBounds, type DateRange } from './date-range';
import { memberRequester, subjectTotals } from './figures.server';
import { metrics } from './rollup.server';

// The dashboard's figures about content: how articles do, and which threads need one.

// ---------------------------------------------------------------------------------------------
// Articles

export type ArticleFigure = {
  id: number;
  slug: string;
  title: string;
  journey_stage: string | null;
  category_id: number | null;
  views: number;
  votes: number;
  helpful_votes: number;
  helpful_percent: number | null;
  self_resolutions: number;
  tickets_resolved: number;
  tickets_after_reading: number;
  review_due_at: string | null;
  review_overdue: boolean;
};

export async function articleFigures(db: Database, range: DateRange, now = new Date()) {
  const { start, end } = rangeBounds(range);
  const [articles, views, selfResolved, afterReading, resolved, feedback] = await Promise.all([
    db
      .selectFrom('articles')
      .select(['id', 'slug', 'title', 'journey_stage', 'category_id', 'review_due_at'])
      .where('status', '=', 'published')
      .execute(),
    subjectTotals(db, metrics.articleView, range),
    subjectTotals(db, metrics.articleSelfResolved, range),
    subjectTotals(db, metrics.ticketAfterRead, range),
    memberRequester(db)
      .innerJoin('resolutions', 'resolutions.ticket_id', 'tickets.id')
      .select(['resolutions.article_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('resolutions.kind', '=', 'article')
      .where('resolutions.created_at', '>=', start)
      .where('resolutions.created_at', '<', end)
      .groupBy('resolutions.article_id')
      .execute(),
    db
      .selectFrom('article_feedback')
      .leftJoin('users', 'users.id', 'article_feedback.user_id')
      .select((eb) => [
        'article_feedback.article_id',
        eb.fn.countAll<number>().as('votes'),
        eb.fn.sum<number>('article_feedback.helpful').as('helpful'),
      ])
      .where('article_feedback.updated_at', '>=', start)
      .where('article_feedback.updated_at', '<', end)
      .where((eb) => eb.or([eb('users.role', 'is', null), eb('users.role', '=', 'member')]))
      .groupBy('article_feedback.article_id')
      .execute(),
  ]);
  const resolvedBy = new Map(resolved.map((row) => [row.article_id, Number(row.n)]));
  const votesOf = new Map(feedback.map((row) => [row.article_id, row]));
  const nowIso = now.toISOString();
  const rows: ArticleFigure[] = articles.map((article) => {
    const votes = Number(votesOf.get(article.id)?.votes ?? 0);
    const helpful = Number(votesOf.get(article.id)?.helpful ?? 0);
    return {
      ...article,
      views: views.get(article.id) ?? 0,
      votes,
      helpful_votes: helpful,
      helpful_percent: votes ? Math.round((helpful / votes) * 100) : null,
      self_resolutions: selfResolved.get(article.id) ?? 0,
      tickets_resolved: resolvedBy.get(article.id) ?? 0,
      tickets_after_reading: afterReading.get(article.id) ?? 0,
      review_overdue: article.review_due_at !== null && article.review_due_at < nowIso,
    };
  });
  rows.sort((a, b) => b.views - a.views || a.title.localeCompare(b.title));
  const votes = rows.reduce((sum, row) => sum + row.votes, 0);
  const helpful = rows.reduce((sum, row) => sum + row.helpful_votes, 0);
  return {
    articles: rows,
    views: rows.reduce((sum, row) => sum + row.views, 0),
    votes,
    helpful_percent: votes ? Math.round((helpful / votes) * 100) : null,
    self_resolutions: rows.reduce((sum, row) => sum + row.self_resolutions, 0),
    overdue_reviews: rows.filter((row) => row.review_overdue).length,
  };
}

// ---------------------------------------------------------------------------------------------
// Threads

/** Unanswered threads need this many views to count as read a lot. */
export const manyViews = 25;

export async function unansweredThreads(db: Database, range: DateRange, limit = 20) {
  const { end } = rangeBounds(range);
  return db
    .selectFrom('threads')
    .select(['id', 'title', 'slug', 'views', 'created_at', 'category_id', 'journey_stage'])
    .where('answer_count', '=', 0)
    .where('views', '>=', manyViews)
    .where('deleted_at', 'is', null)
    .where('status', '=', 'open')
    .where('duplicate_of', 'is', null)
    .where('created_at', '<', end)
    .orderBy('views', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export type UnansweredThread = Awaited<ReturnType<typeof unansweredThreads>>[number];

export type PromotionCandidate = {
  id: number;
  title: string;
  slug: string;
  journey_stage: string | null;
  category_id: number | null;
  self_resolutions: number;
  tickets_resolved: number;
  ticket_ids: number[];
  answer_id: number | null;
  draft_article_id: number | null;
};

/** Answered threads that solved problems (self-resolutions, tickets) and are no article yet. */
export async function promotionCandidates(db: Database, range: DateRange) {
  const { start, end } = rangeBounds(range);
  const [selfResolved, resolved] = await Promise.all([
    subjectTotals(db, metrics.threadSelfResolved, range),
    memberRequester(db)
      .innerJoin('resolutions', 'resolutions.ticket_id', 'tickets.id')
      .select(['resolutions.thread_id', 'tickets.id'])
      .where('resolutions.kind', '=', 'thread')
      .where('resolutions.created_at', '>=', start)
      .where('resolutions.created_at', '<', end)
      .where('resolutions.thread_id', 'is not', null)
      .execute(),
  ]);
  const ticketsOf = new Map<number, number[]>();
  for (const row of resolved) {
    if (row.thread_id === null) continue;
    ticketsOf.set(row.thread_id, [...(ticketsOf.get(row.thread_id) ?? []), row.id]);
  }
  const ids = [...new Set([...selfResolved.keys(), ...ticketsOf.keys()])];
  if (ids.length === 0) return [];
  const [threads, answers, articles] = await Promise.all([
    db
      .selectFrom('threads')
      .select(['id', 'title', 'slug', 'journey_stage', 'category_id', 'accepted_post_id'])
      .where('id', 'in', ids)
      .where('answer_count', '>', 0)
      .where('deleted_at', 'is', null)
      .execute(),
    db
      .selectFrom('posts')
      .select(['id', 'thread_id'])
      .where('thread_id', 'in', ids)
      .where('deleted_at', 'is', null)
      .orderBy('score', 'desc')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('articles')
      .innerJoin('posts', 'posts.id', 'articles.source_post_id')
      .select(['articles.id', 'articles.status', 'posts.thread_id'])
      .where('posts.thread_id', 'in', ids)
      .execute(),
  ]);
  const topAnswer = new Map<number, number>();
  for (const answer of answers)
    if (!topAnswer.has(answer.thread_id)) topAnswer.set(answer.thread_id, answer.id);
  const published = new Set(
    articles.filter((row) => row.status === 'published').map((row) => row.thread_id),
  );
  const drafts = new Map(
    articles
      .filter((row) => row.status === 'draft' || row.status === 'in_review')
      .map((row) => [row.thread_id, row.id]),
  );
  const candidates: PromotionCandidate[] = threads
    .filter((thread) => !published.has(thread.id))
    .map((thread) => ({
      id: thread.id,
      title: thread.title,
      slug: thread.slug,
      journey_stage: thread.journey_stage,
      category_id: thread.category_id,
      self_resolutions: selfResolved.get(thread.id) ?? 0,
      tickets_resolved: ticketsOf.get(thread.id)?.length ?? 0,
      ticket_ids: ticketsOf.get(thread.id) ?? [],
      answer_id: thread.accepted_post_id ?? topAnswer.get(thread.id) ?? null,
      draft_article_id: drafts.get(thread.id) ?? null,
    }));
  return candidates.sort(
    (a, b) =>
      b.self_resolutions + 3 * b.tickets_resolved - (a.self_resolutions + 3 * a.tickets_resolved) ||
      a.id - b.id,
  );
}
