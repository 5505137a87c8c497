import { describe, expect, test } from 'vitest';
import { signIn } from '~/auth/sign-in.server';
import { listModerationLog } from '~/models/audit-log.server';
import { flagContent } from '~/models/flags.server';
import { moderateContent, saveModerationSettings } from '~/models/moderation.server';
import { commentsOfThread } from '~/models/comments.server';
import { answersOfThread } from '~/models/posts.server';
import {
  acknowledgeWarnings,
  pendingWarnings,
  removeSpammer,
  restoreSpammer,
  silenceUser,
  suspendUser,
  warnUser,
} from '~/models/sanctions.server';
import { mergedInto, moderateThread, pinnedThreads } from '~/models/thread-moderation.server';
import { editQuestion, getThreadForPage } from '~/models/threads.server';
import { viewerOfActor } from '~/models/thread-access.server';
import { action as threadAction } from '~/routes/questions.$id.($slug)/route';
import { action as queueAction } from '~/routes/mod.queue';
import { getDb } from '~/utils/db.server';
import { ftsSearch } from '#search/fts';
import { makeAnswer, makeQuestion, makeUser } from '../support/community';
import { formFailureOf, locationOf, postAs, statusOf } from '../support/requests';

async function aged(role: 'member' | 'moderator' | 'admin' | 'agent' = 'member') {
  const user = await makeUser(role);
  // An account older than a day, with three posts in view: past the new-account rules.
  await getDb()
    .updateTable('users')
    .set({ created_at: new Date(Date.now() - 10 * 86_400_000).toISOString() })
    .where('id', '=', user.id)
    .execute();
  return user;
}

async function logFor(targetType: string, targetId: number) {
  const { entries } = await listModerationLog(getDb(), {});
  return entries.filter(
    (entry) => entry.target_type === targetType && entry.target_id === targetId,
  );
}

const searchable = (q: string) =>
  ftsSearch(getDb(), { q, audience: ['public'], limit: 10, offset: 0, facets: false });

