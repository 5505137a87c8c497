import { z } from 'zod';
import type { Database } from '../../db/client';
import type { ArticleStatus } from '../../db/schema';
import type { FieldErrors } from '~/utils/forms.server';
import { slugify } from '~/utils/slug';
import { articleStatusLabels, articleTransitions } from './article-workflow';
import { renderContent } from './content.server';
import { recordEvent } from './events.server';
import { canWriteArticles, isStaff, type Actor } from './permissions';
import { addRevision } from './revisions.server';
import { isUniqueViolation } from './sql.server';
import { setArticleTags, tagListSchema, tagsOfArticle } from './tags.server';
import { emitWebhook } from './webhooks.server';
import { touchSearch } from '../../search/outbox';
import {
  categoryIdField,
  editReasonField,
  journeyStageField,
  optionalIdField,
} from './form-fields';

type Staff = NonNullable<Actor>;
type Failure = { ok: false; status: 400 | 403 | 404; error: string };

export const reviewPeriodDays = 180;

/** When a published or verified article is next due for review. */
export function reviewDueFrom(moment: Date): string {
  return new Date(moment.getTime() + reviewPeriodDays * 24 * 60 * 60 * 1000).toISOString();
}

export const articleSchema = z.object({
  title: z
    .string()
    .trim()
    .min(5, 'Use at least 5 characters.')
    .max(150, 'Use at most 150 characters.'),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .max(80, 'Use at most 80 characters.')
    .regex(
      /^([a-z0-9]+(-[a-z0-9]+)*)?$/,
      'Use lowercase letters, digits and single dashes, like "connect-your-bank".',
    ),
  body: z
    .string()
    .trim()
    .min(20, 'Write at least 20 characters.')
    .max(60_000, 'Use at most 60,000 characters.'),
  categoryId: categoryIdField,
  tags: tagListSchema,
  journeyStage: journeyStageField,
  ownerId: optionalIdField('Choose an owner from the list.').optional(),
  reason: editReasonField,
});

export type ArticleInput = z.infer<typeof articleSchema>;

async function checkArticle(
  db: Database,
  input: ArticleInput,
  slug: string,
  articleId: number | null,
): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  if (!slug) errors.slug = 'Give a slug: the title has no letters or digits to make one from.';
  const clash = slug
    ? await db
        .selectFrom('articles')
        .select('id')
        .where('slug', '=', slug)
        .unionAll(
          db.selectFrom('article_redirects').select('article_id as id').where('slug', '=', slug),
        )
        .execute()
    : [];
  if (clash.some((row) => row.id !== articleId)) errors.slug = 'Another article uses this address.';
  if (input.categoryId !== null) {
    const category = await db
      .selectFrom('categories')
      .select('id')
      .where('id', '=', input.categoryId)
      .executeTakeFirst();
    if (!category) errors.categoryId = 'Choose a category from the list.';
  }
  if (input.ownerId) {
    const owner = await db
      .selectFrom('users')
      .select('role')
      .where('id', '=', input.ownerId)
      .executeTakeFirst();
    if (!owner || owner.role === 'member') errors.ownerId = 'Choose an owner from the team.';
  }
  return errors;
}

