// `npm run import:stackexchange -- <dir> [--category <slug>] [--site <url>] [--json]`: imports a
// Stack Exchange data dump into the configured database (DATA_DIR / DATABASE_URL).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { getConfig } from '~/utils/config.server';
import { closeDb, getDb } from '~/utils/db.server';
import { migrateToLatest } from '#db/migrate';
import { importStackExchange } from '../import/stackexchange/importer';
import { siteOfDump, unknownSiteMessage } from '../import/stackexchange/site';
import { formatSummary } from '../import/stackexchange/summary';

const usage =
  'usage: npm run import:stackexchange -- <dump folder> [--category <slug>] [--site <https://site>] [--json]';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    category: { type: 'string' },
    site: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
const dir = positionals[0];
if (values.help || !dir) {
  console.error(usage);
  process.exit(values.help ? 0 : 1);
}
if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
  console.error(`${dir} is not a folder.\n${usage}`);
  process.exit(1);
}
if (values.site && !/^https?:\/\/[^/]+/.test(values.site)) {
  console.error(`--site must be an address such as https://cardano.stackexchange.com`);
  process.exit(1);
}
const site = values.site ?? siteOfDump(dir);
if (!site) {
  console.error(`${unknownSiteMessage(dir)}\n${usage}`);
  process.exit(1);
}

getConfig();
const db = getDb();
try {
  await migrateToLatest(db);
  const summary = await importStackExchange(db, {
    dir,
    site,
    categorySlug: values.category,
    progress: !values.json,
  });
  if (values.json) console.log(JSON.stringify(summary));
  else {
    console.log(formatSummary(summary));
    const pending = await db
      .selectFrom('search_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(pending.n) > 0)
      console.log(
        `${Number(pending.n).toLocaleString('en')} search updates are queued: the running server sends them to Meilisearch (or start it, or run npm run search:reindex).`,
      );
  }
} catch (error) {
  console.error('Import failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeDb();
}
