import type { Database } from '../../../db/client';
import { threadVisibleTo } from '../thread-access.server';
import { viewerOfUser } from '../visibility.server';

/**
 * Who watches a thread for new answers: its asker and answerers by default, anyone who pressed
 * "Watch", less anyone who pressed "Stop watching". Mailing them is in notifications.server.ts.
 */

/**
 * The people watching a thread: its asker and answerers unless they stopped, and anyone who
 * pressed "Watch".
 */
export async function threadWatcherIds(db: Database, threadId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('threads')
    .select('author_id as user_id')
    .where('id', '=', threadId)
    .union(
      db
        .selectFrom('posts')
        .select('author_id as user_id')
        .where('thread_id', '=', threadId)
        .where('deleted_at', 'is', null),
    )
    .union(
      db
        .selectFrom('thread_watches')
        .select('user_id')
        .where('thread_id', '=', threadId)
        .where('watching', '=', 1),
    )
    .execute();
  const stopped = await db
    .selectFrom('thread_watches')
    .select('user_id')
    .where('thread_id', '=', threadId)
    .where('watching', '=', 0)
    .execute();
  const off = new Set(stopped.map((row) => row.user_id));
  return rows.map((row) => row.user_id).filter((id) => !off.has(id));
}

/** These people, but for any who chose to stop watching the thread. */
export async function stillWatching(db: Database, threadId: number, userIds: number[]) {
  if (userIds.length === 0) return userIds;
  const stopped = await db
    .selectFrom('thread_watches')
    .select('user_id')
    .where('thread_id', '=', threadId)
    .where('user_id', 'in', userIds)
    .where('watching', '=', 0)
    .execute();
  const off = new Set(stopped.map((row) => row.user_id));
  return userIds.filter((id) => !off.has(id));
}

/** Whether this person hears about new answers: their own choice, else asker or answerer. */
export async function isWatching(db: Database, threadId: number, userId: number) {
  const choice = await db
    .selectFrom('thread_watches')
    .select('watching')
    .where('thread_id', '=', threadId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (choice) return choice.watching === 1;
  const took = await db
    .selectFrom('threads')
    .select('id')
    .where('id', '=', threadId)
    .where('author_id', '=', userId)
    .union(
      db
        .selectFrom('posts')
        .select('thread_id as id')
        .where('thread_id', '=', threadId)
        .where('author_id', '=', userId)
        .where('deleted_at', 'is', null),
    )
    .executeTakeFirst();
  return took !== undefined;
}

/** "Watch" / "Stop watching" on a question: kept as the person's choice, over the default. */
export async function setWatching(
  db: Database,
  threadId: number,
  userId: number,
  watching: boolean,
  now = new Date(),
): Promise<{ ok: true; watching: boolean } | { ok: false; status: 404; error: string }> {
  const thread = await db
    .selectFrom('threads')
    .select('id')
    .where('id', '=', threadId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!thread || !(await threadVisibleTo(db, await viewerOfUser(db, userId), threadId)))
    return { ok: false, status: 404, error: 'That question no longer exists.' };
  const values = {
    watching: watching ? (1 as const) : (0 as const),
    updated_at: now.toISOString(),
  };
  await db
    .insertInto('thread_watches')
    .values({ user_id: userId, thread_id: threadId, ...values })
    .onConflict((oc) => oc.columns(['user_id', 'thread_id']).doUpdateSet(values))
    .execute();
  return { ok: true, watching };
}