/** Creates a draft. From an answer (sourcePostId), it remembers where it came from. */
export async function createArticle(
  db: Database,
  actor: Staff,
  input: ArticleInput,
  options: { sourcePostId?: number } = {},
  now = new Date(),
): Promise<{ ok: true; id: number } | { ok: false; status?: 403; fieldErrors: FieldErrors }> {
  if (!canWriteArticles(actor)) return { ok: false, status: 403, fieldErrors: {} };
  const slug = input.slug || slugify(input.title, 80);
  const fieldErrors = await checkArticle(db, input, slug, null);
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  const { html } = await renderContent(db, input.body);
  const at = now.toISOString();
  const id = await db.transaction().execute(async (trx) => {
    const article = await trx
      .insertInto('articles')
      .values({
        slug,
        title: input.title,
        body_md: input.body,
        body_html: html,
        category_id: input.categoryId,
        journey_stage: input.journeyStage,
        author_id: actor.id,
        owner_id: input.ownerId ?? actor.id,
        source_post_id: options.sourcePostId ?? null,
        status_changed_at: at,
        status_changed_by: actor.id,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await setArticleTags(trx, article.id, input.tags, now);
    await addRevision(
      trx,
      {
        target: 'article',
        targetId: article.id,
        authorId: actor.id,
        title: input.title,
        bodyMd: input.body,
        tags: input.tags,
      },
      now,
    );
    await trx
      .insertInto('article_status_changes')
      .values({
        article_id: article.id,
        from_status: null,
        to_status: 'draft',
        user_id: actor.id,
        created_at: at,
      })
      .execute();
    await touchSearch(trx, 'article', article.id, now);
    return article.id;
  });
  return { ok: true, id };
}

/** Saves an edit as a new revision; a changed slug leaves the old one redirecting here. */
export async function updateArticle(
  db: Database,
  actor: Staff,
  articleId: number,
  input: ArticleInput,
  now = new Date(),
): Promise<
  { ok: true; slug: string } | { ok: false; status?: 403 | 404; fieldErrors: FieldErrors }
> {
  if (!canWriteArticles(actor)) return { ok: false, status: 403, fieldErrors: {} };
  const current = await db
    .selectFrom('articles')
    .select(['id', 'slug', 'owner_id'])
    .where('id', '=', articleId)
    .executeTakeFirst();
  if (!current) return { ok: false, status: 404, fieldErrors: {} };
  const slug = input.slug || current.slug;
  const fieldErrors = await checkArticle(db, input, slug, articleId);
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  const { html } = await renderContent(db, input.body);
  await db.transaction().execute(async (trx) => {
    if (slug !== current.slug) {
      await trx.deleteFrom('article_redirects').where('slug', '=', slug).execute();
      await trx
        .insertInto('article_redirects')
        .values({ slug: current.slug, article_id: articleId })
        .execute();
    }
    await trx
      .updateTable('articles')
      .set({
        slug,
        title: input.title,
        body_md: input.body,
        body_html: html,
        category_id: input.categoryId,
        journey_stage: input.journeyStage,
        owner_id: input.ownerId ?? current.owner_id,
        updated_at: now.toISOString(),
      })
      .where('id', '=', articleId)
      .execute();
    await setArticleTags(trx, articleId, input.tags, now);
    await addRevision(
      trx,
      {
        target: 'article',
        targetId: articleId,
        authorId: actor.id,
        title: input.title,
        bodyMd: input.body,
        tags: input.tags,
        reason: input.reason,
      },
      now,
    );
    await touchSearch(trx, 'article', articleId, now);
  });
  return { ok: true, slug };
}

/** Moves an article along its workflow; moves the workflow does not allow are refused. */
export async function transitionArticle(
  db: Database,
  actor: Staff,
  articleId: number,
  to: ArticleStatus,
  now = new Date(),
): Promise<{ ok: true } | Failure> {
  if (!canWriteArticles(actor))
    return { ok: false, status: 403, error: 'Only the team can change an article’s status.' };
  const article = await db
    .selectFrom('articles')
    .select(['id', 'status', 'published_at'])
    .where('id', '=', articleId)
    .executeTakeFirst();
  if (!article) return { ok: false, status: 404, error: 'That article no longer exists.' };
  if (!articleTransitions[article.status].includes(to)) {
    return {
      ok: false,
      status: 400,
      error: `A ${articleStatusLabels[article.status].toLowerCase()} article cannot be moved to ${articleStatusLabels[to].toLowerCase()}.`,
    };
  }
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('articles')
      .set({
        status: to,
        status_changed_at: at,
        status_changed_by: actor.id,
        ...(to === 'published'
          ? { published_at: article.published_at ?? at, review_due_at: reviewDueFrom(now) }
          : {}),
      })
      .where('id', '=', articleId)
      .execute();
    await trx
      .insertInto('article_status_changes')
      .values({
        article_id: articleId,
        from_status: article.status,
        to_status: to,
        user_id: actor.id,
        created_at: at,
      })
      .execute();
    if (to === 'published') {
      await recordEvent(trx, 'article_published', {
        user_id: actor.id,
        article_id: articleId,
        at: now,
      });
      const published = await trx
        .selectFrom('articles')
        .select(['id', 'slug', 'title'])
        .where('id', '=', articleId)
        .executeTakeFirstOrThrow();
      await emitWebhook(trx, 'article.published', { article: published }, now);
    }
    await touchSearch(trx, 'article', articleId, now);
  });
  return { ok: true };
}

