import type { Database } from '#db/client';
import type { Failure } from '~/utils/result';
import { recordEvent } from './events.server';
import { isStaff, type Actor } from './permissions';
import { createTicket } from './tickets.server';

/** A community thread that became a support ticket for its asker. */

type Person = NonNullable<Actor>;

/** The open ticket a thread was escalated to, if any. */
export async function escalationOf(db: Database, threadId: number) {
  return db
    .selectFrom('ticket_links')
    .innerJoin('tickets', 'tickets.id', 'ticket_links.ticket_id')
    .select(['tickets.id', 'tickets.status'])
    .where('ticket_links.target_type', '=', 'thread')
    .where('ticket_links.target_id', '=', threadId)
    .where('ticket_links.relation', '=', 'escalated_from')
    .orderBy('tickets.id', 'desc')
    .executeTakeFirst();
}

/**
 * Turns an unanswered thread into a ticket for its asker: by the asker, or by an agent on their
 * behalf. A thread is escalated once; asking again returns the same ticket.
 */
export async function escalateThread(
  db: Database,
  actor: Person,
  threadId: number,
  note: string,
  now = new Date(),
): Promise<{ ok: true; id: number } | Failure> {
  const thread = await db
    .selectFrom('threads')
    .select(['id', 'title', 'body_md', 'author_id', 'accepted_post_id', 'category_id'])
    .where('id', '=', threadId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!thread) return { ok: false, status: 404, error: 'That question no longer exists.' };
  if (actor.id !== thread.author_id && !isStaff(actor))
    return {
      ok: false,
      status: 403,
      error: 'Only the person who asked, or our team, can escalate this question.',
    };
  if (thread.accepted_post_id)
    return { ok: false, status: 400, error: 'This question already has an accepted answer.' };
  const existing = await escalationOf(db, threadId);
  if (existing) return { ok: true, id: existing.id };
  const title = thread.title.length > 150 ? `${thread.title.slice(0, 149)}…` : thread.title;
  const body = note.trim()
    ? `${note.trim()}\n\n---\n\nFrom the community question:\n\n${thread.body_md}`
    : thread.body_md;
  const created = await createTicket(
    db,
    thread.author_id,
    { subject: title, body, categoryId: thread.category_id },
    {
      source: 'escalation',
      link: { type: 'thread', id: threadId, relation: 'escalated_from' },
      createdBy: actor.id,
      now,
    },
  );
  if (!created.ok)
    return { ok: false, status: 400, error: 'This question could not be escalated.' };
  await recordEvent(db, 'escalation', {
    user_id: actor.id,
    thread_id: threadId,
    ticket_id: created.id,
    data: { by: actor.id === thread.author_id ? 'asker' : 'staff' },
    at: now,
  });
  return created;
}
