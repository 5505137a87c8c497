import { describe, expect, test } from 'vitest';
import { articleStats, feedbackOf, setArticleFeedback } from '~/models/article-feedback.server';
import {
  createArticle,
  restoreArticleRevision,
  reviewDueFrom,
  transitionArticle,
  updateArticle,
  verifyArticle,
  type ArticleInput,
} from '~/models/articles.server';
import { findArticle, knowledgeBaseHome, relatedArticles } from '~/models/knowledge-base.server';
import { promoteAnswer } from '~/models/article-promotion.server';
import { revisionsOfArticle } from '~/models/revisions.server';
import { getDb } from '~/utils/db.server';
import { action as editArticleAction } from '~/routes/agent.articles.$id';
import {
  action as newArticleAction,
  loader as newArticleLoader,
} from '~/routes/agent.articles.new';
import { loader as articleLoader } from '~/routes/kb.$slug';
import { makeAnswer, makeQuestion, makeUser } from '../support/community';
import { formRequest, sessionCookieFor, settle, statusOf, testContext } from '../support/requests';

let counter = 0;
function input(overrides: Partial<ArticleInput> = {}): ArticleInput {
  counter += 1;
  return {
    title: `Connect your bank feed ${counter}`,
    slug: '',
    body: '## Before you start\n\nHave your online banking login ready.\n\n## Steps\n\n1. Open **Banking**.',
    categoryId: null,
    tags: ['bank-feeds'],
    journeyStage: 'onboarding',
    ...overrides,
  };
}

async function draft(
  author: { id: number; role: 'agent' | 'moderator' | 'admin' | 'member' },
  overrides: Partial<ArticleInput> = {},
) {
  const created = await createArticle(getDb(), author, input(overrides));
  if (!created.ok) throw new Error(JSON.stringify(created));
  return created.id;
}

