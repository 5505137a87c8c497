import type { Meilisearch } from 'meilisearch';
import type { Database } from '#db/client';
import type { SearchEntity } from '#db/schema';
import {
  allEntityIds,
  buildDocuments,
  countPublicEntities,
  type SearchDocument,
} from './documents';
import { withVectors } from './embeddings';
import { writeFtsDocuments } from './fts';
import { ensureIndexes, indexName, parseSynonyms } from './settings';
import { synonymsSetting } from './engine';

export type ReindexProgress = { done: number; total: number };

/** Writes the FTS rows of these entities; returns their public documents. */
async function writeFallbackRows(db: Database, type: SearchEntity, ids: number[]) {
  const built = await buildDocuments(db, type, ids);
  await writeFtsDocuments(db, type, ids, built);
  return built.filter((document) => document !== null);
}

/**
 * Rebuilds the FTS fallback alone and leaves Meilisearch as it is: a database copied from another
 * installation (`npm run db:copy`) has every row but no fallback index yet.
 */
export async function rebuildFallbackIndex(
  db: Database,
  onProgress: (progress: ReindexProgress) => void = () => {},
) {
  const total =
    (await countPublicEntities(db, 'thread')) + (await countPublicEntities(db, 'article'));
  await db.deleteFrom('search_fts').execute();
  let done = 0;
  let written = 0;
  for (const type of ['thread', 'article'] as const) {
    for await (const ids of allEntityIds(db, type)) {
      const documents = await db.transaction().execute((trx) => writeFallbackRows(trx, type, ids));
      written += documents.length;
      done += ids.length;
      onProgress({ done, total });
    }
  }
  return { total, written };
}

/**
 * Fallback rows from before they carried audience keys (they are hidden from all but staff) get
 * them, a batch at a time. Returns how many rows it wrote.
 */
export async function addFallbackAudience(db: Database, batchSize = 500): Promise<number> {
  let written = 0;
  for (;;) {
    const rows = await db
      .selectFrom('search_fts')
      .select(['rowid', 'type'])
      .where('audience', '=', '')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) return written;
    for (const type of ['thread', 'article'] as const) {
      // Rowids are the entity's id times two, plus one for articles (fts.ts).
      const ids = rows
        .filter((row) => row.type === type)
        .map((row) => Math.floor(Number(row.rowid) / 2));
      if (ids.length) await db.transaction().execute((trx) => writeFallbackRows(trx, type, ids));
    }
    written += rows.length;
  }
}

/**
 * Rebuilds both Meilisearch indexes and the FTS5 table from the database: every public document
 * is sent again, and documents that are no longer public are dropped (the indexes are swapped in
 * only when complete, so search keeps answering meanwhile).
 */
export async function reindexAll(
  db: Database,
  client: Meilisearch,
  prefix: string,
  onProgress: (progress: ReindexProgress) => void = () => {},
) {
  const total =
    (await countPublicEntities(db, 'thread')) + (await countPublicEntities(db, 'article'));
  const synonyms = parseSynonyms(await synonymsSetting(db));
  const staging = `${prefix}reindex_`;
  await ensureIndexes(client, staging, synonyms);
  await ensureIndexes(client, prefix, synonyms);
  await db.deleteFrom('search_fts').execute();
  let done = 0;
  for (const type of ['thread', 'article'] as const) {
    const staged = client.index(indexName(staging, type));
    await staged.deleteAllDocuments().waitTask({ timeout: 600_000 });
    for await (const ids of allEntityIds(db, type)) {
      const documents: SearchDocument[] = [];
      await db.transaction().execute(async (trx) => {
        documents.push(...(await writeFallbackRows(trx, type, ids)));
      });
      if (documents.length)
        await staged.addDocuments(await withVectors(documents)).waitTask({ timeout: 600_000 });
      done += ids.length;
      onProgress({ done, total });
    }
  }
  await client
    .swapIndexes([
      { indexes: [indexName(staging, 'thread'), indexName(prefix, 'thread')], rename: false },
      { indexes: [indexName(staging, 'article'), indexName(prefix, 'article')], rename: false },
    ])
    .waitTask({ timeout: 600_000 });
  await client.deleteIndex(indexName(staging, 'thread')).waitTask();
  await client.deleteIndex(indexName(staging, 'article')).waitTask();
  return { total };
}
