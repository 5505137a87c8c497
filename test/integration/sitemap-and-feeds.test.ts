import zlib from 'node:zlib';
import { sql } from 'kysely';
import { beforeAll, describe, expect, test } from 'vitest';
import { createArticle, transitionArticle } from '~/models/articles.server';
import { setVisibility as moderate } from '~/models/moderation.server';
import { sitemapStore } from '~/models/sitemap-store.server';
import { setVisibility } from '~/models/visibility.server';
import { loader as articleFeedLoader } from '~/routes/feeds.articles';
import { loader as categoryFeedLoader } from '~/routes/feeds.categories.$slug';
import { loader as questionFeedLoader } from '~/routes/feeds.questions';
import { loader as tagFeedLoader } from '~/routes/feeds.tags.$tag';
import { keptOut, loader as robotsLoader } from '~/routes/robots[.]txt';
import { loader as sitemapLoader } from '~/routes/sitemap[.]xml';
import { loader as sitemapPartLoader } from '~/routes/sitemaps.$file';
import { getDb } from '~/utils/db.server';
import { liftPostingLimits, makeQuestion, makeUser } from '../support/community';
import { naughtyStrings, xmlCarried } from '../support/naughty';
import { callRoute } from '../support/requests';
import { parseXml, schemaErrors } from '../support/xml-schemas';

const origin = 'http://localhost';
const sitemapNs = { s: 'http://www.sitemaps.org/schemas/sitemap/0.9' };
const atomNs = { a: 'http://www.w3.org/2005/Atom' };

type Author = { id: number; role: 'admin' };
let admin: Author;
let moderator: { id: number };
const made = {
  categories: {} as Record<'open' | 'members' | 'staff', { id: number; slug: string }>,
  threads: {} as Record<
    'open' | 'uncategorised' | 'members' | 'staff' | 'hidden' | 'deleted',
    number
  >,
};

async function get(
  handler: Parameters<typeof callRoute>[0],
  path: string,
  params: Record<string, string> = {},
) {
  const result = await callRoute(handler, new Request(`${origin}${path}`), params);
  if (!(result instanceof Response)) throw new Error(`${path} did not answer with a Response`);
  return {
    status: result.status,
    type: result.headers.get('content-type'),
    text: await result.text(),
  };
}

function locs(xml: string, path: string): string[] {
  const doc = parseXml(xml);
  try {
    return doc.find(path, sitemapNs).map((node) => node.content);
  } finally {
    doc.dispose();
  }
}

/** Every URL the sitemap lists, read the way a search engine does: the index, then each file. */
async function crawlSitemap() {
  const index = await get(sitemapLoader, '/sitemap.xml');
  expect(index.status).toBe(200);
  expect(index.type).toBe('application/xml; charset=utf-8');
  expect(schemaErrors(index.text, 'sitemap')).toEqual([]);
  const files = locs(index.text, '/s:sitemapindex/s:sitemap/s:loc');
  const urls: string[] = [];
  const byFile = new Map<string, string[]>();
  for (const url of files) {
    const file = url.replace(`${origin}/sitemaps/`, '');
    const part = await get(sitemapPartLoader, `/sitemaps/${file}`, { file });
    expect(part.status, file).toBe(200);
    expect(schemaErrors(part.text, 'sitemap'), file).toEqual([]);
    const listed = locs(part.text, '/s:urlset/s:url/s:loc').map((loc) => loc.replace(origin, ''));
    byFile.set(file, listed);
    urls.push(...listed);
  }
  return { urls, files: [...byFile.keys()], byFile, index: index.text };
}

/**
 * The public content, asked of the database directly and written out here rather than through
 * the model under test: what an anonymous visitor may open.
 */
async function publicContentInDatabase(): Promise<string[]> {
  const db = getDb();
  const openThread = sql<boolean>`t.deleted_at is null and (t.category_id is null or exists (
    select 1 from categories c where c.id = t.category_id and c.visibility = 'public'))`;
  const threads = await sql<{ id: number; slug: string }>`
    select t.id, t.slug from threads t where ${openThread}`.execute(db);
  const articles = await sql<{ slug: string }>`
    select a.slug from articles a where a.status = 'published' and a.hidden_at is null
      and a.visibility = 'public' and (a.category_id is null or exists (
        select 1 from categories c where c.id = a.category_id and c.visibility = 'public'))`.execute(
    db,
  );
  const categories = await sql<{ slug: string }>`
    select slug from categories where visibility = 'public'`.execute(db);
  const tags = await sql<{ name: string }>`
    select distinct g.name from tags g join thread_tags tt on tt.tag_id = g.id
      join threads t on t.id = tt.thread_id where ${openThread}`.execute(db);
  const problems = await sql<{ id: number }>`
    select id from problems where public = 1`.execute(db);
  return [
    '/',
    '/kb',
    '/questions',
    '/known-issues',
    ...threads.rows.map((row) => `/questions/${row.id}/${row.slug}`),
    ...articles.rows.map((row) => `/kb/${encodeURIComponent(row.slug)}`),
    ...categories.rows.map((row) => `/categories/${encodeURIComponent(row.slug)}`),
    ...tags.rows.map((row) => `/tags/${encodeURIComponent(row.name)}`),
    ...problems.rows.map((row) => `/known-issues/${row.id}`),
  ].sort();
}

