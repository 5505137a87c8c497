import { describe, expect, test } from 'vitest';
import { addComment, commentsOfThread } from '~/models/comments.server';
import { listNotifications } from '~/models/notifications.server';
import { acceptAnswer, answersOfThread, editAnswer, setAnswerDeleted } from '~/models/posts.server';
import { revisionsOfThread } from '~/models/revisions.server';
import { listThreads } from '~/models/thread-lists.server';
import {
  askQuestion,
  editQuestion,
  getThreadForPage,
  markSelfResolved,
  selfResolution,
  setThreadDeleted,
} from '~/models/threads.server';
import { viewerOfActor } from '~/models/thread-access.server';
import { recordThreadView } from '~/models/page-views.server';
import { castVote } from '~/models/votes.server';
import { getDb } from '~/utils/db.server';
import { makeAnswer, makeQuestion, makeUser, reputationOf } from '../support/community';

describe('votes', () => {
  test('nobody votes on their own post', async () => {
    const asker = await makeUser();
    const threadId = await makeQuestion(asker);
    expect(await castVote(getDb(), asker.id, 'thread', threadId, 1)).toEqual({
      ok: false,
      status: 403,
      error: 'You cannot vote on your own post.',
    });
  });

  test('one vote per person: the same vote withdraws it, the opposite one replaces it', async () => {
    const [asker, voter] = [await makeUser(), await makeUser()];
    const threadId = await makeQuestion(asker);
    const db = getDb();
    expect(await castVote(db, voter.id, 'thread', threadId, 1)).toEqual({
      ok: true,
      score: 1,
      myVote: 1,
    });
    expect(await castVote(db, voter.id, 'thread', threadId, -1)).toEqual({
      ok: true,
      score: -1,
      myVote: -1,
    });
    expect(await castVote(db, voter.id, 'thread', threadId, -1)).toEqual({
      ok: true,
      score: 0,
      myVote: 0,
    });
    const votes = await db
      .selectFrom('votes')
      .selectAll()
      .where('target_id', '=', threadId)
      .execute();
    expect(votes).toHaveLength(0);
    const events = await db
      .selectFrom('events')
      .select('type')
      .where('type', '=', 'vote')
      .where('thread_id', '=', threadId)
      .execute();
    expect(events).toHaveLength(3);
  });

  test('votes on a deleted post are refused', async () => {
    const [asker, voter] = [await makeUser(), await makeUser()];
    const threadId = await makeQuestion(asker);
    await setThreadDeleted(getDb(), asker, threadId, true);
    expect(await castVote(getDb(), voter.id, 'thread', threadId, 1)).toMatchObject({
      ok: false,
      status: 404,
    });
  });
});

describe('reputation', () => {
  test('+5 per question upvote, +10 per answer upvote, +15 per accept, -2 per downvote, kept right through changes', async () => {
    const db = getDb();
    const [asker, answerer, v1, v2] = [
      await makeUser(),
      await makeUser(),
      await makeUser(),
      await makeUser(),
    ];
    const threadId = await makeQuestion(asker);
    const answerId = await makeAnswer(answerer, threadId);

    await castVote(db, v1.id, 'thread', threadId, 1);
    await castVote(db, v2.id, 'thread', threadId, 1);
    expect(await reputationOf(asker.id)).toBe(10);
    await castVote(db, v2.id, 'thread', threadId, -1); // changed: +5 becomes -2
    expect(await reputationOf(asker.id)).toBe(3);
    await castVote(db, v2.id, 'thread', threadId, -1); // withdrawn
    expect(await reputationOf(asker.id)).toBe(5);

    await castVote(db, v1.id, 'post', answerId, 1);
    await castVote(db, v2.id, 'post', answerId, -1);
    expect(await reputationOf(answerer.id)).toBe(8);
    await acceptAnswer(db, asker, threadId, answerId);
    expect(await reputationOf(answerer.id)).toBe(23);
    await acceptAnswer(db, asker, threadId, null); // acceptance withdrawn
    expect(await reputationOf(answerer.id)).toBe(8);
    await acceptAnswer(db, asker, threadId, answerId);
    await setAnswerDeleted(db, answerer, answerId, true); // deleted posts earn nothing
    expect(await reputationOf(answerer.id)).toBe(0);
  });
});

