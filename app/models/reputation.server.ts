import { sql } from 'kysely';
import type { Database } from '#db/client';

export const reputationRules = {
  questionUpvote: 5,
  answerUpvote: 10,
  acceptedAnswer: 15,
  downvoteReceived: -2,
} as const;

/**
 * Recomputes a user's reputation from scratch out of the votes and accepts on their visible
 * posts, so it is always consistent however votes were changed, withdrawn or posts deleted.
 */
export async function recomputeReputation(db: Database, userId: number): Promise<number> {
  const { questionUpvote, answerUpvote, acceptedAnswer, downvoteReceived } = reputationRules;
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('votes')
        .innerJoin('threads', (join) =>
          join.onRef('threads.id', '=', 'votes.target_id').on('votes.target_type', '=', 'thread'),
        )
        .where('threads.author_id', '=', userId)
        .where('threads.deleted_at', 'is', null)
        .select(
          sql<number>`coalesce(sum(case when votes.value > 0 then ${sql.lit(questionUpvote)} else ${sql.lit(downvoteReceived)} end), 0)`.as(
            'points',
          ),
        )
        .as('question_points'),
      eb
        .selectFrom('votes')
        .innerJoin('posts', (join) =>
          join.onRef('posts.id', '=', 'votes.target_id').on('votes.target_type', '=', 'post'),
        )
        .where('posts.author_id', '=', userId)
        .where('posts.deleted_at', 'is', null)
        .select(
          sql<number>`coalesce(sum(case when votes.value > 0 then ${sql.lit(answerUpvote)} else ${sql.lit(downvoteReceived)} end), 0)`.as(
            'points',
          ),
        )
        .as('answer_points'),
      eb
        .selectFrom('threads')
        .innerJoin('posts', 'posts.id', 'threads.accepted_post_id')
        .where('posts.author_id', '=', userId)
        .where('posts.deleted_at', 'is', null)
        .where('threads.deleted_at', 'is', null)
        .select((inner) => inner.fn.countAll<number>().as('count'))
        .as('accepted_count'),
    ])
    .executeTakeFirstOrThrow();
  const reputation =
    Number(row.question_points ?? 0) +
    Number(row.answer_points ?? 0) +
    Number(row.accepted_count ?? 0) * acceptedAnswer;
  await db.updateTable('users').set({ reputation }).where('id', '=', userId).execute();
  return reputation;
}
