import type { Database } from '#db/client';
import { formatDay } from '~/utils/dates';
import { moderationSettings, watchedMatch } from './moderation.server';
import { isStaff, type Actor } from './permissions';

type Person = NonNullable<Actor>;

export type PostingCheck =
  | { ok: true; awaitingReview: boolean; why: string | null }
  | { ok: false; status: 403 | 429; error: string };

const minuteMs = 60_000;
const dayMs = 86_400_000;
/** Until someone has this many posts in view, their posts with links wait for approval. */
export const trustedAfterPosts = 3;
const linkPattern = /https?:\/\/|www\.[a-z0-9-]+\.[a-z]/i;

/**
 * Whether a person may post this now, and whether it must wait for a moderator: silenced and
 * suspended people may not; everyone is held to a rate per minute (stricter in an account's
 * first day); a new account's posts with links, and any post with a watched word, wait for
 * approval. Staff are exempt from limits and approval.
 */
export async function postingCheck(
  db: Database,
  actor: Person,
  kind: 'post' | 'comment',
  text: string,
  now = new Date(),
): Promise<PostingCheck> {
  const user = await db
    .selectFrom('users')
    .select([
      'created_at',
      'silenced_until',
      'silenced_reason',
      'suspended_until',
      'suspended_reason',
    ])
    .where('id', '=', actor.id)
    .executeTakeFirstOrThrow();
  const at = now.toISOString();
  if (user.suspended_until && user.suspended_until > at)
    return {
      ok: false,
      status: 403,
      error: `Your account is suspended until ${formatDay(user.suspended_until)}: ${user.suspended_reason ?? 'no reason given'}.`,
    };
  if (user.silenced_until && user.silenced_until > at)
    return {
      ok: false,
      status: 403,
      error: `A moderator silenced your account until ${formatDay(user.silenced_until)}, so you can read but not post: ${user.silenced_reason ?? 'no reason given'}.`,
    };
  if (isStaff(actor)) return { ok: true, awaitingReview: false, why: null };

  const settings = await moderationSettings(db);
  const isNew = now.getTime() - Date.parse(user.created_at) < dayMs;
  const limit =
    kind === 'post'
      ? isNew
        ? settings.rateLimits.newPosts
        : settings.rateLimits.posts
      : isNew
        ? settings.rateLimits.newComments
        : settings.rateLimits.comments;
  const since = new Date(now.getTime() - minuteMs).toISOString();
  const recent = await recentPostTimes(db, actor.id, kind, since);
  if (recent.length >= limit) {
    const oldest = recent.sort()[recent.length - limit]!;
    const seconds = Math.max(1, Math.ceil((Date.parse(oldest) + minuteMs - now.getTime()) / 1000));
    const what = kind === 'post' ? 'posts' : 'comments';
    return {
      ok: false,
      status: 429,
      error: `You are posting quickly: ${isNew ? 'new accounts' : 'everyone'} can make ${limit} ${what} a minute. You can post again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}; what you wrote is kept below.`,
    };
  }

  const watched = watchedMatch(text, settings.watchedWords);
  if (watched) return { ok: true, awaitingReview: true, why: 'watched' };
  if (linkPattern.test(text) && (await postsInView(db, actor.id)) < trustedAfterPosts)
    return { ok: true, awaitingReview: true, why: 'new-with-link' };
  return { ok: true, awaitingReview: false, why: null };
}

async function recentPostTimes(
  db: Database,
  userId: number,
  kind: 'post' | 'comment',
  since: string,
) {
  if (kind === 'comment') {
    const rows = await db
      .selectFrom('comments')
      .select('created_at')
      .where('author_id', '=', userId)
      .where('created_at', '>=', since)
      .execute();
    return rows.map((row) => row.created_at);
  }
  const [threads, posts] = await Promise.all([
    db
      .selectFrom('threads')
      .select('created_at')
      .where('author_id', '=', userId)
      .where('created_at', '>=', since)
      .execute(),
    db
      .selectFrom('posts')
      .select('created_at')
      .where('author_id', '=', userId)
      .where('created_at', '>=', since)
      .execute(),
  ]);
  return [...threads, ...posts].map((row) => row.created_at);
}

async function postsInView(db: Database, userId: number): Promise<number> {
  const counts = await Promise.all(
    (['threads', 'posts', 'comments'] as const).map((table) =>
      db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('author_id', '=', userId)
        .where('deleted_at', 'is', null)
        .executeTakeFirstOrThrow(),
    ),
  );
  return counts.reduce((sum, row) => sum + Number(row.n), 0);
}

export const awaitingReviewNotice =
  'Thanks! A moderator reviews posts with links from new accounts (and posts that mention certain words) before others see them. Until then only you and the moderators can see it.';
