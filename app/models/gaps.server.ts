import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/client';
import type { ContentGapsTable, GapKind, JourneyStage } from '../../db/schema';
import { journeyStages } from '../../db/schema';
import {
  articleFigures,
  isLowClick,
  noContentTickets,
  promotionCandidates,
  queryTotals,
  rangeBounds,
  unansweredThreads,
  type ArticleFigure,
  type DateRange,
  type NoContentTicket,
  type PromotionCandidate,
  type QueryRow,
} from './analytics.server';
import { metrics } from './analytics-rollup.server';
import { promoteAnswer } from './articles.server';
import type { GapState } from './gap-labels';
import { canWriteArticles, type Actor } from './permissions';
import { clusterTopics, termsOf, type TopicItem } from './topics';

/**
 * The content gap queue: one ranked list made of every signal the dashboard shows. Three kinds:
 * a problem with no content (failed searches, tickets answered without content and unanswered
 * threads about the same thing), an answer that keeps solving problems but is no article yet,
 * and an article that does not work. Each gap's score is a sum of counts times weights, and the
 * page shows that sum. Gaps nobody acted on are computed; acting on one (writing, promoting,
 * reviewing, done, dismissed) stores it in content_gaps under its key.
 */

export const gapWeights = {
  zeroResultSearch: 1,
  unclickedSearch: 1,
  noContentTicket: 5,
  /** One point per this many views of an unanswered thread. */
  viewsPerPoint: 25,
  selfResolution: 1,
  threadTicket: 3,
  ticketAfterReading: 5,
  notHelpfulVote: 1,
  overdueReview: 3,
} as const;

/**
 * "Not helpful" votes count against an article when they are most of its votes: every article
 * gets some, and four of twenty says little.
 */
export function notHelpfulCounted(votes: number, helpful: number) {
  return helpful * 2 < votes ? votes - helpful : 0;
}

/** Below this score a signal is noise, and a done gap that scores this much again comes back. */
export const minimumScore = 3;

type Staff = NonNullable<Actor>;
type Failure = { ok: false; status: 400 | 403 | 404; error: string };

export type ScorePart = { label: string; count: number; weight: string; points: number };

export type GapEvidence = {
  queries: { query: string; searches: number; zero_results: number; unclicked: number }[];
  tickets: { id: number; subject: string; at: string; why: string }[];
  threads: { id: number; title: string; slug: string; views: number }[];
  feedback: { reason: string | null; comment: string | null; at: string }[];
  article: { id: number; title: string; slug: string; review_due_at: string | null } | null;
  answer: { thread_id: number; post_id: number; title: string; slug: string } | null;
};

export type Gap = {
  key: string;
  kind: GapKind;
  title: string;
  score: number;
  parts: ScorePart[];
  evidence: GapEvidence;
  state: GapState;
  /** A done gap whose problem came back after it was done. */
  came_back: boolean;
  id: number | null;
  draft: { id: number; title: string; status: string } | null;
  done_at: string | null;
  reason: string | null;
  terms: string[];
  category_id: number | null;
  journey_stage: JourneyStage | null;
  tags: string[];
};

const emptyEvidence = (): GapEvidence => ({
  queries: [],
  tickets: [],
  threads: [],
  feedback: [],
  article: null,
  answer: null,
});

const singular: Record<string, string> = {
  'searches found nothing': 'search found nothing',
  'searches with results nobody opened': 'search with results nobody opened',
  'tickets answered without content': 'ticket answered without content',
  'views of unanswered questions': 'view of an unanswered question',
  'readers said it solved their problem': 'reader said it solved their problem',
  'tickets it resolved': 'ticket it resolved',
  'tickets filed within 24 h after reading it': 'ticket filed within 24 h after reading it',
  'readers said it was not helpful': 'reader said it was not helpful',
};

/** One line of a score: how many of what, times its weight. */
const part = (label: string, count: number, weight: number | string, points: number) => ({
  label: count === 1 ? (singular[label] ?? label) : label,
  count,
  weight: String(weight),
  points,
});

/** Adds "count × weight" to a score when there is anything to count. */
function addWeighted(parts: ScorePart[], label: string, count: number, weight: number) {
  if (count) parts.push(part(label, count, weight, count * weight));
}

