import type { Selectable } from 'kysely';
import type { Database } from '#db/client';
import type { ContentGapsTable } from '#db/schema';
import { clusterTopics } from '../topics';
import {
  articleFigures,
  promotionCandidates,
  unansweredThreads,
  type ArticleFigure,
  type PromotionCandidate,
} from './content-figures.server';
import { rangeBounds, type DateRange } from './date-range';
import { queryTotals, type QueryRow } from './figures.server';
import type { GapState } from './gap-labels';
import {
  articleEvidence,
  emptyEvidence,
  articleReviewParts,
  addWeighted,
  gapWeights,
  minimumScore,
  missingContentGap,
  missingContentItems,
  missingContentParts,
  needsReview,
  newGap,
  notHelpfulCounted,
  promotionGap,
  promotionParts,
  reviewGap,
  reviewParts,
  sumPoints,
  topicTitle,
  unclickedSearches,
  type Gap,
  type GapEvidence,
  type MissingItem,
} from './gap-scoring';
import { metrics } from './rollup.server';
import { noContentTickets, type NoContentTicket } from './ticket-figures.server';

/**
 * The content gap queue: one ranked list made of every signal the dashboard shows (scored in
 * gap-scoring.ts). Gaps nobody acted on are computed; acting on one (writing, promoting,
 * reviewing, done, dismissed; see gap-actions.server.ts) stores it in content_gaps under its key.
 */

type GapRow = Pick<
  Selectable<ContentGapsTable>,
  'key' | 'kind' | 'title' | 'status' | 'reason' | 'article_id' | 'done_at' | 'dismissed_at'
> & {
  id: number;
  terms: string;
  created_at: string;
  draft_title: string | null;
  draft_status: string | null;
  draft_published_at: string | null;
};

async function storedGaps(db: Database): Promise<GapRow[]> {
  return db
    .selectFrom('content_gaps')
    .leftJoin('articles', 'articles.id', 'content_gaps.article_id')
    .select([
      'content_gaps.id',
      'content_gaps.key',
      'content_gaps.kind',
      'content_gaps.title',
      'content_gaps.terms',
      'content_gaps.status',
      'content_gaps.reason',
      'content_gaps.article_id',
      'content_gaps.done_at',
      'content_gaps.dismissed_at',
      'content_gaps.created_at',
      'articles.title as draft_title',
      'articles.status as draft_status',
      'articles.published_at as draft_published_at',
    ])
    .orderBy('content_gaps.id')
    .execute();
}

/** When a stored gap was settled: marked done, or its draft published. */
function settledAt(row: GapRow): string | null {
  if (row.status === 'done') return row.done_at;
  if (row.article_id !== null && row.draft_status === 'published') return row.draft_published_at;
  return null;
}

