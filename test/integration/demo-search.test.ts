import type { Meilisearch } from 'meilisearch';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getDb } from '~/utils/db.server';
import { searchParamsFrom } from '~/utils/search-params.server';
import { searchContent, stopSearch } from '#search/engine';
import { englishStopWords, indexName } from '#search/settings';
import { highlightEnd, highlightStart, type SearchHit } from '#search/types';
import { demoThreads } from '../../seed/community-content';
import { seedDemo } from '../../seed/demo';
import { demoArticles } from '../../seed/kb-content';
import { startTestSearch, within } from '../support/search';

/** The item a customer means: a published demo article by its slug, or a demo thread by its title. */
type Target = { article: string } | { thread: string };

type CustomerQuery = {
  q: string;
  /** Keywords as typed into the box, or a question asked in plain words. */
  shape: 'keywords' | 'question';
  target: Target;
  /** 1 when the query plainly names the target; 3 when other items are as plausible. */
  atMost: 1 | 3;
};

// How a Ledgerly customer types into the help center's search box; some with a slip of the finger.
const customerQueries: CustomerQuery[] = [
  {
    q: 'refund card payment',
    shape: 'keywords',
    target: { article: 'refund-a-card-payment' },
    atMost: 1,
  },
  {
    q: 'reconcile stripe payouts',
    shape: 'keywords',
    target: { article: 'reconcile-stripe-payouts-clearing-account' },
    atMost: 1,
  },
  { q: 'api rate limits', shape: 'keywords', target: { article: 'api-rate-limits' }, atMost: 1 },
  {
    q: 'month end cheklist',
    shape: 'keywords',
    target: { article: 'month-end-checklist' },
    atMost: 1,
  },
  {
    q: 'bank feed BF-401',
    shape: 'keywords',
    target: { article: 'fix-bank-feed-bf-401' },
    atMost: 3,
  },
  {
    q: 'invoice emails spam',
    shape: 'keywords',
    target: { thread: "Our invoice emails keep landing in clients' spam folders" },
    atMost: 1,
  },
  {
    q: 'duplicate transactons bank feed',
    shape: 'keywords',
    target: {
      thread: 'Duplicate transactions after reconnecting the bank feed. Is there a bulk fix?',
    },
    atMost: 1,
  },
  {
    q: 'sales tax exempt products',
    shape: 'keywords',
    target: { article: 'sales-tax-taxable-and-exempt-products' },
    atMost: 1,
  },
  {
    q: 'pay subcontractors 1099',
    shape: 'keywords',
    target: { thread: 'Can I pay subcontractors through Ledgerly and get 1099s at year end?' },
    atMost: 1,
  },
  {
    q: 'how do I reconcile my bank account',
    shape: 'question',
    target: { article: 'reconcile-your-bank-account' },
    atMost: 1,
  },
  {
    q: 'how do I run payroll for the first time',
    shape: 'question',
    target: { article: 'run-your-first-payroll' },
    atMost: 1,
  },
  {
    q: 'what happens when my free trial ends',
    shape: 'question',
    target: { article: 'start-your-free-trial' },
    atMost: 1,
  },
  {
    q: 'what is the difference between the Starter, Growth and Pro plans',
    shape: 'question',
    target: { article: 'compare-plans' },
    atMost: 1,
  },
  {
    q: 'customer paid twice by card, how do I refund one of the payments',
    shape: 'question',
    target: {
      thread: 'A customer paid the same invoice twice by card. How do I refund the duplicate?',
    },
    atMost: 3,
  },
  {
    q: 'how do I pay overtime when the work week spans two pay periods',
    shape: 'question',
    target: { thread: 'How do I pay overtime when the work week spans two pay periods?' },
    atMost: 1,
  },
  {
    q: 'how do I invite my bookkeeper without giving access to payroll',
    shape: 'question',
    target: {
      thread: 'How do I invite our external bookkeeper without giving her access to payroll?',
    },
    atMost: 1,
  },
  {
    q: 'why is my invoice overdue when the customer paid part of it',
    shape: 'question',
    target: { article: 'why-is-my-invoice-overdue' },
    atMost: 3,
  },
  {
    q: 'can I switch from monthly to anual billing',
    shape: 'question',
    target: { article: 'choose-a-plan-monthly-or-annual' },
    atMost: 3,
  },
  {
    q: 'how do I verify webhook signatures in node',
    shape: 'question',
    target: {
      thread: 'Webhook signature verification keeps failing in Node. What exactly is signed?',
    },
    atMost: 1,
  },
  {
    q: 'where do I enter year to date figures from our old payrol provider',
    shape: 'question',
    target: { article: 'enter-prior-payroll-history' },
    atMost: 3,
  },
];

const stopWords = new Set(englishStopWords);
// A mark with the rest of the word around it: a query's last word is also matched as a prefix.
const markedInWord = new RegExp(
  `(\\p{L}*)${highlightStart}([^${highlightEnd}]*)${highlightEnd}(\\p{L}*)`,
  'gu',
);
const plain = (text: string) => text.replaceAll(highlightStart, '').replaceAll(highlightEnd, '');

