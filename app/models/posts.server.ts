import { z } from 'zod';
import type { Database } from '#db/client';
import { lockRow } from '#db/dialect';
import { renderContent } from './content.server';
import { recordUploadUses } from './uploads/uses.server';
import { recordEvent } from './events.server';
import { notify } from './notifications.server';
import {
  canAccept,
  canDelete,
  canEdit,
  canModerate,
  canSeeDeleted,
  canSeeRemoved,
  isModerated,
  type Actor,
} from './permissions';
import { visibleTo } from './sql.server';
import { actorSeesThread } from './thread-access.server';
import { recomputeReputation } from './reputation.server';
import { addRevision } from './revisions.server';
import { logModeration } from './audit-log.server';
import { mailWatchers } from './mail/notifications.server';
import { emitWebhook } from './webhooks.server';
import { touchSearch } from '#search/outbox';
import { editReasonField } from './form-fields';
import type { Failure } from '~/utils/result';

type Author = NonNullable<Actor>;

export const answerSchema = z.object({
  body: z
    .string()
    .trim()
    .min(20, 'Write a little more: at least 20 characters.')
    .max(30_000, 'Use at most 30,000 characters.'),
  reason: editReasonField,
});

async function openThread(db: Database, threadId: number) {
  return db
    .selectFrom('threads')
    .select(['id', 'author_id', 'status', 'accepted_post_id'])
    .where('id', '=', threadId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Keeps the thread's answer count and activity time in step with its visible answers. */
export async function refreshThreadAnswers(db: Database, threadId: number, now: Date) {
  await lockRow(db, 'threads', threadId);
  const { count } = await db
    .selectFrom('posts')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('thread_id', '=', threadId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('threads')
    .set({ answer_count: Number(count), last_activity_at: now.toISOString() })
    .where('id', '=', threadId)
    .execute();
}

export async function postAnswer(
  db: Database,
  actor: Author,
  threadId: number,
  body: string,
  now = new Date(),
  options: { awaitingReview?: boolean } = {},
): Promise<{ ok: true; id: number } | Failure> {
  const thread = await openThread(db, threadId);
  if (!thread || !(await actorSeesThread(db, actor, threadId)))
    return { ok: false, status: 404, error: 'That question no longer exists.' };
  if (thread.status === 'closed' || thread.status === 'locked') {
    return { ok: false, status: 403, error: 'This question is closed to new answers.' };
  }
  const content = await renderContent(db, body);
  const at = now.toISOString();
  const id = await db.transaction().execute(async (trx) => {
    const post = await trx
      .insertInto('posts')
      .values({
        thread_id: threadId,
        author_id: actor.id,
        body_md: body,
        body_html: content.html,
        created_at: at,
        updated_at: at,
        // Held for a moderator: out of public view until approved.
        ...(options.awaitingReview ? { deleted_at: at, moderation_state: 'awaiting_review' } : {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordUploadUses(trx, actor, { type: 'post', id: post.id }, body);
    await refreshThreadAnswers(trx, threadId, now);
    await touchSearch(trx, 'thread', threadId, now);
    await addRevision(
      trx,
      { target: 'post', targetId: post.id, authorId: actor.id, bodyMd: body },
      now,
    );
    await recordEvent(trx, 'answer_posted', {
      user_id: actor.id,
      thread_id: threadId,
      post_id: post.id,
      at: now,
    });
    if (options.awaitingReview) return post.id;
    await emitWebhook(
      trx,
      'thread.answered',
      { thread: { id: threadId }, answer: { id: post.id, author_id: actor.id } },
      now,
    );
    await notify(
      trx,
      [thread.author_id],
      { type: 'answer', actorId: actor.id, threadId, postId: post.id },
      now,
    );
    await notify(
      trx,
      content.mentionedUserIds,
      { type: 'mention', actorId: actor.id, threadId, postId: post.id },
      now,
    );
    await mailWatchers(trx, threadId, post.id, actor.id, now);
    return post.id;
  });
  return { ok: true, id };
}

async function findPost(db: Database, postId: number, actor: Actor) {
  const post = await db
    .selectFrom('posts')
    .innerJoin('threads', 'threads.id', 'posts.thread_id')
    .select([
      'posts.id',
      'posts.thread_id',
      'posts.author_id',
      'posts.body_md',
      'posts.deleted_at',
      'posts.moderation_state',
      'threads.deleted_at as thread_deleted_at',
      'threads.accepted_post_id',
      'threads.author_id as asker_id',
    ])
    .where('posts.id', '=', postId)
    .executeTakeFirst();
  if (!post) return null;
  if ((post.deleted_at || post.thread_deleted_at) && !canSeeRemoved(actor, post)) return null;
  if (actor && !(await actorSeesThread(db, actor, post.thread_id))) return null;
  return post;
}

export async function getAnswerForEdit(db: Database, postId: number, actor: Author) {
  const post = await findPost(db, postId, actor);
  if (!post) return { ok: false as const, status: 404 as const };
  if (!canEdit(actor, post.author_id)) return { ok: false as const, status: 403 as const };
  return { ok: true as const, post };
}

export async function editAnswer(
  db: Database,
  actor: Author,
  postId: number,
  input: { body: string; reason?: string },
  now = new Date(),
): Promise<{ ok: true; threadId: number } | Failure> {
  const post = await findPost(db, postId, actor);
  if (!post) return { ok: false, status: 404, error: 'That answer no longer exists.' };
  if (!canEdit(actor, post.author_id))
    return { ok: false, status: 403, error: 'You can only edit your own answers.' };
  const editingOthers = actor.id !== post.author_id;
  if (editingOthers && !input.reason?.trim())
    return {
      ok: false,
      status: 400,
      error: 'Say why you are editing someone else’s answer: the history and the log keep it.',
    };
  const content = await renderContent(db, input.body);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('posts')
      .set({ body_md: input.body, body_html: content.html, updated_at: now.toISOString() })
      .where('id', '=', postId)
      .execute();
    await recordUploadUses(trx, actor, { type: 'post', id: postId }, input.body);
    await trx
      .updateTable('threads')
      .set({ last_activity_at: now.toISOString() })
      .where('id', '=', post.thread_id)
      .execute();
    await touchSearch(trx, 'thread', post.thread_id, now);
    await addRevision(
      trx,
      {
        target: 'post',
        targetId: postId,
        authorId: actor.id,
        bodyMd: input.body,
        reason: input.reason,
      },
      now,
    );
    if (editingOthers)
      await logModeration(
        trx,
        {
          actorId: actor.id,
          action: 'edit',
          targetType: 'post',
          targetId: postId,
          targetUserId: post.author_id,
          reason: input.reason,
        },
        now,
      );
  });
  return { ok: true, threadId: post.thread_id };
}

/** Soft delete or restore an answer; the author deletes, staff restore. */
export async function setAnswerDeleted(
  db: Database,
  actor: Author,
  postId: number,
  deleted: boolean,
  now = new Date(),
): Promise<{ ok: true; threadId: number } | Failure> {
  const post = await findPost(db, postId, actor);
  if (!post) return { ok: false, status: 404, error: 'That answer no longer exists.' };
  const allowed = deleted
    ? canDelete(actor, post.author_id)
    : isModerated(post.moderation_state)
      ? canModerate(actor)
      : canSeeDeleted(actor);
  if (!allowed) return { ok: false, status: 403, error: 'You cannot do that to this answer.' };
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('posts')
      .set(
        deleted
          ? { deleted_at: now.toISOString(), deleted_by: actor.id, moderation_state: 'deleted' }
          : { deleted_at: null, deleted_by: null, moderation_state: null },
      )
      .where('id', '=', postId)
      .execute();
    // A deleted answer cannot stay accepted.
    if (deleted && post.accepted_post_id === postId) {
      await trx
        .updateTable('threads')
        .set({ accepted_post_id: null, status: 'open' })
        .where('id', '=', post.thread_id)
        .execute();
    }
    await refreshThreadAnswers(trx, post.thread_id, now);
    await touchSearch(trx, 'thread', post.thread_id, now);
    await recomputeReputation(trx, post.author_id);
  });
  return { ok: true, threadId: post.thread_id };
}

/**
 * Accepts an answer (or, with null, withdraws the accept). The asker, agents and moderators may;
 * the thread becomes "answered" while an answer is accepted.
 */
export async function acceptAnswer(
  db: Database,
  actor: Author,
  threadId: number,
  postId: number | null,
  now = new Date(),
): Promise<{ ok: true } | Failure> {
  const thread = await openThread(db, threadId);
  if (!thread || !(await actorSeesThread(db, actor, threadId)))
    return { ok: false, status: 404, error: 'That question no longer exists.' };
  if (!canAccept(actor, thread.author_id)) {
    return {
      ok: false,
      status: 403,
      error: 'Only the person who asked, or our staff, can accept an answer.',
    };
  }
  let answerAuthor: number | null = null;
  if (postId !== null) {
    const post = await db
      .selectFrom('posts')
      .select(['id', 'author_id'])
      .where('id', '=', postId)
      .where('thread_id', '=', threadId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!post)
      return { ok: false, status: 400, error: 'That answer is not part of this question.' };
    answerAuthor = post.author_id;
  }
  const previous = thread.accepted_post_id;
  await db.transaction().execute(async (trx) => {
    const status =
      thread.status === 'open' || thread.status === 'answered'
        ? postId
          ? 'answered'
          : 'open'
        : thread.status;
    await trx
      .updateTable('threads')
      .set({ accepted_post_id: postId, status, last_activity_at: now.toISOString() })
      .where('id', '=', threadId)
      .execute();
    const affectedAuthors = new Set<number>();
    if (previous) {
      const old = await trx
        .selectFrom('posts')
        .select('author_id')
        .where('id', '=', previous)
        .executeTakeFirst();
      if (old) affectedAuthors.add(old.author_id);
    }
    if (answerAuthor !== null) affectedAuthors.add(answerAuthor);
    for (const authorId of affectedAuthors) await recomputeReputation(trx, authorId);
    await touchSearch(trx, 'thread', threadId, now);
    if (postId !== null && answerAuthor !== null && postId !== previous) {
      await recordEvent(trx, 'answer_accepted', {
        user_id: actor.id,
        thread_id: threadId,
        post_id: postId,
        at: now,
      });
      await emitWebhook(
        trx,
        'thread.accepted',
        { thread: { id: threadId }, answer: { id: postId, author_id: answerAuthor } },
        now,
      );
      await notify(
        trx,
        [answerAuthor],
        { type: 'accepted', actorId: actor.id, threadId, postId },
        now,
      );
    }
  });
  return { ok: true };
}

export type AnswerSort = 'votes' | 'newest';

/** The answers a reader sees: accepted first, then by score, then oldest (or newest first). */
export async function answersOfThread(
  db: Database,
  threadId: number,
  actor: Actor,
  sort: AnswerSort,
  acceptedId: number | null,
) {
  let query = db
    .selectFrom('posts')
    .innerJoin('users as author', 'author.id', 'posts.author_id')
    .select([
      'posts.id',
      'posts.body_html',
      'posts.score',
      'posts.created_at',
      'posts.updated_at',
      'posts.deleted_at',
      'posts.moderation_state',
      'posts.author_id',
      'author.username as author_username',
      'author.display_name as author_name',
      'author.reputation as author_reputation',
    ])
    .where('posts.thread_id', '=', threadId);
  if (!canSeeDeleted(actor)) query = query.where(visibleTo('posts', actor));
  const answers = await (
    sort === 'newest'
      ? query.orderBy('posts.created_at', 'desc').orderBy('posts.id', 'desc')
      : query.orderBy('posts.score', 'desc').orderBy('posts.created_at').orderBy('posts.id')
  ).execute();
  if (sort === 'votes' && acceptedId) {
    const index = answers.findIndex((answer) => answer.id === acceptedId);
    if (index > 0) answers.unshift(...answers.splice(index, 1));
  }
  return answers;
}