async function publish(title: string, categoryId: number | null) {
  const created = await createArticle(getDb(), admin, {
    title,
    slug: '',
    body: `How to ${title.toLowerCase()}, step by step.`,
    categoryId,
    tags: [],
    journeyStage: null,
  });
  if (!created.ok) throw new Error(JSON.stringify(created));
  await transitionArticle(getDb(), admin, created.id, 'in_review');
  const published = await transitionArticle(getDb(), admin, created.id, 'published');
  if (!published.ok) throw new Error(JSON.stringify(published));
  return created.id;
}

beforeAll(async () => {
  const db = getDb();
  await liftPostingLimits();
  const adminUser = await makeUser('admin');
  admin = { id: adminUser.id, role: 'admin' };
  moderator = await makeUser('moderator');
  const now = new Date().toISOString();
  for (const [key, visibility] of [
    ['open', 'public'],
    ['members', 'signed_in'],
    ['staff', 'internal'],
  ] as const) {
    const category = await db
      .insertInto('categories')
      .values({ name: `Feeds ${key}`, slug: `feeds-${key}`, created_at: now })
      .returning(['id', 'slug'])
      .executeTakeFirstOrThrow();
    await setVisibility(db, { type: 'category', id: category.id }, visibility);
    made.categories[key] = category;
  }
  const { open, members, staff } = made.categories;
  made.threads.open = await makeQuestion(admin, 'Bank feed shows every transaction twice', {
    categoryId: open.id,
    tags: ['bank-feeds'],
  });
  made.threads.uncategorised = await makeQuestion(admin, 'Where do I change the invoice logo', {
    categoryId: null,
    tags: ['invoices'],
  });
  made.threads.members = await makeQuestion(admin, 'Members only: payroll export columns', {
    categoryId: members.id,
    tags: ['members-only-tag'],
  });
  made.threads.staff = await makeQuestion(admin, 'Internal: refund approvals above limit', {
    categoryId: staff.id,
  });
  made.threads.hidden = await makeQuestion(admin, 'Reconcile a card statement by hand', {
    categoryId: open.id,
    tags: ['bank-feeds'],
  });
  made.threads.deleted = await makeQuestion(admin, 'Import contacts from a spreadsheet', {
    categoryId: open.id,
    tags: ['contacts'],
  });
  await publish('Connect your bank', null);
  await publish('Export payroll for members', members.id);
  const draft = await createArticle(db, admin, {
    title: 'Draft about tax codes',
    slug: '',
    body: 'Not published yet, so nobody outside the team may read it.',
    categoryId: null,
    tags: [],
    journeyStage: null,
  });
  if (!draft.ok) throw new Error('draft');
  const signedIn = await publish('Set up two-step sign-in', null);
  await setVisibility(db, { type: 'article', id: signedIn }, 'signed_in');
  for (const [title, visible] of [
    ['Bank feed delays for R03 banks', 1],
    ['Refund job stuck for one merchant', 0],
  ] as const) {
    await db
      .insertInto('problems')
      .values({ title, state: 'investigating', public: visible, created_at: now, updated_at: now })
      .execute();
  }
});

