import type { Database } from '#db/client';
import { lockRow } from '#db/dialect';
import type { VoteTarget } from '#db/schema';
import { recordEvent } from './events.server';
import { recomputeReputation } from './reputation.server';
import { touchSearch } from '#search/outbox';
import { importedScore } from './imports.server';
import { threadVisibleTo } from './thread-access.server';
import { viewerOfUser } from './visibility.server';

export type VoteResult =
  { ok: true; score: number; myVote: -1 | 0 | 1 } | { ok: false; status: 403 | 404; error: string };

async function targetOf(db: Database, target: VoteTarget, targetId: number) {
  if (target === 'thread') {
    return db
      .selectFrom('threads')
      .select(['id', 'author_id', 'id as thread_id'])
      .where('id', '=', targetId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }
  return db
    .selectFrom('posts')
    .select(['id', 'author_id', 'thread_id'])
    .where('id', '=', targetId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Up or down vote on a question or answer. One vote per person: the same vote again withdraws
 * it, the opposite one replaces it. Nobody votes on their own post.
 */
export async function castVote(
  db: Database,
  userId: number,
  target: VoteTarget,
  targetId: number,
  direction: 1 | -1,
  now = new Date(),
): Promise<VoteResult> {
  return db.transaction().execute(async (trx) => {
    await lockRow(trx, target === 'thread' ? 'threads' : 'posts', targetId);
    const post = await targetOf(trx, target, targetId);
    // Nobody votes on what they may not see: for them it does not exist.
    if (post && !(await threadVisibleTo(trx, await viewerOfUser(trx, userId), post.thread_id)))
      return { ok: false, status: 404, error: 'That post no longer exists.' };
    if (!post) return { ok: false, status: 404, error: 'That post no longer exists.' };
    await lockRow(trx, 'users', post.author_id);
    if (post.author_id === userId) {
      return { ok: false, status: 403, error: 'You cannot vote on your own post.' };
    }
    const key = { user_id: userId, target_type: target, target_id: targetId };
    const existing = await trx
      .selectFrom('votes')
      .select('value')
      .where('user_id', '=', userId)
      .where('target_type', '=', target)
      .where('target_id', '=', targetId)
      .executeTakeFirst();
    let myVote: -1 | 0 | 1 = direction;
    if (existing?.value === direction) {
      await trx
        .deleteFrom('votes')
        .where('user_id', '=', userId)
        .where('target_type', '=', target)
        .where('target_id', '=', targetId)
        .execute();
      myVote = 0;
    } else {
      await trx
        .insertInto('votes')
        .values({ ...key, value: direction, created_at: now.toISOString() })
        .onConflict((oc) =>
          oc
            .columns(['user_id', 'target_type', 'target_id'])
            .doUpdateSet({ value: direction, created_at: now.toISOString() }),
        )
        .execute();
    }
    const score = await recomputeScore(trx, target, targetId);
    await touchSearch(trx, 'thread', post.thread_id, now);
    await recomputeReputation(trx, post.author_id);
    await recordEvent(trx, 'vote', {
      user_id: userId,
      thread_id: target === 'thread' ? targetId : null,
      post_id: target === 'post' ? targetId : null,
      data: { value: myVote, previous: existing?.value ?? 0 },
      at: now,
    });
    return { ok: true, score, myVote };
  });
}

async function recomputeScore(db: Database, target: VoteTarget, targetId: number): Promise<number> {
  const { score } = await db
    .selectFrom('votes')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('value'), eb.lit(0)).as('score'))
    .where('target_type', '=', target)
    .where('target_id', '=', targetId)
    .executeTakeFirstOrThrow();
  const table = target === 'thread' ? 'threads' : 'posts';
  // Imported posts keep the score they had where they came from, plus the votes cast here.
  const total = Number(score) + (await importedScore(db, target, targetId));
  await db.updateTable(table).set({ score: total }).where('id', '=', targetId).execute();
  return total;
}

/** The signed-in reader's votes on a thread and its answers, keyed "thread:ID" / "post:ID". */
export async function votesOf(db: Database, userId: number, threadId: number, postIds: number[]) {
  const rows = await db
    .selectFrom('votes')
    .select(['target_type', 'target_id', 'value'])
    .where('user_id', '=', userId)
    .where((eb) =>
      eb.or([
        eb.and([eb('target_type', '=', 'thread'), eb('target_id', '=', threadId)]),
        ...(postIds.length
          ? [eb.and([eb('target_type', '=', 'post'), eb('target_id', 'in', postIds)])]
          : []),
      ]),
    )
    .execute();
  return Object.fromEntries(rows.map((row) => [`${row.target_type}:${row.target_id}`, row.value]));
}
