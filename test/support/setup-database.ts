import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { closeDb } from '~/utils/db.server';
import { stopSearch } from '#search/engine';
import { databaseUrl, onServer } from '#db/dialect';

const dir = process.env.COMMONS_TEST_DIR;
const template = process.env.COMMONS_TEMPLATE_DB;
if (!dir || !template) throw new Error('test/support/global-setup.ts did not run');

// COMMONS_TEST_DATABASE=postgres runs the suite on the PostgreSQL server global-setup.ts started.
const postgres =
  process.env.COMMONS_TEST_DATABASE === 'postgres' ? process.env.COMMONS_TEST_POSTGRES_URL : null;
if (process.env.COMMONS_TEST_DATABASE === 'postgres' && !postgres)
  throw new Error('COMMONS_TEST_DATABASE=postgres, but this machine has no PostgreSQL');

// A fresh database for this test file: a copy of the migrated template.
await closeDb();
const name = `test_${crypto.randomUUID().replace(/-/g, '')}`;
const file = path.join(dir, `${name}.db`);
if (postgres) {
  await onServer(postgres, [`create database ${name} template commons_template`]);
  process.env.DATABASE_URL = databaseUrl(postgres, name);
  process.env.DATABASE_POOL_SIZE = '4';
} else {
  fs.copyFileSync(template, file);
  process.env.DATABASE_URL = file;
}
process.env.DATA_DIR = dir;
process.env.LOG_REQUESTS = 'false';

afterAll(async () => {
  await stopSearch();
  await closeDb();
  if (postgres) await onServer(postgres, [`drop database if exists ${name} with (force)`]);
  else for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
});
