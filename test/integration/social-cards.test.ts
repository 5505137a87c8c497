import fs from 'node:fs';
import path from 'node:path';
import type { LoaderFunctionArgs, MetaDescriptor, MetaFunction } from '@remix-run/node';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { createArticle, transitionArticle } from '~/models/articles.server';
import { askQuestion } from '~/models/threads.server';
import { storeUpload } from '~/models/uploads/uploads.server';
import * as homePage from '~/routes/_index';
import * as categoryPage from '~/routes/categories.$slug';
import * as articlePage from '~/routes/kb.$slug';
import * as articleList from '~/routes/kb._index';
import * as threadPage from '~/routes/questions.$id.($slug)/route';
import * as threadList from '~/routes/questions._index';
import * as tagPage from '~/routes/tags.$tag';
import { getDb } from '~/utils/db.server';
import { makeUser } from '../support/community';
import { testContext } from '../support/requests';
import { pngOf } from '../support/uploads';

/**
 * Issue 24: threads, articles and categories carry Open Graph and Twitter card tags (title, plain
 * text description, site name, canonical address, an absolute image when the content has one),
 * and the lists name their Atom feeds. Tags are built from the loaders' data by the routes' meta
 * functions, as Remix does when it renders a page.
 */

const db = getDb();
const siteName = 'Acme Help Center';
const admin = await makeUser('admin');

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;

/** What a page's <head> gets: its loader's data (as JSON) through its meta function. */
async function headOf<L extends Loader>(
  route: { loader: L; meta: MetaFunction<L> },
  pathname: string,
  params: Record<string, string> = {},
) {
  const request = new Request(`http://localhost${pathname}`);
  const context = { ...testContext, documentHtml: new Map<string, string>() };
  const loaded = await route.loader({ request, params, context });
  // data() wraps what a loader returns with its headers; the page gets what is inside.
  const payload =
    typeof loaded === 'object' && loaded !== null && 'type' in loaded && 'data' in loaded
      ? loaded.data
      : loaded;
  const data = JSON.parse(JSON.stringify(payload));
  const root = { siteName, user: null };
  const location = { pathname, search: '', hash: '', state: null, key: 'default' };
  return (
    route.meta({
      data,
      params,
      location,
      matches: [
        { id: 'root', pathname: '/', params: {}, data: root, handle: undefined, meta: [] },
        { id: 'page', pathname, params, data, handle: undefined, meta: [] },
      ],
      error: undefined,
    }) ?? []
  );
}

function tag(head: MetaDescriptor[], key: string): string | undefined {
  for (const descriptor of head) {
    if (!('content' in descriptor)) continue;
    const named =
      'property' in descriptor
        ? descriptor.property
        : 'name' in descriptor
          ? descriptor.name
          : null;
    if (named === key) return String(descriptor.content);
  }
  return undefined;
}

function feeds(head: MetaDescriptor[]) {
  return head.flatMap((descriptor) =>
    'tagName' in descriptor &&
    descriptor.tagName === 'link' &&
    descriptor.rel === 'alternate' &&
    descriptor.type === 'application/atom+xml'
      ? [{ title: String(descriptor.title), href: String(descriptor.href) }]
      : [],
  );
}

async function ask(
  title: string,
  body: string,
  categoryId: number | null = null,
  tags: string[] = [],
) {
  const asked = await askQuestion(db, admin, { title, body, categoryId, tags, journeyStage: null });
  if (!asked.ok) throw new Error(JSON.stringify(asked.fieldErrors));
  return asked;
}

async function publish(title: string, body: string) {
  const created = await createArticle(db, admin, {
    title,
    slug: '',
    body,
    categoryId: null,
    tags: [],
    journeyStage: null,
    reason: '',
  });
  if (!created.ok) throw new Error(JSON.stringify(created));
  await transitionArticle(db, admin, created.id, 'published');
  const { slug } = await db
    .selectFrom('articles')
    .select('slug')
    .where('id', '=', created.id)
    .executeTakeFirstOrThrow();
  return slug;
}