describe('the sitemap', () => {
  test('lists exactly the public content, also after a moderator hides one question and another is deleted', async () => {
    const before = await crawlSitemap();
    expect(before.urls.sort()).toEqual(await publicContentInDatabase());
    const { open, hidden, deleted, members, staff } = made.threads;
    const listed = (id: number) => before.urls.some((url) => url.startsWith(`/questions/${id}/`));
    expect([open, hidden, deleted].map(listed)).toEqual([true, true, true]);
    expect([members, staff].map(listed)).toEqual([false, false]);
    expect(before.urls).not.toContain('/tags/members-only-tag');
    expect(before.urls).toContain('/tags/contacts');

    await moderate(getDb(), { type: 'thread', id: hidden }, 'hidden', moderator.id);
    await moderate(getDb(), { type: 'thread', id: deleted }, 'deleted', moderator.id);
    const after = await crawlSitemap();
    expect(after.urls.sort()).toEqual(await publicContentInDatabase());
    expect(
      [open, hidden, deleted].map((id) =>
        after.urls.some((url) => url.startsWith(`/questions/${id}/`)),
      ),
    ).toEqual([true, false, false]);
    // The deleted question was the only public one tagged "contacts".
    expect(after.urls).not.toContain('/tags/contacts');
  });

  test('each file holds one block of 50,000 ids, and the index dates each file by its newest change', async () => {
    const db = getDb();
    const now = new Date().toISOString();
    const author = admin.id;
    // A question far enough along to fall in the second block of ids.
    await db
      .insertInto('threads')
      .values({
        id: 50_001,
        title: 'Question number fifty thousand and one',
        slug: 'question-number-fifty-thousand-and-one',
        body_md: 'Body.',
        body_html: '<p>Body.</p>',
        author_id: author,
        category_id: made.categories.open.id,
        created_at: now,
        updated_at: now,
        last_activity_at: '2026-12-31T23:59:59.000Z',
      })
      .execute();
    // New content reaches kept sitemap files with the background refresh (sitemap-store.test.ts).
    await sitemapStore(db).refresh();
    const { byFile, index } = await crawlSitemap();
    expect(byFile.get('threads-2.xml')).toEqual([
      '/questions/50001/question-number-fifty-thousand-and-one',
    ]);
    expect(byFile.get('threads-1.xml')?.length).toBeGreaterThan(0);
    const doc = parseXml(index);
    try {
      const lastmod = doc.get(
        "/s:sitemapindex/s:sitemap[s:loc='http://localhost/sitemaps/threads-2.xml']/s:lastmod",
        sitemapNs,
      );
      expect(lastmod?.content).toBe('2026-12-31T23:59:59Z');
    } finally {
      doc.dispose();
    }
    // Crawlers that take gzip get it compressed, the same document.
    const gzipped = await callRoute(
      sitemapPartLoader,
      new Request(`${origin}/sitemaps/threads-2.xml`, {
        headers: { 'Accept-Encoding': 'gzip, br' },
      }),
      { file: 'threads-2.xml' },
    );
    if (!(gzipped instanceof Response)) throw new Error('no response');
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    const plain = await get(sitemapPartLoader, '/sitemaps/threads-2.xml', {
      file: 'threads-2.xml',
    });
    expect(zlib.gunzipSync(Buffer.from(await gzipped.arrayBuffer())).toString()).toBe(plain.text);
    const missing = await get(sitemapPartLoader, '/sitemaps/threads-9.xml', {
      file: 'threads-9.xml',
    });
    expect(missing.status).toBe(404);
    const nonsense = await get(sitemapPartLoader, '/sitemaps/users-1.xml', { file: 'users-1.xml' });
    expect(nonsense.status).toBe(404);
  });
});

describe('robots.txt', () => {
  /** RFC 9309: the longest matching rule wins; `*` is any run of characters. */
  function allowed(robots: string, path: string): boolean {
    const rules = robots
      .split('\n')
      .map((line) => /^(Allow|Disallow):\s*(\S*)/.exec(line))
      .filter((match) => match !== null)
      .map((match) => ({ allow: match[1] === 'Allow', pattern: match[2] ?? '' }))
      .filter((rule) => rule.pattern !== '');
    const matching = rules.filter((rule) =>
      new RegExp(
        `^${rule.pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}`,
      ).test(path),
    );
    matching.sort((a, b) => b.pattern.length - a.pattern.length);
    return matching[0]?.allow ?? true;
  }

  test('keeps crawlers out of search results, account and staff pages, and points to the sitemap', async () => {
    const robots = await get(robotsLoader, '/robots.txt');
    expect(robots.status).toBe(200);
    expect(robots.text).toMatch(/^User-agent: \*$/m);
    expect(robots.text).toMatch(/^Sitemap: http:\/\/localhost\/sitemap\.xml$/m);
    for (const path of [
      '/search?q=bank+feed',
      '/search/suggest?q=bank',
      '/agent/tickets',
      '/admin/users',
      '/mod/queue',
      '/settings/account',
      '/requests/new',
      '/notifications',
      '/login',
      '/signup',
      '/api/v1/threads/1',
      '/questions/ask',
      '/questions/12/edit',
      '/questions/12/revisions',
    ])
      expect(allowed(robots.text, path), path).toBe(false);
    for (const path of [
      '/',
      '/questions',
      '/questions/12/bank-feed-shows-every-transaction-twice',
      '/kb',
      '/kb/connect-your-bank',
      '/categories/feeds-open',
      '/tags/bank-feeds',
      '/users/ada',
      '/known-issues/1',
      '/feeds/questions',
      '/sitemap.xml',
      '/sitemaps/threads-1.xml',
    ])
      expect(allowed(robots.text, path), path).toBe(true);
    expect(keptOut.length).toBeGreaterThan(10);
  });
});

