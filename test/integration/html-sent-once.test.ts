import { describe, expect, test } from 'vitest';
import { createArticle, transitionArticle } from '~/models/articles.server';
import { addComment } from '~/models/comments.server';
import { acceptAnswer } from '~/models/posts.server';
import { loader as articleLoader } from '~/routes/kb.$slug';
import { loader as threadLoader } from '~/routes/questions.$id.($slug)/route';
import { getDb } from '~/utils/db.server';
import { liftPostingLimits, makeAnswer, makeQuestion, makeUser } from '../support/community';
import { testContext } from '../support/requests';

/**
 * The load context Remix gives a page's loader for a document (the server renders the page, so
 * documentHtml) or for `.data` (a client navigation or a revalidation after an action: none).
 */
function contextFor(as: 'document' | 'data') {
  return {
    ...testContext,
    documentHtml: as === 'document' ? new Map<string, string>() : undefined,
  };
}

async function loadThread(path: string, params: Record<string, string>, as: 'document' | 'data') {
  const context = contextFor(as);
  const result = await threadLoader({
    request: new Request(`http://localhost${path}`),
    params,
    context,
  });
  return { data: result.data, documentHtml: context.documentHtml };
}

async function loadArticle(slug: string, as: 'document' | 'data') {
  const context = contextFor(as);
  const request = new Request(`http://localhost/kb/${slug}`);
  const result = await articleLoader({ request, params: { slug }, context });
  return { data: result.data, documentHtml: context.documentHtml };
}

async function threadWithBodies() {
  await liftPostingLimits();
  const asker = await makeUser();
  const threadId = await makeQuestion(asker, 'Bank rules skip some transactions');
  const answerIds: number[] = [];
  for (let index = 0; index < 7; index += 1) {
    const author = await makeUser();
    answerIds.push(
      await makeAnswer(author, threadId, `Answer ${index}: ${'check the rule order. '.repeat(30)}`),
    );
  }
  const commenter = await makeUser();
  const comment = await addComment(
    getDb(),
    commenter,
    threadId,
    answerIds[0] ?? null,
    'Rule order fixed it for me too.',
  );
  if (!comment.ok) throw new Error(comment.error);
  await acceptAnswer(getDb(), asker, threadId, answerIds[6] ?? 0);
  const path = `/questions/${threadId}/bank-rules-skip-some-transactions`;
  const params = { id: String(threadId), slug: 'bank-rules-skip-some-transactions' };
  return { threadId, answerIds, commentId: comment.id, path, params };
}

describe('a page sends its HTML once', () => {
  test("a thread document's loader data names every body the page shows; .data carries them", async () => {
    const { answerIds, commentId, path, params } = await threadWithBodies();

    const document = await loadThread(path, params, 'document');
    const serialized = JSON.stringify(document.data);
    expect(serialized).not.toContain('check the rule order');
    expect(serialized).not.toContain('Rule order fixed it');
    expect(serialized).not.toContain('body_md');
    expect(document.data.thread.body_html).toEqual({ inDocument: 'question' });
    expect(document.data.answers.map((answer) => answer.body_html)).toEqual(
      document.data.answers.map((answer) => ({ inDocument: `answer-${answer.id}` })),
    );
    expect(document.data.comments.map((comment) => comment.body_html)).toEqual([
      { inDocument: `comment-${commentId}` },
    ]);
    // The server's render finds each body here, so the page shows every one of them.
    for (const id of answerIds)
      expect(document.documentHtml?.get(`answer-${id}`)).toContain('check the rule order');
    expect(document.documentHtml?.get('question')).toContain('bank feed shows transactions');
    expect(document.documentHtml?.get(`comment-${commentId}`)).toContain('Rule order fixed it');

    const data = await loadThread(path, params, 'data');
    expect(data.data.thread.body_html).toContain('bank feed shows transactions');
    for (const answer of data.data.answers)
      expect(answer.body_html).toEqual(expect.stringContaining('check the rule order'));
    expect(data.data.comments[0]?.body_html).toContain('Rule order fixed it');
    // JSON-LD is for search engines, which read documents.
    expect(data.data.structuredData).toBeNull();
  });

  test('the QAPage JSON-LD counts every answer but lists the accepted and the five best, shortened', async () => {
    const { answerIds, path, params } = await threadWithBodies();
    const document = await loadThread(path, params, 'document');
    expect(document.data.structuredData).toEqual({ inDocument: 'structured-data' });
    const page = JSON.parse(document.documentHtml?.get('structured-data') ?? '');
    expect(page.mainEntity.answerCount).toBe(7);
    expect(page.mainEntity.acceptedAnswer.url).toMatch(new RegExp(`#answer-${answerIds[6]}$`));
    expect(page.mainEntity.suggestedAnswer).toHaveLength(5);
    for (const answer of [page.mainEntity.acceptedAnswer, ...page.mainEntity.suggestedAnswer]) {
      expect(answer.text.length).toBeLessThanOrEqual(300);
      expect(answer.text).toMatch(/^Answer \d: check the rule order\..*…$/);
    }
  });

  test("an article document's loader data names its body; .data carries it", async () => {
    const agent = await makeUser('agent');
    const created = await createArticle(getDb(), agent, {
      title: 'Reconcile a bank feed',
      slug: '',
      // Its end lies past the 160 characters of the description, which the loader data carries.
      body: `## Steps\n\n${'Open **Banking** and pick the account. '.repeat(6)}Then match each line to its invoice.`,
      categoryId: null,
      tags: [],
      journeyStage: null,
    });
    if (!created.ok) throw new Error(JSON.stringify(created));
    await transitionArticle(getDb(), agent, created.id, 'in_review');
    await transitionArticle(getDb(), agent, created.id, 'published');
    const slug = await getDb()
      .selectFrom('articles')
      .select('slug')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();

    const document = await loadArticle(slug.slug, 'document');
    expect(document.data.article.body_html).toEqual({ inDocument: 'article' });
    expect(JSON.stringify(document.data)).not.toContain('match each line');
    expect(document.documentHtml?.get('article')).toContain('match each line to its invoice');

    const data = await loadArticle(slug.slug, 'data');
    expect(data.data.article.body_html).toContain('match each line to its invoice');
  });
});