const sumPoints = (parts: ScorePart[]) => parts.reduce((sum, item) => sum + item.points, 0);

function mostCommon<T>(values: (T | null)[]): T | null {
  const counts = new Map<T, number>();
  for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: T | null = null;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

const asStage = (stage: string | null): JourneyStage | null =>
  journeyStages.find((candidate) => candidate === stage) ?? null;

// ---------------------------------------------------------------------------------------------
// Building the candidates

type MissingItem =
  | { type: 'query'; row: QueryRow; unclicked: number }
  | { type: 'ticket'; ticket: NoContentTicket }
  | {
      type: 'thread';
      thread: Awaited<ReturnType<typeof unansweredThreads>>[number];
      points: number;
    };

function missingContentParts(items: MissingItem[]) {
  let zero = 0;
  let unclicked = 0;
  let tickets = 0;
  let views = 0;
  let viewPoints = 0;
  for (const item of items) {
    if (item.type === 'query') {
      zero += item.row.zero_results;
      unclicked += item.unclicked;
    } else if (item.type === 'ticket') tickets += 1;
    else {
      views += item.thread.views;
      viewPoints += item.points;
    }
  }
  const parts: ScorePart[] = [];
  addWeighted(parts, 'searches found nothing', zero, gapWeights.zeroResultSearch);
  addWeighted(parts, 'searches with results nobody opened', unclicked, gapWeights.unclickedSearch);
  addWeighted(parts, 'tickets answered without content', tickets, gapWeights.noContentTicket);
  if (views)
    parts.push(
      part('views of unanswered questions', views, `1 per ${gapWeights.viewsPerPoint}`, viewPoints),
    );
  return parts;
}

function missingContentGap(key: string, title: string, terms: string[], items: MissingItem[]): Gap {
  const evidence = emptyEvidence();
  const tickets: NoContentTicket[] = [];
  const threadStages: (string | null)[] = [];
  const categories: (number | null)[] = [];
  for (const item of items) {
    if (item.type === 'query')
      evidence.queries.push({
        query: item.row.query,
        searches: item.row.searches,
        zero_results: item.row.zero_results,
        unclicked: item.unclicked,
      });
    else if (item.type === 'ticket') {
      tickets.push(item.ticket);
      categories.push(item.ticket.category_id);
      evidence.tickets.push({
        id: item.ticket.id,
        subject: item.ticket.subject,
        at: item.ticket.resolved_at,
        why: 'answered without content',
      });
    } else {
      threadStages.push(item.thread.journey_stage);
      categories.push(item.thread.category_id);
      evidence.threads.push({
        id: item.thread.id,
        title: item.thread.title,
        slug: item.thread.slug,
        views: item.thread.views,
      });
    }
  }
  evidence.tickets.sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id);
  evidence.queries.sort(
    (a, b) =>
      b.zero_results + b.unclicked - (a.zero_results + a.unclicked) ||
      a.query.localeCompare(b.query),
  );
  const parts = missingContentParts(items);
  const tagCounts = new Map<string, number>();
  for (const ticket of tickets)
    for (const tag of ticket.tags) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
  return {
    key,
    kind: 'missing_content',
    title,
    score: sumPoints(parts),
    parts,
    evidence,
    state: 'open',
    came_back: false,
    id: null,
    draft: null,
    done_at: null,
    reason: null,
    terms,
    category_id: mostCommon(categories),
    journey_stage: asStage(mostCommon(threadStages)),
    tags: [...tagCounts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 3)
      .map(([tag]) => tag),
  };
}

/** The name a topic goes by: its heaviest ticket or question, else its heaviest query. */
function topicTitle(items: TopicItem<MissingItem>[]) {
  const named = items.find((item) => item.value.type !== 'query');
  return (named ?? items[0])?.text ?? '';
}

function promotionParts(candidate: { self_resolutions: number; tickets_resolved: number }) {
  const parts: ScorePart[] = [];
  addWeighted(
    parts,
    'readers said it solved their problem',
    candidate.self_resolutions,
    gapWeights.selfResolution,
  );
  addWeighted(parts, 'tickets it resolved', candidate.tickets_resolved, gapWeights.threadTicket);
  return parts;
}

