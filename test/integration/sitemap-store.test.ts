import zlib from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '#db/client';
import { addComment } from '~/models/comments.server';
import { setVisibility as moderate } from '~/models/moderation.server';
import {
  createSitemapStore,
  sitemapIndexFile,
  sitemapResponse,
  sitemapStore,
} from '~/models/sitemap-store.server';
import { editQuestion } from '~/models/threads.server';
import { setVisibility } from '~/models/visibility.server';
import { castVote } from '~/models/votes.server';
import { getDb } from '~/utils/db.server';
import { liftPostingLimits, makeQuestion, makeUser } from '../support/community';

// The sitemap files are kept built (sitemap-store.server.ts): what keeps them, when a kept file
// may trail the database and when it never may. sitemap-and-feeds.test.ts checks what they list.

const origin = 'http://localhost';
let admin: { id: number; role: 'admin' };
let member: { id: number; role: 'member' };
let openCategory: number;
let membersCategory: number;

async function read(file: string, headers: Record<string, string> = {}) {
  const request = new Request(`${origin}/sitemaps/${file}`, { headers });
  // A file that does not exist is a thrown 404, as Remix takes it.
  const response = await sitemapResponse(request, getDb(), file).catch((thrown: unknown) => {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  });
  return {
    status: response.status,
    state: response.headers.get('x-sitemap-cache'),
    etag: response.headers.get('etag'),
    encoding: response.headers.get('content-encoding'),
    body: Buffer.from(await response.arrayBuffer()),
  };
}

async function readXml(file: string) {
  const answer = await read(file, { 'Accept-Encoding': 'gzip' });
  return { ...answer, xml: zlib.gunzipSync(answer.body).toString() };
}

