import { sql } from 'kysely';
import type { Database } from '#db/client';
import { jsonText } from '#db/dialect';

/** "The whole customer": what everyone at one organisation did lately. */

const dayMs = 86_400_000;

/**
 * For the ticket desk's side panel: the organisation's other tickets, its people's threads and
 * searches over the last 90 days.
 */
export async function organizationActivity(
  db: Database,
  organizationId: number,
  options: { excludeTicketId?: number; now?: Date; days?: number } = {},
) {
  const since = new Date((options.now ?? new Date()).getTime() - (options.days ?? 90) * dayMs);
  const from = since.toISOString();
  const [tickets, threads, searches] = await Promise.all([
    db
      .selectFrom('tickets')
      .innerJoin('users', 'users.id', 'tickets.requester_id')
      .select([
        'tickets.id',
        'tickets.subject',
        'tickets.status',
        'tickets.created_at',
        'users.display_name as requester_name',
      ])
      .where('tickets.organization_id', '=', organizationId)
      .where('tickets.created_at', '>=', from)
      .where('tickets.id', '!=', options.excludeTicketId ?? 0)
      .orderBy('tickets.created_at', 'desc')
      .limit(20)
      .execute(),
    db
      .selectFrom('threads')
      .innerJoin('users', 'users.id', 'threads.author_id')
      .select([
        'threads.id',
        'threads.slug',
        'threads.title',
        'threads.status',
        'threads.created_at',
        'users.display_name as author_name',
      ])
      .where('users.organization_id', '=', organizationId)
      .where('threads.deleted_at', 'is', null)
      .where('threads.created_at', '>=', from)
      .orderBy('threads.created_at', 'desc')
      .limit(20)
      .execute(),
    db
      .selectFrom('events')
      .innerJoin('users', 'users.id', 'events.user_id')
      .select([
        jsonText(db, 'events.data', 'query').as('query'),
        // The most results the query found (it may have found more later on).
        sql<number>`max(cast(${jsonText(db, 'events.data', 'results')} as integer))`.as('results'),
        (eb) => eb.fn.countAll<number>().as('times'),
        (eb) => eb.fn.max('events.created_at').as('last_at'),
      ])
      .where('users.organization_id', '=', organizationId)
      .where('events.type', '=', 'search')
      .where('events.created_at', '>=', from)
      .groupBy(jsonText(db, 'events.data', 'query'))
      .orderBy('last_at', 'desc')
      .limit(20)
      .execute(),
  ]);
  return { tickets, threads, searches, since: from };
}