describe('accepting answers', () => {
  test('the asker, an agent or a moderator may accept; another member may not', async () => {
    const db = getDb();
    const [asker, answerer, stranger, agent, moderator] = [
      await makeUser(),
      await makeUser(),
      await makeUser(),
      await makeUser('agent'),
      await makeUser('moderator'),
    ];
    const threadId = await makeQuestion(asker);
    const first = await makeAnswer(answerer, threadId);
    const second = await makeAnswer(
      stranger,
      threadId,
      'Another way: use the bank rules screen to merge duplicates.',
    );

    expect(await acceptAnswer(db, stranger, threadId, first)).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(await acceptAnswer(db, asker, threadId, first)).toEqual({ ok: true });
    let thread = await getThreadForPage(db, threadId, asker, await viewerOfActor(db, asker));
    expect(thread).toMatchObject({ status: 'answered', accepted_post_id: first });
    expect(await acceptAnswer(db, agent, threadId, second)).toEqual({ ok: true }); // changed
    expect(await acceptAnswer(db, moderator, threadId, null)).toEqual({ ok: true }); // withdrawn
    thread = await getThreadForPage(db, threadId, asker, await viewerOfActor(db, asker));
    expect(thread).toMatchObject({ status: 'open', accepted_post_id: null });
  });

  test('the accepted answer comes first, then by score, then oldest; "newest" sorts by date', async () => {
    const db = getDb();
    const [asker, a, b, c, voter] = [
      await makeUser(),
      await makeUser(),
      await makeUser(),
      await makeUser(),
      await makeUser(),
    ];
    const threadId = await makeQuestion(asker);
    const old = await makeAnswer(a, threadId);
    const popular = await makeAnswer(
      b,
      threadId,
      'Use bank rules to skip the duplicates automatically.',
    );
    const accepted = await makeAnswer(
      c,
      threadId,
      'Contact your bank to reset the feed connection.',
    );
    await castVote(db, voter.id, 'post', popular, 1);
    await acceptAnswer(db, asker, threadId, accepted);
    const byVotes = await answersOfThread(db, threadId, null, 'votes', accepted);
    expect(byVotes.map((answer) => answer.id)).toEqual([accepted, popular, old]);
    const newest = await answersOfThread(db, threadId, null, 'newest', accepted);
    expect(newest.map((answer) => answer.id)).toEqual(
      [accepted, popular, old].sort((x, y) => y - x),
    );
  });
});

describe('soft delete', () => {
  test('deleted content is hidden from everyone but staff, and staff restore it', async () => {
    const db = getDb();
    const [asker, reader, agent] = [await makeUser(), await makeUser(), await makeUser('agent')];
    const threadId = await makeQuestion(asker, 'A question that will be deleted soon');
    const answerId = await makeAnswer(reader, threadId);
    expect(await setThreadDeleted(db, reader, threadId, true)).toEqual({ ok: false, status: 403 });
    expect(await setAnswerDeleted(db, reader, answerId, true)).toMatchObject({ ok: true });
    expect(await answersOfThread(db, threadId, reader, 'votes', null)).toHaveLength(0);
    expect(await answersOfThread(db, threadId, agent, 'votes', null)).toHaveLength(1);

    expect(await setThreadDeleted(db, asker, threadId, true)).toEqual({ ok: true });
    expect(await getThreadForPage(db, threadId, null, null)).toBeNull();
    expect(await getThreadForPage(db, threadId, asker, await viewerOfActor(db, asker))).toBeNull();
    expect(
      await getThreadForPage(db, threadId, agent, await viewerOfActor(db, agent)),
    ).toMatchObject({ id: threadId });
    const listed = await listThreads(db, await viewerOfActor(db, asker), {
      tab: 'newest',
      authorId: asker.id,
    });
    expect(listed.threads.map((thread) => thread.id)).not.toContain(threadId);
    expect(await setThreadDeleted(db, asker, threadId, false)).toEqual({ ok: false, status: 404 });

    expect(await setThreadDeleted(db, agent, threadId, false)).toEqual({ ok: true });
    expect(await getThreadForPage(db, threadId, null, null)).toMatchObject({ id: threadId });
    expect(await setAnswerDeleted(db, agent, answerId, false)).toMatchObject({ ok: true });
    expect(await answersOfThread(db, threadId, null, 'votes', null)).toHaveLength(1);
  });
});