function promotionGap(candidate: PromotionCandidate, subjects: Map<number, string>): Gap {
  const parts = promotionParts(candidate);
  const evidence = emptyEvidence();
  evidence.tickets = candidate.ticket_ids.map((id) => ({
    id,
    subject: subjects.get(id) ?? `Ticket #${id}`,
    at: '',
    why: 'resolved by this thread',
  }));
  evidence.threads = [{ id: candidate.id, title: candidate.title, slug: candidate.slug, views: 0 }];
  evidence.answer = candidate.answer_id
    ? {
        thread_id: candidate.id,
        post_id: candidate.answer_id,
        title: candidate.title,
        slug: candidate.slug,
      }
    : null;
  return {
    key: `promote.thread-${candidate.id}`,
    kind: 'promote_answer',
    title: candidate.title,
    score: sumPoints(parts),
    parts,
    evidence,
    state: candidate.draft_article_id ? 'in_progress' : 'open',
    came_back: false,
    id: null,
    draft: null,
    done_at: null,
    reason: null,
    terms: [],
    category_id: candidate.category_id,
    journey_stage: asStage(candidate.journey_stage),
    tags: [],
  };
}

function reviewParts(article: { afterReading: number; notHelpful: number; overdue: boolean }) {
  const parts: ScorePart[] = [];
  addWeighted(
    parts,
    'tickets filed within 24 h after reading it',
    article.afterReading,
    gapWeights.ticketAfterReading,
  );
  addWeighted(
    parts,
    'readers said it was not helpful',
    article.notHelpful,
    gapWeights.notHelpfulVote,
  );
  if (article.overdue)
    parts.push(part('review overdue', 1, gapWeights.overdueReview, gapWeights.overdueReview));
  return parts;
}

