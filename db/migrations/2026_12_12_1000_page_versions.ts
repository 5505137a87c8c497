import type { Kysely } from 'kysely';
import { createTrigger, dropTrigger, type Trigger } from '../dialect';

/**
 * Page versions: a counter per page that the page cache compares before serving a stored copy.
 * Triggers bump them in the same transaction as the change, whichever code path writes it (forms,
 * the API, moderation, imports), so no write can forget to invalidate a page.
 * Keys: `thread:<id>` (a question's page), `article:<id>` (a KB article's page), `layout` (what
 * every page shows: categories, tags, people's names, site settings) and `site` (bumped by every
 * change; lists such as the home page depend on it).
 */

const bump = (key: string) =>
  `insert into page_versions (page, version) values (${key}, 1)
     on conflict (page) do update set version = version + 1;`;
const bumpThreadOfPost = (postId: string) =>
  `insert into page_versions (page, version)
     select 'thread:' || thread_id, 1 from posts where id = ${postId}
     on conflict (page) do update set version = version + 1;`;

function triggersFor(table: string, events: string[], body: (row: 'new' | 'old') => string[]) {
  return events.map((event): Trigger => ({
    name: `${table}_page_versions_${event.toLowerCase()}`,
    on: table,
    event,
    body: [...body(event === 'DELETE' ? 'old' : 'new'), bump(`'site'`)].join('\n'),
  }));
}

const allEvents = ['INSERT', 'UPDATE', 'DELETE'];

const triggers: Trigger[] = [
  // NOTE: counting a view changes only `views`, and must not throw the page out of the cache.
  ...triggersFor('threads', allEvents, (row) => [bump(`'thread:' || ${row}.id`)]).map((trigger) =>
    trigger.event === 'UPDATE' ? { ...trigger, when: 'new.views = old.views' } : trigger,
  ),
  ...triggersFor('posts', allEvents, (row) => [bump(`'thread:' || ${row}.thread_id`)]),
  ...triggersFor('comments', allEvents, (row) => [bump(`'thread:' || ${row}.thread_id`)]),
  ...triggersFor('thread_tags', ['INSERT', 'DELETE'], (row) => [
    bump(`'thread:' || ${row}.thread_id`),
  ]),
  ...triggersFor('thread_links', ['INSERT', 'DELETE'], (row) => [
    bump(`'thread:' || ${row}.thread_id`),
    bump(`'thread:' || ${row}.linked_thread_id`),
  ]),
  ...triggersFor('votes', allEvents, (row) => [
    `insert into page_versions (page, version)
       select 'thread:' || thread_id, 1 from (
         select case when ${row}.target_type = 'thread' then ${row}.target_id
           else (select thread_id from posts where id = ${row}.target_id) end as thread_id) as target
       where thread_id is not null
       on conflict (page) do update set version = version + 1;`,
  ]),
  ...triggersFor('articles', allEvents, (row) => [
    bump(`'article:' || ${row}.id`),
    // A promoted answer names its article on the thread.
    bumpThreadOfPost(`${row}.source_post_id`),
  ]).map((trigger) =>
    trigger.event === 'UPDATE' ? { ...trigger, when: 'new.views = old.views' } : trigger,
  ),
  ...triggersFor('article_tags', ['INSERT', 'DELETE'], (row) => [
    bump(`'article:' || ${row}.article_id`),
  ]),
  ...triggersFor('article_feedback', allEvents, (row) => [bump(`'article:' || ${row}.article_id`)]),
  // "N people say this solved their problem" is counted from these events.
  {
    name: 'events_page_versions_self_resolved',
    on: 'events',
    event: 'INSERT',
    when: `new.type = 'self_resolved'`,
    body: [
      `insert into page_versions (page, version)
         select 'thread:' || new.thread_id, 1 where new.thread_id is not null
         on conflict (page) do update set version = version + 1;`,
      `insert into page_versions (page, version)
         select 'article:' || new.article_id, 1 where new.article_id is not null
         on conflict (page) do update set version = version + 1;`,
    ].join('\n'),
  },
  ...['categories', 'tags', 'settings'].flatMap((table) =>
    triggersFor(table, allEvents, () => [bump(`'layout'`)]),
  ),
  // Names, roles and suspensions show on every page people wrote on; reputation (which changes
  // with every vote) does not invalidate pages and may lag by the cache's age limit.
  {
    name: 'users_page_versions_update',
    on: 'users',
    event: 'UPDATE',
    when: `new.display_name is not old.display_name or new.username is not old.username
      or new.role is not old.role or new.suspended_until is not old.suspended_until
      or new.spammer_at is not old.spammer_at`,
    body: [bump(`'layout'`), bump(`'site'`)].join('\n'),
  },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('page_versions')
    .addColumn('page', 'text', (col) => col.primaryKey().notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .execute();
  for (const trigger of triggers) await createTrigger(db, trigger);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  for (const trigger of triggers) await dropTrigger(db, trigger);
  await db.schema.dropTable('page_versions').execute();
  await db.schema.dropTable('page_version_bumps').ifExists().execute();
}
