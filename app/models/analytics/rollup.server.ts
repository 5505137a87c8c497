import { sql } from 'kysely';
import type { Database } from '#db/client';
import { settledIdBound, waitForTurn } from '#db/dialect';
import { journeyStages, type AnalyticsOpenSearchesTable, type EventType } from '#db/schema';

/**
 * The rollups the gap dashboard reads, kept up to date from the event log. Each refresh reads
 * the events after the last one it counted (by id, so events recorded with an earlier date are
 * still counted once) and adds them to per-day counters, per-query counters and weekly reader
 * sets, in one transaction per batch together with the new watermark. Staff and bots are left
 * out here, once, so every figure built on the rollups leaves them out too.
 * The rules are written down in docs/decisions/008-gap-analytics.md.
 */

export const metrics = {
  search: 'search',
  searchZero: 'search_zero',
  searchClicked: 'search_clicked',
  articleView: 'article_view',
  articleSelfResolved: 'article_self_resolved',
  threadSelfResolved: 'thread_self_resolved',
  ticketAfterRead: 'ticket_after_read',
  failedSearchStage: 'failed_search_stage',
} as const;

/** Journey stages by subject number in `analytics_daily`; the last one is "unknown". */
export const stageSubjects = [...journeyStages, 'unknown'] as const;
export type StageSubject = (typeof stageSubjects)[number];
const unknownStage = stageSubjects.length - 1;

/** A click within 30 minutes of a search, by the same reader for the same query, is its click. */
export const clickWindowMs = 30 * 60_000;
/** A ticket filed within 24 hours after reading an article says the article did not work. */
export const readWindowMs = 24 * 60 * 60_000;

const batchSize = 5000;
const stateName = 'events';

export function dayOf(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}

/** The Monday (UTC) of the week a day falls in. */
export function weekOf(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - sinceMonday * 86_400_000).toISOString().slice(0, 10);
}

/** Event types that count someone as a help-center visitor that week. */
const visitTypes = new Set<EventType>([
  'search',
  'search_click',
  'article_view',
  'self_resolved',
  'article_helpful',
  'suggestion_opened',
  'deflection',
  'question_asked',
]);

/** Event types that open a thread or an article, which tells a failed search's stage. */
const openTypes = new Set<EventType>([
  'search_click',
  'article_view',
  'suggestion_opened',
  'deflection',
]);

type EventRow = {
  id: number;
  type: EventType;
  user_id: number | null;
  visitor_id: string | null;
  thread_id: number | null;
  article_id: number | null;
  ticket_id: number | null;
  data: string | null;
  created_at: string;
};

type OpenSearch = Omit<AnalyticsOpenSearchesTable, 'id'> & { time: number };

function parseData(data: string | null): Record<string, unknown> {
  if (!data) return {};
  try {
    const parsed: unknown = JSON.parse(data);
    return typeof parsed === 'object' && parsed !== null ? { ...parsed } : {};
  } catch {
    return {};
  }
}

function stageNumber(stage: unknown): number | null {
  const index = journeyStages.findIndex((candidate) => candidate === stage);
  return index === -1 ? null : index;
}

function* chunks<T>(rows: T[], size: number) {
  for (let start = 0; start < rows.length; start += size) yield rows.slice(start, start + size);
}

/** What one batch adds up to before it is written. */
class BatchTotals {
  daily = new Map<string, { metric: string; day: string; subject: number; n: number }>();
  queries = new Map<
    string,
    { day: string; query: string; searches: number; zero_results: number; clicked: number }
  >();
  readers = new Map<string, { week: string; reader: string }>();
  ticketReads = new Map<string, { ticket_id: number; article_id: number; filed_at: string }>();

  add(metric: string, day: string, subject: number, n = 1) {
    const key = `${metric}|${day}|${subject}`;
    const row = this.daily.get(key) ?? { metric, day, subject, n: 0 };
    row.n += n;
    this.daily.set(key, row);
  }

  addQuery(
    day: string,
    query: string,
    counts: { searches?: number; zero?: number; clicked?: number },
  ) {
    const key = `${day}|${query}`;
    const row = this.queries.get(key) ?? { day, query, searches: 0, zero_results: 0, clicked: 0 };
    row.searches += counts.searches ?? 0;
    row.zero_results += counts.zero ?? 0;
    row.clicked += counts.clicked ?? 0;
    this.queries.set(key, row);
  }

