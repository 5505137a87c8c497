import { redirect } from '@remix-run/node';
import { z } from 'zod';
import type { SessionUser } from '~/auth/session.server';
import type { Database } from '#db/client';
import { promoteAnswer } from '~/models/article-promotion.server';
import { addComment, commentSchema, setCommentDeleted } from '~/models/comments.server';
import { setWatching } from '~/models/mail/thread-watches.server';
import { canSeeDeleted, isStaff } from '~/models/permissions';
import { postingCheck } from '~/models/posting-rules.server';
import { acceptAnswer, answerSchema, postAnswer, setAnswerDeleted } from '~/models/posts.server';
import { markSelfResolved, setThreadDeleted } from '~/models/threads.server';
import { escalateThread } from '~/models/ticket-escalation.server';
import { linkToProblem, unlinkFromProblem } from '~/models/problems/problems.server';
import { appendAttachments } from '~/models/uploads/body-attachments.server';
import { castVote } from '~/models/votes.server';
import { formError, formFailure, formReply, formValues, parseForm } from '~/utils/forms.server';
import { answerAnchor, commentAnchor } from '#lib/content-urls';

// One handler per form on the question page; each reads its own fields with its own schema.

export type IntentArgs = {
  db: Database;
  user: SessionUser;
  threadId: number;
  formData: FormData;
  /** The page's path, to come back to. */
  here: string;
};

const targetId = z.coerce.number().int().positive();
const schemas = {
  vote: z.object({
    target: z.enum(['thread', 'post']),
    targetId,
    direction: z.enum(['up', 'down']),
  }),
  accept: z.object({ postId: z.union([targetId, z.literal('none')]) }),
  escalate: z.object({
    note: z.string().trim().max(5000, 'Keep the note under 5,000 characters.'),
  }),
  watch: z.object({ watching: z.enum(['on', 'off']) }),
  answerRef: z.object({ postId: targetId }),
  commentRef: z.object({ commentId: targetId }),
};

function fieldsOf(formData: FormData) {
  return Object.fromEntries(formData);
}

export async function voteAction({ db, user, formData }: IntentArgs) {
  const parsed = schemas.vote.safeParse(fieldsOf(formData));
  if (!parsed.success) return formError(400, 'That vote could not be read.');
  const { target, targetId, direction } = parsed.data;
  const result = await castVote(db, user.id, target, targetId, direction === 'up' ? 1 : -1);
  return result.ok ? formReply(200) : formError(result.status, result.error);
}

/**
 * "Watch" mails this person each new answer; pressing "Watching" stops that, also for the asker
 * and answerers, who watch by default.
 */
export async function watchAction({ db, user, threadId, formData }: IntentArgs) {
  const parsed = schemas.watch.safeParse(fieldsOf(formData));
  if (!parsed.success) return formError(400, 'Choose to watch the question or to stop.', 'watch');
  const result = await setWatching(db, threadId, user.id, parsed.data.watching === 'on');
  if (!result.ok) return formError(result.status, result.error, 'watch');
  return formReply(200, {
    form: 'watch',
    notice: result.watching
      ? 'You are watching this question: each new answer comes by mail.'
      : 'You stopped watching this question.',
  });
}

export async function acceptAction({ db, user, threadId, formData }: IntentArgs) {
  const parsed = schemas.accept.safeParse(fieldsOf(formData));
  if (!parsed.success) return formError(400, 'Choose an answer to accept.');
  const postId = parsed.data.postId === 'none' ? null : parsed.data.postId;
  const result = await acceptAnswer(db, user, threadId, postId);
  return result.ok ? formReply(200) : formError(result.status, result.error);
}

export async function answerAction({ db, user, threadId, formData, here }: IntentArgs) {
  const attached = await appendAttachments(db, user, formData);
  if (!attached.ok) return formFailure(attached.failure);
  const parsed = parseForm(formData, answerSchema);
  if (!parsed.success)
    return formReply(400, { fieldErrors: parsed.fieldErrors, values: parsed.values });
  const refused = (status: number, error: string) =>
    formReply(status, { fieldErrors: { body: error }, values: formValues(formData) });
  const allowed = await postingCheck(db, user, 'post', parsed.data.body);
  if (!allowed.ok) return refused(allowed.status, allowed.error);
  const result = await postAnswer(db, user, threadId, parsed.data.body, new Date(), {
    awaitingReview: allowed.awaitingReview,
  });
  if (!result.ok) return refused(result.status, result.error);
  return redirect(
    `${here}${allowed.awaitingReview ? '?awaiting=1' : ''}#${answerAnchor(result.id)}`,
  );
}

