import type { Database } from '#db/client';
import { markdownToText } from '~/utils/markdown.server';
import { articlesFromAnswers } from './article-promotion.server';
import { listCategories } from './categories.server';
import { commentsOfThread } from './comments.server';
import { originOfThread } from './imports.server';
import { isWatching } from './mail/thread-watches.server';
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
import { problemBanner } from './problems/problem-page.server';
import { openProblems } from './problems/problems.server';
import { threadVisibleTo } from './thread-access.server';
import { seesEverything, threadVisibleSql, type Viewer } from './visibility.server';
import { votesOf } from './votes.server';

export type AnswerSort = 'votes' | 'newest';

type Linked = { id: number };

/** The linked, duplicate and original questions of a thread, but for those the reader may not see. */
async function visibleLinks<
  Origin extends { duplicateOf: Linked[]; duplicates: Linked[]; linked: Linked[] },
>(db: Database, viewer: Viewer, origin: Origin): Promise<Origin> {
  const ids = [...origin.duplicateOf, ...origin.duplicates, ...origin.linked].map((t) => t.id);
  if (ids.length === 0 || seesEverything(viewer)) return origin;
  const rows = await db
    .selectFrom('threads')
    .select('threads.id')
    .where('threads.id', 'in', ids)
    .where(threadVisibleSql(viewer))
    .execute();
  const seen = new Set(rows.map((row) => row.id));
  const keep = <T extends Linked>(list: T[]) => list.filter((thread) => seen.has(thread.id));
  return {
    ...origin,
    duplicateOf: keep(origin.duplicateOf),
    duplicates: keep(origin.duplicates),
    linked: keep(origin.linked),
  };
}

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
    /** Who-sees-what for the same reader: a question they may not see is not found. */
    viewer: Viewer;
    /** Who to count a view and a self-resolution for (readerKey). */
    reader: string;
    sort: AnswerSort;
    /** False for bots: they read, but a view is a person's. */
    countView: boolean;
  },
) {
  const { threadId: id, user, viewer, reader, sort } = request;
  const thread = await getThreadForPage(db, id, user, viewer);
  if (!thread || thread.merged_into) {
    // Only a question the reader may see tells where it went, and only to one they may see.
    const merged = (await threadVisibleTo(db, viewer, id)) ? await mergedInto(db, id) : null;
    if (merged && (await threadVisibleTo(db, viewer, merged.id)))
      return { movedTo: { id: merged.id, slug: merged.slug } };
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
  const [
    myVotes,
    promotions,
    escalation,
    ticketsResolved,
    provenance,
    categories,
    watching,
    knownIssue,
    problems,
  ] = await Promise.all([
    user ? votesOf(db, user.id, id, answerIds) : Promise.resolve<Record<string, number>>({}),
    articlesFromAnswers(db, answerIds),
    user && (staff || user.id === thread.author_id) ? escalationOf(db, id) : undefined,
    staff ? ticketsResolvedBy(db, { threadId: id }) : null,
    originOfThread(db, id, answerIds).then((origin) => visibleLinks(db, viewer, origin)),
    moderator ? listCategories(db) : [],
    user ? isWatching(db, id, user.id) : false,
    problemBanner(
      db,
      [
        { type: 'thread', ids: [id] },
        { type: 'post', ids: answerIds },
      ],
      staff,
    ),
    staff ? openProblems(db, thread.title) : [],
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
      /** The known issue it reports (public ones only, unless staff), and for staff the open ones. */
      knownIssue,
      openProblems: problems,
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