/** The part of a gap's evidence that arrived after it was settled. */
async function evidenceAfter(db: Database, gap: Gap, since: string, range: DateRange) {
  const sinceDay = since.slice(0, 10);
  if (gap.kind === 'missing_content') {
    const queries = gap.evidence.queries.map((query) => query.query);
    const rows = queries.length
      ? await db
          .selectFrom('analytics_query_days')
          .select(['query', 'searches', 'zero_results', 'clicked'])
          .where('query', 'in', queries)
          .where('day', '>', sinceDay)
          .where('day', '<=', range.to)
          .execute()
      : [];
    const byQuery = new Map<string, QueryRow>();
    for (const row of rows) {
      const total = byQuery.get(row.query) ?? {
        query: row.query,
        searches: 0,
        zero_results: 0,
        clicked: 0,
        last_day: '',
      };
      total.searches += row.searches;
      total.zero_results += row.zero_results;
      total.clicked += row.clicked;
      byQuery.set(row.query, total);
    }
    const items: MissingItem[] = [...byQuery.values()].map((row) => ({
      type: 'query',
      row,
      unclicked: unclickedSearches(row),
    }));
    const tickets = gap.evidence.tickets.filter((ticket) => ticket.at > since).length;
    const parts = missingContentParts(items);
    addWeighted(parts, 'tickets answered without content', tickets, gapWeights.noContentTicket);
    return parts;
  }
  if (gap.kind === 'review_article' && gap.evidence.article) {
    const articleId = gap.evidence.article.id;
    const [reads, votes] = await Promise.all([
      db
        .selectFrom('analytics_ticket_reads')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('article_id', '=', articleId)
        .where('filed_at', '>', since)
        .where('filed_at', '<', rangeBounds(range).end)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('article_feedback')
        .leftJoin('users', 'users.id', 'article_feedback.user_id')
        .select((eb) => [
          eb.fn.countAll<number>().as('n'),
          eb.fn.sum<number>('article_feedback.helpful').as('helpful'),
        ])
        .where('article_feedback.article_id', '=', articleId)
        .where('article_feedback.updated_at', '>', since)
        .where((eb) => eb.or([eb('users.role', 'is', null), eb('users.role', '=', 'member')]))
        .executeTakeFirstOrThrow(),
    ]);
    return reviewParts({
      afterReading: Number(reads.n),
      notHelpful: notHelpfulCounted(Number(votes.n), Number(votes.helpful ?? 0)),
      overdue: false,
    });
  }
  if (gap.kind === 'promote_answer') {
    const threadId = gap.evidence.answer?.thread_id ?? gap.evidence.threads[0]?.id;
    if (!threadId) return [];
    const [selfResolved, tickets] = await Promise.all([
      db
        .selectFrom('analytics_daily')
        .select((eb) => eb.fn.sum<number>('n').as('n'))
        .where('metric', '=', metrics.threadSelfResolved)
        .where('subject', '=', threadId)
        .where('day', '>', sinceDay)
        .where('day', '<=', range.to)
        .executeTakeFirst(),
      db
        .selectFrom('resolutions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('thread_id', '=', threadId)
        .where('kind', '=', 'thread')
        .where('created_at', '>', since)
        .executeTakeFirstOrThrow(),
    ]);
    const candidate = {
      self_resolutions: Number(selfResolved?.n ?? 0),
      tickets_resolved: Number(tickets.n),
    };
    return promotionParts(candidate);
  }
  return [];
}

async function ticketSubjects(db: Database, ids: number[]) {
  if (ids.length === 0) return new Map<number, string>();
  const rows = await db
    .selectFrom('tickets')
    .select(['id', 'subject'])
    .where('id', 'in', ids.slice(0, 500))
    .execute();
  return new Map(rows.map((row) => [row.id, row.subject]));
}

/** Tickets filed after reading, and recent "not helpful" votes, of the articles under review. */
async function reviewEvidence(db: Database, articles: ArticleFigure[], range: DateRange) {
  const ids = articles.map((article) => article.id);
  const evidence = new Map<number, GapEvidence>();
  for (const article of articles) evidence.set(article.id, articleEvidence(article));
  if (ids.length === 0) return evidence;
  const { start, end } = rangeBounds(range);
  const [reads, votes] = await Promise.all([
    db
      .selectFrom('analytics_ticket_reads')
      .innerJoin('tickets', 'tickets.id', 'analytics_ticket_reads.ticket_id')
      .select([
        'analytics_ticket_reads.article_id',
        'tickets.id',
        'tickets.subject',
        'analytics_ticket_reads.filed_at',
      ])
      .where('analytics_ticket_reads.article_id', 'in', ids)
      .where('analytics_ticket_reads.filed_at', '>=', start)
      .where('analytics_ticket_reads.filed_at', '<', end)
      .orderBy('analytics_ticket_reads.filed_at', 'desc')
      .execute(),
    db
      .selectFrom('article_feedback')
      .leftJoin('users', 'users.id', 'article_feedback.user_id')
      .select([
        'article_feedback.article_id',
        'article_feedback.reason',
        'article_feedback.comment',
        'article_feedback.updated_at',
      ])
      .where('article_feedback.article_id', 'in', ids)
      .where('article_feedback.helpful', '=', 0)
      .where('article_feedback.updated_at', '>=', start)
      .where('article_feedback.updated_at', '<', end)
      .where((eb) => eb.or([eb('users.role', 'is', null), eb('users.role', '=', 'member')]))
      .orderBy('article_feedback.updated_at', 'desc')
      .execute(),
  ]);
  for (const read of reads) {
    const item = evidence.get(read.article_id);
    if (item && item.tickets.length < 10)
      item.tickets.push({
        id: read.id,
        subject: read.subject,
        at: read.filed_at,
        why: 'filed within 24 h after reading',
      });
  }
  for (const vote of votes) {
    const item = evidence.get(vote.article_id);
    if (item && item.feedback.length < 10)
      item.feedback.push({ reason: vote.reason, comment: vote.comment, at: vote.updated_at });
  }
  return evidence;
}

export type GapQueue = { open: Gap[]; done: Gap[]; dismissed: Gap[] };

/** Every gap of the range, ranked, with what was done about the ones someone acted on. */
export async function gapQueue(
  db: Database,
  range: DateRange,
  inputs: {
    queries?: QueryRow[];
    noContent?: NoContentTicket[];
    articles?: ArticleFigure[];
    promotion?: PromotionCandidate[];
    now?: Date;
  } = {},
): Promise<GapQueue> {
  const [queries, noContent, articleData, promotion, unanswered, stored] = await Promise.all([
    inputs.queries ?? queryTotals(db, range),
    inputs.noContent ?? noContentTickets(db, range),
    inputs.articles ?? articleFigures(db, range, inputs.now).then((figures) => figures.articles),
    inputs.promotion ?? promotionCandidates(db, range),
    unansweredThreads(db, range),
    storedGaps(db),
  ]);

  // Problems without content, grouped by topic.
  const items = missingContentItems(queries, noContent, unanswered);
  const anchors = stored
    .filter((row) => row.kind === 'missing_content' && row.terms)
    .map((row) => ({ key: row.key, terms: row.terms.split(' ') }));
  const storedByKey = new Map(stored.map((row) => [row.key, row]));
  const candidates: Gap[] = clusterTopics(items, anchors).map((topic) =>
    missingContentGap(
      topic.anchor ?? `missing.${topic.seed.join('-')}`,
      topic.anchor
        ? (storedByKey.get(topic.anchor)?.title ?? topicTitle(topic.items))
        : topicTitle(topic.items),
      topic.seed,
      topic.items.map((item) => item.value),
    ),
  );

  // Answers worth an article.
  const subjects = await ticketSubjects(
    db,
    promotion.flatMap((candidate) => candidate.ticket_ids),
  );
  for (const candidate of promotion) candidates.push(promotionGap(candidate, subjects));

  // Articles that do not work.
  const underReview = articleData.filter(needsReview);
  // Evidence is read for the biggest 100; the rest show their counts only.
  const reviewScore = (article: ArticleFigure) => sumPoints(articleReviewParts(article));
  underReview.sort((a, b) => reviewScore(b) - reviewScore(a) || a.id - b.id);
  const reviewed = await reviewEvidence(db, underReview.slice(0, 100), range);
  for (const article of underReview) {
    candidates.push(reviewGap(article, reviewed.get(article.id) ?? articleEvidence(article)));
  }

  // What was done about them.
  const queue: GapQueue = { open: [], done: [], dismissed: [] };
  const seen = new Set<string>();
  for (const gap of candidates) {
    const row = storedByKey.get(gap.key);
    seen.add(gap.key);
    if (!row) {
      if (gap.score >= minimumScore || gap.state === 'in_progress') queue.open.push(gap);
      continue;
    }
    const settled = withRow(gap, row);
    if (settled.state === 'dismissed') {
      queue.dismissed.push(settled);
      continue;
    }
    const since = settledAt(row);
    if (since) {
      const later = await evidenceAfter(db, settled, since, range);
      const score = sumPoints(later);
      if (score >= minimumScore) {
        queue.open.push({ ...settled, state: 'open', came_back: true, score, parts: later });
      } else queue.done.push({ ...settled, state: 'done', done_at: since });
      continue;
    }
    if (settled.score >= minimumScore || settled.state === 'in_progress') queue.open.push(settled);
  }
  // Gaps acted on that have no evidence in this range.
  for (const row of stored) {
    if (seen.has(row.key)) continue;
    const gap = withRow(storedOnly(row), row);
    if (gap.state === 'dismissed') queue.dismissed.push(gap);
    else if (settledAt(row)) queue.done.push({ ...gap, state: 'done', done_at: settledAt(row) });
    else if (gap.state === 'in_progress') queue.open.push(gap);
  }
  queue.open.sort(
    (a, b) =>
      b.score - a.score || Number(a.came_back) - Number(b.came_back) || a.key.localeCompare(b.key),
  );
  queue.done.sort(
    (a, b) => (b.done_at ?? '').localeCompare(a.done_at ?? '') || a.key.localeCompare(b.key),
  );
  queue.dismissed.sort((a, b) => b.key.localeCompare(a.key));
  return queue;
}

/** A stored gap with no evidence in the range: what was done about it is all there is. */
function storedOnly(row: GapRow): Gap {
  return newGap({
    key: row.key,
    kind: row.kind,
    title: row.title,
    parts: [],
    evidence: emptyEvidence(),
    id: row.id,
    terms: row.terms ? row.terms.split(' ') : [],
  });
}

function withRow(gap: Gap, row: GapRow): Gap {
  const draft =
    row.article_id !== null && row.draft_title !== null
      ? { id: row.article_id, title: row.draft_title, status: row.draft_status ?? 'draft' }
      : null;
  const state: GapState =
    row.status === 'dismissed'
      ? 'dismissed'
      : draft && draft.status !== 'published'
        ? 'in_progress'
        : gap.state;
  return {
    ...gap,
    id: row.id,
    title: row.title,
    draft,
    state,
    reason: row.reason,
    done_at: row.status === 'dismissed' ? row.dismissed_at : null,
  };
}

export function findGap(queue: GapQueue, key: string): Gap | null {
  return [...queue.open, ...queue.done, ...queue.dismissed].find((gap) => gap.key === key) ?? null;
}
