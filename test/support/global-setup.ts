import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { startLocalMeilisearch } from '#search/local-server';

/**
 * Migrates one template database (every test file gets its own copy: setup-database.ts) and
 * starts one real Meilisearch for the tests that need it; both go away when the run ends.
 */
export default async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-vitest-'));
  const template = path.join(dir, 'template.db');
  const db = openDatabase(template);
  await migrateToLatest(db);
  // A copy of a WAL database must not miss pages still in the log.
  await db.destroy();
  process.env.COMMONS_TEST_DIR = dir;
  process.env.COMMONS_TEMPLATE_DB = template;
  const meili = await startLocalMeilisearch(path.join(dir, 'shared-meili'));
  if (meili) {
    process.env.COMMONS_TEST_MEILI_URL = meili.url;
    process.env.COMMONS_TEST_MEILI_KEY = meili.masterKey;
  }
  return async () => {
    await meili?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
