import { z } from 'zod';
import type { Database } from '#db/client';
import { logModeration } from './audit-log.server';
import { setVisibility, type ContentRef } from './moderation.server';
import { canModerate, type Actor } from './permissions';
import type { Failure } from '~/utils/result';

/** What moderators do to people: warn, suspend, silence, remove a spammer (and undo each). */

type Person = NonNullable<Actor>;

export const periodSchema = z.object({
  days: z.coerce
    .number('Choose how many days.')
    .int('Choose whole days.')
    .min(1, 'At least 1 day.')
    .max(36_500, 'At most 100 years.'),
  reason: z
    .string('Give a reason: the person sees it.')
    .trim()
    .min(1, 'Give a reason: the person sees it.')
    .max(1000, 'Keep the reason under 1,000 characters.'),
});

export const reasonSchema = periodSchema.pick({ reason: true });

async function targetPerson(db: Database, actor: Person, userId: number) {
  const user = await db
    .selectFrom('users')
    .select(['id', 'role', 'username'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user)
    return { ok: false as const, status: 404 as const, error: 'That person does not exist.' };
  if (!canModerate(actor))
    return { ok: false as const, status: 403 as const, error: 'Only moderators can do that.' };
  if (user.id === actor.id)
    return {
      ok: false as const,
      status: 400 as const,
      error: 'You cannot do that to your own account.',
    };
  // Moderators act on members and agents; only admins act on moderators and admins.
  if ((user.role === 'moderator' || user.role === 'admin') && actor.role !== 'admin')
    return {
      ok: false as const,
      status: 403 as const,
      error: 'Only an admin can do that to a moderator or admin.',
    };
  return { ok: true as const, user };
}

export async function warnUser(
  db: Database,
  actor: Person,
  userId: number,
  reason: string,
  ref: ContentRef | null,
  now = new Date(),
): Promise<{ ok: true } | Failure> {
  const target = await targetPerson(db, actor, userId);
  if (!target.ok) return target;
  await logModeration(
    db,
    {
      actorId: actor.id,
      action: 'warn',
      targetType: ref?.type ?? 'user',
      targetId: ref?.id ?? userId,
      targetUserId: userId,
      reason,
    },
    now,
  );
  return { ok: true };
}

/** Warnings a person has not yet acknowledged: shown to them on every page until they do. */
export async function pendingWarnings(db: Database, userId: number) {
  // One query on every page a signed-in person opens: warnings after their last acknowledgement.
  return db
    .selectFrom('moderation_log as warning')
    .select(['warning.id', 'warning.reason', 'warning.created_at'])
    .where('warning.action', '=', 'warn')
    .where('warning.target_user_id', '=', userId)
    .where((eb) =>
      eb(
        'warning.id',
        '>',
        eb.fn.coalesce(
          eb
            .selectFrom('moderation_log as seen')
            .select((inner) => inner.fn.max('seen.id').as('last'))
            .where('seen.action', '=', 'warning_acknowledged')
            .where('seen.target_user_id', '=', userId),
          eb.lit(0),
        ),
      ),
    )
    .orderBy('warning.id')
    .execute();
}

export async function acknowledgeWarnings(db: Database, userId: number, now = new Date()) {
  await logAboutPerson(db, userId, 'warning_acknowledged', userId, null, now);
}

/** A log entry about a person (the target of the action is the person themselves). */
function logAboutPerson(
  db: Database,
  actorId: number,
  action: string,
  userId: number,
  reason: string | null,
  now: Date,
  data?: Record<string, unknown>,
) {
  return logModeration(
    db,
    { actorId, action, targetType: 'user', targetId: userId, targetUserId: userId, reason, data },
    now,
  );
}

/** Suspension (no sign-in, no posting) and silence (read-only) work alike: until a date, why. */
const restrictions = {
  suspend: { until: 'suspended_until', reason: 'suspended_reason' },
  silence: { until: 'silenced_until', reason: 'silenced_reason' },
} as const;

async function restrict(
  db: Database,
  actor: Person,
  userId: number,
  kind: keyof typeof restrictions,
  input: z.infer<typeof periodSchema> | { lift: true; reason: string },
  now: Date,
): Promise<{ ok: true } | Failure> {
  const target = await targetPerson(db, actor, userId);
  if (!target.ok) return target;
  const columns = restrictions[kind];
  const until =
    'lift' in input ? null : new Date(now.getTime() + input.days * 86_400_000).toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ [columns.until]: until, [columns.reason]: until ? input.reason : null })
      .where('id', '=', userId)
      .execute();
    // Signed out everywhere: a suspended person cannot keep a session.
    if (kind === 'suspend' && until)
      await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await logAboutPerson(
      trx,
      actor.id,
      until ? kind : `un${kind}`,
      userId,
      input.reason,
      now,
      'lift' in input ? undefined : { until, days: input.days },
    );
  });
  return { ok: true };
}

