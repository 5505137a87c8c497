import { sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '#db/client';
import { threadVisibleSql, type Viewer } from './visibility.server';

export const maxTagsPerThread = 5;

const tagPattern = /^[a-z0-9][a-z0-9+#.-]{0,29}$/;

/** Tags typed as one line, separated by commas or spaces: "bank-feeds, stripe vat". */
export const tagListSchema = z
  .string()
  .max(300, 'That is too many tags.')
  .transform((text) => [
    ...new Set(
      text
        .toLowerCase()
        .split(/[\s,]+/)
        .filter(Boolean),
    ),
  ])
  .superRefine((tags, ctx) => {
    if (tags.length > maxTagsPerThread) {
      ctx.addIssue({ code: 'custom', message: `Use at most ${maxTagsPerThread} tags.` });
    }
    const bad = tags.find((tag) => !tagPattern.test(tag));
    if (bad) {
      ctx.addIssue({
        code: 'custom',
        message: `"${bad.slice(0, 40)}" is not a tag: use up to 30 lowercase letters, digits or - + # . (join words with dashes).`,
      });
    }
  });

/**
 * The most used tags, counting the questions this viewer may see; a tag found only on questions
 * they may not see is left out (its name could tell of them).
 */
export async function popularTags(db: Database, viewer: Viewer, limit = 30) {
  return db
    .selectFrom('tags')
    .leftJoin('thread_tags', 'thread_tags.tag_id', 'tags.id')
    .leftJoin('threads', (join) =>
      join.onRef('threads.id', '=', 'thread_tags.thread_id').on(threadVisibleSql(viewer)),
    )
    .select(['tags.name', (eb) => eb.fn.count<number>('threads.id').as('count')])
    .groupBy('tags.id')
    .having((eb) =>
      eb.or([
        eb(eb.fn.count('threads.id'), '>', 0),
        eb(eb.fn.count('thread_tags.thread_id'), '=', 0),
      ]),
    )
    .orderBy('count', 'desc')
    .orderBy('tags.name')
    .limit(limit)
    .execute();
}

/** Names among these that no tag has yet. */
export async function unknownTags(db: Database, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const known = await db.selectFrom('tags').select('name').where('name', 'in', names).execute();
  const knownNames = new Set(known.map((tag) => tag.name));
  return names.filter((name) => !knownNames.has(name));
}

/** The ids of these tags, creating the ones that do not exist yet. */
export async function ensureTags(db: Database, names: string[], now: Date): Promise<number[]> {
  if (names.length === 0) return [];
  await db
    .insertInto('tags')
    .values(names.map((name) => ({ name, created_at: now.toISOString() })))
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const tags = await db.selectFrom('tags').select('id').where('name', 'in', names).execute();
  return tags.map((tag) => tag.id);
}

/** Replaces a thread's tags, creating tags that do not exist yet. */
export async function setThreadTags(db: Database, threadId: number, names: string[], now: Date) {
  await db.deleteFrom('thread_tags').where('thread_id', '=', threadId).execute();
  const ids = await ensureTags(db, names, now);
  if (ids.length === 0) return;
  await db
    .insertInto('thread_tags')
    .values(ids.map((tagId) => ({ thread_id: threadId, tag_id: tagId })))
    .execute();
}

export async function setArticleTags(db: Database, articleId: number, names: string[], now: Date) {
  await db.deleteFrom('article_tags').where('article_id', '=', articleId).execute();
  const ids = await ensureTags(db, names, now);
  if (ids.length === 0) return;
  await db
    .insertInto('article_tags')
    .values(ids.map((tagId) => ({ article_id: articleId, tag_id: tagId })))
    .execute();
}

export async function tagsOfArticle(db: Database, articleId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select('tags.name')
    .where('article_tags.article_id', '=', articleId)
    .orderBy('tags.name')
    .execute();
  return rows.map((row) => row.name);
}

export async function tagsOfThreads(
  db: Database,
  threadIds: number[],
): Promise<Map<number, string[]>> {
  const byThread = new Map<number, string[]>();
  if (threadIds.length === 0) return byThread;
  const rows = await db
    .selectFrom('thread_tags')
    .innerJoin('tags', 'tags.id', 'thread_tags.tag_id')
    .select(['thread_tags.thread_id', 'tags.name'])
    .where('thread_tags.thread_id', 'in', threadIds)
    .orderBy('tags.name')
    .execute();
  for (const row of rows) {
    const list = byThread.get(row.thread_id) ?? [];
    list.push(row.name);
    byThread.set(row.thread_id, list);
  }
  return byThread;
}

export async function getTag(db: Database, name: string) {
  return db.selectFrom('tags').select(['id', 'name']).where('name', '=', name).executeTakeFirst();
}

/** Whether the `threads` row in the query carries this tag (question lists and feeds by tag). */
export function taggedWith(tagId: number) {
  return sql<boolean>`exists (select 1 from thread_tags
    where thread_tags.thread_id = threads.id and thread_tags.tag_id = ${tagId})`;
}
