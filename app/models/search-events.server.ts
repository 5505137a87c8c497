import type { Database } from '#db/client';
import { recordEvent } from './events.server';

/** Queries are compared in one form: lowercased, trimmed, single spaces. */
export function normalizeQuery(query: string): string {
  return query.toLowerCase().replace(/\s+/g, ' ').trim().slice(0, 200);
}

export type Searcher = { userId: number | null; visitorKey: string; staff: boolean; bot: boolean };

export async function recordSearch(
  db: Database,
  searcher: Searcher,
  search: { query: string; filters: Record<string, string>; results: number; engine: string },
  now = new Date(),
) {
  await recordEvent(db, 'search', {
    user_id: searcher.userId,
    visitor_id: searcher.visitorKey,
    data: {
      query: normalizeQuery(search.query),
      filters: search.filters,
      results: search.results,
      engine: search.engine,
      staff: searcher.staff,
      bot: searcher.bot,
    },
    at: now,
  });
}

export async function recordSearchClick(
  db: Database,
  searcher: Searcher,
  click: {
    key: string;
    position: number;
    query: string;
    source: 'search' | 'suggest' | 'ask' | 'ticket' | 'mail';
  },
  now = new Date(),
) {
  const [type, id] = click.key.split('-');
  // Opened from the ask form it may save a question; from the contact form or the confirmation
  // of a mailed request, a ticket (a deflection candidate: it counts once the reader files no
  // ticket after all, or solves the mailed one without us).
  const event =
    click.source === 'ask'
      ? 'suggestion_opened'
      : click.source === 'ticket' || click.source === 'mail'
        ? 'deflection'
        : 'search_click';
  await recordEvent(db, event, {
    user_id: searcher.userId,
    visitor_id: searcher.visitorKey,
    thread_id: type === 'thread' ? Number(id) : null,
    article_id: type === 'article' ? Number(id) : null,
    data: {
      key: click.key,
      position: click.position,
      query: normalizeQuery(click.query),
      source: click.source,
      staff: searcher.staff,
      bot: searcher.bot,
    },
    at: now,
  });
}

export const deflectionWindowMinutes = 30;

/**
 * Deflections: readers who, while asking a question, opened a suggested thread or article and did
 * not post a question within 30 minutes of opening it. Each reader counts once.
 */
export async function countDeflections(db: Database, from: Date, to: Date): Promise<number> {
  const windowMs = deflectionWindowMinutes * 60_000;
  const opened = await db
    .selectFrom('events')
    .select(['visitor_id', 'user_id', 'created_at'])
    .where('type', '=', 'suggestion_opened')
    .where('created_at', '>=', from.toISOString())
    .where('created_at', '<', to.toISOString())
    .execute();
  const askers = [
    ...new Set(opened.map((event) => event.user_id).filter((id): id is number => id !== null)),
  ];
  const asked = askers.length
    ? await db
        .selectFrom('events')
        .select(['user_id', 'created_at'])
        .where('type', '=', 'question_asked')
        .where('user_id', 'in', askers)
        .where('created_at', '>=', from.toISOString())
        .where('created_at', '<', new Date(to.getTime() + windowMs).toISOString())
        .execute()
    : [];
  const deflected = new Set<string>();
  for (const open of opened) {
    const openedAt = new Date(open.created_at).getTime();
    const postedSoon = asked.some((question) => {
      const askedAt = new Date(question.created_at).getTime();
      return (
        question.user_id === open.user_id && askedAt >= openedAt && askedAt - openedAt <= windowMs
      );
    });
    if (!postedSoon && open.visitor_id) deflected.add(open.visitor_id);
  }
  return deflected.size;
}
