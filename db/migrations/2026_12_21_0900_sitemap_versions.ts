import type { Kysely } from 'kysely';
import { createTrigger, dropTrigger, type Trigger } from '../dialect';

/**
 * Sitemap versions: the sitemap files are kept built (app/models/sitemap-store.server.ts), and
 * these two page_versions keys say when a kept file is out of date. `sitemap` moves with every
 * change a sitemap shows (a new question, new activity, an edit's date); `sitemap:removals` moves
 * only when something may leave the sitemap or change its address (a deletion, a hide, a move to
 * a category visitors cannot open, a new slug, an unpublished article, a renamed tag). A kept file
 * may trail `sitemap` by a refresh, never `sitemap:removals`. Votes, views and comments move
 * neither: the sitemap does not show them.
 */

const bump = (key: string) => `insert into page_versions (page, version) values ('${key}', 1)
  on conflict (page) do update set version = version + 1;`;
const added = bump('sitemap');
const removed = [bump('sitemap:removals'), added].join('\n');

/** Columns whose change may take a row out of the sitemap or change its URL. */
const addressColumns = {
  threads: ['deleted_at', 'category_id', 'slug'],
  articles: ['status', 'hidden_at', 'visibility', 'category_id', 'slug'],
  problems: ['public'],
};
/** Columns whose change only moves a listed row's lastmod. */
const dateColumns = {
  threads: ['last_activity_at'],
  articles: ['updated_at'],
  problems: ['updated_at'],
};

const changed = (columns: string[]) =>
  columns.map((column) => `new.${column} is not old.${column}`).join(' or ');

const triggers: Trigger[] = [
  ...(['threads', 'articles', 'problems'] as const).flatMap((table): Trigger[] => [
    { name: `${table}_sitemap_insert`, on: table, event: 'INSERT', body: added },
    { name: `${table}_sitemap_delete`, on: table, event: 'DELETE', body: removed },
    {
      name: `${table}_sitemap_moved`,
      on: table,
      event: 'UPDATE',
      when: changed(addressColumns[table]),
      body: removed,
    },
    {
      name: `${table}_sitemap_dated`,
      on: table,
      event: 'UPDATE',
      when: `not (${changed(addressColumns[table])}) and (${changed(dateColumns[table])})`,
      body: added,
    },
  ]),
  // A category's visibility decides which questions are listed; a tag's name is its address.
  ...['categories', 'tags'].flatMap((table) =>
    ['INSERT', 'UPDATE', 'DELETE'].map((event) => ({
      name: `${table}_sitemap_${event.toLowerCase()}`,
      on: table,
      event,
      body: removed,
    })),
  ),
  // A tag is listed while one public question carries it.
  { name: 'thread_tags_sitemap_insert', on: 'thread_tags', event: 'INSERT', body: added },
  { name: 'thread_tags_sitemap_delete', on: 'thread_tags', event: 'DELETE', body: removed },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  for (const trigger of triggers) await createTrigger(db, trigger);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  for (const trigger of triggers) await dropTrigger(db, trigger);
}