/** The organisation page: its people, tickets, threads and the tags of its problems by month. */
export async function organizationOverview(db: Database, organizationId: number, now = new Date()) {
  const organization = await db
    .selectFrom('organizations')
    .select(['id', 'name', 'created_at'])
    .where('id', '=', organizationId)
    .executeTakeFirst();
  if (!organization) return null;
  const sixMonthsAgo = new Date(now.getTime() - 182 * dayMs).toISOString();
  const [people, tickets, threads, ticketTags, threadTags, domains] = await Promise.all([
    db
      .selectFrom('users')
      .select((eb) => [
        'users.id',
        'users.username',
        'users.display_name',
        'users.email',
        'users.created_at',
        eb
          .selectFrom('tickets')
          .select((inner) => inner.fn.countAll<number>().as('n'))
          .whereRef('tickets.requester_id', '=', 'users.id')
          .as('tickets'),
        eb
          .selectFrom('threads')
          .select((inner) => inner.fn.countAll<number>().as('n'))
          .whereRef('threads.author_id', '=', 'users.id')
          .where('threads.deleted_at', 'is', null)
          .as('threads'),
      ])
      .where('users.organization_id', '=', organizationId)
      .orderBy('users.display_name')
      .limit(200)
      .execute(),
    db
      .selectFrom('tickets')
      .innerJoin('users', 'users.id', 'tickets.requester_id')
      .leftJoin('resolutions', 'resolutions.ticket_id', 'tickets.id')
      .select([
        'tickets.id',
        'tickets.subject',
        'tickets.status',
        'tickets.created_at',
        'users.display_name as requester_name',
        'resolutions.kind as resolution',
      ])
      .where('tickets.organization_id', '=', organizationId)
      .orderBy('tickets.created_at', 'desc')
      .limit(50)
      .execute(),
    db
      .selectFrom('threads')
      .innerJoin('users', 'users.id', 'threads.author_id')
      .select([
        'threads.id',
        'threads.slug',
        'threads.title',
        'threads.status',
        'threads.answer_count',
        'threads.created_at',
        'users.display_name as author_name',
      ])
      .where('users.organization_id', '=', organizationId)
      .where('threads.deleted_at', 'is', null)
      .orderBy('threads.created_at', 'desc')
      .limit(50)
      .execute(),
    // A ticket's problem is named by the tags of the threads and articles linked to it.
    db
      .selectFrom('tickets')
      .innerJoin('ticket_links', 'ticket_links.ticket_id', 'tickets.id')
      .leftJoin('posts', (join) =>
        join
          .onRef('posts.id', '=', 'ticket_links.target_id')
          .on('ticket_links.target_type', '=', 'post'),
      )
      .leftJoin('thread_tags', (join) =>
        join.on((eb) =>
          eb.or([
            eb.and([
              eb('ticket_links.target_type', '=', 'thread'),
              eb('thread_tags.thread_id', '=', eb.ref('ticket_links.target_id')),
            ]),
            eb('thread_tags.thread_id', '=', eb.ref('posts.thread_id')),
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
          eb.or([
            eb('tags.id', '=', eb.ref('thread_tags.tag_id')),
            eb('tags.id', '=', eb.ref('article_tags.tag_id')),
          ]),
        ),
      )
      .select([
        'tags.name as tag',
        sql<string>`substr(tickets.created_at, 1, 7)`.as('month'),
        sql<number>`count(distinct tickets.id)`.as('n'),
      ])
      .where('tickets.organization_id', '=', organizationId)
      .where('tickets.created_at', '>=', sixMonthsAgo)
      .groupBy(['tags.name', sql`substr(tickets.created_at, 1, 7)`])
      .execute(),
    db
      .selectFrom('threads')
      .innerJoin('users', 'users.id', 'threads.author_id')
      .innerJoin('thread_tags', 'thread_tags.thread_id', 'threads.id')
      .innerJoin('tags', 'tags.id', 'thread_tags.tag_id')
      .select([
        'tags.name as tag',
        sql<string>`substr(threads.created_at, 1, 7)`.as('month'),
        sql<number>`count(*)`.as('n'),
      ])
      .where('users.organization_id', '=', organizationId)
      .where('threads.deleted_at', 'is', null)
      .where('threads.created_at', '>=', sixMonthsAgo)
      .groupBy(['tags.name', sql`substr(threads.created_at, 1, 7)`])
      .execute(),
    db
      .selectFrom('organization_domains')
      .select('domain')
      .where('organization_id', '=', organizationId)
      .orderBy('domain')
      .execute(),
  ]);
  return {
    organization,
    domains: domains.map((row) => row.domain),
    people,
    tickets,
    threads,
    problems: problemsByMonth([...ticketTags, ...threadTags], now),
  };
}

/** Tag × month counts for the last six months, the tags with most problems first. */
function problemsByMonth(rows: { tag: string; month: string; n: number }[], now: Date) {
  const months: string[] = [];
  for (let back = 5; back >= 0; back -= 1) {
    const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
    months.push(date.toISOString().slice(0, 7));
  }
  const byTag = new Map<string, number[]>();
  for (const row of rows) {
    const index = months.indexOf(row.month);
    if (index < 0) continue;
    const counts = byTag.get(row.tag) ?? months.map(() => 0);
    counts[index] = (counts[index] ?? 0) + Number(row.n);
    byTag.set(row.tag, counts);
  }
  const tags = [...byTag.entries()]
    .map(([tag, counts]) => ({ tag, counts, total: counts.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.total - a.total || a.tag.localeCompare(b.tag))
    .slice(0, 10);
  return { months, tags };
}
