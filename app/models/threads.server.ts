import { z } from 'zod';
import type { Database } from '#db/client';
import type { FieldErrors } from '~/utils/forms.server';
import { slugify } from '~/utils/slug';
import { renderContent } from './content.server';
import { recordUploadUses } from './uploads/uses.server';
import { recordEvent, recordSelfResolution, selfResolutionsOf } from './events.server';
import { notify } from './notifications.server';
import {
  canCreateTags,
  canDelete,
  canEdit,
  canModerate,
  canSeeDeleted,
  canSeeRemoved,
  isModerated,
  newTagReputation,
  type Actor,
} from './permissions';
import { recomputeReputation } from './reputation.server';
import { addRevision } from './revisions.server';
import { logModeration } from './audit-log.server';
import { setThreadTags, tagListSchema, unknownTags } from './tags.server';
import { touchSearch } from '#search/outbox';
import { actorSeesThread, viewerOfActor } from './thread-access.server';
import { categoryVisibleSql, threadVisibleSql, type Viewer } from './visibility.server';
import { categoryIdField, editReasonField, journeyStageField } from './form-fields';

const hasWords = (text: string) => /[\p{L}\p{N}]/u.test(text);

// Words that are also pages under /questions/:id/, so a title may not take them as its slug.
const reservedSlugs = new Set(['revisions', 'edit']);

export function threadSlug(title: string): string {
  const slug = slugify(title) || 'question';
  return reservedSlugs.has(slug) ? `${slug}-question` : slug;
}

export const questionSchema = z.object({
  title: z
    .string()
    .trim()
    .min(15, 'Use at least 15 characters: say what you are trying to do.')
    .max(150, 'Use at most 150 characters.')
    .refine(hasWords, 'Use words that describe your question.'),
  body: z
    .string()
    .trim()
    .min(20, 'Add some detail: at least 20 characters. What did you try, and what happened?')
    .max(30_000, 'Use at most 30,000 characters.'),
  categoryId: categoryIdField,
  tags: tagListSchema,
  journeyStage: journeyStageField,
  reason: editReasonField,
});

export type QuestionInput = z.infer<typeof questionSchema>;

type Author = NonNullable<Actor>;

/** Checks what the database decides: the category exists and new tags are allowed. */
async function checkQuestion(
  db: Database,
  actor: Author,
  input: QuestionInput,
): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  if (input.categoryId !== null) {
    // A category the person may not see does not exist for them.
    const category = await db
      .selectFrom('categories')
      .select('id')
      .where('id', '=', input.categoryId)
      .where(categoryVisibleSql(await viewerOfActor(db, actor), 'categories.id'))
      .executeTakeFirst();
    if (!category) errors.categoryId = 'Choose a category from the list.';
  }
  const unknown = await unknownTags(db, input.tags);
  if (unknown.length > 0) {
    const user = await db
      .selectFrom('users')
      .select('reputation')
      .where('id', '=', actor.id)
      .executeTakeFirstOrThrow();
    if (!canCreateTags(actor, user.reputation)) {
      errors.tags = `${unknown.map((tag) => `"${tag}"`).join(', ')} ${unknown.length === 1 ? 'is a new tag' : 'are new tags'}. New tags can be created from ${newTagReputation} reputation; choose existing tags for now.`;
    }
  }
  return errors;
}