describe('flags', () => {
  test('three members flag an answer: hidden from members and search; a moderator restores it; all logged', async () => {
    const db = getDb();
    const asker = await makeUser();
    const answerer = await makeUser();
    const threadId = await makeQuestion(
      asker,
      'Where did my sales tax report go after the update?',
    );
    const word = `zanzibarqux${Date.now()}`;
    const answerId = await makeAnswer(
      answerer,
      threadId,
      `Open Reports, then ${word} under Taxes.`,
    );
    expect((await searchable(word)).hits.map((hit) => hit.key)).toContain(`thread-${threadId}`);

    const flaggers = [await makeUser(), await makeUser(), await makeUser()];
    const ref = { targetType: 'post' as const, targetId: answerId, reason: 'spam' as const };
    expect(await flagContent(db, flaggers[0]!, ref)).toEqual({ ok: true, hidden: false });
    expect(await flagContent(db, flaggers[0]!, ref)).toMatchObject({ ok: false, status: 400 });
    expect(await flagContent(db, answerer, ref)).toMatchObject({ ok: false, status: 400 });
    expect(await flagContent(db, flaggers[1]!, { ...ref, reason: 'rude' })).toEqual({
      ok: true,
      hidden: false,
    });
    expect(
      await flagContent(db, flaggers[2]!, { ...ref, reason: 'other', text: 'Advertising' }),
    ).toEqual({
      ok: true,
      hidden: true,
    });

    const memberView = await answersOfThread(db, threadId, asker, 'votes', null);
    expect(memberView.map((answer) => answer.id)).not.toContain(answerId);
    const authorView = await answersOfThread(db, threadId, answerer, 'votes', null);
    expect(authorView.find((answer) => answer.id === answerId)?.moderation_state).toBe('hidden');
    expect((await searchable(word)).hits).toHaveLength(0);

    const moderator = await makeUser('moderator');
    const restored = await postAs(queueAction, '/mod/queue', moderator.id, {
      intent: 'restore',
      targetType: 'post',
      targetId: String(answerId),
      reason: 'Not spam: a real answer',
    });
    expect(statusOf(restored)).toBe(302);
    expect((await answersOfThread(db, threadId, asker, 'votes', null)).map((a) => a.id)).toContain(
      answerId,
    );
    expect((await searchable(word)).hits.map((hit) => hit.key)).toContain(`thread-${threadId}`);
    const flags = await db
      .selectFrom('flags')
      .select('status')
      .where('target_id', '=', answerId)
      .execute();
    expect(flags.map((flag) => flag.status)).toEqual(['dismissed', 'dismissed', 'dismissed']);

    const log = await logFor('post', answerId);
    expect(log.map((entry) => [entry.action, entry.actor_username ?? null, entry.reason])).toEqual([
      ['restore', moderator.username, 'Not spam: a real answer'],
      ['auto_hide', null, '3 people flagged it'],
    ]);
    expect(log.every((entry) => entry.target_username === answerer.username)).toBe(true);
  });

  test('the threshold is configurable; hiding and deleting need a reason', async () => {
    const db = getDb();
    const admin = await makeUser('admin');
    await saveModerationSettings(db, admin, {
      flagThreshold: 1,
      watchedWords: '',
      posts: 6,
      comments: 12,
      newPosts: 2,
      newComments: 4,
    });
    const author = await makeUser();
    const threadId = await makeQuestion(author, 'A question one flag is enough to hide');
    expect(
      await flagContent(db, await makeUser(), {
        targetType: 'thread',
        targetId: threadId,
        reason: 'off_topic',
      }),
    ).toEqual({ ok: true, hidden: true });
    const moderator = await makeUser('moderator');
    expect(
      await moderateContent(db, moderator, { type: 'thread', id: threadId }, 'delete', ''),
    ).toMatchObject({
      ok: false,
      status: 400,
    });
    const member = await makeUser();
    expect(
      await moderateContent(db, member, { type: 'thread', id: threadId }, 'restore', 'x'),
    ).toMatchObject({
      ok: false,
      status: 403,
    });
    await saveModerationSettings(db, admin, {
      flagThreshold: 3,
      watchedWords: '',
      posts: 6,
      comments: 12,
      newPosts: 2,
      newComments: 4,
    });
  });
});