describe('article workflow', () => {
  test('draft → in review → published → archived, and illegal moves are refused with a message', async () => {
    const db = getDb();
    const agent = await makeUser('agent');
    const id = await draft(agent);
    expect(await transitionArticle(db, agent, id, 'archived')).toEqual({
      ok: false,
      status: 400,
      error: 'A draft article cannot be moved to archived.',
    });
    expect(await transitionArticle(db, agent, id, 'in_review')).toEqual({ ok: true });
    expect(await transitionArticle(db, agent, id, 'published')).toEqual({ ok: true });
    expect(await transitionArticle(db, agent, id, 'in_review')).toEqual({
      ok: false,
      status: 400,
      error: 'A published article cannot be moved to in review.',
    });
    expect(await transitionArticle(db, agent, id, 'archived')).toEqual({ ok: true });
    const moves = await db
      .selectFrom('article_status_changes')
      .select(['from_status', 'to_status', 'user_id'])
      .where('article_id', '=', id)
      .orderBy('id')
      .execute();
    expect(moves).toEqual([
      { from_status: null, to_status: 'draft', user_id: agent.id },
      { from_status: 'draft', to_status: 'in_review', user_id: agent.id },
      { from_status: 'in_review', to_status: 'published', user_id: agent.id },
      { from_status: 'published', to_status: 'archived', user_id: agent.id },
    ]);
  });

  test('members cannot write, edit or publish articles', async () => {
    const db = getDb();
    const member = await makeUser();
    expect(await createArticle(db, member, input())).toEqual({
      ok: false,
      status: 403,
      fieldErrors: {},
    });
    const id = await draft(await makeUser('agent'));
    expect(await transitionArticle(db, member, id, 'published')).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(await updateArticle(db, member, id, input())).toMatchObject({ ok: false, status: 403 });
  });

  test('publishing sets the review 180 days out; verifying resets it; overdue ones are listed', async () => {
    const db = getDb();
    const agent = await makeUser('agent');
    const id = await draft(agent);
    const publishedAt = new Date('2026-01-10T09:00:00Z');
    await transitionArticle(db, agent, id, 'published', publishedAt);
    expect(reviewDueFrom(publishedAt)).toBe('2026-07-09T09:00:00.000Z');
    let row = await db
      .selectFrom('articles')
      .select(['review_due_at', 'published_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      review_due_at: '2026-07-09T09:00:00.000Z',
      published_at: '2026-01-10T09:00:00.000Z',
    });
    const overdue = await articleStats(db, { overdueAt: new Date('2026-08-01T00:00:00Z') });
    expect(overdue.map((article) => article.id)).toContain(id);
    await verifyArticle(db, agent, id, new Date('2026-08-01T00:00:00Z'));
    row = await db
      .selectFrom('articles')
      .select(['review_due_at', 'published_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.review_due_at).toBe('2027-01-28T00:00:00.000Z');
    expect(
      (await articleStats(db, { overdueAt: new Date('2026-08-02T00:00:00Z') })).map((a) => a.id),
    ).not.toContain(id);
  });
});

describe('visibility', () => {
  test('drafts, articles in review and archived ones are invisible to members, also in related lists', async () => {
    const db = getDb();
    const [agent, member] = [await makeUser('agent'), await makeUser()];
    const published = await draft(agent, { tags: ['visibility-test'] });
    await transitionArticle(db, agent, published, 'published');
    const hidden: number[] = [];
    for (const status of ['draft', 'in_review', 'archived'] as const) {
      const id = await draft(agent, {
        tags: ['visibility-test'],
        slug: `hidden-${status.replace('_', '-')}`,
      });
      if (status !== 'draft')
        await transitionArticle(db, agent, id, status === 'archived' ? 'published' : 'in_review');
      if (status === 'archived') await transitionArticle(db, agent, id, 'archived');
      hidden.push(id);
      expect(
        await findArticle(db, `hidden-${status.replace('_', '-')}`, {
          ...member,
          groupIds: [],
          organizationId: null,
        }),
      ).toEqual({
        found: 'none',
      });
      expect(await findArticle(db, `hidden-${status.replace('_', '-')}`, null)).toEqual({
        found: 'none',
      });
      expect(
        await findArticle(db, `hidden-${status.replace('_', '-')}`, {
          ...agent,
          groupIds: [],
          organizationId: null,
        }),
      ).toMatchObject({
        found: 'article',
      });
    }
    const related = await relatedArticles(db, { id: hidden[0]!, category_id: null }, null);
    expect(related.map((article) => article.id)).toEqual([published]);
    const home = await knowledgeBaseHome(db, null);
    const listed = [...home.uncategorized, ...home.mostViewed, ...home.recentlyUpdated].map(
      (article) => article.id,
    );
    expect(listed).toContain(published);
    for (const id of hidden) expect(listed).not.toContain(id);
  });
});

describe('revisions and slugs', () => {
  test('a changed slug redirects from the old one; restoring a revision makes it current as a new revision', async () => {
    const db = getDb();
    const agent = await makeUser('agent');
    const id = await draft(agent, {
      slug: 'old-address',
      body: 'The first version of this article, long enough.',
    });
    await transitionArticle(db, agent, id, 'published');
    await updateArticle(
      db,
      agent,
      id,
      input({
        title: 'Renamed',
        slug: 'new-address',
        body: 'The second version of this article, also long enough.',
      }),
    );
    expect(await findArticle(db, 'old-address', null)).toEqual({
      found: 'redirect',
      slug: 'new-address',
    });
    const [first] = await revisionsOfArticle(db, id);
    expect(await restoreArticleRevision(db, agent, id, first!.id)).toEqual({
      ok: true,
      slug: 'new-address',
    });
    const revisions = await revisionsOfArticle(db, id);
    expect(revisions.map((r) => [r.number, r.reason])).toEqual([
      [1, null],
      [2, null],
      [3, 'Restored revision 1'],
    ]);
    const current = await db
      .selectFrom('articles')
      .select(['body_md', 'slug'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(current).toEqual({
      body_md: 'The first version of this article, long enough.',
      slug: 'new-address',
    });
    // Another article cannot take an address that still redirects.
    expect(await createArticle(db, agent, input({ slug: 'old-address' }))).toMatchObject({
      ok: false,
      fieldErrors: { slug: 'Another article uses this address.' },
    });
  });
});

describe('feedback', () => {
  test('one vote per reader per article, changeable; helpful % counts the latest votes', async () => {
    const db = getDb();
    const agent = await makeUser('agent');
    const id = await draft(agent);
    await transitionArticle(db, agent, id, 'published');
    const reader = { key: 'visitor:one', userId: null };
    await setArticleFeedback(db, id, null, reader, {
      helpful: 'no',
      reason: 'outdated',
      comment: 'The menu moved.',
    });
    expect(await feedbackOf(db, id, 'visitor:one')).toEqual({
      helpful: 0,
      reason: 'outdated',
      comment: 'The menu moved.',
    });
    await setArticleFeedback(db, id, null, reader, { helpful: 'yes', reason: null, comment: null });
    await setArticleFeedback(
      db,
      id,
      null,
      { key: 'visitor:two', userId: null },
      { helpful: 'no', reason: 'unclear', comment: null },
    );
    const rows = await db
      .selectFrom('article_feedback')
      .select(['reader', 'helpful', 'reason'])
      .where('article_id', '=', id)
      .orderBy('reader')
      .execute();
    expect(rows).toEqual([
      { reader: 'visitor:one', helpful: 1, reason: null },
      { reader: 'visitor:two', helpful: 0, reason: 'unclear' },
    ]);
    const [stats] = await articleStats(db, { articleId: id });
    expect(stats).toMatchObject({ votes: 2, helpful_votes: 1, helpful_percent: 50 });
  });

  test('feedback on an unpublished article is refused', async () => {
    const id = await draft(await makeUser('agent'));
    expect(
      await setArticleFeedback(
        getDb(),
        id,
        null,
        { key: 'visitor:x', userId: null },
        { helpful: 'yes', reason: null, comment: null },
      ),
    ).toEqual({ ok: false, status: 404 });
  });
});

describe('promoting answers', () => {
  test('a draft is prefilled from the thread and the answer, once per answer', async () => {
    const db = getDb();
    const [asker, answerer, agent] = [await makeUser(), await makeUser(), await makeUser('agent')];
    const threadId = await makeQuestion(asker, 'How do I stop duplicate bank transactions?');
    const answerId = await makeAnswer(
      answerer,
      threadId,
      'Turn on **bank rules** and merge the duplicates in one go.',
    );
    const promoted = await promoteAnswer(db, agent, answerId);
    expect(promoted).toMatchObject({ ok: true, existing: false });
    if (!promoted.ok) return;
    const article = await db
      .selectFrom('articles')
      .select(['title', 'body_md', 'status', 'source_post_id'])
      .where('id', '=', promoted.id)
      .executeTakeFirstOrThrow();
    expect(article).toEqual({
      title: 'How do I stop duplicate bank transactions?',
      body_md: 'Turn on **bank rules** and merge the duplicates in one go.',
      status: 'draft',
      source_post_id: answerId,
    });
    expect(await promoteAnswer(db, agent, answerId)).toEqual({
      ok: true,
      id: promoted.id,
      existing: true,
    });
    expect(await promoteAnswer(db, asker, answerId)).toMatchObject({ ok: false, status: 403 });
  });
});

describe('routes check roles on the server', () => {
  test('a member gets 403 from the editor, by page and by direct POST', async () => {
    const member = await makeUser();
    const cookie = await sessionCookieFor(member.id);
    const id = await draft(await makeUser('agent'));
    const page = await settle(() =>
      newArticleLoader({
        request: new Request('http://localhost/agent/articles/new', {
          headers: { Cookie: cookie },
        }),
        params: {},
        context: testContext,
      }),
    );
    expect(statusOf(page)).toBe(403);
    const create = formRequest(
      '/agent/articles/new',
      {
        title: 'Sneaky article',
        slug: '',
        body: 'Members should never get here at all.',
        categoryId: '',
        tags: '',
        journeyStage: '',
      },
      { Cookie: cookie },
    );
    expect(
      statusOf(
        await settle(() => newArticleAction({ request: create, params: {}, context: testContext })),
      ),
    ).toBe(403);
    const publish = formRequest(
      `/agent/articles/${id}`,
      { intent: 'transition', to: 'published' },
      { Cookie: cookie },
    );
    expect(
      statusOf(
        await settle(() =>
          editArticleAction({ request: publish, params: { id: String(id) }, context: testContext }),
        ),
      ),
    ).toBe(403);
    const row = await getDb()
      .selectFrom('articles')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('draft');
  });

  test('an old slug answers 301 with the new address; an unpublished article answers 404', async () => {
    const db = getDb();
    const agent = await makeUser('agent');
    const id = await draft(agent, { slug: 'route-old-slug' });
    expect(
      statusOf(
        await settle(() =>
          articleLoader({
            request: new Request('http://localhost/kb/route-old-slug'),
            params: { slug: 'route-old-slug' },
            context: testContext,
          }),
        ),
      ),
    ).toBe(404);
    await transitionArticle(db, agent, id, 'published');
    await updateArticle(db, agent, id, input({ slug: 'route-new-slug' }));
    const moved = await settle(() =>
      articleLoader({
        request: new Request('http://localhost/kb/route-old-slug'),
        params: { slug: 'route-old-slug' },
        context: testContext,
      }),
    );
    expect(statusOf(moved)).toBe(301);
    expect(moved instanceof Response && moved.headers.get('Location')).toBe('/kb/route-new-slug');
  });
});
