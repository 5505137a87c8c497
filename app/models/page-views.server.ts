import { sql } from 'kysely';
import type { Database } from '#db/client';
import { recordEvent } from './events.server';

/**
 * Page views: a thread's or an article's count goes up once per reader per hour, however often
 * they reload, so a reload or a bot that keeps its cookie cannot inflate what the team reads.
 * A server counts views in memory and writes them in one transaction every few seconds (see
 * startViewCounter): a read then costs no write, also when the page comes from the page cache.
 */

const viewWindowMs = 60 * 60 * 1000;

const viewed = {
  thread: { views: 'thread_views', counted: 'threads', key: 'thread_id' },
  article: { views: 'article_views', counted: 'articles', key: 'article_id' },
} as const;

/** The one rule for both pages: true when this view counted. */
async function countView(
  trx: Database,
  page: keyof typeof viewed,
  id: number,
  reader: string,
  now: Date,
) {
  const { views, counted, key } = viewed[page];
  const at = now.toISOString();
  const windowStart = new Date(now.getTime() - viewWindowMs).toISOString();
  // One statement decides, so two servers writing the same reader's views count one of them.
  const seen = await sql`
    insert into ${sql.table(views)} (${sql.ref(key)}, visitor, viewed_at) values (${id}, ${reader}, ${at})
    on conflict (${sql.ref(key)}, visitor) do update set viewed_at = excluded.viewed_at
    where ${sql.table(views)}.viewed_at <= ${windowStart}
    returning 1 as counted
  `.execute(trx);
  if (seen.rows.length === 0) return false;
  await sql`update ${sql.table(counted)} set views = views + 1 where id = ${id}`.execute(trx);
  return true;
}

/** Counts one view in `trx`: true when it counted (first from this reader within the hour). */
async function countOne(trx: Database, view: PageView): Promise<boolean> {
  if (!(await countView(trx, view.page, view.id, view.reader, view.at))) return false;
  if (view.page === 'article')
    await recordEvent(trx, 'article_view', {
      user_id: view.userId,
      visitor_id: view.reader,
      article_id: view.id,
      at: view.at,
    });
  return true;
}

export async function recordThreadView(
  db: Database,
  threadId: number,
  reader: string,
  now = new Date(),
): Promise<boolean> {
  return db
    .transaction()
    .execute((trx) =>
      countOne(trx, { page: 'thread', id: threadId, reader, userId: null, at: now }),
    );
}

/** Counts an article view like a thread's, and logs it for the analytics. */
export async function recordArticleView(
  db: Database,
  articleId: number,
  reader: { key: string; userId: number | null },
  now = new Date(),
): Promise<boolean> {
  return db.transaction().execute((trx) =>
    countOne(trx, {
      page: 'article',
      id: articleId,
      reader: reader.key,
      userId: reader.userId,
      at: now,
    }),
  );
}

/** One view: `reader` is a readerKey; `userId` is logged with an article view. */
export type PageView = {
  page: 'thread' | 'article';
  id: number;
  reader: string;
  userId: number | null;
  at: Date;
};

type Counter = { db: Database; pending: PageView[]; writing: Promise<unknown> };
// NOTE: server.ts and the built app each load their own copy of this module; the counter lives
// on globalThis so both use the same one (as with the database handle).
const store = globalThis as typeof globalThis & { __commonsViewCounter?: Counter | null };

/** The most views held in memory before they are written at once. */
const maxPending = 5_000;

/**
 * Counts a view: held in memory while a view counter runs (a server), written at once otherwise
 * (scripts and tests that run no counter).
 */
export async function countPageView(db: Database, view: PageView): Promise<void> {
  const counter = store.__commonsViewCounter;
  if (!counter) {
    await writeViews(db, [view]);
    return;
  }
  counter.pending.push(view);
  if (counter.pending.length >= maxPending) await flushPageViews();
}

async function writeViews(db: Database, views: PageView[]) {
  await db.transaction().execute(async (trx) => {
    for (const view of views) await countOne(trx, view);
  });
}

/** Writes the views held in memory; a no-op without a running counter. */
export async function flushPageViews(): Promise<number> {
  const counter = store.__commonsViewCounter;
  if (!counter || !counter.pending.length) return 0;
  const views = counter.pending.splice(0);
  // One write at a time: two at once only waited on each other's rows. A reader's reloads
  // within one batch count once anyway.
  const firstOfEach = new Map<string, PageView>();
  for (const view of views) {
    const key = `${view.page}:${view.id}:${view.reader}`;
    if (!firstOfEach.has(key)) firstOfEach.set(key, view);
  }
  const written = counter.writing.then(() => writeViews(counter.db, [...firstOfEach.values()]));
  counter.writing = written.catch(() => {});
  await written;
  return views.length;
}

/**
 * Starts holding views in memory and writing them every `intervalMs`. `stop()` writes what is
 * left, so a clean shutdown loses none; a crash loses at most the views of one interval.
 */
export function startViewCounter(db: Database, intervalMs = 2_000, log?: (error: unknown) => void) {
  store.__commonsViewCounter = { db, pending: [], writing: Promise.resolve() };
  const timer = setInterval(() => {
    flushPageViews().catch((error: unknown) => log?.(error));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await flushPageViews();
      store.__commonsViewCounter = null;
    },
  };
}