/** The /search page for a query, as its loader runs it (page 1 unless asked). */
function searchPage(q: string, page = 1) {
  const url = new URL(`http://x/search?q=${encodeURIComponent(q)}&page=${page}`);
  return searchContent(getDb(), { ...searchParamsFrom(url).params, audience: ['public'] });
}

function describeTarget(target: Target): string {
  return 'article' in target ? `the article “${target.article}”` : `the thread “${target.thread}”`;
}

/** The search key of a seeded item, found by what the seed data calls it (ids differ per run). */
async function keyOf(target: Target): Promise<string> {
  const db = getDb();
  if ('article' in target) {
    const seeded = demoArticles.find((article) => article.slug === target.article);
    if (seeded?.status !== 'published')
      throw new Error(`no published demo article has the slug ${target.article}`);
    const row = await db
      .selectFrom('articles')
      .select('id')
      .where('slug', '=', target.article)
      .executeTakeFirstOrThrow();
    return `article-${row.id}`;
  }
  if (!demoThreads.some((thread) => thread.title === target.thread))
    throw new Error(`no demo thread has the title ${target.thread}`);
  const row = await db
    .selectFrom('threads')
    .select('id')
    .where('title', '=', target.thread)
    .executeTakeFirstOrThrow();
  return `thread-${row.id}`;
}

/** Where a customer paging through /search meets the item (1-based), or null within 5 pages. */
async function rankOf(q: string, key: string): Promise<number | null> {
  let seen = 0;
  for (let page = 1; page <= 5; page += 1) {
    const { hits } = await searchPage(q, page);
    const index = hits.findIndex((hit) => hit.key === key);
    if (index >= 0) return seen + index + 1;
    if (hits.length === 0) return null;
    seen += hits.length;
  }
  return null;
}

function topFive(hits: SearchHit[]): string {
  return hits
    .slice(0, 5)
    .map((hit, index) => `  ${index + 1}. [${hit.type}] ${plain(hit.title)}`)
    .join('\n');
}

async function waitUntilIndexed(client: Meilisearch, prefix: string) {
  const indexUids = [indexName(prefix, 'article'), indexName(prefix, 'thread')];
  await within(60_000, async () => {
    const outbox = await getDb()
      .selectFrom('search_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(outbox.n) > 0) return false;
    const pending = await client.tasks.getTasks({
      indexUids,
      statuses: ['enqueued', 'processing'],
      limit: 1,
    });
    return pending.total === 0;
  });
  const failed = await client.tasks.getTasks({ indexUids, statuses: ['failed'], limit: 1 });
  if (failed.total > 0) throw new Error(`indexing the demo failed: ${JSON.stringify(failed)}`);
}

describe('a customer searching the Ledgerly demo help center', () => {
  const keys = new Map<CustomerQuery, string>();

  beforeAll(async () => {
    const { runtime, prefix } = await startTestSearch();
    if (!runtime.client) throw new Error('search started without Meilisearch');
    if (!(await seedDemo(getDb()))) throw new Error('the test database was not empty');
    await waitUntilIndexed(runtime.client, prefix);
    for (const query of customerQueries) keys.set(query, await keyOf(query.target));
  }, 120_000);

  // The outbox worker and the Meilisearch connection stop here whatever happened above (the
  // Meilisearch process is the test run's, stopped by global-setup.ts).
  afterAll(async () => {
    await stopSearch();
  });

  for (const query of customerQueries) {
    const place = query.atMost === 1 ? 'first' : 'in the top 3';
    test(`“${query.q}” puts ${describeTarget(query.target)} ${place}`, async () => {
      const key = keys.get(query);
      if (!key) throw new Error('the demo was not seeded');
      const results = await searchPage(query.q);
      expect(results.engine).toBe('meilisearch');
      const index = results.hits.findIndex((hit) => hit.key === key);
      const rank = index >= 0 ? index + 1 : await rankOf(query.q, key);
      expect(
        rank !== null && rank <= query.atMost,
        `“${query.q}”: expected ${describeTarget(query.target)} ${place}, ` +
          `found it ${rank === null ? 'nowhere in the first 5 pages' : `at rank ${rank}`}. Top 5:\n` +
          topFive(results.hits),
      ).toBe(true);
    });
  }

  for (const query of customerQueries.filter((candidate) => candidate.shape === 'question')) {
    test(`“${query.q}” highlights no stop word in the titles and snippets it shows`, async () => {
      const { hits } = await searchPage(query.q);
      expect(hits.length).toBeGreaterThan(0);
      const stopWordMarks = hits.flatMap((hit) =>
        (['title', 'snippet'] as const).flatMap((field) =>
          [...hit[field].matchAll(markedInWord)]
            .filter(([, , mark]) => stopWords.has((mark ?? '').toLowerCase()))
            .map(([, before, mark, after]) => {
              const word = `${before}${mark}${after}`;
              const where = word === mark ? '' : ` (in “${word}”)`;
              return `“${mark}”${where} in the ${field} of [${hit.type}] ${plain(hit.title)}`;
            }),
        ),
      );
      expect(stopWordMarks, `“${query.q}” marks stop words`).toEqual([]);
    });
  }
});
