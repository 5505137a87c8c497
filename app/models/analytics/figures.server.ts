import { sql } from 'kysely';
import type { Database } from '#db/client';
import { addDays, daysOf, type DateRange } from './date-range';
import { metrics, weekOf } from './rollup.server';

/**
 * The figures of the gap dashboard for a range of UTC days. Event-based figures come from the
 * rollups (rollup.server.ts); tickets, resolutions and feedback are read from their own tables
 * through range indexes. Staff (role other than member) and bots are left out everywhere; the
 * definitions are in docs/decisions/008-gap-analytics.md. This module holds what every figure
 * shares, the self-service score and search; content-figures and ticket-figures hold the rest.
 */

export const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);
export const round = (value: number | null, digits = 1) =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;

/** Members only: staff requesters, voters and readers are left out of every figure. */
export const memberRequester = (db: Database) =>
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
    ) as found_nothing
    union
    select * from (
      select * from totals
      where ${withResults} >= ${oftenSearched} and clicked <= ${withResults} * ${sql.lit(lowClickRate)}
      order by ${withResults} desc, query limit ${limit}
    ) as rarely_clicked`.execute(db);
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