describe('Atom feeds', () => {
  function entries(xml: string) {
    const doc = parseXml(xml);
    try {
      // RFC 4287 4.1.1: a feed without an author needs one in every entry; ours always has one.
      expect(doc.find('/a:feed/a:author/a:name', atomNs)).toHaveLength(1);
      return doc.find('/a:feed/a:entry', atomNs).map((node) => ({
        title: node.get('a:title', atomNs)?.content ?? '',
        link: node.get("a:link[@rel='alternate']/@href", atomNs)?.content ?? '',
        id: node.get('a:id', atomNs)?.content ?? '',
        categories: node.find('a:category/@term', atomNs).map((term) => term.content),
      }));
    } finally {
      doc.dispose();
    }
  }

  async function feed(handler: Parameters<typeof callRoute>[0], path: string, params = {}) {
    const answer = await get(handler, path, params);
    expect(answer.status, path).toBe(200);
    expect(answer.type).toBe('application/atom+xml; charset=utf-8');
    expect(schemaErrors(answer.text, 'atom'), path).toEqual([]);
    return entries(answer.text);
  }

  test('the newest questions, a category and a tag show public questions only', async () => {
    const newest = await feed(questionFeedLoader, '/feeds/questions');
    const titles = newest.map((entry) => entry.title);
    expect(titles).toContain('Bank feed shows every transaction twice');
    expect(titles).toContain('Where do I change the invoice logo');
    expect(titles).not.toContain('Members only: payroll export columns');
    expect(titles).not.toContain('Internal: refund approvals above limit');
    expect(titles).not.toContain('Reconcile a card statement by hand');
    const bankFeed = newest.find((entry) => entry.title.startsWith('Bank feed shows'));
    expect(bankFeed?.id).toBe(`${origin}/questions/${made.threads.open}`);
    expect(bankFeed?.link).toMatch(
      new RegExp(`^${origin}/questions/${made.threads.open}/bank-feed`),
    );
    expect(bankFeed?.categories).toEqual(['bank-feeds']);

    const category = await feed(categoryFeedLoader, '/feeds/categories/feeds-open', {
      slug: 'feeds-open',
    });
    expect(category.map((entry) => entry.title)).toContain(
      'Bank feed shows every transaction twice',
    );
    expect(category.map((entry) => entry.title)).not.toContain(
      'Where do I change the invoice logo',
    );

    const tag = await feed(tagFeedLoader, '/feeds/tags/bank-feeds', { tag: 'bank-feeds' });
    expect(tag.map((entry) => entry.title)).toEqual(['Bank feed shows every transaction twice']);
    const privateTag = await feed(tagFeedLoader, '/feeds/tags/members-only-tag', {
      tag: 'members-only-tag',
    });
    expect(privateTag).toEqual([]);
  });

  test('a category visitors may not read, or no such tag, is a 404', async () => {
    for (const slug of ['feeds-members', 'feeds-staff', 'no-such-category']) {
      const answer = await get(categoryFeedLoader, `/feeds/categories/${slug}`, { slug });
      expect(answer.status, slug).toBe(404);
    }
    const tag = await get(tagFeedLoader, '/feeds/tags/nope', { tag: 'nope' });
    expect(tag.status).toBe(404);
  });

  test('the knowledge base feed has published public articles only', async () => {
    const articles = await feed(articleFeedLoader, '/feeds/articles');
    const titles = articles.map((entry) => entry.title);
    expect(titles).toContain('Connect your bank');
    expect(titles).not.toContain('Export payroll for members');
    expect(titles).not.toContain('Draft about tax codes');
    expect(titles).not.toContain('Set up two-step sign-in');
    expect(articles.find((entry) => entry.title === 'Connect your bank')?.link).toBe(
      `${origin}/kb/connect-your-bank`,
    );
  });

  test('naughty titles stay text in the feed', async () => {
    const strings = naughtyStrings().filter(
      (text) => xmlCarried(text) !== text || /[<>&"']|script/i.test(text),
    );
    expect(strings.length).toBeGreaterThan(20);
    const picked = strings.slice(0, 20);
    for (const text of picked) await makeQuestion(admin, `Naughty ${text}`, { categoryId: null });
    const newest = await feed(questionFeedLoader, '/feeds/questions');
    const titles = newest.map((entry) => entry.title);
    for (const text of picked) expect(titles).toContain(xmlCarried(`Naughty ${text}`));
  });
});
