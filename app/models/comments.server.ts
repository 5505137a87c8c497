import { z } from 'zod';
import type { Database } from '#db/client';
import { renderContent } from './content.server';
import { notify } from './notifications.server';
import {
  canDelete,
  canModerate,
  canSeeDeleted,
  canSeeRemoved,
  isModerated,
  type Actor,
} from './permissions';
import { visibleTo } from './sql.server';
import { actorSeesThread } from './thread-access.server';

export const commentSchema = z.object({
  body: z
    .string()
    .trim()
    .min(2, 'Write a comment first.')
    .max(600, 'Keep comments under 600 characters.'),
  postId: z
    .string()
    .regex(/^\d{0,12}$/)
    .transform((value) => (value ? Number(value) : null))
    .optional(),
});

/** A comment on the question (postId null) or on one of its answers. */
export async function addComment(
  db: Database,
  actor: NonNullable<Actor>,
  threadId: number,
  postId: number | null,
  body: string,
  now = new Date(),
  options: { awaitingReview?: boolean } = {},
): Promise<{ ok: true; id: number } | { ok: false; status: 403 | 404; error: string }> {
  const thread = await db
    .selectFrom('threads')
    .select(['id', 'author_id', 'status'])
    .where('id', '=', threadId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!thread || !(await actorSeesThread(db, actor, threadId)))
    return { ok: false, status: 404, error: 'That question no longer exists.' };
  if (thread.status === 'locked')
    return { ok: false, status: 403, error: 'This question is locked.' };
  let recipient = thread.author_id;
  if (postId !== null) {
    const post = await db
      .selectFrom('posts')
      .select('author_id')
      .where('id', '=', postId)
      .where('thread_id', '=', threadId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!post) return { ok: false, status: 404, error: 'That answer no longer exists.' };
    recipient = post.author_id;
  }
  const content = await renderContent(db, body);
  const id = await db.transaction().execute(async (trx) => {
    const comment = await trx
      .insertInto('comments')
      .values({
        thread_id: threadId,
        post_id: postId,
        author_id: actor.id,
        body_md: body,
        body_html: content.html,
        created_at: now.toISOString(),
        ...(options.awaitingReview
          ? { deleted_at: now.toISOString(), moderation_state: 'awaiting_review' as const }
          : {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (options.awaitingReview) return comment.id;
    await trx
      .updateTable('threads')
      .set({ last_activity_at: now.toISOString() })
      .where('id', '=', threadId)
      .execute();
    const where = { threadId, postId, commentId: comment.id };
    await notify(trx, [recipient], { type: 'comment', actorId: actor.id, ...where }, now);
    await notify(
      trx,
      content.mentionedUserIds.filter((id) => id !== recipient),
      { type: 'mention', actorId: actor.id, ...where },
      now,
    );
    return comment.id;
  });
  return { ok: true, id };
}

export async function setCommentDeleted(
  db: Database,
  actor: NonNullable<Actor>,
  commentId: number,
  deleted: boolean,
  now = new Date(),
): Promise<{ ok: true; threadId: number } | { ok: false; status: 403 | 404 }> {
  const comment = await db
    .selectFrom('comments')
    .select(['id', 'author_id', 'thread_id', 'deleted_at', 'moderation_state'])
    .where('id', '=', commentId)
    .executeTakeFirst();
  if (
    !comment ||
    (comment.deleted_at && !canSeeRemoved(actor, comment)) ||
    !(await actorSeesThread(db, actor, comment.thread_id))
  )
    return { ok: false, status: 404 };
  const allowed = deleted
    ? canDelete(actor, comment.author_id)
    : isModerated(comment.moderation_state)
      ? canModerate(actor)
      : canSeeDeleted(actor);
  if (!allowed) return { ok: false, status: 403 };
  await db
    .updateTable('comments')
    .set(
      deleted
        ? { deleted_at: now.toISOString(), moderation_state: 'deleted' }
        : { deleted_at: null, moderation_state: null },
    )
    .where('id', '=', commentId)
    .execute();
  return { ok: true, threadId: comment.thread_id };
}

export async function commentsOfThread(db: Database, threadId: number, actor: Actor) {
  let query = db
    .selectFrom('comments')
    .innerJoin('users as author', 'author.id', 'comments.author_id')
    .select([
      'comments.id',
      'comments.post_id',
      'comments.body_html',
      'comments.created_at',
      'comments.deleted_at',
      'comments.moderation_state',
      'comments.author_id',
      'author.username as author_username',
      'author.display_name as author_name',
    ])
    .where('comments.thread_id', '=', threadId);
  if (!canSeeDeleted(actor)) query = query.where(visibleTo('comments', actor));
  return query.orderBy('comments.created_at').orderBy('comments.id').execute();
}
