import { z } from 'zod';
import type { Database } from '#db/client';
import { flagTargets, type FlagTarget, type ModerationState } from '#db/schema';
import { markdownToText } from '~/utils/markdown.server';
import { logModeration } from './audit-log.server';
import { canModerate, type Actor } from './permissions';
import { refreshThreadAnswers } from './posts.server';
import { recomputeReputation } from './reputation.server';
import { touchSearch } from '#search/outbox';
import { articlePath, questionPath } from '#lib/content-urls';
import type { Failure } from '~/utils/result';

type Person = NonNullable<Actor>;

// ── Settings ─────────────────────────────────────────────────────────────────────────────────

export const defaultFlagThreshold = 3;

/** Posts (questions and answers) and comments per minute; accounts younger than a day get less. */
export const defaultRateLimits = { posts: 6, comments: 12, newPosts: 2, newComments: 4 };
export type RateLimits = typeof defaultRateLimits;

const perMinute = (label: string) =>
  z.coerce
    .number(`Enter how many ${label} a minute.`)
    .int('Enter a whole number.')
    .min(1, 'At least 1.')
    .max(1000, 'At most 1,000.');

export const moderationSettingsSchema = z.object({
  flagThreshold: z.coerce
    .number('Enter a number of flags.')
    .int('Enter a whole number.')
    .min(1, 'At least 1 flag.')
    .max(100, 'At most 100 flags.'),
  watchedWords: z.string().max(20_000, 'Keep the list under 20,000 characters.').default(''),
  posts: perMinute('posts'),
  comments: perMinute('comments'),
  newPosts: perMinute('posts'),
  newComments: perMinute('comments'),
});

async function setting(db: Database, key: string) {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value ?? null;
}

export async function moderationSettings(db: Database) {
  const [threshold, watched, limits] = await Promise.all([
    setting(db, 'flag_threshold'),
    setting(db, 'watched_words'),
    setting(db, 'rate_limits'),
  ]);
  return {
    flagThreshold: threshold ? Number(threshold) : defaultFlagThreshold,
    watchedWords: watched ?? '',
    rateLimits: {
      ...defaultRateLimits,
      ...(limits ? (JSON.parse(limits) as Partial<RateLimits>) : {}),
    },
  };
}

export async function saveModerationSettings(
  db: Database,
  actor: Person,
  input: z.infer<typeof moderationSettingsSchema>,
  now = new Date(),
): Promise<{ ok: true } | { ok: false; fieldErrors: Record<string, string> }> {
  const bad = watchedPatterns(input.watchedWords).find((pattern) => pattern.error);
  if (bad)
    return { ok: false, fieldErrors: { watchedWords: `Line “${bad.source}”: ${bad.error}` } };
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const limits: RateLimits = {
      posts: input.posts,
      comments: input.comments,
      newPosts: input.newPosts,
      newComments: input.newComments,
    };
    for (const [key, value] of [
      ['flag_threshold', String(input.flagThreshold)],
      ['watched_words', input.watchedWords],
      ['rate_limits', JSON.stringify(limits)],
    ] as const) {
      await trx
        .insertInto('settings')
        .values({ key, value, updated_at: at })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
        .execute();
    }
    await logModeration(
      trx,
      {
        actorId: actor.id,
        action: 'settings',
        targetType: 'moderation',
        data: { flagThreshold: input.flagThreshold, ...limits },
      },
      now,
    );
  });
  return { ok: true };
}

type WatchedPattern = { source: string; regex: RegExp | null; error: string | null };

/** One word or phrase per line, or a /regular expression/ with flags. */
export function watchedPatterns(text: string): WatchedPattern[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((source) => {
      const literal = /^\/(.+)\/([a-z]*)$/.exec(source);
      try {
        if (literal)
          return {
            source,
            regex: new RegExp(literal[1]!, literal[2]!.replace('g', '')),
            error: null,
          };
        const escaped = source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        return {
          source,
          regex: new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu'),
          error: null,
        };
      } catch (error) {
        return {
          source,
          regex: null,
          error: error instanceof Error ? error.message : 'not a pattern',
        };
      }
    });
}

/** The first watched word or pattern the text contains, if any. */
export function watchedMatch(text: string, watchedWords: string): string | null {
  return watchedPatterns(watchedWords).find((pattern) => pattern.regex?.test(text))?.source ?? null;
}

// ── Content and its visibility ───────────────────────────────────────────────────────────────

export type ContentRef = { type: FlagTarget; id: number };

export const contentRefSchema = z.object({
  targetType: z.enum(flagTargets),
  targetId: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 40),
});

