// `npm run db:copy -- --to postgres://user:password@host:5432/db [--from file.db] [--replace]`:
// copies a SQLite installation into PostgreSQL and compares the counts table by table.
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { isPostgresUrl, openDatabase } from '#db/client';
import { copySqliteToPostgres, type TableCount } from '#db/copy';
import { rebuildFallbackIndex } from '#search/reindex';
import { getConfig } from '~/utils/config.server';

const usage = `Usage: npm run db:copy -- --to postgres://user:password@host:5432/db [--from FILE] [--replace]

  --to URL     the PostgreSQL database to copy into (it is migrated first)
  --from FILE  the SQLite database to copy (default: the configured one, DATA_DIR/commons.db)
  --replace    delete the rows the target already holds instead of refusing to copy`;

/** A PostgreSQL URL as it may be printed: without its password. */
const withoutPassword = (url: string) => url.replace(/:[^:@/]*@/, ':…@');

type CountLine = TableCount & { note?: string };

function countsTable(lines: CountLine[]): string {
  const width = Math.max(5, ...lines.map((line) => line.table.length));
  const row = (table: string, source: string, target: string, note: string) =>
    `${table.padEnd(width)}  ${source.padStart(9)}  ${target.padStart(10)}  ${note}`.trimEnd();
  return [
    row('table', 'SQLite', 'PostgreSQL', ''),
    ...lines.map((line) =>
      row(
        line.table,
        String(line.source),
        String(line.target),
        line.note ?? (line.source === line.target ? '' : 'MISMATCH'),
      ),
    ),
  ].join('\n');
}

function parseCommandLine() {
  try {
    const { values } = parseArgs({
      options: {
        to: { type: 'string' },
        from: { type: 'string' },
        replace: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    if (!values.to || !isPostgresUrl(values.to))
      throw new Error('--to must name a PostgreSQL database (postgres://…).');
    const from = values.from ?? getConfig().database;
    if (isPostgresUrl(from))
      throw new Error('DATABASE_URL names PostgreSQL: name the SQLite file to copy with --from.');
    return { to: values.to, from, replace: values.replace };
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exit(2);
  }
}

const { to, from, replace } = parseCommandLine();
console.log(`Copying ${from} into ${withoutPassword(to)}`);
const target = openDatabase(to, { poolSize: 2 });
try {
  const result = await copySqliteToPostgres({
    from,
    to: target,
    replace,
    log: (message) => console.log(`  ${message}`),
  });
  // Statistics first: without them the rebuild's lookups by thread scan whole tables (twice as
  // slow on the 100,000-post community).
  await sql`analyze`.execute(target);
  const started = Date.now();
  const search = await rebuildFallbackIndex(target);
  console.log(`  search rows rebuilt (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const searchLine: CountLine = {
    table: 'search_fts',
    source: result.sourceSearchRows,
    target: search.written,
    note:
      result.sourceSearchRows === search.written
        ? 'rebuilt'
        : 'rebuilt from the content (the SQLite index was out of date)',
  };
  const byName = [...result.tables].sort((a, b) => a.table.localeCompare(b.table));
  console.log(`\n${countsTable([...byName, searchLine])}\n`);
  const mismatches = result.tables.filter((count) => count.source !== count.target);
  if (mismatches.length > 0) {
    console.error(
      `The counts differ in ${mismatches.length} tables: ${mismatches.map((count) => count.table).join(', ')}.`,
    );
    process.exitCode = 1;
  } else {
    console.log(
      `Copied ${result.rows} rows in ${result.tables.length} tables in ${result.seconds} s; every count matches.`,
    );
    console.log(
      'Meilisearch was not touched. If the new database uses a different Meilisearch (or index ' +
        'prefix), fill it with `DATABASE_URL=<the new database> npm run search:reindex`.',
    );
  }
} catch (error) {
  console.error(`Copy failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await target.destroy();
}
