import { sql } from 'kysely';
import type { Database } from '#db/client';
import { resolutionKinds, type ResolutionKind } from '#db/schema';
import { clusterTopics, termsOf } from '../topics';
import { daysOf, rangeBounds, type DateRange } from './date-range';
import { memberRequester, subjectTotals } from './figures.server';
import { metrics, stageSubjects, weekOf, type StageSubject } from './rollup.server';

// The dashboard's figures about tickets: what resolved them, and the journey stage they came from.

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
      periods.set(key, { start: key, article: 0, thread: 0, none: 0, other: 0, known_issue: 0 });
  }
  const totals: Record<ResolutionKind, number> = {
    article: 0,
    thread: 0,
    none: 0,
    other: 0,
    known_issue: 0,
  };
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
