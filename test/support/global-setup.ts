import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/client';
import { migrateToLatest } from '../../db/migrate';

/** Migrates one template database; every test file gets its own copy of it (setup-database.ts). */
export default async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-vitest-'));
  const template = path.join(dir, 'template.db');
  const db = openDatabase(template);
  await migrateToLatest(db);
  // A copy of a WAL database must not miss pages still in the log.
  await db.destroy();
  process.env.COMMONS_TEST_DIR = dir;
  process.env.COMMONS_TEMPLATE_DB = template;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
