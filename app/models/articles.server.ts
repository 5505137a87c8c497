import { z } from 'zod';
import type { Database } from '#db/client';
import type { ArticleStatus } from '#db/schema';
import type { FieldErrors } from '~/utils/forms.server';
import { slugify } from '~/utils/slug';
import { articleStatusLabels, articleTransitions } from './article-workflow';
import { renderContent } from './content.server';
import { recordUploadUses } from './uploads/uses.server';
import { recordEvent } from './events.server';
import { canWriteArticles, isStaff, type Actor } from './permissions';
import { addRevision } from './revisions.server';
import { setArticleTags, tagListSchema, tagsOfArticle } from './tags.server';
import { emitWebhook } from './webhooks.server';
import { touchSearch } from '#search/outbox';
import {
  categoryIdField,
  editReasonField,
  journeyStageField,
  optionalIdField,
} from './form-fields';
import type { Failure } from '~/utils/result';

type Staff = NonNullable<Actor>;

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
    await recordUploadUses(trx, actor, { type: 'article', id: article.id }, input.body);
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
    await recordUploadUses(trx, actor, { type: 'article', id: articleId }, input.body);
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
