import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { getDb } from '~/utils/db.server';
import { ftsSearch } from '#search/fts';
import { importStackExchange } from '../../import/stackexchange/importer';

// The import writes threads, answers and comments in bulk and each thread's search rows (its FTS
// row and its search outbox entry) after them: these tests hold it to "every imported thread is
// searchable, complete, once", also after a run that died between the two.

const root = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(root, 'test/fixtures/stackexchange-mini');
const conlang = path.join(root, '../shared/data/stackexchange/conlang-meta-2020');

/** Every live thread of a source, with its answers' bodies, its FTS row and its queued entries. */
async function searchRowsOf(source: string) {
  const db = getDb();
  const threads = await db
    .selectFrom('import_records')
    .innerJoin('threads', 'threads.id', 'import_records.local_id')
    .select(['threads.id', 'threads.title', 'threads.answer_count'])
    .where('import_records.source', '=', source)
    .where('import_records.kind', '=', 'thread')
    .where('threads.deleted_at', 'is', null)
    .orderBy('threads.id')
    .execute();
  return Promise.all(
    threads.map(async (thread) => {
      const fts = await db
        .selectFrom('search_fts')
        .select(['title', 'answers'])
        .where('rowid', '=', thread.id * 2)
        .executeTakeFirst();
      const queued = await db
        .selectFrom('search_outbox')
        .select('id')
        .where('entity_type', '=', 'thread')
        .where('entity_id', '=', thread.id)
        .execute();
      const answers = await db
        .selectFrom('posts')
        .select('body_md')
        .where('thread_id', '=', thread.id)
        .where('deleted_at', 'is', null)
        .execute();
      return { ...thread, fts, queued: queued.length, answers: answers.length };
    }),
  );
}

async function outboxSize() {
  const row = await getDb()
    .selectFrom('search_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each([
  { name: 'the small dump the team wrote', dir: fixture, site: 'https://searchrows.example.org' },
  { name: 'the real conlang meta dump', dir: conlang, site: 'https://conlang-search.example.org' },
])('$name', ({ dir, site }) => {
  const source = new URL(site).host;
  test.skipIf(!fs.existsSync(path.join(dir, 'Posts.xml')))(
    'every imported thread gets one FTS row and one outbox entry, written after its answers; a re-import changes none',
    async () => {
      const first = await importStackExchange(getDb(), { dir, site });
      expect(first.questions.created).toBeGreaterThan(0);
      const rows = await searchRowsOf(source);
      expect(rows).toHaveLength(first.questions.created);
      for (const thread of rows) {
        expect(thread.fts?.title, `the FTS row of thread ${thread.id}`).toBe(thread.title);
        // Built once, from the thread's final state: not once per pass that touched it.
        expect(thread.queued, `outbox entries of thread ${thread.id}`).toBe(1);
        expect(thread.answer_count).toBe(thread.answers);
        if (thread.answers > 0) expect(thread.fts?.answers).not.toBe('');
      }

      const queuedBefore = await outboxSize();
      const again = await importStackExchange(getDb(), { dir, site });
      expect(again.questions).toEqual({
        created: 0,
        updated: 0,
        unchanged: first.questions.created,
      });
      expect(await outboxSize()).toBe(queuedBefore);
      expect(await searchRowsOf(source)).toEqual(rows);
    },
    120_000,
  );
});

test('a run that died after its bulk writes is completed by the next run: every thread is searchable again', async () => {
  const site = 'https://interrupted.example.org';
  const source = 'interrupted.example.org';
  await importStackExchange(getDb(), { dir: fixture, site });
  const db = getDb();
  const threadIds = (await searchRowsOf(source)).map((thread) => thread.id);
  expect(threadIds.length).toBe(3);
  // What a run that stopped between its bulk commits and its search rows leaves behind: threads
  // without FTS rows or outbox entries, and an import run that never finished.
  await db
    .deleteFrom('search_fts')
    .where(
      'rowid',
      'in',
      threadIds.map((id) => id * 2),
    )
    .execute();
  await db
    .deleteFrom('search_outbox')
    .where('entity_type', '=', 'thread')
    .where('entity_id', 'in', threadIds)
    .execute();
  await db
    .updateTable('import_runs')
    .set({ finished_at: null, summary: null })
    .where('source', '=', source)
    .execute();
  expect(
    (
      await ftsSearch(db, { q: 'delegate stake pool', audience: ['public'], limit: 10, offset: 0 })
    ).hits.filter((hit) => threadIds.includes(hit.id)),
  ).toEqual([]);

  const next = await importStackExchange(getDb(), { dir: fixture, site });
  expect(next.questions.unchanged).toBe(3);
  const rows = await searchRowsOf(source);
  for (const thread of rows) {
    expect(thread.fts?.title).toBe(thread.title);
    expect(thread.queued).toBe(1);
  }
  const found = await ftsSearch(db, {
    q: 'delegate stake pool',
    audience: ['public'],
    limit: 10,
    offset: 0,
  });
  expect(found.hits.map((hit) => hit.id)).toContain(threadIds[0]);
  // Once finished, the run after it has nothing left to complete.
  const queued = await outboxSize();
  await importStackExchange(getDb(), { dir: fixture, site });
  expect(await outboxSize()).toBe(queued);
});
