import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { closeDb } from '~/utils/db.server';
import { stopSearch } from '#search/engine';

const dir = process.env.COMMONS_TEST_DIR;
const template = process.env.COMMONS_TEMPLATE_DB;
if (!dir || !template) throw new Error('test/support/global-setup.ts did not run');

// A fresh database file for this test file, copied from the migrated template.
await closeDb();
const file = path.join(dir, `test-${crypto.randomUUID()}.db`);
fs.copyFileSync(template, file);
process.env.DATABASE_URL = file;
process.env.DATA_DIR = dir;
process.env.LOG_REQUESTS = 'false';

afterAll(async () => {
  await stopSearch();
  await closeDb();
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
});