/** "Still accurate": the owner or an agent resets the review date. */
export async function verifyArticle(
  db: Database,
  actor: Staff,
  articleId: number,
  now = new Date(),
): Promise<{ ok: true } | Failure> {
  const article = await db
    .selectFrom('articles')
    .select(['id', 'owner_id', 'status'])
    .where('id', '=', articleId)
    .executeTakeFirst();
  if (!article) return { ok: false, status: 404, error: 'That article no longer exists.' };
  if (actor.id !== article.owner_id && !isStaff(actor))
    return { ok: false, status: 403, error: 'Only the owner or an agent can verify an article.' };
  if (article.status !== 'published')
    return { ok: false, status: 400, error: 'Only published articles are reviewed.' };
  await db
    .updateTable('articles')
    .set({
      review_due_at: reviewDueFrom(now),
      verified_at: now.toISOString(),
      verified_by: actor.id,
    })
    .where('id', '=', articleId)
    .execute();
  return { ok: true };
}

/** Makes an old revision current again, recorded as a new revision. */
export async function restoreArticleRevision(
  db: Database,
  actor: Staff,
  articleId: number,
  revisionId: number,
  now = new Date(),
): Promise<{ ok: true; slug: string } | Failure> {
  const revision = await db
    .selectFrom('revisions')
    .select(['number', 'title', 'body_md', 'tags'])
    .where('id', '=', revisionId)
    .where('target_type', '=', 'article')
    .where('target_id', '=', articleId)
    .executeTakeFirst();
  if (!revision)
    return { ok: false, status: 404, error: 'That revision does not belong to this article.' };
  const article = await getArticleForEditing(db, articleId);
  if (!article) return { ok: false, status: 404, error: 'That article no longer exists.' };
  const result = await updateArticle(
    db,
    actor,
    articleId,
    {
      title: revision.title ?? article.title,
      slug: article.slug,
      body: revision.body_md,
      categoryId: article.category_id,
      tags: revision.tags ? revision.tags.split(' ') : [],
      journeyStage: article.journey_stage,
      ownerId: article.owner_id,
      reason: `Restored revision ${revision.number}`,
    },
    now,
  );
  if (!result.ok)
    return {
      ok: false,
      status: result.status ?? 400,
      error: Object.values(result.fieldErrors)[0] ?? 'That revision could not be restored.',
    };
  return result;
}

export async function getArticleForEditing(db: Database, articleId: number) {
  const article = await db
    .selectFrom('articles')
    .leftJoin('posts', 'posts.id', 'articles.source_post_id')
    .leftJoin('threads', 'threads.id', 'posts.thread_id')
    .select([
      'articles.id',
      'articles.slug',
      'articles.title',
      'articles.body_md',
      'articles.status',
      'articles.category_id',
      'articles.journey_stage',
      'articles.owner_id',
      'articles.source_post_id',
      'articles.review_due_at',
      'articles.updated_at',
      'threads.id as source_thread_id',
      'threads.title as source_thread_title',
      'threads.slug as source_thread_slug',
      'threads.body_md as source_question',
    ])
    .where('articles.id', '=', articleId)
    .executeTakeFirst();
  if (!article) return null;
  return { ...article, tags: await tagsOfArticle(db, articleId) };
}

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

const articleViewWindowMs = 60 * 60 * 1000;

/** Counts a view once per reader per article per hour, and logs it for the analytics. */
export async function recordArticleView(
  db: Database,
  articleId: number,
  reader: { key: string; userId: number | null },
  now = new Date(),
) {
  return db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('article_views')
      .select('viewed_at')
      .where('article_id', '=', articleId)
      .where('visitor', '=', reader.key)
      .executeTakeFirst();
    if (last && now.getTime() - new Date(last.viewed_at).getTime() < articleViewWindowMs)
      return false;
    await trx
      .insertInto('article_views')
      .values({ article_id: articleId, visitor: reader.key, viewed_at: now.toISOString() })
      .onConflict((oc) =>
        oc.columns(['article_id', 'visitor']).doUpdateSet({ viewed_at: now.toISOString() }),
      )
      .execute();
    await trx
      .updateTable('articles')
      .set((eb) => ({ views: eb('views', '+', 1) }))
      .where('id', '=', articleId)
      .execute();
    await recordEvent(trx, 'article_view', {
      user_id: reader.userId,
      visitor_id: reader.key,
      article_id: articleId,
      at: now,
    });
    return true;
  });
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