export type ContentInfo = {
  type: FlagTarget;
  id: number;
  authorId: number;
  threadId: number | null;
  title: string;
  excerpt: string;
  url: string;
  state: ModerationState | null;
  removed: boolean;
};

type ThreadChildRow = {
  id: number;
  body_md: string;
  author_id: number;
  deleted_at: string | null;
  moderation_state: ModerationState | null;
  thread_id: number;
  title: string;
  slug: string;
};

/** An answer or comment: it lives on its thread's page, at its own anchor. */
function inThread(
  ref: ContentRef,
  row: ThreadChildRow,
  label: 'Answer' | 'Comment',
  anchor: 'answer' | 'comment',
): ContentInfo {
  return {
    ...ref,
    authorId: row.author_id,
    threadId: row.thread_id,
    title: `${label} on “${row.title}”`,
    excerpt: markdownToText(row.body_md, 240),
    url: `/questions/${row.thread_id}/${row.slug}#${anchor}-${row.id}`,
    state: row.deleted_at ? (row.moderation_state ?? 'deleted') : null,
    removed: row.deleted_at !== null,
  };
}

/** A thread, answer, comment or article with its author, where it lives and whether it shows. */
export async function contentInfo(db: Database, ref: ContentRef): Promise<ContentInfo | null> {
  switch (ref.type) {
    case 'thread': {
      const row = await db
        .selectFrom('threads')
        .select(['id', 'title', 'slug', 'body_md', 'author_id', 'deleted_at', 'moderation_state'])
        .where('id', '=', ref.id)
        .executeTakeFirst();
      return row
        ? {
            ...ref,
            authorId: row.author_id,
            threadId: row.id,
            title: row.title,
            excerpt: markdownToText(row.body_md, 240),
            url: questionPath(row),
            state: row.deleted_at ? (row.moderation_state ?? 'deleted') : null,
            removed: row.deleted_at !== null,
          }
        : null;
    }
    case 'post': {
      const row = await db
        .selectFrom('posts')
        .innerJoin('threads', 'threads.id', 'posts.thread_id')
        .select([
          'posts.id',
          'posts.body_md',
          'posts.author_id',
          'posts.deleted_at',
          'posts.moderation_state',
          'threads.id as thread_id',
          'threads.title',
          'threads.slug',
        ])
        .where('posts.id', '=', ref.id)
        .executeTakeFirst();
      return row ? inThread(ref, row, 'Answer', 'answer') : null;
    }
    case 'comment': {
      const row = await db
        .selectFrom('comments')
        .innerJoin('threads', 'threads.id', 'comments.thread_id')
        .select([
          'comments.id',
          'comments.body_md',
          'comments.author_id',
          'comments.deleted_at',
          'comments.moderation_state',
          'threads.id as thread_id',
          'threads.title',
          'threads.slug',
        ])
        .where('comments.id', '=', ref.id)
        .executeTakeFirst();
      return row ? inThread(ref, row, 'Comment', 'comment') : null;
    }
    case 'article': {
      const row = await db
        .selectFrom('articles')
        .select(['id', 'title', 'slug', 'body_md', 'author_id', 'hidden_at', 'status'])
        .where('id', '=', ref.id)
        .executeTakeFirst();
      return row
        ? {
            ...ref,
            authorId: row.author_id,
            threadId: null,
            title: row.title,
            excerpt: markdownToText(row.body_md, 240),
            url: articlePath(row.slug),
            state: row.hidden_at ? 'hidden' : null,
            removed: row.hidden_at !== null,
          }
        : null;
    }
  }
}

/**
 * Takes content out of public view in a given state (hidden, deleted, spam, awaiting review) or
 * brings it back (null), keeping answer counts, reputation and both search indexes in step.
 */
export async function setVisibility(
  db: Database,
  ref: ContentRef,
  state: ModerationState | null,
  actorId: number | null,
  now = new Date(),
) {
  const at = now.toISOString();
  const removal = state
    ? { deleted_at: at, moderation_state: state }
    : { deleted_at: null, moderation_state: null };
  await db.transaction().execute(async (trx) => {
    switch (ref.type) {
      case 'thread': {
        const thread = await trx
          .updateTable('threads')
          .set({ ...removal, deleted_by: state ? actorId : null })
          .where('id', '=', ref.id)
          .returning('author_id')
          .executeTakeFirst();
        if (!thread) return;
        await touchSearch(trx, 'thread', ref.id, now);
        const answerers = await trx
          .selectFrom('posts')
          .select('author_id')
          .where('thread_id', '=', ref.id)
          .execute();
        for (const authorId of new Set([
          thread.author_id,
          ...answerers.map((row) => row.author_id),
        ]))
          await recomputeReputation(trx, authorId);
        return;
      }
      case 'post': {
        const post = await trx
          .updateTable('posts')
          .set({ ...removal, deleted_by: state ? actorId : null })
          .where('id', '=', ref.id)
          .returning(['thread_id', 'author_id'])
          .executeTakeFirst();
        if (!post) return;
        await refreshThreadAnswers(trx, post.thread_id, now);
        await touchSearch(trx, 'thread', post.thread_id, now);
        await recomputeReputation(trx, post.author_id);
        return;
      }
      case 'comment': {
        const comment = await trx
          .updateTable('comments')
          .set(removal)
          .where('id', '=', ref.id)
          .returning('thread_id')
          .executeTakeFirst();
        if (comment) await touchSearch(trx, 'thread', comment.thread_id, now);
        return;
      }
      case 'article': {
        await trx
          .updateTable('articles')
          .set({ hidden_at: state ? at : null })
          .where('id', '=', ref.id)
          .execute();
        await touchSearch(trx, 'article', ref.id, now);
        return;
      }
    }
  });
}

