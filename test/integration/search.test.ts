import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createArticle, transitionArticle } from '~/models/articles.server';
import { acceptAnswer } from '~/models/posts.server';
import { countDeflections, recordSearchClick } from '~/models/search-events.server';
import { editQuestion, setThreadDeleted } from '~/models/threads.server';
import { getDb } from '~/utils/db.server';
import { createMeiliClient } from '#search/client';
import { threadDocument, threadDocuments } from '#search/documents';
import { searchContent, stopSearch } from '#search/engine';
import { indexName } from '#search/settings';
import { makeAnswer, makeQuestion, makeUser } from '../support/community';
import { startTestSearch, within } from '../support/search';

const search = (q: string, extra: Partial<Parameters<typeof searchContent>[1]> = {}) =>
  searchContent(getDb(), { q, audience: ['public'], limit: 20, offset: 0, ...extra });

describe('the index follows every change within 2 seconds', () => {
  let prefix = '';
  let client: ReturnType<typeof createMeiliClient>;
  beforeAll(async () => {
    prefix = (await startTestSearch()).prefix;
    client = createMeiliClient(
      process.env.COMMONS_TEST_MEILI_URL ?? '',
      process.env.COMMONS_TEST_MEILI_KEY ?? '',
    );
  });
  afterAll(async () => {
    client.close();
    await stopSearch();
  });

  const document = (type: 'thread' | 'article', id: number) =>
    client.client
      .index(indexName(prefix, type))
      .getDocument(id)
      .then(
        (doc) => doc,
        () => null,
      );

  test('threads: ask, edit, answer, accept, delete and restore', async () => {
    const db = getDb();
    const [asker, answerer] = [await makeUser(), await makeUser()];
    const threadId = await makeQuestion(asker, 'Quarterly reconciliation keeps failing');
    expect(await within(2000, () => document('thread', threadId))).toMatchObject({
      title: 'Quarterly reconciliation keeps failing',
      answered: false,
    });

    await editQuestion(db, asker, threadId, {
      title: 'Quarterly reconciliation fails with a mismatch',
      body: 'The totals differ by a few cents each quarter.',
      categoryId: null,
      tags: [],
      journeyStage: null,
    });
    await within(
      2000,
      async () =>
        (await document('thread', threadId))?.title ===
        'Quarterly reconciliation fails with a mismatch',
    );

    const answerId = await makeAnswer(
      answerer,
      threadId,
      'Round the opening balances before you reconcile.',
    );
    await acceptAnswer(db, asker, threadId, answerId);
    expect(
      await within(2000, async () => {
        const doc = await document('thread', threadId);
        return doc?.answered ? doc : null;
      }),
    ).toMatchObject({ answers: expect.stringContaining('Round the opening balances') });

    await setThreadDeleted(db, asker, threadId, true);
    await within(2000, async () => (await document('thread', threadId)) === null);
    await setThreadDeleted(db, await makeUser('moderator'), threadId, false);
    await within(2000, () => document('thread', threadId));
  });

  test('articles: drafts never appear; publishing adds, archiving removes', async () => {
    const db = getDb();
    const agent = await makeUser('agent');
    const created = await createArticle(db, agent, {
      title: 'Close the books at year end',
      slug: '',
      body: 'A checklist for closing the financial year.',
      categoryId: null,
      tags: [],
      journeyStage: null,
    });
    if (!created.ok) throw new Error('article not created');
    await transitionArticle(db, agent, created.id, 'in_review');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await document('article', created.id)).toBeNull();
    expect((await search('books year end')).hits.map((hit) => hit.key)).not.toContain(
      `article-${created.id}`,
    );

    await transitionArticle(db, agent, created.id, 'published');
    await within(2000, () => document('article', created.id));
    await transitionArticle(db, agent, created.id, 'archived');
    await within(2000, async () => (await document('article', created.id)) === null);
  });

  test('a typo in every long word still finds the right document first, among others on the topic', async () => {
    const asker = await makeUser();
    const target = await makeQuestion(asker, 'Reconcile Stripe payouts with a clearing account');
    await makeQuestion(asker, 'Stripe fees are missing from my payouts');
    await makeQuestion(asker, 'Which account should card payouts go into?');
    await within(3000, () => document('thread', target));
    await within(
      3000,
      async () =>
        (await search('reconcle stirpe clearng acount')).hits[0]?.key === `thread-${target}`,
    );
  });

  test('a query with a typo in each word finds the document, highlighted', async () => {
    const threadId = await makeQuestion(
      await makeUser(),
      'Payroll withholding certificate missing',
    );
    await within(2000, () => document('thread', threadId));
    const results = await search('payrol witholding certificat');
    expect(results.engine).toBe('meilisearch');
    expect(results.hits[0]).toMatchObject({
      key: `thread-${threadId}`,
      title: expect.stringContaining('\u0001'),
    });
    expect(results.facets.type).toMatchObject({ thread: expect.any(Number) });
  });

  test('an article leads a thread that is as relevant, and a query that is a title puts that page first', async () => {
    const db = getDb();
    const agent = await makeUser('agent');
    const title = 'Bank feed shows transactions twice';
    // The thread's text is the fixture's; the article's has one word more, so by words alone
    // (bm25 on SQLite, ts_rank on PostgreSQL, both shorter-is-better) the thread is just ahead.
    const threadId = await makeQuestion(await makeUser(), title);
    const created = await createArticle(db, agent, {
      title,
      slug: '',
      body: 'The bank feed shows transactions twice after I reconnected it yesterday. Odd.',
      categoryId: null,
      tags: [],
      journeyStage: null,
    });
    if (!created.ok) throw new Error('article not created');
    await transitionArticle(db, agent, created.id, 'published');
    await within(3000, () => document('article', created.id));
    await within(3000, () => document('thread', threadId));
    const keys = async (q: string) => (await search(q)).hits.map((hit) => hit.key);
    expect((await search('transactions twice', { type: 'thread' })).hits[0]?.key).toBe(
      `thread-${threadId}`,
    );
    // Word order and stop words aside, the query is the title of both: the article comes first,
    // ahead of the many threads about a bank feed.
    await within(3000, async () => {
      const found = await keys('twice: the bank feed shows the transactions');
      return found[0] === `article-${created.id}` && found[1] === `thread-${threadId}`;
    });
  });

  test('a question that shares no word with the page still finds it by meaning', async () => {
    const threadId = await makeQuestion(
      await makeUser(),
      'Can my employees see their own payslips online?',
    );
    await makeQuestion(await makeUser(), 'Import bank transactions from a CSV file');
    await within(3000, () => document('thread', threadId));
    const results = await search('where do workers download salary statements');
    expect(results.engine).toBe('meilisearch');
    expect(results.hits.slice(0, 3).map((hit) => hit.key)).toContain(`thread-${threadId}`);
  });

  test('made-up words find no page by meaning, not even one whose title holds a made-up word', async () => {
    // This title and this query have no word in common, yet their vectors are 0.53 alike: both
    // are mostly words of no language (search/embeddings.ts: nonsenseSimilarity).
    const threadId = await makeQuestion(
      await makeUser(),
      'Quarterclose1796559479281 totals differ from the ledger',
    );
    await within(3000, () => document('thread', threadId));
    const results = await search('zzzqqq xqvjkw mxbt87kf');
    expect(results.engine).toBe('meilisearch');
    expect(results.hits.map((hit) => hit.key)).not.toContain(`thread-${threadId}`);
  });
});

