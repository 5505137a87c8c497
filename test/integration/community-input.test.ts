import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { action as askAction } from '~/routes/questions.ask';
import {
  action as threadAction,
  loader as threadLoader,
} from '~/routes/questions.$id.($slug)/route';
import { getDb } from '~/utils/db.server';
import { liftPostingLimits, makeAnswer, makeQuestion, makeUser } from '../support/community';
import { formRequest, sessionCookieFor, settle, statusOf, testContext } from '../support/requests';
import { acceptAnswer } from '~/models/posts.server';

const blnsFile = path.resolve(import.meta.dirname, '../../../shared/data/naughty/blns.json');
const naughtyStrings: string[] = fs.existsSync(blnsFile)
  ? JSON.parse(fs.readFileSync(blnsFile, 'utf8'))
  : [];

const hostile = [
  'Here is my screenshot <img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  'and [click here](javascript:alert(1)) for details',
].join('\n\n');

describe('question input', () => {
  test('a hostile body is stored without scripts, handlers or javascript: links', async () => {
    const author = await makeUser();
    const cookie = await sessionCookieFor(author.id);
    const request = formRequest(
      '/questions/ask',
      {
        title: 'Why does my screenshot not show up?',
        body: hostile,
        categoryId: '',
        tags: '',
        journeyStage: '',
      },
      { Cookie: cookie },
    );
    const result = await askAction({ request, params: {}, context: testContext });
    expect(statusOf(result)).toBe(302);
    const thread = await getDb()
      .selectFrom('threads')
      .select(['body_md', 'body_html'])
      .where('author_id', '=', author.id)
      .executeTakeFirstOrThrow();
    expect(thread.body_md).toBe(hostile);
    expect(thread.body_html).not.toMatch(/<script|onerror|javascript:/i);
    expect(thread.body_html).toContain('click here');
  });

  describe.skipIf(naughtyStrings.length === 0)('the Big List of Naughty Strings', () => {
    test('as a title or a body of a question or an answer: a field error or a stored post, never a 500', async () => {
      await liftPostingLimits();
      const author = await makeUser();
      const cookie = await sessionCookieFor(author.id);
      const threadId = await makeQuestion(
        await makeUser(),
        'A question that collects naughty answers',
      );
      const thread = await getDb()
        .selectFrom('threads')
        .select('slug')
        .where('id', '=', threadId)
        .executeTakeFirstOrThrow();
      const outcomes = { stored: 0, rejected: 0 };
      const count = (status: number, what: string) => {
        expect([302, 400], what).toContain(status);
        outcomes[status === 302 ? 'stored' : 'rejected']++;
      };
      for (const naughty of naughtyStrings) {
        const ask = (title: string, body: string) =>
          settle(() =>
            askAction({
              request: formRequest(
                '/questions/ask',
                { title, body, categoryId: '', tags: '', journeyStage: '' },
                { Cookie: cookie },
              ),
              params: {},
              context: testContext,
            }),
          );
        count(
          statusOf(await ask(naughty, 'A body that is long enough to be accepted.')),
          `title ${JSON.stringify(naughty)}`,
        );
        count(
          statusOf(await ask('A title that is long enough to pass', naughty)),
          `body ${JSON.stringify(naughty)}`,
        );
        const answer = formRequest(
          `/questions/${threadId}/${thread.slug}`,
          { intent: 'answer', body: naughty },
          { Cookie: cookie },
        );
        count(
          statusOf(
            await settle(() =>
              threadAction({
                request: answer,
                params: { id: String(threadId), slug: thread.slug },
                context: testContext,
              }),
            ),
          ),
          `answer ${JSON.stringify(naughty)}`,
        );
      }
      expect(outcomes.stored).toBeGreaterThan(300);
      expect(outcomes.rejected).toBeGreaterThan(300);
      const stored = await getDb()
        .selectFrom('threads')
        .select('body_html')
        .where('author_id', '=', author.id)
        .execute();
      for (const row of stored) expect(row.body_html).not.toMatch(/<script|<iframe/i);
    });
  });
});

describe('thread page', () => {
  test('a wrong or missing slug redirects permanently to the canonical URL', async () => {
    const threadId = await makeQuestion(await makeUser(), 'Canonical slugs keep links stable');
    for (const slug of [undefined, 'old-title']) {
      const request = new Request(
        `http://localhost/questions/${threadId}${slug ? `/${slug}` : ''}?sort=newest`,
      );
      const response = await settle(() =>
        threadLoader({ request, params: { id: String(threadId), slug }, context: testContext }),
      );
      expect(statusOf(response)).toBe(301);
      expect(response instanceof Response && response.headers.get('Location')).toBe(
        `/questions/${threadId}/canonical-slugs-keep-links-stable?sort=newest`,
      );
    }
  });

  test('its schema.org QAPage has the question, its answers and the accepted one', async () => {
    const [asker, a, b] = [await makeUser(), await makeUser(), await makeUser()];
    const threadId = await makeQuestion(asker, 'Structured data for search engines');
    const accepted = await makeAnswer(
      a,
      threadId,
      'Accepted: this is the answer that worked </script><b>x</b>',
    );
    await makeAnswer(b, threadId, 'A suggested answer that also helps.');
    await acceptAnswer(getDb(), asker, threadId, accepted);
    const request = new Request(
      `http://localhost/questions/${threadId}/structured-data-for-search-engines`,
    );
    // Search engines read it from a document, which renders it from documentHtml.
    const documentHtml = new Map<string, string>();
    const result = await threadLoader({
      request,
      params: { id: String(threadId), slug: 'structured-data-for-search-engines' },
      context: { ...testContext, documentHtml },
    });
    if (result instanceof Response || !('data' in result)) throw new Error('expected data');
    const { canonicalUrl } = result.data;
    const json = documentHtml.get('structured-data') ?? '';
    expect(json).not.toContain('</script>');
    const page = JSON.parse(json);
    expect(page).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'QAPage',
      mainEntity: {
        '@type': 'Question',
        name: 'Structured data for search engines',
        text: expect.stringContaining('bank feed'),
        answerCount: 2,
        acceptedAnswer: {
          '@type': 'Answer',
          text: expect.stringContaining('Accepted: this is the answer'),
          upvoteCount: 0,
          url: `${canonicalUrl}#answer-${accepted}`,
        },
        suggestedAnswer: [{ '@type': 'Answer', text: 'A suggested answer that also helps.' }],
      },
    });
  });
});
