import type { Database } from '#db/client';
import { slugify } from '~/utils/slug';
import { createArticle, type ArticleInput } from './articles.server';
import { recordEvent } from './events.server';
import { canWriteArticles, type Actor } from './permissions';
import { isUniqueViolation } from './sql.server';
import type { Failure } from '~/utils/result';

// Community answers that become articles.

type Staff = NonNullable<Actor>;

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
