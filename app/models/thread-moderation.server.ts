import { z } from 'zod';
import type { Database } from '#db/client';
import { logModeration } from './audit-log.server';
import { canModerate, type Actor } from './permissions';
import { refreshThreadAnswers } from './posts.server';
import { touchSearch } from '#search/outbox';
import { parseContentUrl } from '#lib/content-urls';
import type { Failure } from '~/utils/result';

/** What moderators do to a whole thread: lock, close, mark duplicate, merge, move, pin. */

type Person = NonNullable<Actor>;

export const threadActions = [
  'lock',
  'unlock',
  'close',
  'reopen',
  'duplicate',
  'merge',
  'move',
  'pin',
  'unpin',
] as const;
export type ThreadAction = (typeof threadActions)[number];

const reference = z.string().trim().max(2000).default('');

export const threadActionSchema = z.object({
  intent: z.enum(threadActions, 'Choose what to do with the thread.'),
  reason: z.string().trim().max(1000, 'Keep the reason under 1,000 characters.').default(''),
  /** Another thread, by id or URL (duplicate of, merge into). */
  target: reference,
  categoryId: z
    .union([
      z.literal(''),
      z.coerce
        .number()
        .int()
        .positive()
        .max(2 ** 40),
    ])
    .default(''),
});

/** "12", "/questions/12/slug" or a full URL to one of our questions. */
export function threadIdFrom(text: string): number | null {
  const plain = /^(\d{1,12})$/.exec(text.trim());
  if (plain) return Number(plain[1]);
  const reference = parseContentUrl(text);
  return reference?.type === 'thread' ? reference.id : null;
}

const needsReason: ThreadAction[] = ['lock', 'close', 'duplicate', 'merge', 'move'];

