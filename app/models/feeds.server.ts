import type { Database } from '#db/client';
import { articlePath, questionPath } from '#lib/content-urls';
import { atomXml, type Feed, type FeedEntry } from '~/utils/atom';
import { getConfig } from '~/utils/config.server';
import { publicOrigin } from '~/utils/public-url.server';
import { xmlResponse } from '~/utils/xml-response.server';
import { taggedWith, tagsOfThreads } from './tags.server';
import { anonymous, articleVisibleSql, ownRuleSql, threadVisibleSql } from './visibility.server';

/** Entries in a feed: what a reader checking daily needs, as other help centers send. */
export const feedSize = 30;

function profilePath(username: string): string {
  return `/users/${encodeURIComponent(username)}`;
}

/**
 * The newest public questions, of one category or one tag when given. Feeds are public: a feed
 * address gets pasted into readers and shared, so it shows what a visitor may see, whoever asks.
 */
export async function questionFeed(
  db: Database,
  filter: { categoryId?: number; tagId?: number } = {},
): Promise<FeedEntry[]> {
  let query = db
    .selectFrom('threads')
    .innerJoin('users as author', 'author.id', 'threads.author_id')
    .select([
      'threads.id',
      'threads.slug',
      'threads.title',
      'threads.body_html',
      'threads.created_at',
      'threads.updated_at',
      'author.username',
      'author.display_name',
    ])
    .where('threads.deleted_at', 'is', null)
    .where(threadVisibleSql(anonymous));
  if (filter.categoryId !== undefined)
    query = query.where('threads.category_id', '=', filter.categoryId);
  if (filter.tagId !== undefined) query = query.where(taggedWith(filter.tagId));
  const rows = await query
    .orderBy('threads.created_at', 'desc')
    .orderBy('threads.id', 'desc')
    .limit(feedSize)
    .execute();
  const tags = await tagsOfThreads(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({
    idPath: questionPath({ id: row.id }),
    path: questionPath(row),
    title: row.title,
    published: row.created_at,
    updated: row.updated_at,
    author: { name: row.display_name, path: profilePath(row.username) },
    categories: tags.get(row.id) ?? [],
    html: row.body_html,
  }));
}

/** Public articles, the most recently published or updated first. */
export async function articleFeed(db: Database): Promise<FeedEntry[]> {
  const rows = await db
    .selectFrom('articles')
    .innerJoin('users as author', 'author.id', 'articles.author_id')
    .leftJoin('categories', 'categories.id', 'articles.category_id')
    .select([
      'articles.id',
      'articles.slug',
      'articles.title',
      'articles.body_html',
      'articles.published_at',
      'articles.created_at',
      'articles.updated_at',
      'author.username',
      'author.display_name',
      'categories.name as category_name',
    ])
    .where('articles.status', '=', 'published')
    .where('articles.hidden_at', 'is', null)
    .where(articleVisibleSql(anonymous))
    .orderBy('articles.updated_at', 'desc')
    .orderBy('articles.id', 'desc')
    .limit(feedSize)
    .execute();
  return rows.map((row) => ({
    // NOTE: an article's slug can change (old ones redirect); its id cannot.
    idPath: `/kb?article=${row.id}`,
    path: articlePath(encodeURIComponent(row.slug)),
    title: row.title,
    published: row.published_at ?? row.created_at,
    updated: row.updated_at,
    author: { name: row.display_name, path: profilePath(row.username) },
    categories: row.category_name ? [row.category_name] : [],
    html: row.body_html,
  }));
}

/** A category whose questions a visitor may read, or undefined. */
export function publicCategory(db: Database, slug: string) {
  return db
    .selectFrom('categories')
    .select(['id', 'name', 'slug', 'description'])
    .where('slug', '=', slug)
    .where(ownRuleSql(anonymous, 'category', 'categories'))
    .executeTakeFirst();
}

/** A feed as an Atom response, its links absolute on this site's origin. */
export function feedResponse(
  request: Request,
  feed: Omit<Feed, 'origin' | 'siteName'>,
): Promise<Response> {
  const origin = publicOrigin(request);
  return xmlResponse(
    request,
    atomXml({ ...feed, origin, siteName: getConfig().SITE_NAME }),
    'application/atom+xml',
  );
}
