import type { Kysely } from 'kysely';
import { createTrigger, dropTrigger, type Trigger } from '../dialect';

/**
 * Page versions for a signed-in member's own copy of a page: `user:<id>` changes with what only
 * that person sees on it (their name and role in the header, unread notifications, moderators'
 * warnings, the threads they watch, the flags they raised), and a thread's version now also moves
 * with the support ticket it was escalated to (the asker sees its status).
 */

const upsert = `on conflict (page) do update set version = version + 1;`;
const bumpUser = (userId: string) =>
  `insert into page_versions (page, version) select 'user:' || ${userId}, 1 where ${userId} is not null ${upsert}`;

const perUserTables = ['notifications', 'thread_watches', 'flags'];

const triggers: Trigger[] = [
  ...perUserTables.flatMap((table) =>
    ['INSERT', 'UPDATE', 'DELETE'].map((event) => ({
      name: `${table}_user_page_versions_${event.toLowerCase()}`,
      on: table,
      event,
      body: bumpUser(`${event === 'DELETE' ? 'old' : 'new'}.user_id`),
    })),
  ),
  // Warnings and their acknowledgement are rows of the moderation log.
  {
    name: 'moderation_log_user_page_versions_insert',
    on: 'moderation_log',
    event: 'INSERT',
    body: bumpUser('new.target_user_id'),
  },
  // Anything about the person but their reputation, which moves with every vote they get.
  {
    name: 'users_user_page_versions_update',
    on: 'users',
    event: 'UPDATE',
    when: 'new.reputation = old.reputation',
    body: bumpUser('new.id'),
  },
  {
    name: 'ticket_links_page_versions_insert',
    on: 'ticket_links',
    event: 'INSERT',
    when: `new.target_type = 'thread'`,
    body: `insert into page_versions (page, version) values ('thread:' || new.target_id, 1) ${upsert}`,
  },
  {
    name: 'tickets_page_versions_update',
    on: 'tickets',
    event: 'UPDATE',
    when: 'new.status is not old.status',
    body: `insert into page_versions (page, version)
      select 'thread:' || target_id, 1 from ticket_links
      where ticket_id = new.id and target_type = 'thread' ${upsert}`,
  },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  for (const trigger of triggers) await createTrigger(db, trigger);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  for (const trigger of triggers) await dropTrigger(db, trigger);
}