function reviewGap(article: ArticleFigure, evidence: GapEvidence): Gap {
  const parts = reviewParts({
    afterReading: article.tickets_after_reading,
    notHelpful: notHelpfulCounted(article.votes, article.helpful_votes),
    overdue: article.review_overdue,
  });
  return {
    key: `review.article-${article.id}`,
    kind: 'review_article',
    title: article.title,
    score: sumPoints(parts),
    parts,
    evidence,
    state: 'open',
    came_back: false,
    id: null,
    draft: null,
    done_at: null,
    reason: null,
    terms: [],
    category_id: article.category_id,
    journey_stage: asStage(article.journey_stage),
    tags: [],
  };
}

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
      unclicked: isLowClick(row) ? row.searches - row.zero_results - row.clicked : 0,
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
  for (const article of articles) {
    evidence.set(article.id, {
      ...emptyEvidence(),
      article: {
        id: article.id,
        title: article.title,
        slug: article.slug,
        review_due_at: article.review_due_at,
      },
    });
  }
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
  const items: TopicItem<MissingItem>[] = [];
  const queryItems = queries
    .map((row) => ({
      row,
      unclicked: isLowClick(row) ? row.searches - row.zero_results - row.clicked : 0,
    }))
    .filter((item) => item.row.zero_results + item.unclicked > 0)
    .sort(
      (a, b) =>
        b.row.zero_results + b.unclicked - (a.row.zero_results + a.unclicked) ||
        a.row.query.localeCompare(b.row.query),
    )
    .slice(0, 300);
  for (const { row, unclicked } of queryItems)
    items.push({
      terms: termsOf(row.query),
      weight: row.zero_results + unclicked,
      text: row.query,
      value: { type: 'query', row, unclicked },
    });
  for (const ticket of noContent)
    items.push({
      terms: termsOf(ticket.subject),
      weight: gapWeights.noContentTicket,
      text: ticket.subject,
      value: { type: 'ticket', ticket },
    });
  for (const thread of unanswered) {
    const points = Math.floor(thread.views / gapWeights.viewsPerPoint);
    items.push({
      terms: termsOf(thread.title),
      weight: points,
      text: thread.title,
      value: { type: 'thread', thread, points },
    });
  }
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
  const underReview = articleData.filter(
    (article) =>
      article.tickets_after_reading > 0 ||
      notHelpfulCounted(article.votes, article.helpful_votes) > 0 ||
      article.review_overdue,
  );
  // Evidence is read for the biggest 100; the rest show their counts only.
  const reviewScore = (article: ArticleFigure) =>
    sumPoints(
      reviewParts({
        afterReading: article.tickets_after_reading,
        notHelpful: notHelpfulCounted(article.votes, article.helpful_votes),
        overdue: article.review_overdue,
      }),
    );
  underReview.sort((a, b) => reviewScore(b) - reviewScore(a) || a.id - b.id);
  const reviewed = await reviewEvidence(db, underReview.slice(0, 100), range);
  for (const article of underReview) {
    const evidence = reviewed.get(article.id) ?? {
      ...emptyEvidence(),
      article: {
        id: article.id,
        title: article.title,
        slug: article.slug,
        review_due_at: article.review_due_at,
      },
    };
    candidates.push(reviewGap(article, evidence));
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

function storedOnly(row: GapRow): Gap {
  return {
    key: row.key,
    kind: row.kind,
    title: row.title,
    score: 0,
    parts: [],
    evidence: emptyEvidence(),
    state: 'open',
    came_back: false,
    id: row.id,
    draft: null,
    done_at: null,
    reason: null,
    terms: row.terms ? row.terms.split(' ') : [],
    category_id: null,
    journey_stage: null,
    tags: [],
  };
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

// ---------------------------------------------------------------------------------------------
// Acting on gaps

export const dismissSchema = z.object({
  reason: z
    .string('Say why this is not a gap.')
    .trim()
    .min(3, 'Say why this is not a gap, in a few words.')
    .max(300, 'Keep the reason under 300 characters.'),
});

/** Stores a gap under its key (once), so what is done about it survives the next refresh. */
async function storeGap(db: Database, actor: Staff, gap: Gap, now: Date) {
  const at = now.toISOString();
  const row = await db
    .insertInto('content_gaps')
    .values({
      key: gap.key,
      kind: gap.kind,
      title: gap.title.slice(0, 300),
      terms: gap.terms.join(' '),
      created_by: actor.id,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('key').doUpdateSet({ updated_at: at }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function forbidden(actor: Actor): Failure | null {
  return canWriteArticles(actor)
    ? null
    : { ok: false, status: 403, error: 'Only the team works the gap queue.' };
}

export async function markGapDone(db: Database, actor: Staff, gap: Gap, now = new Date()) {
  const denied = forbidden(actor);
  if (denied) return denied;
  const id = await storeGap(db, actor, gap, now);
  await db
    .updateTable('content_gaps')
    .set({
      status: 'done',
      done_at: now.toISOString(),
      done_by: actor.id,
      reason: null,
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
  return { ok: true as const, id };
}

export async function dismissGap(
  db: Database,
  actor: Staff,
  gap: Gap,
  reason: string,
  now = new Date(),
) {
  const denied = forbidden(actor);
  if (denied) return denied;
  const id = await storeGap(db, actor, gap, now);
  await db
    .updateTable('content_gaps')
    .set({
      status: 'dismissed',
      reason,
      dismissed_at: now.toISOString(),
      dismissed_by: actor.id,
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
  return { ok: true as const, id };
}

export async function reopenGap(db: Database, actor: Staff, gap: Gap, now = new Date()) {
  const denied = forbidden(actor);
  if (denied) return denied;
  const id = await storeGap(db, actor, gap, now);
  await db
    .updateTable('content_gaps')
    .set({
      status: 'open',
      reason: null,
      done_at: null,
      done_by: null,
      dismissed_at: null,
      dismissed_by: null,
      // A reopened gap needs new work: a draft published earlier no longer settles it.
      article_id: null,
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
  return { ok: true as const, id };
}

const commentSafe = (text: string) => text.replace(/--+/g, '—').replace(/[<>]/g, '');

export type ArticlePrefill = {
  title: string;
  body: string;
  categoryId: string;
  journeyStage: string;
  tags: string;
};

/** A draft that starts from the evidence: a checklist of what customers needed, as a comment. */
export function draftFromGap(gap: Gap): ArticlePrefill {
  // A gap is named by its heaviest ticket or question when it has one: a good first title.
  let title = gap.title.trim().slice(0, 150);
  title = title.charAt(0).toUpperCase() + title.slice(1);
  if (title.length < 5) title = `${title}: how it works`;
  const explained = gap.parts.map((item) => `${item.count} ${item.label}`).join(', ');
  const checklist = [
    ...gap.evidence.queries
      .slice(0, 8)
      .map(
        (query) =>
          `- [ ] Searched for “${commentSafe(query.query)}” (${query.searches} ${query.searches === 1 ? 'time' : 'times'}, ${query.zero_results} with no results)`,
      ),
    ...gap.evidence.tickets
      .slice(0, 8)
      .map(
        (ticket) => `- [ ] Ticket #${ticket.id}: ${commentSafe(ticket.subject)} (${ticket.why})`,
      ),
    ...gap.evidence.threads
      .slice(0, 5)
      .map(
        (thread) =>
          `- [ ] Unanswered question: ${commentSafe(thread.title)} (/questions/${thread.id}/${thread.slug}, ${thread.views} views)`,
      ),
  ];
  const body = [
    `<!-- Drafted from the content gap “${commentSafe(gap.title)}” (score ${gap.score}: ${explained}).`,
    'Make sure the article answers each of these, then delete this comment:',
    ...checklist,
    '-->',
    '',
    '## The problem',
    '',
    'Describe what customers are trying to do and what goes wrong.',
    '',
    '## Steps',
    '',
    '1. ',
  ].join('\n');
  return {
    title,
    body,
    categoryId: gap.category_id ? String(gap.category_id) : '',
    journeyStage: gap.journey_stage ?? '',
    tags: gap.tags.join(' '),
  };
}

/** "Write an article": stores the gap with the draft's starting point for the editor to open. */
export async function startArticleFromGap(db: Database, actor: Staff, gap: Gap, now = new Date()) {
  const denied = forbidden(actor);
  if (denied) return denied;
  if (gap.kind !== 'missing_content')
    return { ok: false as const, status: 400 as const, error: 'This gap is fixed another way.' };
  const id = await storeGap(db, actor, gap, now);
  await db
    .updateTable('content_gaps')
    .set({ prefill: JSON.stringify(draftFromGap(gap)), updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
  return { ok: true as const, id };
}

const prefillSchema = z.object({
  title: z.string(),
  body: z.string(),
  categoryId: z.string(),
  journeyStage: z.string(),
  tags: z.string(),
});

/** What /agent/articles/new?gap= starts with, or null when there is no such gap. */
export async function gapDraft(db: Database, gapId: number) {
  const row = await db
    .selectFrom('content_gaps')
    .select(['id', 'title', 'prefill'])
    .where('id', '=', gapId)
    .executeTakeFirst();
  if (!row?.prefill) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.prefill);
  } catch {
    return null;
  }
  const prefill = prefillSchema.safeParse(parsed);
  return prefill.success ? { id: row.id, title: row.title, values: prefill.data } : null;
}

/** The draft written from a gap: publishing it settles the gap. */
export async function attachDraftToGap(
  db: Database,
  gapId: number,
  articleId: number,
  now = new Date(),
) {
  await db
    .updateTable('content_gaps')
    .set({ article_id: articleId, status: 'open', done_at: null, updated_at: now.toISOString() })
    .where('id', '=', gapId)
    .execute();
}

/** "Promote the answer": a draft from the thread's best answer, remembered by the gap. */
export async function promoteFromGap(
  db: Database,
  actor: Staff,
  gap: Gap,
  now = new Date(),
): Promise<{ ok: true; articleId: number } | Failure> {
  const denied = forbidden(actor);
  if (denied) return denied;
  const answer = gap.evidence.answer;
  if (gap.kind !== 'promote_answer' || !answer)
    return { ok: false, status: 400, error: 'This gap has no answer to promote.' };
  const promoted = await promoteAnswer(db, actor, answer.post_id, now);
  if (!promoted.ok) return promoted;
  const id = await storeGap(db, actor, gap, now);
  await attachDraftToGap(db, id, promoted.id, now);
  return { ok: true, articleId: promoted.id };
}

/** "Review the article": remembered, so the queue shows someone is on it. */
export async function reviewFromGap(db: Database, actor: Staff, gap: Gap, now = new Date()) {
  const denied = forbidden(actor);
  if (denied) return denied;
  const article = gap.evidence.article;
  if (gap.kind !== 'review_article' || !article)
    return {
      ok: false as const,
      status: 400 as const,
      error: 'This gap has no article to review.',
    };
  await storeGap(db, actor, gap, now);
  return { ok: true as const, articleId: article.id };
}