export async function askQuestion(
  db: Database,
  actor: Author,
  input: QuestionInput,
  now = new Date(),
  options: { awaitingReview?: boolean } = {},
): Promise<{ ok: true; id: number; slug: string } | { ok: false; fieldErrors: FieldErrors }> {
  const fieldErrors = await checkQuestion(db, actor, input);
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  const content = await renderContent(db, input.body);
  const slug = threadSlug(input.title);
  const at = now.toISOString();
  const thread = await db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('threads')
      .values({
        title: input.title,
        slug,
        body_md: input.body,
        body_html: content.html,
        author_id: actor.id,
        category_id: input.categoryId,
        journey_stage: input.journeyStage,
        created_at: at,
        updated_at: at,
        last_activity_at: at,
        // Held for a moderator: out of public view until approved.
        ...(options.awaitingReview ? { deleted_at: at, moderation_state: 'awaiting_review' } : {}),
      })
      .returning(['id', 'slug'])
      .executeTakeFirstOrThrow();
    await recordUploadUses(trx, actor, { type: 'thread', id: created.id }, input.body);
    await setThreadTags(trx, created.id, input.tags, now);
    await addRevision(
      trx,
      {
        target: 'thread',
        targetId: created.id,
        authorId: actor.id,
        title: input.title,
        bodyMd: input.body,
        tags: input.tags,
      },
      now,
    );
    await recordEvent(trx, 'question_asked', { user_id: actor.id, thread_id: created.id, at: now });
    await touchSearch(trx, 'thread', created.id, now);
    if (!options.awaitingReview)
      await notify(
        trx,
        content.mentionedUserIds,
        { type: 'mention', actorId: actor.id, threadId: created.id },
        now,
      );
    return created;
  });
  return { ok: true, ...thread };
}

export async function editQuestion(
  db: Database,
  actor: Author,
  threadId: number,
  input: QuestionInput,
  now = new Date(),
): Promise<
  { ok: true; slug: string } | { ok: false; status?: 403 | 404; fieldErrors: FieldErrors }
> {
  const thread = await db
    .selectFrom('threads')
    .select(['id', 'author_id', 'body_md', 'deleted_at'])
    .where('id', '=', threadId)
    .executeTakeFirst();
  if (
    !thread ||
    (thread.deleted_at && !canSeeDeleted(actor)) ||
    !(await actorSeesThread(db, actor, threadId))
  )
    return { ok: false, status: 404, fieldErrors: {} };
  if (!canEdit(actor, thread.author_id)) return { ok: false, status: 403, fieldErrors: {} };
  const editingOthers = actor.id !== thread.author_id;
  if (editingOthers && !input.reason)
    return {
      ok: false,
      fieldErrors: {
        reason: 'Say why you are editing someone else’s question: the history and the log keep it.',
      },
    };
  const fieldErrors = await checkQuestion(db, actor, input);
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  const content = await renderContent(db, input.body);
  const slug = threadSlug(input.title);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('threads')
      .set({
        title: input.title,
        slug,
        body_md: input.body,
        body_html: content.html,
        category_id: input.categoryId,
        journey_stage: input.journeyStage,
        updated_at: now.toISOString(),
        last_activity_at: now.toISOString(),
      })
      .where('id', '=', threadId)
      .execute();
    await recordUploadUses(trx, actor, { type: 'thread', id: threadId }, input.body);
    await setThreadTags(trx, threadId, input.tags, now);
    await touchSearch(trx, 'thread', threadId, now);
    await addRevision(
      trx,
      {
        target: 'thread',
        targetId: threadId,
        authorId: actor.id,
        title: input.title,
        bodyMd: input.body,
        tags: input.tags,
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
          targetType: 'thread',
          targetId: threadId,
          targetUserId: thread.author_id,
          reason: input.reason,
        },
        now,
      );
  });
  return { ok: true, slug };
}

