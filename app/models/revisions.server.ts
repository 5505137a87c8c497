import type { Database } from '#db/client';
import { lockRow } from '#db/dialect';

type RevisionTarget = 'thread' | 'post' | 'article';
const revisionTables = { thread: 'threads', post: 'posts', article: 'articles' } as const;

/** Records the state of a post after a save: revision 1 is the original, each edit adds one. */
export async function addRevision(
  db: Database,
  revision: {
    target: RevisionTarget;
    targetId: number;
    authorId: number;
    title?: string | null;
    bodyMd: string;
    tags?: string[] | null;
    reason?: string | null;
  },
  now = new Date(),
) {
  // Numbers are per target: two servers saving edits of one post take turns.
  await lockRow(db, revisionTables[revision.target], revision.targetId);
  const last = await db
    .selectFrom('revisions')
    .select((eb) => eb.fn.max('number').as('number'))
    .where('target_type', '=', revision.target)
    .where('target_id', '=', revision.targetId)
    .executeTakeFirst();
  await db
    .insertInto('revisions')
    .values({
      target_type: revision.target,
      target_id: revision.targetId,
      number: (last?.number ?? 0) + 1,
      author_id: revision.authorId,
      title: revision.title ?? null,
      body_md: revision.bodyMd,
      tags: revision.tags ? revision.tags.join(' ') : null,
      reason: revision.reason || null,
      created_at: now.toISOString(),
    })
    .execute();
}

/** Every revision of a thread's question and of its answers, oldest first. */
export async function revisionsOfThread(db: Database, threadId: number, postIds: number[]) {
  return db
    .selectFrom('revisions')
    .innerJoin('users', 'users.id', 'revisions.author_id')
    .select([
      'revisions.id',
      'revisions.target_type',
      'revisions.target_id',
      'revisions.number',
      'revisions.title',
      'revisions.body_md',
      'revisions.tags',
      'revisions.reason',
      'revisions.created_at',
      'users.username as author_username',
      'users.display_name as author_name',
    ])
    .where((eb) =>
      eb.or([
        eb.and([
          eb('revisions.target_type', '=', 'thread'),
          eb('revisions.target_id', '=', threadId),
        ]),
        ...(postIds.length
          ? [
              eb.and([
                eb('revisions.target_type', '=', 'post'),
                eb('revisions.target_id', 'in', postIds),
              ]),
            ]
          : []),
      ]),
    )
    .orderBy('revisions.target_type', 'desc')
    .orderBy('revisions.target_id')
    .orderBy('revisions.number')
    .execute();
}

/** Every revision of one article, oldest first. */
export async function revisionsOfArticle(db: Database, articleId: number) {
  return db
    .selectFrom('revisions')
    .innerJoin('users', 'users.id', 'revisions.author_id')
    .select([
      'revisions.id',
      'revisions.number',
      'revisions.title',
      'revisions.body_md',
      'revisions.tags',
      'revisions.reason',
      'revisions.created_at',
      'users.username as author_username',
      'users.display_name as author_name',
    ])
    .where('revisions.target_type', '=', 'article')
    .where('revisions.target_id', '=', articleId)
    .orderBy('revisions.number')
    .execute();
}