describe('search documents', () => {
  test('documents built together are each thread’s own: its tags, its accepted answer first, text from the stored HTML, none for a deleted thread', async () => {
    const db = getDb();
    // A moderator may create tags; a new member may not.
    const [asker, answerer] = [await makeUser('moderator'), await makeUser()];
    const tagged = await makeQuestion(asker, 'Sales tax rounding differs on invoices');
    const answered = await makeQuestion(asker, 'Recurring invoices skip February');
    const deleted = await makeQuestion(asker, 'A question its asker deletes');
    const edited = await editQuestion(db, asker, tagged, {
      title: 'Sales tax rounding differs on invoices',
      body: 'Invoice totals are **off** by one cent against the tax report.',
      categoryId: null,
      tags: ['tax', 'invoices'],
      journeyStage: null,
    });
    expect(edited).toMatchObject({ ok: true });
    await makeAnswer(answerer, answered, 'Set the day to the *last* of the month.');
    const accepted = await makeAnswer(answerer, answered, 'Use the end-of-month option.');
    await acceptAnswer(db, asker, answered, accepted);
    await setThreadDeleted(db, asker, deleted, true);

    const documents = await threadDocuments(db, [answered, deleted, tagged]);
    expect(documents[0]).toMatchObject({
      id: answered,
      answered: true,
      answers: 'Use the end-of-month option.\nSet the day to the last of the month.',
    });
    expect(documents[1]).toBeNull();
    expect(documents[2]).toMatchObject({
      id: tagged,
      tags: ['invoices', 'tax'],
      body: 'Invoice totals are off by one cent against the tax report.',
      answers: '',
    });
    expect(await threadDocument(db, tagged)).toEqual(documents[2]);
  });
});

describe('deflection', () => {
  test('opening a suggestion while asking counts as a deflection unless a question follows within 30 minutes', async () => {
    const db = getDb();
    const [left, stayed] = [await makeUser(), await makeUser()];
    const threadId = await makeQuestion(await makeUser(), 'Where do I change my company address?');
    const start = new Date('2030-01-01T10:00:00Z');
    const searcher = (user: { id: number }) => ({
      userId: user.id,
      visitorKey: `user:${user.id}`,
      staff: false,
      bot: false,
    });
    await recordSearchClick(
      db,
      searcher(left),
      { key: `thread-${threadId}`, position: 1, query: 'company address', source: 'ask' },
      start,
    );
    await recordSearchClick(
      db,
      searcher(stayed),
      { key: `thread-${threadId}`, position: 2, query: 'change address', source: 'ask' },
      start,
    );
    await db
      .insertInto('events')
      .values({
        type: 'question_asked',
        user_id: stayed.id,
        created_at: new Date('2030-01-01T10:20:00Z').toISOString(),
      })
      .execute();
    expect(
      await countDeflections(
        db,
        new Date('2030-01-01T00:00:00Z'),
        new Date('2030-01-02T00:00:00Z'),
      ),
    ).toBe(1);
  });
});
