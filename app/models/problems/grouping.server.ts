import type { Database } from '#db/client';
import { groupItems, type GroupItem } from './grouping';

/** The suggestion panel of /agent/problems: recent tickets and threads that look like one problem. */

export const groupingWindowDays = 14;

type Candidate = GroupItem & { type: 'ticket' | 'thread'; id: number; url: string; who: string };

/** Tickets and questions of the last two weeks that no known issue holds yet. */
async function recentUnlinked(db: Database, now: Date): Promise<Candidate[]> {
  const since = new Date(now.getTime() - groupingWindowDays * 86_400_000).toISOString();
  const linked = (type: 'ticket' | 'thread') =>
    db.selectFrom('problem_links').select('target_id').where('target_type', '=', type);
  const [tickets, threads] = await Promise.all([
    db
      .selectFrom('tickets')
      .innerJoin('users', 'users.id', 'tickets.requester_id')
      .select([
        'tickets.id',
        'tickets.subject as title',
        'tickets.body_md as body',
        'tickets.requester_id as person_id',
        'tickets.organization_id',
        'users.display_name as who',
      ])
      .where('tickets.created_at', '>=', since)
      .where('tickets.merged_into_id', 'is', null)
      .where('tickets.id', 'not in', linked('ticket'))
      .orderBy('tickets.created_at', 'desc')
      .limit(500)
      .execute(),
    db
      .selectFrom('threads')
      .innerJoin('users', 'users.id', 'threads.author_id')
      .select([
        'threads.id',
        'threads.title',
        'threads.slug',
        'threads.body_md as body',
        'threads.author_id as person_id',
        'users.organization_id',
        'users.display_name as who',
      ])
      .where('threads.created_at', '>=', since)
      .where('threads.deleted_at', 'is', null)
      .where('threads.id', 'not in', linked('thread'))
      .orderBy('threads.created_at', 'desc')
      .limit(500)
      .execute(),
  ]);
  return [
    ...tickets.map((ticket) => ({
      key: `ticket-${ticket.id}`,
      type: 'ticket' as const,
      id: ticket.id,
      title: ticket.title,
      body: ticket.body.slice(0, 2_000),
      personId: ticket.person_id,
      organizationId: ticket.organization_id,
      url: `/agent/tickets/${ticket.id}`,
      who: ticket.who,
    })),
    ...threads.map((thread) => ({
      key: `thread-${thread.id}`,
      type: 'thread' as const,
      id: thread.id,
      title: thread.title,
      body: thread.body.slice(0, 2_000),
      personId: thread.person_id,
      organizationId: thread.organization_id,
      url: `/questions/${thread.id}/${thread.slug}`,
      who: thread.who,
    })),
  ];
}

/** At most five groups worth an agent's look, the widest first. */
export async function groupingSuggestions(db: Database, now = new Date()) {
  const groups = groupItems(await recentUnlinked(db, now)).slice(0, 5);
  return groups.map((group) => ({
    reason:
      group.reason.kind === 'code'
        ? `The same error code: ${group.reason.code}`
        : `Alike words: ${group.reason.words.join(', ')}`,
    people: group.people,
    organizations: group.organizations,
    items: group.items.map(({ key, type, id, title, url, who }) => ({
      key,
      type,
      id,
      title,
      url,
      who,
    })),
  }));
}