describe('social cards', () => {
  test('a thread with an uploaded screenshot: a large card with its absolute address', async () => {
    const shot = await storeUpload(db, admin, {
      name: 'feed-error.png',
      bytes: await pngOf(640, 360),
    });
    if (!shot.ok) throw new Error(shot.error);
    const asked = await ask(
      'Why does the bank feed stop after two weeks?',
      `The **feed** stops; see _the error_ below.\n\n${shot.upload.markdown}\n\nAny ideas?`,
    );
    const url = `http://localhost/questions/${asked.id}/${asked.slug}`;
    const head = await headOf(threadPage, `/questions/${asked.id}/${asked.slug}`, {
      id: String(asked.id),
      slug: asked.slug,
    });
    expect(tag(head, 'og:title')).toBe('Why does the bank feed stop after two weeks?');
    expect(tag(head, 'og:type')).toBe('article');
    expect(tag(head, 'og:url')).toBe(url);
    expect(tag(head, 'og:site_name')).toBe(siteName);
    // Plain text: no Markdown marks and no tags.
    expect(tag(head, 'og:description')).toBe('The feed stops; see the error below. Any ideas?');
    expect(tag(head, 'twitter:description')).toBe(tag(head, 'og:description'));
    expect(tag(head, 'og:image')).toBe(`http://localhost${shot.upload.url}`);
    expect(tag(head, 'twitter:card')).toBe('summary_large_image');
    expect(tag(head, 'twitter:title')).toBe('Why does the bank feed stop after two weeks?');
    expect(tag(head, 'twitter:image')).toBe(tag(head, 'og:image'));
  });

  test('a thread without an image gets the small card and no image tag', async () => {
    const asked = await ask(
      'How do I split one payment across two invoices?',
      'A customer paid two invoices with one transfer. How do I record that?',
    );
    const head = await headOf(threadPage, `/questions/${asked.id}/${asked.slug}`, {
      id: String(asked.id),
      slug: asked.slug,
    });
    expect(tag(head, 'twitter:card')).toBe('summary');
    expect(tag(head, 'og:image')).toBeUndefined();
    expect(tag(head, 'twitter:image')).toBeUndefined();
    expect(tag(head, 'og:description')).toBe(
      'A customer paid two invoices with one transfer. How do I record that?',
    );
  });

  test('an article: its card, its first image (an outside address kept whole) and the knowledge base feed', async () => {
    const long = 'Each step is explained in the sections below, with screenshots. '.repeat(8);
    const slug = await publish(
      'Reconcile a month in ten minutes',
      `## Before you start\n\n${long}\n\n![The reconcile screen](https://images.example.com/reconcile.png?w=1200&fmt=png)\n\n![Second](/uploads/AAAAAAAAAAAAAAAA/second.png)`,
    );
    const head = await headOf(articlePage, `/kb/${slug}`, { slug });
    expect(tag(head, 'og:title')).toBe('Reconcile a month in ten minutes');
    expect(tag(head, 'og:url')).toBe(`http://localhost/kb/${slug}`);
    expect(tag(head, 'og:site_name')).toBe(siteName);
    expect(tag(head, 'og:image')).toBe('https://images.example.com/reconcile.png?w=1200&fmt=png');
    expect(tag(head, 'twitter:card')).toBe('summary_large_image');
    const description = tag(head, 'og:description') ?? '';
    expect(description.startsWith('Before you start Each step is explained')).toBe(true);
    expect(description.length).toBeLessThanOrEqual(200);
    expect(description).not.toMatch(/[#<>]/);
    expect(feeds(head)).toEqual([
      { title: `${siteName}: knowledge base`, href: '/feeds/articles' },
    ]);
  });

  test("a category: its name, its description cut short, and its own feed beside the questions'", async () => {
    const description = `Bank feeds, rules and reconciliation. ${'More about matching. '.repeat(20)}`;
    await db
      .insertInto('categories')
      .values({
        name: 'Banking',
        slug: 'banking',
        description,
        created_at: new Date().toISOString(),
      })
      .execute();
    const head = await headOf(categoryPage, '/categories/banking', { slug: 'banking' });
    expect(tag(head, 'og:title')).toBe('Banking');
    expect(tag(head, 'og:type')).toBe('website');
    expect(tag(head, 'og:url')).toBe('http://localhost/categories/banking');
    expect(tag(head, 'og:site_name')).toBe(siteName);
    expect(tag(head, 'twitter:card')).toBe('summary');
    const card = tag(head, 'og:description') ?? '';
    expect(card.startsWith('Bank feeds, rules and reconciliation. More about matching.')).toBe(
      true,
    );
    expect(card.endsWith('…')).toBe(true);
    expect(card.length).toBeLessThanOrEqual(200);
    expect(feeds(head)).toEqual([
      { title: `${siteName}: questions in Banking`, href: '/feeds/categories/banking' },
      { title: `${siteName}: newest questions`, href: '/feeds/questions' },
    ]);
  });
});

describe('feed links', () => {
  test('the home page and the question list name the questions feed; the knowledge base its own', async () => {
    const questions = [{ title: `${siteName}: newest questions`, href: '/feeds/questions' }];
    expect(feeds(await headOf(homePage, '/'))).toEqual(questions);
    expect(feeds(await headOf(threadList, '/questions'))).toEqual(questions);
    expect(feeds(await headOf(articleList, '/kb'))).toEqual([
      { title: `${siteName}: knowledge base`, href: '/feeds/articles' },
    ]);
  });

  test("a tag page names the tag's feed, its name encoded", async () => {
    await ask(
      'Which VAT rate applies to digital services?',
      'Selling software to customers in other countries: which rate do I charge?',
      null,
      ['vat+eu'],
    );
    const head = await headOf(tagPage, '/tags/vat%2Beu', { tag: 'vat+eu' });
    expect(feeds(head)).toEqual([
      { title: `${siteName}: questions tagged vat+eu`, href: '/feeds/tags/vat%2Beu' },
    ]);
  });
});

const blnsFile = path.resolve(import.meta.dirname, '../../../shared/data/naughty/blns.json');
const naughtyStrings: string[] = fs.existsSync(blnsFile)
  ? JSON.parse(fs.readFileSync(blnsFile, 'utf8'))
  : [];

/** A descriptor as React renders it into the page: one element, its attributes escaped. */
function rendered(descriptor: MetaDescriptor): string {
  if (!('content' in descriptor)) throw new Error('not a meta tag');
  return renderToStaticMarkup(createElement('meta', descriptor));
}

const reactEntities: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#x27;': "'",
};

function contentOf(html: string): string {
  const match = /^<meta (?:property|name)="[^"]*" content="([^"]*)"\/>$/.exec(html);
  if (!match) throw new Error(`not one meta tag: ${html}`);
  return (match[1] ?? '').replace(
    /&(amp|lt|gt|quot|#x27);/g,
    (entity) => reactEntities[entity] ?? entity,
  );
}

describe.skipIf(naughtyStrings.length === 0)('naughty titles and descriptions stay text', () => {
  test('a thread titled and described with the Big List of Naughty Strings', async () => {
    let checked = 0;
    for (const [index, naughty] of naughtyStrings.entries()) {
      // Every fourth string keeps the test quick; the picks cover every section of the list.
      if (index % 4 !== 0 || naughty.length > 100) continue;
      const title = `Naughty question ${index}: ${naughty}`;
      const asked = await askQuestion(db, admin, {
        title,
        body: `Details ${index}: ${naughty}`,
        categoryId: null,
        tags: [],
        journeyStage: null,
      });
      if (!asked.ok) continue;
      const head = await headOf(threadPage, `/questions/${asked.id}/${asked.slug}`, {
        id: String(asked.id),
        slug: asked.slug,
      });
      const stored = await db
        .selectFrom('threads')
        .select('title')
        .where('id', '=', asked.id)
        .executeTakeFirstOrThrow();
      for (const key of ['og:title', 'twitter:title', 'og:description', 'twitter:description']) {
        const descriptor = head.find(
          (candidate) =>
            ('property' in candidate && candidate.property === key) ||
            ('name' in candidate && candidate.name === key),
        );
        if (!descriptor) {
          // A body of whitespace and invisible characters has no text to describe.
          expect(key, JSON.stringify(naughty)).toMatch(/description/);
          continue;
        }
        expect(contentOf(rendered(descriptor)), `${key} of ${JSON.stringify(naughty)}`).toBe(
          String('content' in descriptor ? descriptor.content : ''),
        );
      }
      expect(tag(head, 'og:title')).toBe(stored.title);
      expect((tag(head, 'og:description') ?? '').length).toBeLessThanOrEqual(200);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(80);
  });

  test('a category named and described with naughty strings', async () => {
    let checked = 0;
    for (const [index, naughty] of naughtyStrings.entries()) {
      if (index % 8 !== 1 || !naughty.trim() || naughty.length > 60) continue;
      const slug = `naughty-${index}`;
      await db
        .insertInto('categories')
        .values({
          name: naughty,
          slug,
          description: naughty,
          created_at: new Date().toISOString(),
        })
        .execute();
      const head = await headOf(categoryPage, `/categories/${slug}`, { slug });
      expect(tag(head, 'og:title')).toBe(naughty);
      for (const descriptor of head.filter((candidate) => 'content' in candidate))
        expect(contentOf(rendered(descriptor))).toBe(
          String('content' in descriptor ? descriptor.content : ''),
        );
      checked += 1;
    }
    expect(checked).toBeGreaterThan(20);
  });
});
