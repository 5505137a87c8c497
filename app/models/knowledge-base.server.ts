import type { Database } from '#db/client';
import { canWriteArticles, type Actor } from './permissions';

// What readers of the knowledge base see: an article by its slug, the home page, related reading.

export type ArticleLookup =
  | { found: 'article'; article: NonNullable<Awaited<ReturnType<typeof getPublicArticle>>> }
  | { found: 'redirect'; slug: string }
  | { found: 'none' };

async function getPublicArticle(db: Database, slug: string) {
  return db
    .selectFrom('articles')
    .innerJoin('users as author', 'author.id', 'articles.author_id')
    .innerJoin('users as owner', 'owner.id', 'articles.owner_id')
    .leftJoin('categories', 'categories.id', 'articles.category_id')
    .leftJoin('posts', 'posts.id', 'articles.source_post_id')
    .leftJoin('users as source_author', 'source_author.id', 'posts.author_id')
    .leftJoin('threads as source_thread', 'source_thread.id', 'posts.thread_id')
    .select([
      'articles.id',
      'articles.slug',
      'articles.title',
      'articles.body_md',
      'articles.body_html',
      'articles.status',
      'articles.hidden_at',
      'articles.category_id',
      'articles.journey_stage',
      'articles.views',
      'articles.review_due_at',
      'articles.published_at',
      'articles.created_at',
      'articles.updated_at',
      'articles.source_post_id',
      'author.display_name as author_name',
      'author.username as author_username',
      'owner.display_name as owner_name',
      'owner.username as owner_username',
      'articles.owner_id',
      'categories.name as category_name',
      'categories.slug as category_slug',
      'source_author.display_name as source_author_name',
      'source_author.username as source_author_username',
      'source_thread.id as source_thread_id',
      'source_thread.slug as source_thread_slug',
    ])
    .where('articles.slug', '=', slug)
    .executeTakeFirst();
}

/** The article at a slug for this reader: members see only published ones; old slugs redirect. */
export async function findArticle(
  db: Database,
  slug: string,
  actor: Actor,
): Promise<ArticleLookup> {
  const article = await getPublicArticle(db, slug);
  if (article) {
    // Hidden pending review (flags) counts as unpublished for readers.
    return (article.status === 'published' && !article.hidden_at) || canWriteArticles(actor)
      ? { found: 'article', article }
      : { found: 'none' };
  }
  const redirect = await db
    .selectFrom('article_redirects')
    .innerJoin('articles', 'articles.id', 'article_redirects.article_id')
    .select(['articles.slug', 'articles.status'])
    .where('article_redirects.slug', '=', slug)
    .executeTakeFirst();
  if (redirect && (redirect.status === 'published' || canWriteArticles(actor)))
    return { found: 'redirect', slug: redirect.slug };
  return { found: 'none' };
}

const publishedList = (db: Database) =>
  db
    .selectFrom('articles')
    .select([
      'articles.id',
      'articles.slug',
      'articles.title',
      'articles.views',
      'articles.updated_at',
      'articles.category_id',
    ])
    .where('articles.status', '=', 'published')
    .where('articles.hidden_at', 'is', null);

/** What /kb shows: categories with their articles, the most viewed and the recently updated. */
export async function knowledgeBaseHome(db: Database) {
  const [categories, articles, mostViewed, recentlyUpdated] = await Promise.all([
    db
      .selectFrom('categories')
      .select(['id', 'name', 'slug', 'description'])
      .orderBy('position')
      .orderBy('name')
      .execute(),
    publishedList(db).orderBy('articles.title').execute(),
    publishedList(db).orderBy('articles.views', 'desc').limit(5).execute(),
    publishedList(db).orderBy('articles.updated_at', 'desc').limit(5).execute(),
  ]);
  return {
    categories: categories
      .map((category) => ({
        ...category,
        articles: articles.filter((article) => article.category_id === category.id),
      }))
      .filter((category) => category.articles.length > 0),
    uncategorized: articles.filter((article) => article.category_id === null),
    mostViewed,
    recentlyUpdated,
  };
}

/** Published articles on the same topic: shared tags first, then the same category. */
export async function relatedArticles(
  db: Database,
  article: { id: number; category_id: number | null },
  limit = 5,
) {
  const categoryId = article.category_id;
  return publishedList(db)
    .select((eb) => [
      eb
        .selectFrom('article_tags as mine')
        .innerJoin('article_tags as theirs', 'theirs.tag_id', 'mine.tag_id')
        .select(eb.fn.countAll<number>().as('n'))
        .where('mine.article_id', '=', article.id)
        .whereRef('theirs.article_id', '=', 'articles.id')
        .as('shared_tags'),
    ])
    .where('articles.id', '!=', article.id)
    .where((eb) =>
      eb.or([
        ...(categoryId ? [eb('articles.category_id', '=', categoryId)] : []),
        eb.exists(
          eb
            .selectFrom('article_tags as mine')
            .innerJoin('article_tags as theirs', 'theirs.tag_id', 'mine.tag_id')
            .select('theirs.article_id')
            .where('mine.article_id', '=', article.id)
            .whereRef('theirs.article_id', '=', 'articles.id'),
        ),
      ]),
    )
    .orderBy('shared_tags', 'desc')
    .orderBy('articles.views', 'desc')
    .limit(limit)
    .execute();
}

/** Answered community threads on the same topic (shared tags or category). */
export async function relatedAnsweredThreads(
  db: Database,
  article: { id: number; category_id: number | null },
  limit = 5,
) {
  const categoryId = article.category_id;
  return db
    .selectFrom('threads')
    .select((eb) => [
      'threads.id',
      'threads.title',
      'threads.slug',
      'threads.score',
      eb
        .selectFrom('article_tags')
        .innerJoin('thread_tags', 'thread_tags.tag_id', 'article_tags.tag_id')
        .select(eb.fn.countAll<number>().as('n'))
        .where('article_tags.article_id', '=', article.id)
        .whereRef('thread_tags.thread_id', '=', 'threads.id')
        .as('shared_tags'),
    ])
    .where('threads.deleted_at', 'is', null)
    .where('threads.accepted_post_id', 'is not', null)
    .where((eb) =>
      eb.or([
        ...(categoryId ? [eb('threads.category_id', '=', categoryId)] : []),
        eb.exists(
          eb
            .selectFrom('article_tags')
            .innerJoin('thread_tags', 'thread_tags.tag_id', 'article_tags.tag_id')
            .select('thread_tags.thread_id')
            .where('article_tags.article_id', '=', article.id)
            .whereRef('thread_tags.thread_id', '=', 'threads.id'),
        ),
      ]),
    )
    .orderBy('shared_tags', 'desc')
    .orderBy('threads.score', 'desc')
    .limit(limit)
    .execute();
}