describe('revisions', () => {
  test('posting creates revision 1 and every edit adds the next one', async () => {
    const db = getDb();
    const [asker, answerer] = [await makeUser(), await makeUser()];
    const threadId = await makeQuestion(asker, 'Original title for revisions');
    const answerId = await makeAnswer(answerer, threadId);
    const edited = await editQuestion(db, asker, threadId, {
      title: 'Better title for revisions',
      body: 'The bank feed shows every transaction twice since I reconnected it.',
      categoryId: null,
      tags: [],
      journeyStage: 'onboarding',
      reason: 'clearer title',
    });
    expect(edited).toEqual({ ok: true, slug: 'better-title-for-revisions' });
    expect(
      await editAnswer(db, asker, answerId, { body: 'Hijacked answer body, should be refused.' }),
    ).toMatchObject({ ok: false, status: 403 });
    await editAnswer(db, answerer, answerId, {
      body: 'Disconnect the feed, then import the statement once. Then reconnect.',
    });
    const revisions = await revisionsOfThread(db, threadId, [answerId]);
    expect(revisions.map((r) => [r.target_type, r.number, r.title, r.reason])).toEqual([
      ['thread', 1, 'Original title for revisions', null],
      ['thread', 2, 'Better title for revisions', 'clearer title'],
      ['post', 1, null, null],
      ['post', 2, null, null],
    ]);
    expect(revisions.at(-1)?.body_md).toContain('Then reconnect.');
  });
});

describe('views, self-resolution, notifications', () => {
  test('a view counts once per reader per hour', async () => {
    const db = getDb();
    const threadId = await makeQuestion(await makeUser());
    const start = new Date('2026-01-01T10:00:00Z');
    expect(await recordThreadView(db, threadId, 'visitor:a', start)).toBe(true);
    expect(
      await recordThreadView(db, threadId, 'visitor:a', new Date('2026-01-01T10:30:00Z')),
    ).toBe(false);
    expect(await recordThreadView(db, threadId, 'visitor:b', start)).toBe(true);
    expect(
      await recordThreadView(db, threadId, 'visitor:a', new Date('2026-01-01T11:01:00Z')),
    ).toBe(true);
    expect((await getThreadForPage(db, threadId, null, null))?.views).toBe(3);
  });

  test('"This solved my problem" counts once per reader, and not for the asker', async () => {
    const db = getDb();
    const [asker, reader] = [await makeUser(), await makeUser()];
    const threadId = await makeQuestion(asker);
    expect(
      await markSelfResolved(db, threadId, { userId: asker.id, key: `user:${asker.id}` }),
    ).toMatchObject({ ok: false, status: 403 });
    expect(
      await markSelfResolved(db, threadId, { userId: reader.id, key: `user:${reader.id}` }),
    ).toEqual({ ok: true, recorded: true });
    expect(
      await markSelfResolved(db, threadId, { userId: reader.id, key: `user:${reader.id}` }),
    ).toEqual({ ok: true, recorded: false });
    expect(await markSelfResolved(db, threadId, { userId: null, key: 'visitor:anon' })).toEqual({
      ok: true,
      recorded: true,
    });
    expect(await selfResolution(db, threadId, `user:${reader.id}`)).toEqual({
      count: 2,
      mine: true,
    });
  });

  test('answers, comments, accepts and mentions notify the right people once', async () => {
    const db = getDb();
    const [asker, answerer, mentioned] = [await makeUser(), await makeUser(), await makeUser()];
    const threadId = await makeQuestion(asker);
    const answerId = await makeAnswer(
      answerer,
      threadId,
      `Try this, and ask @${mentioned.username} who did it last week.`,
    );
    await addComment(db, asker, threadId, answerId, 'Thanks, trying it now.');
    await acceptAnswer(db, asker, threadId, answerId);
    const types = async (userId: number) =>
      (await listNotifications(db, userId)).notifications.map((n) => n.type).sort();
    expect(await types(asker.id)).toEqual(['answer']);
    expect(await types(answerer.id)).toEqual(['accepted', 'comment']);
    expect(await types(mentioned.id)).toEqual(['mention']);
    const [answer] = await answersOfThread(db, threadId, null, 'votes', null);
    expect(answer?.body_html).toContain(
      `<a href="/users/${mentioned.username}" class="mention">@${mentioned.username}</a>`,
    );
    expect((await commentsOfThread(db, threadId, null)).map((c) => c.post_id)).toEqual([answerId]);
  });

  test('members below the reputation threshold cannot create new tags; staff can', async () => {
    const db = getDb();
    const input = {
      title: 'Which report shows unpaid bills by supplier?',
      body: 'I need a list of every unpaid bill grouped by supplier.',
      categoryId: null,
      tags: ['brand-new-tag'],
      journeyStage: null,
    };
    expect(await askQuestion(db, await makeUser(), input)).toMatchObject({
      ok: false,
      fieldErrors: { tags: expect.stringContaining('is a new tag') },
    });
    expect(await askQuestion(db, await makeUser('agent'), input)).toMatchObject({ ok: true });
    expect(await askQuestion(db, await makeUser(), input)).toMatchObject({ ok: true });
  });
});
