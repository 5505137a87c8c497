import type { Database } from '#db/client';
import { markArticleSelfResolved, setArticleFeedback } from '~/models/article-feedback.server';
import { createArticle, transitionArticle } from '~/models/articles.server';
import { recordEvent } from '~/models/events.server';
import { setVisibility, viewerOfUser } from '~/models/visibility.server';
import { demoArticles, type SeedArticle } from './kb-content';

const day = 24 * 60 * 60 * 1000;

/**
 * Writes the demo knowledge base through the same model functions the editor uses: drafts,
 * reviews, publishing at their own dates, articles promoted from seeded answers, and feedback.
 */
export async function seedKnowledgeBase(
  db: Database,
  now = new Date(),
  articles: SeedArticle[] = demoArticles,
): Promise<number> {
  const users = await db.selectFrom('users').select(['id', 'username', 'role']).execute();
  const person = (username: string) => {
    const found = users.find((user) => user.username === username);
    if (!found) throw new Error(`demo article names an unknown user: ${username}`);
    return found;
  };
  const categories = await db.selectFrom('categories').select(['id', 'slug']).execute();
  const oldestFirst = [...articles].sort((a, b) => b.daysAgo - a.daysAgo);
  for (const seed of oldestFirst) {
    const author = person(seed.author);
    const createdAt = new Date(now.getTime() - seed.daysAgo * day);
    const sourcePostId = seed.promotedFrom
      ? await answerId(db, seed.promotedFrom.threadTitle, person(seed.promotedFrom.answerAuthor).id)
      : undefined;
    const created = await createArticle(
      db,
      author,
      {
        title: seed.title,
        slug: seed.slug,
        body: seed.body,
        categoryId: categories.find((category) => category.slug === seed.category)?.id ?? null,
        tags: seed.tags,
        journeyStage: seed.stage ?? null,
        ownerId: person(seed.owner).id,
      },
      { sourcePostId },
      createdAt,
    );
    if (!created.ok)
      throw new Error(
        `demo article rejected: ${seed.title}: ${JSON.stringify(created.fieldErrors)}`,
      );
    const id = created.id;
    // Before it is published, so it is never public for a moment.
    if (seed.visibility) await setVisibility(db, { type: 'article', id }, seed.visibility);
    if (sourcePostId)
      await recordEvent(db, 'article_promoted', {
        user_id: author.id,
        article_id: id,
        post_id: sourcePostId,
        at: createdAt,
      });
    const publishedAt = new Date(
      now.getTime() - (seed.publishedDaysAgo ?? seed.daysAgo) * day + 60 * 60 * 1000,
    );
    if (seed.status === 'in_review')
      await transitionArticle(db, author, id, 'in_review', publishedAt);
    if (seed.status === 'published' || seed.status === 'archived')
      await transitionArticle(db, author, id, 'published', publishedAt);
    if (seed.status === 'archived')
      await transitionArticle(db, author, id, 'archived', new Date(now.getTime() - 10 * day));
    await db.updateTable('articles').set({ views: seed.views }).where('id', '=', id).execute();
    const readAt = (index: number) =>
      new Date(Math.min(publishedAt.getTime() + (index + 1) * day, now.getTime() - 60_000));
    for (const [index, vote] of (seed.feedback ?? []).entries()) {
      const reader = person(vote.by);
      await setArticleFeedback(
        db,
        id,
        await viewerOfUser(db, reader.id),
        { key: `user:${reader.id}`, userId: reader.id },
        {
          helpful: vote.helpful ? 'yes' : 'no',
          reason: vote.reason ?? null,
          comment: vote.comment ?? null,
        },
        readAt(index),
      );
    }
    for (const [index, username] of (seed.selfResolvedBy ?? []).entries()) {
      const reader = person(username);
      await markArticleSelfResolved(
        db,
        id,
        await viewerOfUser(db, reader.id),
        { key: `user:${reader.id}`, userId: reader.id },
        readAt(index),
      );
    }
  }
  return oldestFirst.length;
}

async function answerId(db: Database, threadTitle: string, authorId: number): Promise<number> {
  const post = await db
    .selectFrom('posts')
    .innerJoin('threads', 'threads.id', 'posts.thread_id')
    .select('posts.id')
    .where('threads.title', '=', threadTitle)
    .where('posts.author_id', '=', authorId)
    .executeTakeFirst();
  if (!post) throw new Error(`demo article promotes an answer that does not exist: ${threadTitle}`);
  return post.id;
}
