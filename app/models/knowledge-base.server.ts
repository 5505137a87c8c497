import type { Database } from '#db/client';
import type { Visibility } from '#db/schema';
import { canWriteArticles } from './permissions';
import {
  articleVisibleSql,
  audienceNames,
  audienceRows,
  seesEverything,
  threadVisibleSql,
  type AudienceRow,
  type Viewer,
} from './visibility.server';

// What readers of the knowledge base see: an article by its slug, the home page, related reading.

export type ArticleLookup =
  | { found: 'article'; article: NonNullable<Awaited<ReturnType<typeof getPublicArticle>>> }
  | { found: 'redirect'; slug: string }
  | { found: 'none' };

async function getPublicArticle(db: Database, slug: string, viewer: Viewer) {
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
      'articles.visibility',
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
    .where(articleVisibleSql(viewer))
    .executeTakeFirst();
}

/**
 * The article at a slug for this reader: members see only published ones they may see (its own
 * visibility and its category's); old slugs redirect. One they may not see is not found.
 */
export async function findArticle(
  db: Database,
  slug: string,
  viewer: Viewer,
): Promise<ArticleLookup> {
  const article = await getPublicArticle(db, slug, viewer);
  if (article) {
    // Hidden pending review (flags) counts as unpublished for readers.
    return (article.status === 'published' && !article.hidden_at) || canWriteArticles(viewer)
      ? { found: 'article', article }
      : { found: 'none' };
  }
  const redirect = await db
    .selectFrom('article_redirects')
    .innerJoin('articles', 'articles.id', 'article_redirects.article_id')
    .select(['articles.slug', 'articles.status'])
    .where('article_redirects.slug', '=', slug)
    .where(articleVisibleSql(viewer))
    .executeTakeFirst();
  if (redirect && (redirect.status === 'published' || canWriteArticles(viewer)))
    return { found: 'redirect', slug: redirect.slug };
  return { found: 'none' };
}

const publishedList = (db: Database, viewer: Viewer) =>
  db
    .selectFrom('articles')
    .select([
      'articles.id',
      'articles.slug',
      'articles.title',
      'articles.views',
      'articles.updated_at',
      'articles.category_id',
      'articles.visibility',
    ])
    .where('articles.status', '=', 'published')
    .where('articles.hidden_at', 'is', null)
    .where(articleVisibleSql(viewer));

/**
 * What /kb shows this viewer: categories with the articles they may see, the most viewed and the
 * recently updated. A category with nothing visible in it is left out.
 */
export async function knowledgeBaseHome(db: Database, viewer: Viewer) {
  const [categories, articles, mostViewed, recentlyUpdated] = await Promise.all([
    db
      .selectFrom('categories')
      .select(['id', 'name', 'slug', 'description'])
      .orderBy('position')
      .orderBy('name')
      .execute(),
    publishedList(db, viewer).orderBy('articles.title').execute(),
    publishedList(db, viewer).orderBy('articles.views', 'desc').limit(5).execute(),
    publishedList(db, viewer).orderBy('articles.updated_at', 'desc').limit(5).execute(),
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

/** Published articles on the same topic this viewer may see: shared tags first, then category. */
export async function relatedArticles(
  db: Database,
  article: { id: number; category_id: number | null },
  viewer: Viewer,
  limit = 5,
) {
  const categoryId = article.category_id;
  return publishedList(db, viewer)
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

/** Answered community threads on the same topic (shared tags or category) this viewer may see. */
export async function relatedAnsweredThreads(
  db: Database,
  article: { id: number; category_id: number | null },
  viewer: Viewer,
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
    .where(threadVisibleSql(viewer))
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

type Restricted = { id: number; visibility: Visibility; category_id: number | null };

/** What one visibility says to the team: nothing for public content. */
function audienceLabel(
  visibility: Visibility,
  audience: AudienceRow[],
  names: { groups: Map<number, string>; organizations: Map<number, string> },
): string | null {
  switch (visibility) {
    case 'public':
      return null;
    case 'signed_in':
      return 'Signed-in people';
    case 'internal':
      return 'Internal';
    case 'audience': {
      const listed = audience.flatMap((row) => {
        const name =
          row.group_id !== null
            ? names.groups.get(row.group_id)
            : row.organization_id !== null
              ? names.organizations.get(row.organization_id)
              : undefined;
        return name ? [name] : [];
      });
      return listed.length ? listed.join(', ') : 'Nobody listed';
    }
  }
}

/**
 * For the team: who may read each article, as the markers the KB shows beside it ("Internal",
 * "Signed-in people", group and organisation names), from its own rule and its category's.
 * Readers outside the team get no markers: they only ever see what they may see.
 */
export async function audienceMarkers(
  db: Database,
  viewer: Viewer,
  articles: Restricted[],
): Promise<Record<number, string[]>> {
  const markers: Record<number, string[]> = {};
  if (!seesEverything(viewer) || articles.length === 0) return markers;
  const categoryIds = [
    ...new Set(articles.flatMap((article) => (article.category_id ? [article.category_id] : []))),
  ];
  const categories = categoryIds.length
    ? await db
        .selectFrom('categories')
        .select(['id', 'visibility'])
        .where('id', 'in', categoryIds)
        .execute()
    : [];
  const [articleAudience, categoryAudience] = await Promise.all([
    audienceRows(
      db,
      'article',
      articles.filter((article) => article.visibility === 'audience').map((article) => article.id),
    ),
    audienceRows(
      db,
      'category',
      categories.filter((row) => row.visibility === 'audience').map((row) => row.id),
    ),
  ]);
  const rows = [...articleAudience.values(), ...categoryAudience.values()].flat();
  const names = await audienceNames(db, rows);
  const categoryVisibility = new Map(categories.map((row) => [row.id, row.visibility]));
  for (const article of articles) {
    const own = audienceLabel(article.visibility, articleAudience.get(article.id) ?? [], names);
    const categoryRule = article.category_id
      ? categoryVisibility.get(article.category_id)
      : undefined;
    const inherited =
      article.category_id && categoryRule
        ? audienceLabel(categoryRule, categoryAudience.get(article.category_id) ?? [], names)
        : null;
    const labels = [...new Set([own, inherited].filter((label) => label !== null))];
    // Internal anywhere means staff only: the other marker would only mislead.
    markers[article.id] = labels.includes('Internal') ? ['Internal'] : labels;
  }
  return markers;
}