export async function moderateThread(
  db: Database,
  actor: Person,
  threadId: number,
  input: z.infer<typeof threadActionSchema>,
  now = new Date(),
): Promise<{ ok: true; redirectTo: number } | Failure> {
  if (!canModerate(actor)) return { ok: false, status: 403, error: 'Only moderators can do that.' };
  const thread = await db
    .selectFrom('threads')
    .select(['id', 'author_id', 'status', 'accepted_post_id', 'category_id', 'deleted_at'])
    .where('id', '=', threadId)
    .executeTakeFirst();
  if (!thread) return { ok: false, status: 404, error: 'That question no longer exists.' };
  if (needsReason.includes(input.intent) && !input.reason)
    return { ok: false, status: 400, error: 'Say why: the reason is shown and kept in the log.' };
  const openStatus = thread.accepted_post_id ? 'answered' : 'open';
  const at = now.toISOString();
  let data: Record<string, unknown> | undefined;
  let redirectTo = threadId;

  switch (input.intent) {
    case 'lock':
    case 'unlock':
      await db
        .updateTable('threads')
        .set({
          status: input.intent === 'lock' ? 'locked' : openStatus,
          closed_reason: input.intent === 'lock' ? input.reason : null,
        })
        .where('id', '=', threadId)
        .execute();
      break;
    case 'close':
    case 'reopen':
      await db
        .updateTable('threads')
        .set({
          status: input.intent === 'close' ? 'closed' : openStatus,
          closed_reason: input.intent === 'close' ? input.reason : null,
          ...(input.intent === 'reopen' ? { duplicate_of: null } : {}),
        })
        .where('id', '=', threadId)
        .execute();
      if (input.intent === 'reopen')
        await db
          .deleteFrom('thread_links')
          .where('thread_id', '=', threadId)
          .where('relation', '=', 'duplicate')
          .execute();
      break;
    case 'duplicate':
    case 'merge': {
      const targetId = threadIdFrom(input.target);
      const target = targetId
        ? await db
            .selectFrom('threads')
            .select(['id', 'accepted_post_id'])
            .where('id', '=', targetId)
            .where('deleted_at', 'is', null)
            .executeTakeFirst()
        : undefined;
      if (!target || target.id === threadId)
        return {
          ok: false,
          status: 400,
          error: 'Give another question here, by its link or number.',
        };
      data = { target: target.id };
      if (input.intent === 'duplicate') {
        // Answers stay readable; the banner sends readers to the original.
        await db.transaction().execute(async (trx) => {
          await trx
            .updateTable('threads')
            .set({ duplicate_of: target.id, status: 'closed', closed_reason: input.reason })
            .where('id', '=', threadId)
            .execute();
          await trx
            .insertInto('thread_links')
            .values({
              thread_id: threadId,
              linked_thread_id: target.id,
              relation: 'duplicate',
              created_at: at,
            })
            .onConflict((oc) => oc.doNothing())
            .execute();
        });
        break;
      }
      // Merge: the answers and comments move to the other thread; this one redirects there.
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('posts')
          .set({ thread_id: target.id })
          .where('thread_id', '=', threadId)
          .execute();
        await trx
          .updateTable('comments')
          .set({ thread_id: target.id })
          .where('thread_id', '=', threadId)
          .execute();
        if (!target.accepted_post_id && thread.accepted_post_id)
          await trx
            .updateTable('threads')
            .set({ accepted_post_id: thread.accepted_post_id, status: 'answered' })
            .where('id', '=', target.id)
            .execute();
        await trx
          .updateTable('threads')
          .set({
            merged_into: target.id,
            accepted_post_id: null,
            deleted_at: at,
            deleted_by: actor.id,
            moderation_state: 'merged',
          })
          .where('id', '=', threadId)
          .execute();
        await refreshThreadAnswers(trx, threadId, now);
        await refreshThreadAnswers(trx, target.id, now);
        await touchSearch(trx, 'thread', threadId, now);
        await touchSearch(trx, 'thread', target.id, now);
      });
      redirectTo = target.id;
      break;
    }
    case 'move': {
      const categoryId = input.categoryId === '' ? null : input.categoryId;
      if (categoryId !== null) {
        const category = await db
          .selectFrom('categories')
          .select('id')
          .where('id', '=', categoryId)
          .executeTakeFirst();
        if (!category) return { ok: false, status: 400, error: 'Choose a category from the list.' };
      }
      data = { from: thread.category_id, to: categoryId };
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('threads')
          .set({ category_id: categoryId })
          .where('id', '=', threadId)
          .execute();
        await touchSearch(trx, 'thread', threadId, now);
      });
      break;
    }
    case 'pin':
    case 'unpin':
      await db
        .updateTable('threads')
        .set({ pinned_at: input.intent === 'pin' ? at : null })
        .where('id', '=', threadId)
        .execute();
      break;
  }
  if (['lock', 'unlock', 'close', 'reopen', 'duplicate'].includes(input.intent))
    await touchSearch(db, 'thread', threadId, now);
  await logModeration(
    db,
    {
      actorId: actor.id,
      action: `thread_${input.intent}`,
      targetType: 'thread',
      targetId: threadId,
      targetUserId: thread.author_id,
      reason: input.reason,
      data,
    },
    now,
  );
  return { ok: true, redirectTo };
}

/** Where a merged thread went (its old URL redirects there). */
export async function mergedInto(db: Database, threadId: number) {
  const row = await db
    .selectFrom('threads as source')
    .innerJoin('threads as target', 'target.id', 'source.merged_into')
    .select(['target.id', 'target.slug'])
    .where('source.id', '=', threadId)
    .executeTakeFirst();
  return row ?? null;
}

/** A category's pinned threads, newest pin first. */
export async function pinnedThreads(db: Database, categoryId: number) {
  return db
    .selectFrom('threads')
    .select(['id', 'slug', 'title', 'answer_count', 'status'])
    .where('category_id', '=', categoryId)
    .where('pinned_at', 'is not', null)
    .where('deleted_at', 'is', null)
    .orderBy('pinned_at', 'desc')
    .limit(10)
    .execute();
}