/** Posts that wait for approval, oldest first. */
export async function approvalQueue(db: Database) {
  const [threads, posts, comments] = await Promise.all(
    (['threads', 'posts', 'comments'] as const).map((table) =>
      db
        .selectFrom(table)
        .select(['id', 'created_at'])
        .where('moderation_state', '=', 'awaiting_review')
        .orderBy('created_at')
        .limit(100)
        .execute(),
    ),
  );
  const refs = [
    ...threads!.map((row) => ({
      ref: { type: 'thread' as const, id: row.id },
      at: row.created_at,
    })),
    ...posts!.map((row) => ({ ref: { type: 'post' as const, id: row.id }, at: row.created_at })),
    ...comments!.map((row) => ({
      ref: { type: 'comment' as const, id: row.id },
      at: row.created_at,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return Promise.all(
    refs.map(async ({ ref, at }) => {
      const content = await contentInfo(db, ref);
      return { ref, content, author: content ? await authorOf(db, content.authorId) : null, at };
    }),
  );
}

/** The author of flagged or waiting content, with what moderators need to know about them. */
export async function authorOf(db: Database, userId: number) {
  return db
    .selectFrom('users')
    .select([
      'id',
      'username',
      'display_name',
      'created_at',
      'suspended_until',
      'silenced_until',
      'spammer_at',
    ])
    .where('id', '=', userId)
    .executeTakeFirst();
}

export type ContentAction = 'dismiss' | 'hide' | 'delete' | 'restore' | 'approve';

/** Actions that affect someone need a reason, which the author and the log both keep. */
export const contentActionSchema = contentRefSchema.extend({
  reason: z.string().trim().max(1000, 'Keep the reason under 1,000 characters.').default(''),
});

/**
 * A moderator's decision on flagged or waiting content: dismiss the flags (and show it again if
 * flags hid it), hide it, delete it, restore it, or approve it. Logged with the reason.
 */
export async function moderateContent(
  db: Database,
  actor: Person,
  ref: ContentRef,
  action: ContentAction,
  reason: string,
  now = new Date(),
): Promise<{ ok: true } | Failure> {
  if (!canModerate(actor)) return { ok: false, status: 403, error: 'Only moderators can do that.' };
  const content = await contentInfo(db, ref);
  if (!content) return { ok: false, status: 404, error: 'That no longer exists.' };
  if ((action === 'hide' || action === 'delete') && !reason.trim())
    return { ok: false, status: 400, error: 'Say why: the author and the log keep the reason.' };
  if (action === 'approve' && content.state !== 'awaiting_review')
    return { ok: false, status: 400, error: 'That is not waiting for approval.' };
  const flagStatus = action === 'hide' || action === 'delete' ? 'upheld' : 'dismissed';
  await db
    .updateTable('flags')
    .set({ status: flagStatus, handled_by: actor.id, handled_at: now.toISOString() })
    .where('target_type', '=', ref.type)
    .where('target_id', '=', ref.id)
    .where('status', '=', 'open')
    .execute();
  const next: ModerationState | null | undefined =
    action === 'hide'
      ? 'hidden'
      : action === 'delete'
        ? 'deleted'
        : action === 'restore' || action === 'approve'
          ? null
          : content.state === 'hidden'
            ? null
            : undefined;
  if (next !== undefined && next !== content.state)
    await setVisibility(db, ref, next, actor.id, now);
  await logModeration(
    db,
    {
      actorId: actor.id,
      action: action === 'dismiss' ? 'dismiss_flags' : action,
      targetType: ref.type,
      targetId: ref.id,
      targetUserId: content.authorId,
      reason,
    },
    now,
  );
  return { ok: true };
}
