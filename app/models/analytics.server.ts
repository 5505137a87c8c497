import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/client';
import { resolutionKinds, type ResolutionKind } from '../../db/schema';
import { metrics, stageSubjects, weekOf, type StageSubject } from './analytics-rollup.server';
import { clusterTopics, termsOf } from './topics';

/**
 * The figures of the gap dashboard for a range of UTC days. Event-based figures come from the
 * rollups (analytics-rollup.server.ts); tickets, resolutions and feedback are read from their own
 * tables through range indexes. Staff (role other than member) and bots are left out everywhere;
 * the definitions are in docs/decisions/008-gap-analytics.md.
 */

const dayMs = 86_400_000;
const isoDay = /^\d{4}-\d{2}-\d{2}$/;

export type RangeKey = '7' | '30' | '90' | 'custom';
export type DateRange = { key: RangeKey; from: string; to: string; days: number };

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + days * dayMs).toISOString().slice(0, 10);

/** The first instant of the range and the first instant after it. */
export function rangeBounds(range: DateRange) {
  return { start: `${range.from}T00:00:00.000Z`, end: `${addDays(range.to, 1)}T00:00:00.000Z` };
}

export function daysOf(range: DateRange): string[] {
  return Array.from({ length: range.days }, (_, index) => addDays(range.from, index));
}

const rangeParams = z.object({
  range: z.enum(['7', '30', '90', 'custom']).catch('30'),
  from: z.string().regex(isoDay).optional().catch(undefined),
  to: z.string().regex(isoDay).optional().catch(undefined),
});

/**
 * The range a page or API call asks for: the last 7, 30 or 90 days (today included) or custom
 * days. A custom range that makes no sense falls back to 30 days, with a message saying why.
 */
export function parseRange(
  params: URLSearchParams,
  now = new Date(),
): { range: DateRange; error: string | null } {
  const today = now.toISOString().slice(0, 10);
  const parsed = rangeParams.parse(Object.fromEntries(params));
  const last = (days: 7 | 30 | 90): DateRange => ({
    key: String(days) as RangeKey,
    from: addDays(today, 1 - days),
    to: today,
    days,
  });
  if (parsed.range !== 'custom')
    return { range: last(Number(parsed.range) as 7 | 30 | 90), error: null };
  const { from, to } = parsed;
  const valid = (day: string | undefined): day is string =>
    day !== undefined &&
    !Number.isNaN(Date.parse(`${day}T00:00:00.000Z`)) &&
    addDays(day, 0) === day;
  if (!valid(from) || !valid(to))
    return { range: last(30), error: 'Give both dates of a custom range, like 2026-10-01.' };
  if (from > to) return { range: last(30), error: 'The start of the range is after its end.' };
  const end = to > today ? today : to;
  if (from > end) return { range: last(30), error: 'The range is in the future.' };
  const days = Math.round((Date.parse(end) - Date.parse(from)) / dayMs) + 1;
  if (days > 366) return { range: last(30), error: 'Choose at most a year.' };
  return { range: { key: 'custom', from, to: end, days }, error: null };
}

