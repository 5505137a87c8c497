import type { Insertable } from 'kysely';
import type { Database } from '../../db/client';
import type { EventsTable, EventType } from '../../db/schema';

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
