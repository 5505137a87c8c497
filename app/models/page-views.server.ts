import { sql } from 'kysely';
import type { Database } from '#db/client';
import { recordEvent } from './events.server';

/**
 * Page views: a thread's or an article's count goes up once per reader per hour, however often
 * they reload, so a reload or a bot that keeps its cookie cannot inflate what the team reads.
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
  const last = await sql<{ viewed_at: string }>`
    select viewed_at from ${sql.table(views)} where ${sql.ref(key)} = ${id} and visitor = ${reader}
  `.execute(trx);
  const lastAt = last.rows[0]?.viewed_at;
  if (lastAt && now.getTime() - new Date(lastAt).getTime() < viewWindowMs) return false;
  await sql`
    insert into ${sql.table(views)} (${sql.ref(key)}, visitor, viewed_at) values (${id}, ${reader}, ${at})
    on conflict (${sql.ref(key)}, visitor) do update set viewed_at = excluded.viewed_at
  `.execute(trx);
  await sql`update ${sql.table(counted)} set views = views + 1 where id = ${id}`.execute(trx);
  return true;
}

export async function recordThreadView(
  db: Database,
  threadId: number,
  reader: string,
  now = new Date(),
): Promise<boolean> {
  return db.transaction().execute((trx) => countView(trx, 'thread', threadId, reader, now));
}

/** Counts an article view like a thread's, and logs it for the analytics. */
export async function recordArticleView(
  db: Database,
  articleId: number,
  reader: { key: string; userId: number | null },
  now = new Date(),
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await countView(trx, 'article', articleId, reader.key, now))) return false;
    await recordEvent(trx, 'article_view', {
      user_id: reader.userId,
      visitor_id: reader.key,
      article_id: articleId,
      at: now,
    });
    return true;
  });
}
