import type { Database } from '#db/client';
import type { Role } from '#db/schema';
import { addComment } from '~/models/comments.server';
import { acceptAnswer, postAnswer } from '~/models/posts.server';
import { askQuestion, markSelfResolved } from '~/models/threads.server';
import { castVote } from '~/models/votes.server';
import { readerKey } from '~/utils/visitor.server';
import { demoThreads, type SeedComment, type SeedThread } from './community-content';

type Actor = { id: number; role: Role };

const hour = 60 * 60 * 1000;

/**
 * Plays the demo community's history through the same model functions the app uses, each at
 * its own moment in the past, so revisions, events, notifications, scores and reputation are
 * exactly what real use would have produced.
 */
export async function seedCommunity(
  db: Database,
  now = new Date(),
  threads: SeedThread[] = demoThreads,
): Promise<number> {
  const users = await db.selectFrom('users').select(['id', 'username', 'role']).execute();
  const byName = new Map(users.map((user) => [user.username, { id: user.id, role: user.role }]));
  const actor = (username: string): Actor => {
    const found = byName.get(username);
    if (!found) throw new Error(`demo content names an unknown user: ${username}`);
    return found;
  };
  const categories = await db.selectFrom('categories').select(['id', 'slug']).execute();
  const categoryId = (slug: string) =>
    categories.find((category) => category.slug === slug)?.id ?? null;

  // Tags exist up front: the demo's members are too new to create tags themselves.
  const tagNames = [...new Set(threads.flatMap((thread) => thread.tags))];
  await db
    .insertInto('tags')
    .values(
      tagNames.map((name) => ({
        name,
        created_at: new Date(now.getTime() - 200 * 24 * hour).toISOString(),
      })),
    )
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();

  const oldestFirst = [...threads].sort((a, b) => b.daysAgo - a.daysAgo);
  for (const [index, thread] of oldestFirst.entries()) {
    // Spread questions over the working day rather than all at midnight.
    const askedAt =
      now.getTime() - thread.daysAgo * 24 * hour - ((index * 7) % 10) * hour - 3 * hour;
    const at = (hoursAfter: number) =>
      new Date(Math.min(askedAt + hoursAfter * hour, now.getTime() - 60_000));
    await seedThread(db, thread, askedAt, at, actor, categoryId(thread.category));
  }
  return oldestFirst.length;
}

async function seedThread(
  db: Database,
  thread: SeedThread,
  askedAt: number,
  at: (hoursAfter: number) => Date,
  actor: (username: string) => Actor,
  categoryId: number | null,
) {
  const asker = actor(thread.author);
  const asked = await askQuestion(
    db,
    asker,
    {
      title: thread.title,
      body: thread.body,
      categoryId,
      tags: thread.tags,
      journeyStage: thread.stage ?? null,
    },
    new Date(askedAt),
  );
  if (!asked.ok)
    throw new Error(
      `demo question rejected: ${thread.title}: ${JSON.stringify(asked.fieldErrors)}`,
    );
  const threadId = asked.id;
  const comment = (postId: number | null, c: SeedComment) =>
    addComment(db, actor(c.author), threadId, postId, c.body, at(c.hoursAfter));
  for (const c of thread.comments ?? []) await comment(null, c);
  await vote(db, 'thread', threadId, thread.upvoters, thread.downvoters, actor, at(2));

  let lastAnswerHours = 0;
  for (const answer of thread.answers) {
    const posted = await postAnswer(
      db,
      actor(answer.author),
      threadId,
      answer.body,
      at(answer.hoursAfter),
    );
    if (!posted.ok) throw new Error(`demo answer rejected on ${thread.title}: ${posted.error}`);
    for (const c of answer.comments ?? []) await comment(posted.id, c);
    await vote(
      db,
      'post',
      posted.id,
      answer.upvoters,
      answer.downvoters,
      actor,
      at(answer.hoursAfter + 1),
    );
    if (answer.accepted)
      await acceptAnswer(db, asker, threadId, posted.id, at(answer.hoursAfter + 3));
    lastAnswerHours = Math.max(lastAnswerHours, answer.hoursAfter);
  }
  for (const [index, username] of (thread.selfResolvedBy ?? []).entries()) {
    const reader = actor(username);
    await markSelfResolved(
      db,
      threadId,
      { userId: reader.id, key: readerKey(reader.id, '') },
      at(lastAnswerHours + 6 + index),
    );
  }
  await db.updateTable('threads').set({ views: thread.views }).where('id', '=', threadId).execute();
}

async function vote(
  db: Database,
  target: 'thread' | 'post',
  targetId: number,
  upvoters: string[] = [],
  downvoters: string[] = [],
  actor: (username: string) => Actor,
  when: Date,
) {
  for (const username of upvoters)
    await castVote(db, actor(username).id, target, targetId, 1, when);
  for (const username of downvoters)
    await castVote(db, actor(username).id, target, targetId, -1, when);
}