/**
 * Starts an article from a community answer: the question as title, the answer as body, the
 * thread's category and tags. An answer is promoted once; asking again returns that article.
 */
export async function promoteAnswer(
  db: Database,
  actor: Staff,
  postId: number,
  now = new Date(),
): Promise<{ ok: true; id: number; existing: boolean } | Failure> {
  if (!canWriteArticles(actor))
    return { ok: false, status: 403, error: 'Only the team can promote answers into articles.' };
  const existing = await db
    .selectFrom('articles')
    .select('id')
    .where('source_post_id', '=', postId)
    .executeTakeFirst();
  if (existing) return { ok: true, id: existing.id, existing: true };
  const post = await db
    .selectFrom('posts')
    .innerJoin('threads', 'threads.id', 'posts.thread_id')
    .select([
      'posts.id',
      'posts.body_md',
      'threads.id as thread_id',
      'threads.title',
      'threads.category_id',
      'threads.journey_stage',
    ])
    .where('posts.id', '=', postId)
    .where('posts.deleted_at', 'is', null)
    .where('threads.deleted_at', 'is', null)
    .executeTakeFirst();
  if (!post) return { ok: false, status: 404, error: 'That answer no longer exists.' };
  const tags = await db
    .selectFrom('thread_tags')
    .innerJoin('tags', 'tags.id', 'thread_tags.tag_id')
    .select('tags.name')
    .where('thread_tags.thread_id', '=', post.thread_id)
    .execute();
  const baseSlug = slugify(post.title, 70) || 'article';
  const taken = await db
    .selectFrom('articles')
    .select('id')
    .where('slug', '=', baseSlug)
    .executeTakeFirst();
  const input: ArticleInput = {
    title: post.title,
    slug: taken ? `${baseSlug}-${post.id}` : baseSlug,
    body: post.body_md,
    categoryId: post.category_id,
    tags: tags.map((tag) => tag.name),
    journeyStage: post.journey_stage,
  };
  try {
    const created = await createArticle(db, actor, input, { sourcePostId: post.id }, now);
    if (!created.ok)
      return {
        ok: false,
        status: 400,
        error: Object.values(created.fieldErrors)[0] ?? 'The draft could not be created.',
      };
    await recordEvent(db, 'article_promoted', {
      user_id: actor.id,
      article_id: created.id,
      post_id: post.id,
      thread_id: post.thread_id,
      at: now,
    });
    return { ok: true, id: created.id, existing: false };
  } catch (error) {
    // Two agents promoted the same answer at once: the first draft wins.
    if (!isUniqueViolation(error)) throw error;
    const winner = await db
      .selectFrom('articles')
      .select('id')
      .where('source_post_id', '=', postId)
      .executeTakeFirstOrThrow();
    return { ok: true, id: winner.id, existing: true };
  }
}

/** Published articles that grew out of these answers, by answer id. */
export async function articlesFromAnswers(db: Database, postIds: number[]) {
  if (postIds.length === 0) return {};
  const rows = await db
    .selectFrom('articles')
    .select(['source_post_id', 'slug', 'title', 'status', 'id'])
    .where('source_post_id', 'in', postIds)
    .execute();
  return Object.fromEntries(rows.map((row) => [String(row.source_post_id), row]));
}

export async function articleStatusHistory(db: Database, articleId: number) {
  return db
    .selectFrom('article_status_changes')
    .innerJoin('users', 'users.id', 'article_status_changes.user_id')
    .select([
      'article_status_changes.id',
      'article_status_changes.from_status',
      'article_status_changes.to_status',
      'article_status_changes.created_at',
      'users.display_name as user_name',
    ])
    .where('article_status_changes.article_id', '=', articleId)
    .orderBy('article_status_changes.created_at', 'desc')
    .orderBy('article_status_changes.id', 'desc')
    .execute();
}

export async function staffMembers(db: Database) {
  return db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('role', '!=', 'member')
    .orderBy('display_name')
    .execute();
}
