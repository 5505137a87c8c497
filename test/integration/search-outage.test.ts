import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { getDb } from '~/utils/db.server';
import { createMeiliClient } from '#search/client';
import { allEntityIds, buildDocument } from '#search/documents';
import { searchContent, stopSearch } from '#search/engine';
import { startLocalMeilisearch } from '#search/local-server';
import { indexName } from '#search/settings';
import { makeAnswer, makeQuestion, makeUser } from '../support/community';
import { startTestSearch, within } from '../support/search';

const search = (q: string) =>
  searchContent(getDb(), { q, audience: ['public'], limit: 20, offset: 0 });

/** The public documents of the database, id → version. */
async function expectedDocuments(type: 'thread' | 'article') {
  const expected = new Map<number, string>();
  for await (const ids of allEntityIds(getDb(), type)) {
    for (const id of ids) {
      const doc = await buildDocument(getDb(), type, id);
      if (doc) expected.set(doc.id, doc.version);
    }
  }
  return expected;
}

describe('when Meilisearch is down', () => {
  test('posting still works, search answers from FTS5, and the outbox catches up exactly', async () => {
    const db = getDb();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-fault-'));
    const first = await startLocalMeilisearch(dir);
    if (!first) throw new Error('no Meilisearch binary');
    const port = Number(new URL(first.url).port);
    const { prefix } = await startTestSearch(first.url, first.masterKey);
    try {
      const before = await makeQuestion(await makeUser(), 'Invoice numbering restarted at one');
      await within(2000, async () =>
        (await search('invoice numbering')).hits.some((hit) => hit.key === `thread-${before}`),
      );

      await first.stop();
      const during = await makeQuestion(await makeUser(), 'Mileage claims for electric vehicles');
      const answered = await makeAnswer(
        await makeUser(),
        before,
        'Set the next number under Settings, Invoices.',
      );
      expect(answered).toBeGreaterThan(0);
      const fallback = await search('electric mileage');
      expect(fallback.engine).toBe('fts');
      expect(fallback.hits.map((hit) => hit.key)).toContain(`thread-${during}`);

      const second = await startLocalMeilisearch(dir, () => {}, { port });
      if (!second) throw new Error('Meilisearch did not restart');
      try {
        await within(
          15_000,
          async () =>
            Number(
              (
                await db
                  .selectFrom('search_outbox')
                  .select((eb) => eb.fn.countAll<number>().as('n'))
                  .executeTakeFirstOrThrow()
              ).n,
            ) === 0,
        );
        // Once delivered, Meilisearch processes the batches; then the index equals the database.
        const client = createMeiliClient(second.url, second.masterKey);
        const indexMatches = async () => {
          for (const type of ['thread', 'article'] as const) {
            const indexed = await client.client
              .index(indexName(prefix, type))
              .getDocuments({ fields: ['id', 'version'], limit: 10_000 });
            const actual = new Map(
              indexed.results.map((doc) => [Number(doc.id), String(doc.version)]),
            );
            if (
              JSON.stringify([...actual].sort()) !==
              JSON.stringify([...(await expectedDocuments(type))].sort())
            )
              return false;
          }
          return true;
        };
        await within(10_000, indexMatches);
        const threads = await client.client
          .index(indexName(prefix, 'thread'))
          .getDocuments({ fields: ['id'], limit: 100 });
        expect(threads.results.map((doc) => doc.id).sort()).toEqual([before, during].sort());
        client.close();
        await within(6000, async () => (await search('electric mileage')).engine === 'meilisearch');
      } finally {
        await second.stop();
      }
    } finally {
      await stopSearch();
      await first.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
