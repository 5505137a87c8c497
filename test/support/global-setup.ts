import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { startLocalMeilisearch } from '#search/local-server';
import { databaseUrl, onServer } from '#db/dialect';
import { startTestPostgres, type TestPostgres } from './postgres';

/**
 * Migrates one template database (every test file gets its own copy: setup-database.ts) and
 * starts one real Meilisearch for the tests that need it, and a PostgreSQL server with a migrated
 * template database where the machine has PostgreSQL (CI requires it:
 * COMMONS_TEST_REQUIRE_POSTGRES); all go away when the run ends.
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
  const stopAll = async () => {
    await postgres?.stop();
    await meili?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  let postgres: TestPostgres | null = null;
  try {
    postgres = await startTestPostgres();
    if (!postgres && process.env.COMMONS_TEST_REQUIRE_POSTGRES)
      throw new Error('COMMONS_TEST_REQUIRE_POSTGRES is set but this machine has no PostgreSQL');
    if (postgres) {
      await onServer(postgres.url, ['create database commons_template']);
      const pgTemplate = openDatabase(databaseUrl(postgres.url, 'commons_template'));
      await migrateToLatest(pgTemplate).finally(() => pgTemplate.destroy());
      process.env.COMMONS_TEST_POSTGRES_URL = postgres.url;
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}