  visit(day: string, reader: string) {
    const week = weekOf(day);
    this.readers.set(`${week}|${reader}`, { week, reader });
  }
}

async function rolesOf(db: Database, ids: number[]) {
  const staff = new Set<number>();
  for (const part of chunks(ids, 500)) {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'role'])
      .where('id', 'in', part)
      .execute();
    for (const row of rows) if (row.role !== 'member') staff.add(row.id);
  }
  return staff;
}

async function stagesOf(db: Database, table: 'articles' | 'threads', ids: number[]) {
  const stages = new Map<number, number | null>();
  for (const part of chunks(ids, 500)) {
    const rows = await db
      .selectFrom(table)
      .select(['id', 'journey_stage'])
      .where('id', 'in', part)
      .execute();
    for (const row of rows) stages.set(row.id, stageNumber(row.journey_stage));
  }
  return stages;
}

/** Articles the requester read in the 24 hours before filing (views are logged per reader). */
async function articlesReadBefore(db: Database, userId: number, filedAt: string) {
  const rows = await db
    .selectFrom('events')
    .select('article_id')
    .distinct()
    .where('user_id', '=', userId)
    .where('created_at', '>=', new Date(Date.parse(filedAt) - readWindowMs).toISOString())
    .where('created_at', '<=', filedAt)
    .where('type', '=', 'article_view')
    .where('article_id', 'is not', null)
    .execute();
  return rows.map((row) => row.article_id).filter((id): id is number => id !== null);
}

