import { createUser } from '~/models/users.server';
import { askQuestion } from '~/models/threads.server';
import { postAnswer } from '~/models/posts.server';
import type { Role } from '#db/schema';
import { getDb } from '~/utils/db.server';

let sequence = 0;

/** A new account (with a role, if given) for a test. */
export async function makeUser(role: Role = 'member') {
  sequence += 1;
  const name = `user${sequence}${Math.random().toString(36).slice(2, 6)}`;
  const created = await createUser(getDb(), {
    email: `${name}@example.com`,
    username: name,
    password: 'correct horse battery',
  });
  if (!created.ok) throw new Error(JSON.stringify(created.fieldErrors));
  await getDb().updateTable('users').set({ role }).where('id', '=', created.user.id).execute();
  return { id: created.user.id, username: name, role };
}

/** A new account whose address is verified (so notifications reach it), with its address. */
export async function makeVerifiedUser(role: Role = 'member') {
  const user = await makeUser(role);
  const row = await getDb()
    .updateTable('users')
    .set({ email_verified_at: new Date().toISOString() })
    .where('id', '=', user.id)
    .returning(['email', 'display_name'])
    .executeTakeFirstOrThrow();
  return { ...user, ...row };
}

export async function makeQuestion(
  author: { id: number; role: Role },
  title = 'How do I reconcile a bank feed?',
  placed: { categoryId?: number | null; tags?: string[] } = {},
) {
  const asked = await askQuestion(getDb(), author, {
    title,
    body: 'The bank feed shows transactions twice after I reconnected it yesterday.',
    categoryId: placed.categoryId ?? null,
    tags: placed.tags ?? [],
    journeyStage: null,
  });
  if (!asked.ok) throw new Error(JSON.stringify(asked.fieldErrors));
  return asked.id;
}

export async function makeAnswer(
  author: { id: number; role: Role },
  threadId: number,
  body = 'Disconnect the feed, then import the statement once.',
) {
  const posted = await postAnswer(getDb(), author, threadId, body);
  if (!posted.ok) throw new Error(posted.error);
  return posted.id;
}

export async function reputationOf(userId: number) {
  const row = await getDb()
    .selectFrom('users')
    .select('reputation')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return row.reputation;
}

/**
 * Lifts the posting limits for tests that post hundreds of times a minute through the forms
 * (the limits themselves are tested in moderation.test.ts).
 */
export async function liftPostingLimits() {
  const value = JSON.stringify({
    posts: 100_000,
    comments: 100_000,
    newPosts: 100_000,
    newComments: 100_000,
  });
  await getDb()
    .insertInto('settings')
    .values({ key: 'rate_limits', value, updated_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