describe('approval queue and posting limits', () => {
  test('a new account’s answer with a link waits for approval, unseen by others, until a moderator approves it', async () => {
    const db = getDb();
    const asker = await makeUser();
    const newcomer = await makeUser();
    const threadId = await makeQuestion(asker, 'Which bank feeds support Monzo business accounts?');
    const slug = 'which-bank-feeds-support-monzo-business-accounts';
    const params = { id: String(threadId), slug };
    const result = await postAs(
      threadAction,
      `/questions/${threadId}/${slug}`,
      newcomer.id,
      {
        intent: 'answer',
        body: 'All of them, see https://example.com/monzo-feeds for the list.',
      },
      params,
    );
    expect(locationOf(result)).toMatch(/\?awaiting=1#answer-\d+$/);
    const answerId = Number(/answer-(\d+)/.exec(locationOf(result)!)![1]);
    expect(
      (await answersOfThread(db, threadId, asker, 'votes', null)).map((a) => a.id),
    ).not.toContain(answerId);
    expect(
      (await answersOfThread(db, threadId, newcomer, 'votes', null)).map((a) => a.id),
    ).toContain(answerId);
    const moderator = await makeUser('moderator');
    expect(
      await moderateContent(db, moderator, { type: 'post', id: answerId }, 'approve', ''),
    ).toEqual({ ok: true });
    expect((await answersOfThread(db, threadId, asker, 'votes', null)).map((a) => a.id)).toContain(
      answerId,
    );
    expect((await logFor('post', answerId)).map((entry) => entry.action)).toEqual(['approve']);
  });

  test('watched words hold any member’s comment; staff are never held', async () => {
    const db = getDb();
    const admin = await makeUser('admin');
    await saveModerationSettings(db, admin, {
      flagThreshold: 3,
      watchedWords: 'cheap pills\n/crypto\\s*giveaway/i',
      posts: 6,
      comments: 12,
      newPosts: 2,
      newComments: 4,
    });
    const member = await aged();
    const threadId = await makeQuestion(member, 'Watched words question for the comment test');
    const slug = 'watched-words-question-for-the-comment-test';
    const params = { id: String(threadId), slug };
    const held = await postAs(
      threadAction,
      `/questions/${threadId}/${slug}`,
      member.id,
      {
        intent: 'comment',
        body: 'Join the CRYPTO giveaway now',
      },
      params,
    );
    expect(locationOf(held)).toContain('?awaiting=1');
    const stranger = await makeUser();
    expect(await commentsOfThread(db, threadId, stranger)).toHaveLength(0);
    const agent = await makeUser('agent');
    const notHeld = await postAs(
      threadAction,
      `/questions/${threadId}/${slug}`,
      agent.id,
      {
        intent: 'comment',
        body: 'Please no crypto giveaway talk here',
      },
      params,
    );
    expect(locationOf(notHeld)).not.toContain('awaiting');
    await saveModerationSettings(db, admin, {
      flagThreshold: 3,
      watchedWords: '',
      posts: 6,
      comments: 12,
      newPosts: 2,
      newComments: 4,
    });
  });

  test('a new account may post twice a minute; the third is refused with when to try again, keeping the text', async () => {
    const asker = await makeUser();
    const newcomer = await makeUser();
    const threadId = await makeQuestion(
      asker,
      'A question that gets quick answers from one person',
    );
    const slug = 'a-question-that-gets-quick-answers-from-one-person';
    const params = { id: String(threadId), slug };
    const answer = (body: string) =>
      postAs(
        threadAction,
        `/questions/${threadId}/${slug}`,
        newcomer.id,
        { intent: 'answer', body },
        params,
      );
    expect(statusOf(await answer('First answer, long enough to pass.'))).toBe(302);
    expect(statusOf(await answer('Second answer, long enough to pass.'))).toBe(302);
    const third = await answer('Third answer, long enough to pass.');
    expect(statusOf(third)).toBe(429);
    const body = formFailureOf(third);
    expect(body.fieldErrors.body).toMatch(
      /new accounts can make 2 posts a minute\. You can post again in \d+ seconds?/,
    );
    expect(body.values.body).toBe('Third answer, long enough to pass.');
  });
});

describe('people', () => {
  test('a suspended person sees the reason and end date at sign-in, and can sign in after it', async () => {
    const db = getDb();
    const member = await makeUser();
    const moderator = await makeUser('moderator');
    const now = new Date('2026-11-23T12:00:00Z');
    expect(
      await suspendUser(db, moderator, member.id, { days: 7, reason: 'Repeated insults' }, now),
    ).toEqual({ ok: true });
    const during = await signIn(
      db,
      { login: member.username, password: 'correct horse battery' },
      '10.0.0.1',
      new Date('2026-11-25T12:00:00Z'),
    );
    expect(during).toEqual({
      ok: false,
      status: 403,
      message: expect.stringMatching(/suspended until .*Nov.* 30, 2026.*Reason: Repeated insults/),
    });
    const after = await signIn(
      db,
      { login: member.username, password: 'correct horse battery' },
      '10.0.0.1',
      new Date('2026-12-01T12:00:00Z'),
    );
    expect(after).toMatchObject({ ok: true, userId: member.id });
    const [entry] = await logFor('user', member.id);
    expect(entry).toMatchObject({
      action: 'suspend',
      actor_username: moderator.username,
      reason: 'Repeated insults',
    });
  });

  test('moderators cannot suspend admins or themselves; a silenced person cannot post but can read', async () => {
    const db = getDb();
    const moderator = await makeUser('moderator');
    const admin = await makeUser('admin');
    expect(await suspendUser(db, moderator, admin.id, { days: 1, reason: 'x' })).toMatchObject({
      status: 403,
    });
    expect(await suspendUser(db, moderator, moderator.id, { days: 1, reason: 'x' })).toMatchObject({
      status: 400,
    });
    const member = await aged();
    await silenceUser(db, moderator, member.id, { days: 3, reason: 'Cool down' });
    const threadId = await makeQuestion(
      await makeUser(),
      'A question the silenced member tries to answer',
    );
    const slug = 'a-question-the-silenced-member-tries-to-answer';
    const result = await postAs(
      threadAction,
      `/questions/${threadId}/${slug}`,
      member.id,
      {
        intent: 'answer',
        body: 'I would like to answer this one.',
      },
      { id: String(threadId), slug },
    );
    expect(statusOf(result)).toBe(403);
    expect(formFailureOf(result).fieldErrors.body).toMatch(
      /silenced your account until .*Cool down/,
    );
    expect(
      await getThreadForPage(db, threadId, member, await viewerOfActor(db, member)),
    ).not.toBeNull();
  });

  test('removing a spammer hides everything they wrote in one action, and restoring brings it back', async () => {
    const db = getDb();
    const spammer = await makeUser();
    const other = await makeUser();
    const own = await makeQuestion(spammer, 'Best cheap watches, visit my shop today please');
    const otherThread = await makeQuestion(other, 'A normal question that the spammer answers');
    const spamAnswer = await makeAnswer(
      spammer,
      otherThread,
      'Buy watches at my shop, best prices around.',
    );
    const moderator = await makeUser('moderator');
    expect(await removeSpammer(db, moderator, spammer.id, 'Shop spam')).toEqual({
      ok: true,
      removed: 2,
    });
    expect(await getThreadForPage(db, own, other, await viewerOfActor(db, other))).toBeNull();
    expect(
      (await answersOfThread(db, otherThread, other, 'votes', null)).map((a) => a.id),
    ).not.toContain(spamAnswer);
    expect(
      await signIn(db, { login: spammer.username, password: 'correct horse battery' }, '10.0.0.2'),
    ).toMatchObject({ ok: false, status: 403 });
    expect(await restoreSpammer(db, moderator, spammer.id, 'Appeal accepted')).toEqual({
      ok: true,
      restored: 2,
    });
    expect(await getThreadForPage(db, own, other, await viewerOfActor(db, other))).not.toBeNull();
    expect(
      (await answersOfThread(db, otherThread, other, 'votes', null)).map((a) => a.id),
    ).toContain(spamAnswer);
    expect((await logFor('user', spammer.id)).map((entry) => entry.action)).toEqual([
      'restore_spammer',
      'remove_spammer',
    ]);
  });
});

describe('warnings', () => {
  test('a warning shows until its reader acknowledges it; a later one shows again', async () => {
    const db = getDb();
    const member = await makeUser();
    const moderator = await makeUser('moderator');
    expect(await pendingWarnings(db, member.id)).toEqual([]);
    await warnUser(db, moderator, member.id, 'Keep it civil', null);
    expect((await pendingWarnings(db, member.id)).map((warning) => warning.reason)).toEqual([
      'Keep it civil',
    ]);
    await acknowledgeWarnings(db, member.id);
    expect(await pendingWarnings(db, member.id)).toEqual([]);
    await warnUser(db, moderator, member.id, 'Second warning', null);
    expect((await pendingWarnings(db, member.id)).map((warning) => warning.reason)).toEqual([
      'Second warning',
    ]);
  });
});

describe('thread actions', () => {
  test('lock, close, duplicate, merge, move and pin, each logged with its reason', async () => {
    const db = getDb();
    const moderator = await makeUser('moderator');
    const asker = await makeUser();
    const threadId = await makeQuestion(asker, 'Thread actions: the question being moderated');
    const originalId = await makeQuestion(asker, 'Thread actions: the original question');
    const answerId = await makeAnswer(await makeUser(), threadId);
    const act = (intent: string, extra: Record<string, unknown> = {}) =>
      moderateThread(db, moderator, threadId, {
        intent: intent as never,
        reason: `because ${intent}`,
        target: '',
        categoryId: '',
        ...extra,
      });

    expect(
      await moderateThread(db, moderator, threadId, {
        intent: 'lock',
        reason: '',
        target: '',
        categoryId: '',
      }),
    ).toMatchObject({ ok: false, status: 400 });
    expect(await act('lock')).toEqual({ ok: true, redirectTo: threadId });
    const slug = 'thread-actions-the-question-being-moderated';
    const refused = await postAs(
      threadAction,
      `/questions/${threadId}/${slug}`,
      (await aged()).id,
      {
        intent: 'answer',
        body: 'An answer to a locked question.',
      },
      { id: String(threadId), slug },
    );
    expect(statusOf(refused)).toBe(403);
    await act('unlock');
    await act('close');
    expect(
      (await getThreadForPage(db, threadId, asker, await viewerOfActor(db, asker)))?.closed_reason,
    ).toBe('because close');
    await act('reopen');
    await act('duplicate', { target: `/questions/${originalId}/x` });
    expect(
      (await getThreadForPage(db, threadId, asker, await viewerOfActor(db, asker)))?.duplicate_of,
    ).toBe(originalId);
    const category = await db
      .insertInto('categories')
      .values({
        name: 'Moved here',
        slug: `moved-${Date.now()}`,
        created_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await act('move', { categoryId: category.id });
    await act('pin');
    expect((await pinnedThreads(db, category.id)).map((thread) => thread.id)).toEqual([threadId]);

    expect(await act('merge', { target: String(originalId) })).toEqual({
      ok: true,
      redirectTo: originalId,
    });
    expect(await mergedInto(db, threadId)).toMatchObject({ id: originalId });
    expect(
      (await answersOfThread(db, originalId, asker, 'votes', null)).map((a) => a.id),
    ).toContain(answerId);
    expect(await getThreadForPage(db, threadId, asker, await viewerOfActor(db, asker))).toBeNull();

    const log = await logFor('thread', threadId);
    expect(log.map((entry) => entry.action).reverse()).toEqual([
      'thread_lock',
      'thread_unlock',
      'thread_close',
      'thread_reopen',
      'thread_duplicate',
      'thread_move',
      'thread_pin',
      'thread_merge',
    ]);
    expect(
      log.every(
        (entry) =>
          entry.actor_username === moderator.username && entry.reason?.startsWith('because'),
      ),
    ).toBe(true);
  });

  test('a moderator’s edit of someone else’s post needs a reason, kept in revisions and the log', async () => {
    const db = getDb();
    const asker = await makeUser();
    const moderator = await makeUser('moderator');
    const threadId = await makeQuestion(asker, 'A question a moderator will tidy up');
    const input = {
      title: 'A question a moderator tidied up',
      body: 'The bank feed shows transactions twice after reconnecting it.',
      categoryId: null,
      tags: [],
      journeyStage: null,
    };
    expect(await editQuestion(db, moderator, threadId, input)).toMatchObject({
      ok: false,
      fieldErrors: { reason: expect.any(String) },
    });
    expect(
      await editQuestion(db, moderator, threadId, { ...input, reason: 'Clearer title' }),
    ).toMatchObject({ ok: true });
    const revision = await db
      .selectFrom('revisions')
      .select('reason')
      .where('target_type', '=', 'thread')
      .where('target_id', '=', threadId)
      .orderBy('number', 'desc')
      .executeTakeFirstOrThrow();
    expect(revision.reason).toBe('Clearer title');
    expect((await logFor('thread', threadId))[0]).toMatchObject({
      action: 'edit',
      reason: 'Clearer title',
      target_username: asker.username,
    });
  });

  test('the audit log cannot be changed or emptied', async () => {
    const db = getDb();
    const moderator = await makeUser('moderator');
    await silenceUser(db, moderator, (await makeUser()).id, { days: 1, reason: 'Test entry' });
    await expect(db.deleteFrom('moderation_log').execute()).rejects.toThrow(/append-only/);
    await expect(
      db.updateTable('moderation_log').set({ reason: 'changed' }).execute(),
    ).rejects.toThrow(/append-only/);
  });
});