/** Query-string form of a range, for links that keep it. */
export function rangeQuery(range: DateRange): string {
  return range.key === 'custom'
    ? `range=custom&from=${range.from}&to=${range.to}`
    : `range=${range.key}`;
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const round = (value: number | null, digits = 1) =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;

/** Members only: staff requesters, voters and readers are left out of every figure. */
const memberRequester = (db: Database) =>
  db
    .selectFrom('tickets')
    .innerJoin('users as requester', 'requester.id', 'tickets.requester_id')
    .where('requester.role', '=', 'member');

// ---------------------------------------------------------------------------------------------
// Self-service score

export type WeekScore = {
  week: string;
  visitors: number;
  requesters: number;
  /** Visitors per requester, one decimal; null in a week without tickets. */
  score: number | null;
  /** The week is still running. */
  partial: boolean;
};

export async function selfServiceFigures(db: Database, range: DateRange, now = new Date()) {
  const firstWeek = weekOf(range.from);
  const lastWeek = weekOf(range.to);
  const weekList: string[] = [];
  for (let week = firstWeek; week <= lastWeek; week = addDays(week, 7)) weekList.push(week);
  const [visitors, requesters] = await Promise.all([
    db
      .selectFrom('analytics_weeks')
      .select(['week', 'visitors'])
      .where('week', '>=', firstWeek)
      .where('week', '<=', lastWeek)
      .execute(),
    memberRequester(db)
      .select([sql<string>`substr(tickets.created_at, 1, 10)`.as('day'), 'tickets.requester_id'])
      .where('tickets.created_at', '>=', `${firstWeek}T00:00:00.000Z`)
      .where('tickets.created_at', '<', `${addDays(lastWeek, 7)}T00:00:00.000Z`)
      .groupBy([sql`substr(tickets.created_at, 1, 10)`, 'tickets.requester_id'])
      .execute(),
  ]);
  const visitorsByWeek = new Map(visitors.map((row) => [row.week, row.visitors]));
  const requestersByWeek = new Map<string, Set<number>>();
  for (const row of requesters) {
    const week = weekOf(row.day);
    const set = requestersByWeek.get(week) ?? new Set();
    set.add(row.requester_id);
    requestersByWeek.set(week, set);
  }
  const today = now.toISOString().slice(0, 10);
  const weeks: WeekScore[] = weekList.map((week) => {
    const seen = visitorsByWeek.get(week) ?? 0;
    const asked = requestersByWeek.get(week)?.size ?? 0;
    return {
      week,
      visitors: seen,
      requesters: asked,
      score: round(ratio(seen, asked)),
      partial: addDays(week, 7) > today,
    };
  });
  const complete = weeks.filter((week) => !week.partial && week.score !== null);
  const latest = complete.at(-1) ?? weeks.filter((week) => week.score !== null).at(-1) ?? null;
  return { weeks, latest, trend: round(slope(complete.map((week) => week.score ?? 0)), 2) };
}

/** Least-squares change per step; null with fewer than two points. */
function slope(values: number[]): number | null {
  const n = values.length;
  if (n < 2) return null;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((sum, value) => sum + value, 0) / n;
  let numerator = 0;
  let denominator = 0;
  values.forEach((value, x) => {
    numerator += (x - meanX) * (value - meanY);
    denominator += (x - meanX) ** 2;
  });
  return numerator / denominator;
}

// ---------------------------------------------------------------------------------------------
// Search

/** A query is "searched often" from this many searches (with results) in the range. */
export const oftenSearched = 5;
/** ...and rarely clicked at or below this share of them. */
export const lowClickRate = 0.2;

export type QueryRow = {
  query: string;
  searches: number;
  zero_results: number;
  clicked: number;
  last_day: string;
};

async function dailyTotals(db: Database, metric: string, range: DateRange) {
  const rows = await db
    .selectFrom('analytics_daily')
    .select(['day', (eb) => eb.fn.sum<number>('n').as('n')])
    .where('metric', '=', metric)
    .where('day', '>=', range.from)
    .where('day', '<=', range.to)
    .groupBy('day')
    .execute();
  return new Map(rows.map((row) => [row.day, Number(row.n)]));
}

/** Totals per subject (article, thread, stage) of one metric over the range. */
export async function subjectTotals(db: Database, metric: string, range: DateRange) {
  const rows = await db
    .selectFrom('analytics_daily')
    .select(['subject', (eb) => eb.fn.sum<number>('n').as('n')])
    .where('metric', '=', metric)
    .where('day', '>=', range.from)
    .where('day', '<=', range.to)
    .groupBy('subject')
    .execute();
  return new Map(rows.map((row) => [row.subject, Number(row.n)]));
}

/**
 * The queries worth a look: those that most often found nothing, and those searched often but
 * rarely clicked (up to `limit` of each). The long tail of one-off queries stays in the database.
 */
export async function queryTotals(
  db: Database,
  range: DateRange,
  limit = 300,
): Promise<QueryRow[]> {
  const withResults = sql`searches - zero_results`;
  const { rows } = await sql<QueryRow>`
    with totals as materialized (
      select query, sum(searches) as searches, sum(zero_results) as zero_results,
        sum(clicked) as clicked, max(day) as last_day
      from analytics_query_days
      where day >= ${range.from} and day <= ${range.to}
      group by query
      having sum(zero_results) > 0 or sum(searches) - sum(zero_results) >= ${oftenSearched}
    )
    select * from (
      select * from totals where zero_results > 0
      order by zero_results desc, last_day desc, query limit ${limit}
    )
    union
    select * from (
      select * from totals
      where ${withResults} >= ${oftenSearched} and clicked <= ${withResults} * ${lowClickRate}
      order by ${withResults} desc, query limit ${limit}
    )`.execute(db);
  return rows.map((row) => ({
    query: row.query,
    searches: Number(row.searches),
    zero_results: Number(row.zero_results),
    clicked: Number(row.clicked),
    last_day: String(row.last_day),
  }));
}

export function isLowClick(row: QueryRow) {
  const withResults = row.searches - row.zero_results;
  return withResults >= oftenSearched && row.clicked <= withResults * lowClickRate;
}

export async function searchFigures(db: Database, range: DateRange, queries?: QueryRow[]) {
  const [searches, zero, clicked, rows] = await Promise.all([
    dailyTotals(db, metrics.search, range),
    dailyTotals(db, metrics.searchZero, range),
    dailyTotals(db, metrics.searchClicked, range),
    queries ? Promise.resolve(queries) : queryTotals(db, range),
  ]);
  const days = daysOf(range).map((day) => ({
    day,
    searches: searches.get(day) ?? 0,
    zero_results: zero.get(day) ?? 0,
    clicked: clicked.get(day) ?? 0,
  }));
  const total = days.reduce((sum, day) => sum + day.searches, 0);
  const zeroTotal = days.reduce((sum, day) => sum + day.zero_results, 0);
  const clickedTotal = days.reduce((sum, day) => sum + day.clicked, 0);
  const zeroQueries = rows
    .filter((row) => row.zero_results > 0)
    .sort(
      (a, b) =>
        b.zero_results - a.zero_results ||
        b.last_day.localeCompare(a.last_day) ||
        a.query.localeCompare(b.query),
    )
    .slice(0, 20);
  const lowClickQueries = rows
    .filter(isLowClick)
    .map((row) => ({
      ...row,
      with_results: row.searches - row.zero_results,
      click_rate: round(ratio(row.clicked, row.searches - row.zero_results), 3) ?? 0,
    }))
    .sort(
      (a, b) =>
        b.with_results - a.with_results ||
        a.click_rate - b.click_rate ||
        a.query.localeCompare(b.query),
    )
    .slice(0, 20);
  return {
    searches: total,
    zero_results: zeroTotal,
    clicked: clickedTotal,
    /** Share of searches that found nothing. */
    zero_result_rate: round(ratio(zeroTotal, total), 3),
    /** Share of searches with results in which a result was opened. */
    click_through_rate: round(ratio(clickedTotal, total - zeroTotal), 3),
    days,
    zero_result_queries: zeroQueries,
    low_click_queries: lowClickQueries,
  };
}

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
// Tickets

export type NoContentTicket = {
  id: number;
  subject: string;
  category_id: number | null;
  category: string | null;
  resolved_at: string;
  tags: string[];
};

/** Tags of the threads, answers and articles linked to each ticket (tickets have none). */
async function tagsOfTickets(db: Database, ticketIds: number[]) {
  const tags = new Map<number, Set<string>>();
  if (ticketIds.length === 0) return tags;
  const rows = await db
    .selectFrom('ticket_links')
    .leftJoin('posts', (join) =>
      join
        .onRef('posts.id', '=', 'ticket_links.target_id')
        .on('ticket_links.target_type', '=', 'post'),
    )
    .leftJoin('thread_tags', (join) =>
      join.on((eb) =>
        eb.and([
          eb('ticket_links.target_type', 'in', ['thread', 'post']),
          eb(
            'thread_tags.thread_id',
            '=',
            eb.fn.coalesce('posts.thread_id', 'ticket_links.target_id'),
          ),
        ]),
      ),
    )
    .leftJoin('article_tags', (join) =>
      join
        .onRef('article_tags.article_id', '=', 'ticket_links.target_id')
        .on('ticket_links.target_type', '=', 'article'),
    )
    .innerJoin('tags', (join) =>
      join.on((eb) =>
        eb('tags.id', '=', eb.fn.coalesce('thread_tags.tag_id', 'article_tags.tag_id')),
      ),
    )
    .select(['ticket_links.ticket_id', 'tags.name'])
    .where('ticket_links.ticket_id', 'in', ticketIds)
    .execute();
  for (const row of rows) {
    const set = tags.get(row.ticket_id) ?? new Set();
    set.add(row.name);
    tags.set(row.ticket_id, set);
  }
  return tags;
}

export async function noContentTickets(db: Database, range: DateRange): Promise<NoContentTicket[]> {
  const { start, end } = rangeBounds(range);
  const rows = await memberRequester(db)
    .innerJoin('resolutions', 'resolutions.ticket_id', 'tickets.id')
    .leftJoin('categories', 'categories.id', 'tickets.category_id')
    .select([
      'tickets.id',
      'tickets.subject',
      'tickets.category_id',
      'categories.name as category',
      'resolutions.created_at as resolved_at',
    ])
    .where('resolutions.kind', '=', 'none')
    .where('resolutions.created_at', '>=', start)
    .where('resolutions.created_at', '<', end)
    .orderBy('resolutions.created_at', 'desc')
    .limit(1000)
    .execute();
  const tags = await tagsOfTickets(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({ ...row, tags: [...(tags.get(row.id) ?? [])].sort() }));
}

function countBy<T>(items: T[], keysOf: (item: T) => string[]) {
  const counts = new Map<string, number>();
  for (const item of items)
    for (const key of keysOf(item)) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts.entries()]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

/** Tickets resolved without content that are about the same thing, biggest group first. */
export function groupBySubject(tickets: NoContentTicket[]) {
  return clusterTopics(
    tickets.map((ticket) => ({
      terms: termsOf(ticket.subject),
      weight: 1,
      text: ticket.subject,
      value: ticket,
    })),
  )
    .map((topic) => ({
      label: topic.items[0]?.text ?? '',
      count: topic.items.length,
      ticket_ids: topic.items.map((item) => item.value.id),
    }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

export type ResolutionPeriod = { start: string } & Record<ResolutionKind, number>;

export async function ticketFigures(db: Database, range: DateRange, noContent?: NoContentTicket[]) {
  const { start, end } = rangeBounds(range);
  const [resolved, created, tickets] = await Promise.all([
    memberRequester(db)
      .innerJoin('resolutions', 'resolutions.ticket_id', 'tickets.id')
      .select((eb) => [
        sql<string>`substr(resolutions.created_at, 1, 10)`.as('day'),
        'resolutions.kind',
        eb.fn.countAll<number>().as('n'),
      ])
      // Naming every kind lets the (kind, created_at) index serve the date range.
      .where('resolutions.kind', 'in', [...resolutionKinds])
      .where('resolutions.created_at', '>=', start)
      .where('resolutions.created_at', '<', end)
      .groupBy([sql`substr(resolutions.created_at, 1, 10)`, 'resolutions.kind'])
      .execute(),
    memberRequester(db)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tickets.created_at', '>=', start)
      .where('tickets.created_at', '<', end)
      .executeTakeFirstOrThrow(),
    noContent ? Promise.resolve(noContent) : noContentTickets(db, range),
  ]);
  // Up to a month reads best by day; longer ranges by week.
  const bucket: 'day' | 'week' = range.days <= 31 ? 'day' : 'week';
  const periodOf = (day: string) => (bucket === 'day' ? day : weekOf(day));
  const periods = new Map<string, ResolutionPeriod>();
  for (const day of daysOf(range)) {
    const key = periodOf(day);
    if (!periods.has(key))
      periods.set(key, { start: key, article: 0, thread: 0, none: 0, other: 0 });
  }
  const totals: Record<ResolutionKind, number> = { article: 0, thread: 0, none: 0, other: 0 };
  for (const row of resolved) {
    const period = periods.get(periodOf(row.day));
    if (period) period[row.kind] += Number(row.n);
    totals[row.kind] += Number(row.n);
  }
  const solved = resolutionKinds.reduce((sum, kind) => sum + totals[kind], 0);
  return {
    created: Number(created.n),
    solved,
    resolutions: totals,
    /** Share of resolutions per kind, 0-100. */
    resolution_percent: Object.fromEntries(
      resolutionKinds.map((kind) => [kind, solved ? Math.round((totals[kind] / solved) * 100) : 0]),
    ) as Record<ResolutionKind, number>,
    bucket,
    periods: [...periods.values()],
    no_content: {
      tickets: tickets.slice(0, 50),
      by_category: countBy(tickets, (ticket) => [ticket.category ?? 'No category']),
      by_tag: countBy(tickets, (ticket) => (ticket.tags.length ? ticket.tags : ['No tag'])),
      by_subject: groupBySubject(tickets).slice(0, 20),
    },
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

// ---------------------------------------------------------------------------------------------
// Journey stages

/**
 * A ticket's stage is the stage of the content it is linked to: the page it was filed or
 * escalated from first, then the content that resolved it or an agent linked.
 */
export async function ticketStages(db: Database, range: DateRange) {
  const { start, end } = rangeBounds(range);
  const rows = await memberRequester(db)
    .leftJoin('ticket_links', 'ticket_links.ticket_id', 'tickets.id')
    .leftJoin('articles', (join) =>
      join
        .onRef('articles.id', '=', 'ticket_links.target_id')
        .on('ticket_links.target_type', '=', 'article'),
    )
    .leftJoin('posts', (join) =>
      join
        .onRef('posts.id', '=', 'ticket_links.target_id')
        .on('ticket_links.target_type', '=', 'post'),
    )
    .leftJoin('threads as linked_thread', (join) =>
      join
        .onRef('linked_thread.id', '=', 'ticket_links.target_id')
        .on('ticket_links.target_type', '=', 'thread'),
    )
    .leftJoin('threads as answered_thread', 'answered_thread.id', 'posts.thread_id')
    .select([
      'tickets.id',
      'ticket_links.id as link_id',
      'ticket_links.relation',
      (eb) =>
        eb.fn
          .coalesce(
            'articles.journey_stage',
            'linked_thread.journey_stage',
            'answered_thread.journey_stage',
          )
          .as('stage'),
    ])
    .where('tickets.created_at', '>=', start)
    .where('tickets.created_at', '<', end)
    .execute();
  const rank = (relation: string | null) =>
    relation === 'filed_from' || relation === 'escalated_from' ? 0 : 1;
  const best = new Map<number, { rank: number; link: number; stage: string | null }>();
  for (const row of rows) {
    const current = best.get(row.id);
    const candidate = { rank: rank(row.relation), link: row.link_id ?? 0, stage: row.stage };
    if (
      !current ||
      (current.stage === null && candidate.stage !== null) ||
      (candidate.stage !== null &&
        (candidate.rank < current.rank ||
          (candidate.rank === current.rank && candidate.link < current.link)))
    )
      best.set(row.id, candidate);
  }
  const counts = new Map<StageSubject, number>();
  for (const { stage } of best.values()) {
    const key = stageSubjects.find((candidate) => candidate === stage) ?? 'unknown';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export async function stageFigures(db: Database, range: DateRange) {
  const [articles, tickets, failed] = await Promise.all([
    db
      .selectFrom('articles')
      .select(['journey_stage', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'published')
      .groupBy('journey_stage')
      .execute(),
    ticketStages(db, range),
    subjectTotals(db, metrics.failedSearchStage, range),
  ]);
  const articleCounts = new Map(
    articles.map((row) => [row.journey_stage ?? 'unknown', Number(row.n)]),
  );
  return stageSubjects.map((stage, index) => ({
    stage,
    articles: articleCounts.get(stage) ?? 0,
    tickets: tickets.get(stage) ?? 0,
    failed_searches: failed.get(index) ?? 0,
  }));
}