beforeAll(async () => {
  const db = getDb();
  await liftPostingLimits();
  admin = { id: (await makeUser('admin')).id, role: 'admin' };
  member = { id: (await makeUser('member')).id, role: 'member' };
  const now = new Date().toISOString();
  const category = async (slug: string) =>
    (
      await db
        .insertInto('categories')
        .values({ name: slug, slug, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  openCategory = await category('kept-open');
  membersCategory = await category('kept-members');
  await setVisibility(db, { type: 'category', id: membersCategory }, 'signed_in');
});

describe('kept sitemap files', () => {
  test('are served again, gzipped as kept, while nothing they list changed: votes and comments change nothing', async () => {
    const id = await makeQuestion(admin, 'Bank feed stopped after the bank changed its name', {
      categoryId: openCategory,
    });
    await sitemapStore(getDb()).refresh();
    const first = await readXml('threads-1.xml');
    expect(first.xml).toContain(`/questions/${id}/`);
    const again = await readXml('threads-1.xml');
    expect(again).toMatchObject({ status: 200, state: 'hit', encoding: 'gzip', etag: first.etag });

    expect((await castVote(getDb(), member.id, 'thread', id, 1)).ok).toBe(true);
    expect((await addComment(getDb(), member, id, null, 'Same here since Monday.')).ok).toBe(true);
    expect(await readXml('threads-1.xml')).toMatchObject({ state: 'hit', etag: first.etag });

    // A reader without gzip gets the same document; one that has it gets 304.
    const plain = await read('threads-1.xml');
    expect(plain.encoding).toBeNull();
    expect(plain.body.toString()).toBe(first.xml);
    const unchanged = await read('threads-1.xml', { 'If-None-Match': first.etag ?? '' });
    expect(unchanged.status).toBe(304);
  });

  test('trail a new question until the background refresh builds them again', async () => {
    await readXml(sitemapIndexFile);
    const before = await readXml('threads-1.xml');
    const id = await makeQuestion(admin, 'Invoice reminders go out twice', {
      categoryId: openCategory,
    });
    const trailing = await readXml('threads-1.xml');
    expect(trailing.state).toBe('hit');
    expect(trailing.xml).not.toContain(`/questions/${id}/`);
    expect(trailing.etag).toBe(before.etag);

    // Both kept files (the index and the part) are behind, and both are built again.
    expect(await sitemapStore(getDb()).refresh()).toBe(2);
    const refreshed = await readXml('threads-1.xml');
    expect(refreshed.state).toBe('hit');
    expect(refreshed.xml).toContain(`/questions/${id}/`);
    expect(await sitemapStore(getDb()).refresh()).toBe(0);
  });

  test('are built again on the next read when the store may not trail at all', async () => {
    const store = createSitemapStore(getDb(), { maxBytes: 10_000_000, maxLagMs: 0 });
    await store.read(origin, 'threads-1.xml');
    const id = await makeQuestion(admin, 'Payroll run shows last month', {
      categoryId: openCategory,
    });
    const read = await store.read(origin, 'threads-1.xml');
    expect(read?.kept).toBe(false);
    expect(zlib.gunzipSync(read?.file.gzip ?? Buffer.alloc(0)).toString()).toContain(
      `/questions/${id}/`,
    );
  });

  test('keep no more than their bytes allow, dropping the least recently read', async () => {
    const db = getDb();
    const index = await createSitemapStore(db, { maxBytes: 1e6, maxLagMs: 1e6 }).read(
      origin,
      sitemapIndexFile,
    );
    const size = index?.file.gzip.length ?? 0;
    const store = createSitemapStore(db, { maxBytes: size + 100, maxLagMs: 1e6 });
    await store.read(origin, sitemapIndexFile);
    expect(store.stats()).toEqual({ files: 1, bytes: size });
    expect((await store.read(origin, sitemapIndexFile))?.kept).toBe(true);
    // The same index for a second address (without PUBLIC_URL, links follow the Host header).
    await store.read('http://help.example.com', sitemapIndexFile);
    expect(store.stats().files).toBe(1);
    expect((await store.read(origin, sitemapIndexFile))?.kept).toBe(false);
  });
});

describe('a removal reaches the very next read of a kept file', () => {
  type Removal = {
    name: string;
    file: string;
    /** Makes content to take away, returning what the file lists for it. */
    make: (db: Database) => Promise<{ id: number; listed: string }>;
    remove: (db: Database, id: number) => Promise<unknown>;
  };

  const questionUrl = async (db: Database, id: number) => {
    const { slug } = await db
      .selectFrom('threads')
      .select('slug')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return `/questions/${id}/${slug}`;
  };
  const question =
    (title: string, tags: string[] = []) =>
    async (db: Database) => {
      const id = await makeQuestion(admin, title, { categoryId: openCategory, tags });
      return { id, listed: await questionUrl(db, id) };
    };

  const removals: Removal[] = [
    {
      name: 'a moderator hides a question',
      file: 'threads-1.xml',
      make: question('Card statement will not reconcile'),
      remove: (db, id) => moderate(db, { type: 'thread', id }, 'hidden', admin.id),
    },
    {
      name: 'a question is deleted',
      file: 'threads-1.xml',
      make: question('Import contacts from a spreadsheet'),
      remove: (db, id) => db.deleteFrom('threads').where('id', '=', id).execute(),
    },
    {
      name: 'a question moves to a category visitors cannot open',
      file: 'threads-1.xml',
      make: question('Payslip shows the wrong tax code'),
      remove: (db, id) =>
        editQuestion(db, admin, id, {
          title: 'Payslip shows the wrong tax code',
          body: 'Details about the payslip, with enough words to be a question.',
          categoryId: membersCategory,
          tags: [],
          journeyStage: null,
        }),
    },
    {
      name: 'a category closes to visitors',
      file: 'threads-1.xml',
      make: async (db) => {
        const { id } = await db
          .insertInto('categories')
          .values({ name: 'Closing', slug: 'kept-closing', created_at: new Date().toISOString() })
          .returning('id')
          .executeTakeFirstOrThrow();
        const thread = await makeQuestion(admin, 'Closing category question', { categoryId: id });
        return { id, listed: await questionUrl(db, thread) };
      },
      remove: (db, id) => setVisibility(db, { type: 'category', id }, 'internal'),
    },
    {
      name: 'a question is retitled (its address changes)',
      file: 'threads-1.xml',
      make: question('Exprot to CSV is empty'),
      remove: (db, id) =>
        editQuestion(db, admin, id, {
          title: 'Export to CSV is empty',
          body: 'Details about the export, with enough words to be a question.',
          categoryId: openCategory,
          tags: [],
          journeyStage: null,
        }),
    },
    {
      name: 'a tag is renamed',
      file: 'tags-1.xml',
      make: async (db) => {
        await makeQuestion(admin, 'Receipts upload fails', {
          categoryId: openCategory,
          tags: ['receipt-upload'],
        });
        const tag = await db
          .selectFrom('tags')
          .select('id')
          .where('name', '=', 'receipt-upload')
          .executeTakeFirstOrThrow();
        return { id: tag.id, listed: '/tags/receipt-upload' };
      },
      remove: (db, id) =>
        db.updateTable('tags').set({ name: 'receipts' }).where('id', '=', id).execute(),
    },
    {
      name: 'an article is unpublished',
      file: 'articles-1.xml',
      make: async (db) => {
        const now = new Date().toISOString();
        const { id } = await db
          .insertInto('articles')
          .values({
            slug: 'kept-connect-your-bank',
            title: 'Connect your bank',
            body_md: 'Steps.',
            body_html: '<p>Steps.</p>',
            status: 'published',
            author_id: admin.id,
            owner_id: admin.id,
            published_at: now,
            status_changed_at: now,
            status_changed_by: admin.id,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return { id, listed: '/kb/kept-connect-your-bank' };
      },
      remove: (db, id) =>
        db.updateTable('articles').set({ status: 'archived' }).where('id', '=', id).execute(),
    },
    {
      name: 'a known issue stops being public',
      file: 'known-issues-1.xml',
      make: async (db) => {
        const now = new Date().toISOString();
        const { id } = await db
          .insertInto('problems')
          .values({
            title: 'Sync delays',
            state: 'identified',
            public: 1,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return { id, listed: `/known-issues/${id}` };
      },
      remove: (db, id) =>
        db.updateTable('problems').set({ public: 0 }).where('id', '=', id).execute(),
    },
  ];

  test.each(removals)('$name', async ({ file, make, remove }) => {
    const db = getDb();
    const { id, listed } = await make(db);
    await sitemapStore(db).refresh();
    const kept = await readXml(file);
    expect(kept.xml).toContain(`${origin}${listed}<`);
    expect((await readXml(file)).state).toBe('hit');

    await remove(db, id);
    const next = await read(file, { 'Accept-Encoding': 'gzip' });
    // Gone altogether when that was the last thing in the file; else built again without it.
    if (next.status === 404) return;
    expect(next.state).toBe('miss');
    expect(zlib.gunzipSync(next.body).toString()).not.toContain(`${origin}${listed}<`);
  });
});