export function suspendUser(
  db: Database,
  actor: Person,
  userId: number,
  input: z.infer<typeof periodSchema>,
  now = new Date(),
) {
  return restrict(db, actor, userId, 'suspend', input, now);
}

export function unsuspendUser(
  db: Database,
  actor: Person,
  userId: number,
  reason: string,
  now = new Date(),
) {
  return restrict(db, actor, userId, 'suspend', { lift: true, reason }, now);
}

export function silenceUser(
  db: Database,
  actor: Person,
  userId: number,
  input: z.infer<typeof periodSchema>,
  now = new Date(),
) {
  return restrict(db, actor, userId, 'silence', input, now);
}

export function unsilenceUser(
  db: Database,
  actor: Person,
  userId: number,
  reason: string,
  now = new Date(),
) {
  return restrict(db, actor, userId, 'silence', { lift: true, reason }, now);
}

/** Everything a person wrote that is still in view, as refs. */
async function contentBy(db: Database, userId: number, which: 'visible' | 'spam') {
  const inState = (state: string | null) =>
    which === 'visible' ? state === null : state === 'spam';
  const [threads, posts, comments] = await Promise.all([
    db
      .selectFrom('threads')
      .select(['id', 'moderation_state', 'deleted_at'])
      .where('author_id', '=', userId)
      .execute(),
    db
      .selectFrom('posts')
      .select(['id', 'moderation_state', 'deleted_at'])
      .where('author_id', '=', userId)
      .execute(),
    db
      .selectFrom('comments')
      .select(['id', 'moderation_state', 'deleted_at'])
      .where('author_id', '=', userId)
      .execute(),
  ]);
  const pick = (
    rows: { id: number; moderation_state: string | null; deleted_at: string | null }[],
  ) =>
    rows.filter((row) =>
      inState(row.deleted_at === null ? null : (row.moderation_state ?? 'deleted')),
    );
  return [
    ...pick(threads).map((row) => ({ type: 'thread' as const, id: row.id })),
    ...pick(posts).map((row) => ({ type: 'post' as const, id: row.id })),
    ...pick(comments).map((row) => ({ type: 'comment' as const, id: row.id })),
  ];
}

/**
 * Removes a spammer in one action: every question, answer and comment of theirs leaves public
 * view and search, and they cannot sign in. Undone by restoreSpammer, which brings back exactly
 * what this removed.
 */
export async function removeSpammer(
  db: Database,
  actor: Person,
  userId: number,
  reason: string,
  now = new Date(),
): Promise<{ ok: true; removed: number } | Failure> {
  const target = await targetPerson(db, actor, userId);
  if (!target.ok) return target;
  if (target.user.role !== 'member')
    return { ok: false, status: 400, error: 'Change the person’s role to member first.' };
  const refs = await contentBy(db, userId, 'visible');
  for (const ref of refs) await setVisibility(db, ref, 'spam', actor.id, now);
  await db
    .updateTable('users')
    .set({
      spammer_at: now.toISOString(),
      suspended_until: new Date(now.getTime() + 36_500 * 86_400_000).toISOString(),
      suspended_reason: reason || 'Removed as a spammer.',
    })
    .where('id', '=', userId)
    .execute();
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  await logAboutPerson(db, actor.id, 'remove_spammer', userId, reason, now, {
    removed: refs.length,
  });
  return { ok: true, removed: refs.length };
}

export async function restoreSpammer(
  db: Database,
  actor: Person,
  userId: number,
  reason: string,
  now = new Date(),
): Promise<{ ok: true; restored: number } | Failure> {
  const target = await targetPerson(db, actor, userId);
  if (!target.ok) return target;
  const refs = await contentBy(db, userId, 'spam');
  for (const ref of refs) await setVisibility(db, ref, null, actor.id, now);
  await db
    .updateTable('users')
    .set({ spammer_at: null, suspended_until: null, suspended_reason: null })
    .where('id', '=', userId)
    .execute();
  await logAboutPerson(db, actor.id, 'restore_spammer', userId, reason, now, {
    restored: refs.length,
  });
  return { ok: true, restored: refs.length };
}

/** What a moderator sees about a person: standing, counts, open flags on their content. */
export async function moderationProfile(db: Database, userId: number) {
  const user = await db
    .selectFrom('users')
    .select([
      'id',
      'username',
      'display_name',
      'email',
      'role',
      'created_at',
      'suspended_until',
      'suspended_reason',
      'silenced_until',
      'silenced_reason',
      'spammer_at',
    ])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return null;
  const history = await db
    .selectFrom('moderation_log')
    .leftJoin('users as actor', 'actor.id', 'moderation_log.actor_id')
    .select([
      'moderation_log.id',
      'moderation_log.action',
      'moderation_log.reason',
      'moderation_log.created_at',
      'actor.display_name as actor_name',
    ])
    .where('moderation_log.target_user_id', '=', userId)
    .orderBy('moderation_log.id', 'desc')
    .limit(30)
    .execute();
  return { user, history };
}
