import type { Database } from '#db/client';
import { markdownToText } from '~/utils/markdown.server';
import { articlesFromAnswers } from './article-promotion.server';
import { listCategories } from './categories.server';
import { commentsOfThread } from './comments.server';
import { originOfThread } from './imports.server';
import { isWatching } from './mail/notifications.server';
import { countPageView } from './page-views.server';
import {
  canAccept,
  canModerate,
  canSeeDeleted,
  canWriteArticles,
  isStaff,
  type Actor,
} from './permissions';
import { answersOfThread } from './posts.server';
import { ticketsResolvedBy } from './resolutions.server';
import { mergedInto } from './thread-moderation.server';
import { getThreadForPage, getThreadTags, selfResolution } from './threads.server';
import { escalationOf } from './ticket-escalation.server';
import { votesOf } from './votes.server';

export type AnswerSort = 'votes' | 'newest';

/**
 * Everything a question's page shows to this reader, or where the question lives now: a merged
 * question's address leads to the question its answers went to, and an old slug to the current
 * one. The view is counted only on the page itself, never on the way to it.
 */
export async function questionPage(
  db: Database,
  request: {
    threadId: number;
    slug: string | undefined;
    user: Actor;
    /** Who to count a view and a self-resolution for (readerKey). */
    reader: string;
    sort: AnswerSort;
    /** False for bots: they read, but a view is a person's. */
    countView: boolean;
  },
) {
  const { threadId: id, user, reader, sort } = request;
  const thread = await getThreadForPage(db, id, user);
  if (!thread || thread.merged_into) {
    const merged = await mergedInto(db, id);
    if (merged) return { movedTo: { id: merged.id, slug: merged.slug } };
  }
  if (!thread) return null;
  if (request.slug !== thread.slug) return { movedTo: { id: thread.id, slug: thread.slug } };
  if (request.countView)
    await countPageView(db, {
      page: 'thread',
      id,
      reader,
      userId: user?.id ?? null,
      at: new Date(),
    });
  const [answers, comments, tags, resolution] = await Promise.all([
    answersOfThread(db, id, user, sort, thread.accepted_post_id),
    commentsOfThread(db, id, user),
    getThreadTags(db, id),
    selfResolution(db, id, reader),
  ]);
  const answerIds = answers.map((answer) => answer.id);
  const staff = isStaff(user);
  const moderator = canModerate(user);
  const [myVotes, promotions, escalation, ticketsResolved, provenance, categories, watching] =
    await Promise.all([
      user ? votesOf(db, user.id, id, answerIds) : Promise.resolve<Record<string, number>>({}),
      articlesFromAnswers(db, answerIds),
      user && (staff || user.id === thread.author_id) ? escalationOf(db, id) : undefined,
      staff ? ticketsResolvedBy(db, { threadId: id }) : null,
      originOfThread(db, id, answerIds),
      moderator ? listCategories(db) : [],
      user ? isWatching(db, id, user.id) : false,
    ]);
  // The page shows the rendered body; its Markdown only gives the description.
  const { body_md, ...shown } = thread;
  return {
    page: {
      thread: { ...shown, tags, description: markdownToText(body_md, 160) },
      answers,
      comments,
      myVotes,
      promotions,
      provenance,
      sort,
      resolution,
      escalation: escalation ?? null,
      // Staff only: members never see how many tickets a thread resolved.
      ticketsResolved,
      categories: categories.map((category) => ({ id: category.id, name: category.name })),
      viewer: user
        ? {
            id: user.id,
            canAccept: canAccept(user, thread.author_id),
            seesDeleted: canSeeDeleted(user),
            canPromote: canWriteArticles(user),
            staff,
            moderator,
            role: user.role,
            /** Mailed about new answers (the "Watch" button). */
            watching,
          }
        : null,
    },
  };
}
