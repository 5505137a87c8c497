import type { ExpressionBuilder, Insertable } from 'kysely';
import type { Database } from '#db/client';
import type { DB, EventsTable, EventType } from '#db/schema';
import { isUniqueViolation } from './sql.server';

type EventInput = Omit<Insertable<EventsTable>, 'type' | 'data' | 'created_at'> & {
  data?: Record<string, unknown>;
  at?: Date;
};

/** Appends to the event log the analytics read (who did what, to what, when). */
export async function recordEvent(db: Database, type: EventType, event: EventInput): Promise<void> {
  const { data, at, ...columns } = event;
  await db
    .insertInto('events')
    .values({
      ...columns,
      type,
      data: data ? JSON.stringify(data) : null,
      created_at: (at ?? new Date()).toISOString(),
    })
    .execute();
}

/** What "This solved my problem" was pressed on. */
export type SelfResolutionTarget = { thread_id: number } | { article_id: number };

function onTarget(target: SelfResolutionTarget) {
  return (eb: ExpressionBuilder<DB, 'events'>) =>
    'thread_id' in target
      ? eb('thread_id', '=', target.thread_id)
      : eb('article_id', '=', target.article_id);
}

/** Records a self-resolution once per reader per thread or article; false when it already was. */
export async function recordSelfResolution(
  db: Database,
  target: SelfResolutionTarget,
  reader: { userId: number | null; key: string },
  now = new Date(),
): Promise<boolean> {
  const already = await db
    .selectFrom('events')
    .select('id')
    .where('type', '=', 'self_resolved')
    .where(onTarget(target))
    .where('visitor_id', '=', reader.key)
    .executeTakeFirst();
  if (already) return false;
  try {
    await recordEvent(db, 'self_resolved', {
      ...target,
      user_id: reader.userId,
      visitor_id: reader.key,
      at: now,
    });
  } catch (error) {
    // A second press that raced the first one: the unique index keeps one.
    if (isUniqueViolation(error)) return false;
    throw error;
  }
  return true;
}

/** How many readers said it solved their problem, and whether this reader is one of them. */
export async function selfResolutionsOf(
  db: Database,
  target: SelfResolutionTarget,
  readerKey: string,
) {
  const row = await db
    .selectFrom('events')
    .select((eb) => [
      eb.fn.countAll<number>().as('count'),
      eb.fn.max(eb.case().when('visitor_id', '=', readerKey).then(1).else(0).end()).as('mine'),
    ])
    .where('type', '=', 'self_resolved')
    .where(onTarget(target))
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), mine: Number(row.mine ?? 0) === 1 };
}