export async function commentAction({ db, user, threadId, formData, here }: IntentArgs) {
  const parsed = parseForm(formData, commentSchema);
  if (!parsed.success)
    return formError(
      400,
      Object.values(parsed.fieldErrors)[0] ?? 'That comment could not be posted.',
    );
  const { body, postId } = parsed.data;
  const allowed = await postingCheck(db, user, 'comment', body);
  if (!allowed.ok) return formError(allowed.status, allowed.error);
  const result = await addComment(db, user, threadId, postId ?? null, body, new Date(), {
    awaitingReview: allowed.awaitingReview,
  });
  if (!result.ok) return formError(result.status, result.error);
  return redirect(
    `${here}${allowed.awaitingReview ? '?awaiting=1' : ''}#${commentAnchor(result.id)}`,
  );
}

export async function escalateAction({ db, user, threadId, formData }: IntentArgs) {
  const parsed = schemas.escalate.safeParse({ note: formData.get('note') ?? '' });
  if (!parsed.success) return formError(400, 'Keep the note under 5,000 characters.');
  const result = await escalateThread(db, user, threadId, parsed.data.note);
  if (!result.ok) return formError(result.status, result.error);
  return redirect(
    isStaff(user) ? `/agent/tickets/${result.id}` : `/requests/${result.id}?created=1`,
  );
}

/** Staff link the question to a known issue, or take it off the one it is linked to. */
export async function problemAction({ db, user, threadId, formData, here }: IntentArgs) {
  const target = { type: 'thread' as const, id: threadId };
  if (formData.get('unlink')) {
    const unlinked = await unlinkFromProblem(db, user, target);
    return unlinked.ok ? redirect(here) : formError(unlinked.status, unlinked.error);
  }
  const problemId = targetId.safeParse(formData.get('problemId'));
  if (!problemId.success) return formError(400, 'Choose a known issue from the list.');
  const linked = await linkToProblem(db, user, problemId.data, target);
  return linked.ok ? redirect(here) : formError(linked.status, linked.error);
}

export async function promoteAction({ db, user, formData }: IntentArgs) {
  const parsed = schemas.answerRef.safeParse(fieldsOf(formData));
  if (!parsed.success) return formError(400, 'Choose an answer to promote.');
  const result = await promoteAnswer(db, user, parsed.data.postId);
  return result.ok
    ? redirect(`/agent/articles/${result.id}${result.existing ? '' : '?promoted=1'}`)
    : formError(result.status, result.error);
}

/** Delete or restore the question; whoever cannot see deleted questions goes to the list. */
export async function threadDeletedAction(
  { db, user, threadId, here }: IntentArgs,
  deleted: boolean,
) {
  const result = await setThreadDeleted(db, user, threadId, deleted);
  if (!result.ok) return formError(result.status, 'You cannot do that to this question.');
  return redirect(canSeeDeleted(user) || !deleted ? here : '/questions');
}

/** Delete or restore an answer or a comment: its author, or a moderator. */
export async function postDeletedAction(
  { db, user, formData, here }: IntentArgs,
  target: 'answer' | 'comment',
  deleted: boolean,
) {
  const fields = fieldsOf(formData);
  if (target === 'answer') {
    const parsed = schemas.answerRef.safeParse(fields);
    if (!parsed.success) return formError(400, 'Choose an answer.');
    const result = await setAnswerDeleted(db, user, parsed.data.postId, deleted);
    return result.ok ? redirect(here) : formError(result.status, result.error);
  }
  const parsed = schemas.commentRef.safeParse(fields);
  if (!parsed.success) return formError(400, 'Choose a comment.');
  const result = await setCommentDeleted(db, user, parsed.data.commentId, deleted);
  return result.ok
    ? redirect(here)
    : formError(result.status, 'You cannot do that to this comment.');
}

/** "This solved my problem" needs no account: a visitor is counted by their cookie. */
export async function selfResolveAction(
  db: Database,
  threadId: number,
  reader: { userId: number | null; key: string },
  setCookie: string | null,
) {
  const result = await markSelfResolved(db, threadId, reader);
  if (!result.ok) return formError(result.status, result.error);
  return formReply(200, {}, setCookie ? { 'Set-Cookie': setCookie } : undefined);
}