async function rollUpBatch(db: Database): Promise<number> {
  const settled = await settledIdBound(db, 'events');
  return db.transaction().execute(async (trx) => {
    // Two servers counting the same events would count them twice: the second waits here and
    // then reads the watermark the first moved.
    await waitForTurn(trx, 'analytics rollup');
    const state = await trx
      .selectFrom('analytics_rollup_state')
      .select('last_event_id')
      .where('name', '=', stateName)
      .executeTakeFirst();
    const events: EventRow[] = await trx
      .selectFrom('events')
      .select([
        'id',
        'type',
        'user_id',
        'visitor_id',
        'thread_id',
        'article_id',
        'ticket_id',
        'data',
        'created_at',
      ])
      .where('id', '>', state?.last_event_id ?? 0)
      .$if(settled !== null, (query) => query.where('id', '<=', settled ?? 0))
      .orderBy('id')
      .limit(batchSize)
      .execute();
    const last = events.at(-1);
    if (!last) return 0;

    const userIds = new Set<number>();
    const articleIds = new Set<number>();
    const threadIds = new Set<number>();
    for (const event of events) {
      if (event.user_id !== null) userIds.add(event.user_id);
      if (openTypes.has(event.type)) {
        if (event.article_id !== null) articleIds.add(event.article_id);
        if (event.thread_id !== null) threadIds.add(event.thread_id);
      }
    }
    const [staff, articleStages, threadStages, openRows] = await Promise.all([
      rolesOf(trx, [...userIds]),
      stagesOf(trx, 'articles', [...articleIds]),
      stagesOf(trx, 'threads', [...threadIds]),
      trx
        .selectFrom('analytics_open_searches')
        .select(['reader', 'query', 'day', 'created_at', 'zero'])
        .orderBy('id')
        .execute(),
    ]);
    const open = new Map<string, OpenSearch[]>();
    const remember = (row: OpenSearch) => {
      const list = open.get(row.reader) ?? [];
      list.push(row);
      open.set(row.reader, list);
    };
    for (const row of openRows) remember({ ...row, time: Date.parse(row.created_at) });

    const totals = new BatchTotals();
    let latest = 0;

    /** The first thread or article a reader opens names the stage of their failed searches. */
    const settleStage = (reader: string, time: number, stage: number | null | undefined) => {
      if (stage === null || stage === undefined) return;
      const list = open.get(reader);
      if (!list) return;
      const remaining = list.filter((row) => {
        const settles = row.zero === 1 && row.time <= time && time - row.time <= clickWindowMs;
        if (settles) {
          totals.add(metrics.failedSearchStage, row.day, unknownStage, -1);
          totals.add(metrics.failedSearchStage, row.day, stage);
        }
        return !settles;
      });
      open.set(reader, remaining);
    };

    for (const event of events) {
      const time = Date.parse(event.created_at);
      latest = Math.max(latest, time);
      const day = dayOf(event.created_at);
      const data = parseData(event.data);
      if (data.staff === true || data.bot === true) continue;
      if (event.user_id !== null && staff.has(event.user_id)) continue;
      const reader = event.user_id !== null ? `user:${event.user_id}` : event.visitor_id;

      if (event.type === 'ticket_created') {
        if (event.user_id === null || event.ticket_id === null) continue;
        const read = new Set(await articlesReadBefore(trx, event.user_id, event.created_at));
        if (event.article_id !== null) read.add(event.article_id);
        for (const articleId of read) {
          totals.ticketReads.set(`${event.ticket_id}|${articleId}`, {
            ticket_id: event.ticket_id,
            article_id: articleId,
            filed_at: event.created_at,
          });
        }
        continue;
      }
      if (!reader || !visitTypes.has(event.type)) continue;
      totals.visit(day, reader);
      const query = typeof data.query === 'string' ? data.query : '';
      const contentStage =
        event.article_id !== null
          ? articleStages.get(event.article_id)
          : event.thread_id !== null
            ? threadStages.get(event.thread_id)
            : null;

      switch (event.type) {
        case 'search': {
          if (!query) break;
          const zero = Number(data.results) === 0;
          totals.add(metrics.search, day, 0);
          totals.addQuery(day, query, { searches: 1, zero: zero ? 1 : 0 });
          if (zero) {
            totals.add(metrics.searchZero, day, 0);
            const filters =
              typeof data.filters === 'object' && data.filters !== null ? data.filters : {};
            const filtered = stageNumber('stage' in filters ? filters.stage : null);
            totals.add(metrics.failedSearchStage, day, filtered ?? unknownStage);
            if (filtered !== null) break;
          }
          remember({ reader, query, day, created_at: event.created_at, zero: zero ? 1 : 0, time });
          break;
        }
        case 'search_click': {
          if (data.source === 'search' && query) {
            const list = open.get(reader) ?? [];
            const index = list.findLastIndex(
              (row) =>
                row.zero === 0 &&
                row.query === query &&
                row.time <= time &&
                time - row.time <= clickWindowMs,
            );
            const search = list[index];
            if (search) {
              totals.add(metrics.searchClicked, search.day, 0);
              totals.addQuery(search.day, query, { clicked: 1 });
              list.splice(index, 1);
            }
          }
          settleStage(reader, time, contentStage);
          break;
        }
        case 'article_view':
          if (event.article_id !== null) totals.add(metrics.articleView, day, event.article_id);
          settleStage(reader, time, contentStage);
          break;
        case 'self_resolved':
          if (event.article_id !== null)
            totals.add(metrics.articleSelfResolved, day, event.article_id);
          else if (event.thread_id !== null)
            totals.add(metrics.threadSelfResolved, day, event.thread_id);
          break;
        case 'suggestion_opened':
        case 'deflection':
          settleStage(reader, time, contentStage);
          break;
        default:
          break;
      }
    }

    for (const part of chunks([...totals.daily.values()], 400)) {
      await trx
        .insertInto('analytics_daily')
        .values(part)
        .onConflict((oc) =>
          oc
            .columns(['metric', 'day', 'subject'])
            .doUpdateSet({ n: sql`analytics_daily.n + excluded.n` }),
        )
        .execute();
    }
    for (const part of chunks([...totals.queries.values()], 300)) {
      await trx
        .insertInto('analytics_query_days')
        .values(part)
        .onConflict((oc) =>
          oc.columns(['day', 'query']).doUpdateSet({
            searches: sql`analytics_query_days.searches + excluded.searches`,
            zero_results: sql`analytics_query_days.zero_results + excluded.zero_results`,
            clicked: sql`analytics_query_days.clicked + excluded.clicked`,
          }),
        )
        .execute();
    }
    const weeks = new Set<string>();
    for (const part of chunks([...totals.readers.values()], 400)) {
      for (const row of part) weeks.add(row.week);
      await trx
        .insertInto('analytics_week_readers')
        .values(part)
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    for (const week of weeks) {
      const { n } = await trx
        .selectFrom('analytics_week_readers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('week', '=', week)
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('analytics_weeks')
        .values({ week, visitors: Number(n) })
        .onConflict((oc) => oc.column('week').doUpdateSet({ visitors: Number(n) }))
        .execute();
    }
    const reads = [...totals.ticketReads.values()];
    if (reads.length > 0) {
      // Rows whose ticket or article is gone since are left out (their foreign keys would fail).
      const [tickets, articles] = await Promise.all([
        trx
          .selectFrom('tickets')
          .select('id')
          .where('id', 'in', [...new Set(reads.map((row) => row.ticket_id))])
          .execute(),
        trx
          .selectFrom('articles')
          .select('id')
          .where('id', 'in', [...new Set(reads.map((row) => row.article_id))])
          .execute(),
      ]);
      const ticketIds = new Set(tickets.map((row) => row.id));
      const existingArticles = new Set(articles.map((row) => row.id));
      const kept = reads.filter(
        (row) => ticketIds.has(row.ticket_id) && existingArticles.has(row.article_id),
      );
      for (const part of chunks(kept, 300)) {
        const inserted = await trx
          .insertInto('analytics_ticket_reads')
          .values(part)
          .onConflict((oc) => oc.doNothing())
          .returning(['article_id', 'filed_at'])
          .execute();
        const counts = new BatchTotals();
        for (const row of inserted)
          counts.add(metrics.ticketAfterRead, dayOf(row.filed_at), row.article_id);
        if (counts.daily.size > 0)
          await trx
            .insertInto('analytics_daily')
            .values([...counts.daily.values()])
            .onConflict((oc) =>
              oc
                .columns(['metric', 'day', 'subject'])
                .doUpdateSet({ n: sql`analytics_daily.n + excluded.n` }),
            )
            .execute();
      }
    }

    // Only searches a later event could still settle are kept.
    await trx.deleteFrom('analytics_open_searches').execute();
    const keep = [...open.values()]
      .flat()
      .filter((row) => row.time >= latest - clickWindowMs)
      .sort((a, b) => a.time - b.time)
      .map(({ time: _time, ...row }) => row);
    for (const part of chunks(keep, 300))
      await trx.insertInto('analytics_open_searches').values(part).execute();

    const now = new Date().toISOString();
    await trx
      .insertInto('analytics_rollup_state')
      .values({ name: stateName, last_event_id: last.id, updated_at: now })
      .onConflict((oc) =>
        oc.column('name').doUpdateSet({ last_event_id: last.id, updated_at: now }),
      )
      .execute();
    return events.length;
  });
}

const running = new WeakMap<Database, Promise<RefreshResult>>();

export type RefreshResult = { processed: number; caughtUp: boolean };

/**
 * Counts the events recorded since the last refresh. With a time budget it stops after the batch
 * that crosses it and says whether events are left; one refresh runs at a time per database.
 */
export async function refreshAnalytics(
  db: Database,
  options: { budgetMs?: number } = {},
): Promise<RefreshResult> {
  const current = running.get(db);
  if (current) return current;
  const run = (async () => {
    const started = Date.now();
    let processed = 0;
    for (;;) {
      const count = await rollUpBatch(db);
      processed += count;
      if (count < batchSize) return { processed, caughtUp: true };
      if (options.budgetMs !== undefined && Date.now() - started > options.budgetMs)
        return { processed, caughtUp: false };
    }
  })();
  running.set(db, run);
  try {
    return await run;
  } finally {
    running.delete(db);
  }
}

/** How many events the rollups have not counted yet. */
export async function eventsBehind(db: Database): Promise<number> {
  const state = await db
    .selectFrom('analytics_rollup_state')
    .select('last_event_id')
    .where('name', '=', stateName)
    .executeTakeFirst();
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('id', '>', state?.last_event_id ?? 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Refreshes within a budget and, when events are left (a first visit after a large import),
 * keeps counting in the background so the next visit is current.
 */
export async function refreshForRequest(db: Database, budgetMs = 250): Promise<RefreshResult> {
  const result = await refreshAnalytics(db, { budgetMs });
  if (!result.caughtUp) {
    setTimeout(() => {
      refreshAnalytics(db).catch((error: unknown) => {
        console.error(
          JSON.stringify({ message: 'analytics refresh failed', error: String(error) }),
        );
      });
    }, 0);
  }
  return result;
}
