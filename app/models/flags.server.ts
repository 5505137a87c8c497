import { z } from 'zod';
import type { Database } from '#db/client';
import { flagReasons } from '#db/schema';
import { logModeration } from './audit-log.server';
import {
  authorOf,
  contentInfo,
  contentRefSchema,
  moderationSettings,
  type ContentInfo,
  setVisibility,
} from './moderation.server';
import { canSeeRemoved, type Actor } from './permissions';
import { isUniqueViolation } from './sql.server';
import { actorSeesThread, articleVisibleTo, viewerOfActor } from './thread-access.server';
import type { Failure } from '~/utils/result';

/**
 * Flags: members report content to the moderators, once each; enough of them hide it until a
 * moderator decides (moderateContent in moderation.server.ts settles the flags).
 */

type Person = NonNullable<Actor>;

export const flagSchema = contentRefSchema
  .extend({
    reason: z.enum(flagReasons, 'Choose why you are flagging it.'),
    text: z.string().trim().max(500, 'Keep it under 500 characters.').optional(),
  })
  .refine((flag) => flag.reason !== 'other' || (flag.text ?? '').length > 0, {
    message: 'Say what is wrong.',
    path: ['text'],
  });

/** Whether the person flagging may see it: its thread, or the article itself. */
async function actorSees(db: Database, actor: Person, content: ContentInfo): Promise<boolean> {
  if (content.threadId !== null) return actorSeesThread(db, actor, content.threadId);
  if (content.type !== 'article') return true;
  return articleVisibleTo(db, await viewerOfActor(db, actor), content.id);
}

/**
 * Flags content for the moderators, once per person. When enough different people flag it
 * (the threshold, 3 unless an admin changed it), it is hidden until a moderator reviews it.
 */
export async function flagContent(
  db: Database,
  actor: Person,
  input: z.infer<typeof flagSchema>,
  now = new Date(),
): Promise<{ ok: true; hidden: boolean } | Failure> {
  const ref = { type: input.targetType, id: input.targetId };
  const content = await contentInfo(db, ref);
  const visible =
    content &&
    (!content.removed ||
      canSeeRemoved(actor, { author_id: content.authorId, moderation_state: content.state }));
  if (!content || !visible || !(await actorSees(db, actor, content)))
    return { ok: false, status: 404, error: 'That no longer exists.' };
  if (content.authorId === actor.id)
    return {
      ok: false,
      status: 400,
      error: 'You cannot flag your own post. Edit or delete it instead.',
    };
  try {
    await db
      .insertInto('flags')
      .values({
        target_type: ref.type,
        target_id: ref.id,
        user_id: actor.id,
        reason: input.reason,
        text: input.text || null,
        created_at: now.toISOString(),
      })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error))
      return {
        ok: false,
        status: 400,
        error: 'You already flagged this. Moderators will review it.',
      };
    throw error;
  }
  const { flagThreshold } = await moderationSettings(db);
  const flaggers = await db
    .selectFrom('flags')
    .select((eb) => eb.fn.count<number>('user_id').distinct().as('n'))
    .where('target_type', '=', ref.type)
    .where('target_id', '=', ref.id)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  if (Number(flaggers.n) >= flagThreshold && !content.removed) {
    await setVisibility(db, ref, 'hidden', null, now);
    await logModeration(
      db,
      {
        actorId: null,
        action: 'auto_hide',
        targetType: ref.type,
        targetId: ref.id,
        targetUserId: content.authorId,
        reason: `${Number(flaggers.n)} people flagged it`,
      },
      now,
    );
    return { ok: true, hidden: true };
  }
  return { ok: true, hidden: false };
}

/** Flagged content with its flags: most-flagged first, then the oldest. */
export async function flagQueue(db: Database) {
  const groups = await db
    .selectFrom('flags')
    .select((eb) => [
      'target_type',
      'target_id',
      eb.fn.countAll<number>().as('flag_count'),
      eb.fn.min('created_at').as('first_flagged_at'),
    ])
    .where('status', '=', 'open')
    .groupBy(['target_type', 'target_id'])
    .orderBy('flag_count', 'desc')
    .orderBy('first_flagged_at')
    .limit(100)
    .execute();
  return Promise.all(
    groups.map(async (group) => {
      const ref = { type: group.target_type, id: group.target_id };
      const [content, flags] = await Promise.all([
        contentInfo(db, ref),
        db
          .selectFrom('flags')
          .innerJoin('users', 'users.id', 'flags.user_id')
          .select([
            'flags.id',
            'flags.reason',
            'flags.text',
            'flags.created_at',
            'users.username',
            'users.display_name',
          ])
          .where('flags.target_type', '=', ref.type)
          .where('flags.target_id', '=', ref.id)
          .where('flags.status', '=', 'open')
          .orderBy('flags.id')
          .execute(),
      ]);
      return {
        ref,
        content,
        author: content ? await authorOf(db, content.authorId) : null,
        flagCount: Number(group.flag_count),
        firstFlaggedAt: String(group.first_flagged_at),
        flags,
      };
    }),
  );
}