/** Soft delete (or restore): hidden from everyone but staff, who can bring it back. */
export async function setThreadDeleted(
  db: Database,
  actor: Author,
  threadId: number,
  deleted: boolean,
  now = new Date(),
): Promise<{ ok: true } | { ok: false; status: 403 | 404 }> {
  const thread = await db
    .selectFrom('threads')
    .select(['id', 'author_id', 'deleted_at', 'accepted_post_id', 'moderation_state'])
    .where('id', '=', threadId)
    .executeTakeFirst();
  if (
    !thread ||
    (thread.deleted_at && !canSeeRemoved(actor, thread)) ||
    !(await actorSeesThread(db, actor, threadId))
  )
    return { ok: false, status: 404 };
  const allowed = deleted
    ? canDelete(actor, thread.author_id)
    : isModerated(thread.moderation_state)
      ? canModerate(actor)
      : canSeeDeleted(actor);
  if (!allowed) return { ok: false, status: 403 };
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('threads')
      .set(
        deleted
          ? { deleted_at: now.toISOString(), deleted_by: actor.id, moderation_state: 'deleted' }
          : { deleted_at: null, deleted_by: null, moderation_state: null },
      )
      .where('id', '=', threadId)
      .execute();
    await touchSearch(trx, 'thread', threadId, now);
    // Votes and accepts on a deleted question no longer count for anyone.
    const affected = await trx
      .selectFrom('posts')
      .select('author_id')
      .where('thread_id', '=', threadId)
      .execute();
    for (const authorId of new Set([thread.author_id, ...affected.map((post) => post.author_id)])) {
      await recomputeReputation(trx, authorId);
    }
  });
  return { ok: true };
}

export type ThreadSummary = Awaited<ReturnType<typeof getThreadForPage>>;

/** A thread as its page shows it, or null when it does not exist for this reader. */
export async function getThreadForPage(
  db: Database,
  threadId: number,
  actor: Actor,
  viewer: Viewer,
) {
  const thread = await db
    .selectFrom('threads')
    .innerJoin('users as author', 'author.id', 'threads.author_id')
    .leftJoin('categories', 'categories.id', 'threads.category_id')
    .select([
      'threads.id',
      'threads.title',
      'threads.slug',
      'threads.body_md',
      'threads.body_html',
      'threads.status',
      'threads.accepted_post_id',
      'threads.journey_stage',
      'threads.views',
      'threads.score',
      'threads.answer_count',
      'threads.created_at',
      'threads.updated_at',
      'threads.deleted_at',
      'threads.moderation_state',
      'threads.closed_reason',
      'threads.pinned_at',
      'threads.merged_into',
      'threads.duplicate_of',
      'threads.author_id',
      'threads.category_id',
      'author.username as author_username',
      'author.display_name as author_name',
      'author.reputation as author_reputation',
      'categories.name as category_name',
      'categories.slug as category_slug',
    ])
    .where('threads.id', '=', threadId)
    .where(threadVisibleSql(viewer))
    .executeTakeFirst();
  if (!thread || (thread.deleted_at && !canSeeRemoved(actor, thread))) return null;
  return thread;
}

export async function getThreadTags(db: Database, threadId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('thread_tags')
    .innerJoin('tags', 'tags.id', 'thread_tags.tag_id')
    .select('tags.name')
    .where('thread_tags.thread_id', '=', threadId)
    .orderBy('tags.name')
    .execute();
  return rows.map((row) => row.name);
}

/**
 * "This solved my problem", pressed by a reader who is not the asker: recorded once per reader
 * per thread as a self-resolution event.
 */
export async function markSelfResolved(
  db: Database,
  threadId: number,
  reader: { userId: number | null; key: string },
  now = new Date(),
): Promise<{ ok: true; recorded: boolean } | { ok: false; status: 403 | 404; error: string }> {
  const thread = await db
    .selectFrom('threads')
    .select(['id', 'author_id'])
    .where('id', '=', threadId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!thread) return { ok: false, status: 404, error: 'That question no longer exists.' };
  if (reader.userId === thread.author_id) {
    return {
      ok: false,
      status: 403,
      error: 'This button is for other readers; as the asker, accept the answer that helped.',
    };
  }
  const recorded = await recordSelfResolution(db, { thread_id: threadId }, reader, now);
  return { ok: true, recorded };
}

export function selfResolution(db: Database, threadId: number, readerKey: string) {
  return selfResolutionsOf(db, { thread_id: threadId }, readerKey);
}
