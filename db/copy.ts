import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import type { Database } from './client';
import { dialectOf } from './dialect';
import { migrateToLatest } from './migrate';
import { migrations } from './migrations/index';

/**
 * Copies a SQLite installation into PostgreSQL (`npm run db:copy`): every table but Kysely's
 * migration log and the FTS5 index, ids included, in one transaction, then compares the counts
 * table by table. The caller rebuilds PostgreSQL's search rows afterwards (search/ sits above db/).
 *
 * The source is read with better-sqlite3 itself rather than Kysely: integers come back as
 * bigint (none loses digits), rows as arrays, and one read transaction holds a snapshot.
 */

export type TableCount = { table: string; source: number; target: number };

export type CopyResult = {
  /** Every copied table, in the order copied. */
  tables: TableCount[];
  rows: number;
  seconds: number;
  /** Rows of the source's FTS5 index, which is not copied but rebuilt from the content. */
  sourceSearchRows: number;
};

export type CopyOptions = {
  /** The SQLite file to copy; it is opened read-only. */
  from: string;
  /** The PostgreSQL database to copy into; migrated here first. */
  to: Database;
  /** Delete the rows the target holds first, instead of refusing a target that holds data. */
  replace?: boolean;
  log?: (message: string) => void;
};

type Column = { name: string; notNull: boolean; primaryKeyPosition: number };
type ForeignKey = { table: string; from: string };
type Table = { name: string; columns: Column[]; foreignKeys: ForeignKey[] };
type TargetColumn = { dataType: string; notNull: boolean };

// NOTE: where the page-version triggers cannot be paused (pauseTriggers), they write
// page_versions while the other tables are copied (or defer that to commit); it is cleared and
// copied last, so it ends with the source's versions either way.
const writtenByTriggers = 'page_versions';

// PostgreSQL takes at most 65,535 parameters in one statement; a batch also stops at a byte
// budget, so a table of large blobs (inbound mail) is not held in memory a thousand rows at a time.
const maxParameters = 65_000;
const maxRowsPerBatch = 1_000;
const maxBytesPerBatch = 16 * 1024 * 1024;

// Problems are gathered over the whole copy, so one run names them all; this many are listed.
const maxProblemsListed = 50;
type Problems = { listed: string[]; total: number };

function note(problems: Problems, problem: string) {
  problems.total += 1;
  if (problems.listed.length < maxProblemsListed) problems.listed.push(problem);
}

export async function copySqliteToPostgres(options: CopyOptions): Promise<CopyResult> {
  const { to: target, log = () => {} } = options;
  if (dialectOf(target) !== 'postgres')
    throw new Error('The target must be a PostgreSQL database.');
  if (!fs.existsSync(options.from))
    throw new Error(`There is no SQLite database at ${options.from}.`);
  const started = Date.now();
  const source = new SQLite(options.from, { readonly: true, fileMustExist: true });
  try {
    // The counts and the rows come from one snapshot, even if an app server still writes.
    source.exec('begin');
    refuseUnmigrated(source, options.from);
    refuseBrokenForeignKeys(source);
    const tables = copyOrder(listTables(source));
    const sourceCounts = new Map(
      tables.map((table) => [table.name, countRows(source, table.name)]),
    );
    const sourceSearchRows = hasTable(source, 'search_fts') ? countRows(source, 'search_fts') : 0;

    await migrateToLatest(target, log);
    const targetColumns = await columnsOf(target, tables);
    await target.transaction().execute(async (trx) => {
      if (options.replace) {
        const names = [...tables.map((table) => table.name), 'search_fts'];
        await sql`truncate ${sql.join(names.map((name) => sql.id(name)))} restart identity`.execute(
          trx,
        );
      } else {
        await refuseOccupied(trx, tables);
      }
      const paused = await pauseTriggers(trx, tables, log);
      const problems: Problems = { listed: [], total: 0 };
      for (const table of tables) {
        const tableStarted = Date.now();
        if (table.name === writtenByTriggers) {
          // Work the triggers deferred to commit is done now, so none lands after the clear.
          await sql`set constraints all immediate`.execute(trx);
          await sql`delete from ${sql.id(table.name)}`.execute(trx);
        }
        const copied = await copyTable(source, trx, table, targetColumns, problems);
        if (copied > 0)
          log(
            `${table.name}: ${copied} ${copied === 1 ? 'row' : 'rows'} (${secondsSince(tableStarted)} s)`,
          );
      }
      if (problems.total > 0) throw new Error(describeProblems(problems));
      await continueSequences(source, trx, tables);
      for (const { table, trigger } of paused)
        await sql`alter table ${sql.id(table)} enable trigger ${sql.id(trigger)}`.execute(trx);
    });

    const counts: TableCount[] = [];
    for (const table of tables)
      counts.push({
        table: table.name,
        source: sourceCounts.get(table.name) ?? 0,
        target: await countTargetRows(target, table.name),
      });
    source.exec('commit');
    return {
      tables: counts,
      rows: counts.reduce((sum, count) => sum + count.target, 0),
      seconds: Number(secondsSince(started)),
      sourceSearchRows,
    };
  } finally {
    source.close();
  }
}

function secondsSince(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

function hasTable(source: SQLite.Database, table: string): boolean {
  const found = source
    .prepare<[string], { name: string }>(
      `select name from sqlite_master where type = 'table' and name = ?`,
    )
    .get(table);
  return found !== undefined;
}

function countRows(source: SQLite.Database, table: string): number {
  const row = source.prepare<[], { n: number }>(`select count(*) as n from ${quoted(table)}`).get();
  return row?.n ?? 0;
}

async function countTargetRows(target: Database, table: string): Promise<number> {
  const result = await sql<{ n: number }>`select count(*) as n from ${sql.id(table)}`.execute(
    target,
  );
  return Number(result.rows[0]?.n ?? 0);
}

/** Refuses a database that is not Commons', or whose migrations differ from this version's. */
function refuseUnmigrated(source: SQLite.Database, file: string) {
  if (!hasTable(source, 'kysely_migration'))
    throw new Error(`${file} is not a Commons database: it has no migration log.`);
  const applied = new Set(
    source
      .prepare<[], { name: string }>('select name from kysely_migration')
      .all()
      .map((row) => row.name),
  );
  const known = Object.keys(migrations);
  const pending = known.filter((name) => !applied.has(name));
  if (pending.length > 0)
    throw new Error(
      `${file} is not fully migrated (${pending.length} pending: ${pending.join(', ')}). ` +
        `Migrate it first (DATABASE_URL=${file} npm run db:migrate), then copy it.`,
    );
  const unknown = [...applied].filter((name) => !known.includes(name));
  if (unknown.length > 0)
    throw new Error(
      `${file} was migrated by a newer Commons (${unknown.join(', ')}); copy it with that version.`,
    );
}

/** Refuses a source whose rows point at rows that do not exist: PostgreSQL would refuse them. */
function refuseBrokenForeignKeys(source: SQLite.Database) {
  const broken = source
    .prepare<[], { table: string; rowid: number | null; parent: string; fkid: number }>(
      'select * from pragma_foreign_key_check',
    )
    .all();
  if (broken.length === 0) return;
  const lines = broken.slice(0, maxProblemsListed).map((row) => {
    const column = foreignKeyColumns(source, row.table).find((key) => key.id === row.fkid)?.from;
    const value =
      column && row.rowid !== null
        ? source
            .prepare<[number], Record<string, unknown>>(
              `select ${quoted(column)} as value from ${quoted(row.table)} where rowid = ?`,
            )
            .get(row.rowid)?.value
        : undefined;
    const what = column ? `${column} = ${String(value)}` : `foreign key ${row.fkid}`;
    return `  ${row.table} row ${row.rowid ?? '?'}: ${what}, but ${row.parent} has no such row`;
  });
  const more = broken.length - lines.length;
  throw new Error(
    [
      `The SQLite database has ${broken.length} rows that refer to missing rows ` +
        '(pragma foreign_key_check), which PostgreSQL would refuse. Fix or delete them first:',
      ...lines,
      ...(more > 0 ? [`  … and ${more} more`] : []),
    ].join('\n'),
  );
}

function foreignKeyColumns(source: SQLite.Database, table: string) {
  return source
    .prepare<[string], { id: number; table: string; from: string }>(
      'select id, "table", "from" from pragma_foreign_key_list(?) order by id, seq',
    )
    .all(table);
}

/**
 * The tables to copy: all of the source's but SQLite's own, Kysely's migration log and the FTS5
 * index with its shadow tables (PostgreSQL's search rows are rebuilt from the copied content).
 */
function listTables(source: SQLite.Database): Table[] {
  const entries = source
    .prepare<[], { name: string; sql: string | null }>(
      `select name, sql from sqlite_master where type = 'table' order by name`,
    )
    .all();
  const virtual = entries
    .filter((entry) => /^create\s+virtual\s+table/i.test(entry.sql ?? ''))
    .map((entry) => entry.name);
  const skipped = (name: string) =>
    name.startsWith('sqlite_') ||
    name.startsWith('kysely_migration') ||
    virtual.some((table) => name === table || name.startsWith(`${table}_`));
  return entries
    .filter((entry) => !skipped(entry.name))
    .map((entry) => ({
      name: entry.name,
      columns: source
        .prepare<[string], { name: string; notnull: number; pk: number }>(
          'select name, "notnull", pk from pragma_table_info(?) order by cid',
        )
        .all(entry.name)
        .map((column) => ({
          name: column.name,
          notNull: column.notnull === 1,
          primaryKeyPosition: column.pk,
        })),
      foreignKeys: foreignKeyColumns(source, entry.name),
    }));
}

/**
 * Parents before children (by `pragma foreign_key_list`), in rounds, by name within a round;
 * page_versions last. A table's references to itself are filled in after its rows (copyTable);
 * tables that refer to each other in a circle have no such order and are refused.
 */
function copyOrder(tables: Table[]): Table[] {
  const names = new Set(tables.map((table) => table.name));
  const parentsOf = (table: Table) =>
    table.foreignKeys
      .map((key) => key.table)
      .filter((parent) => parent !== table.name && names.has(parent));
  const ordered: Table[] = [];
  const placed = new Set<string>();
  let waiting = tables.filter((table) => table.name !== writtenByTriggers);
  while (waiting.length > 0) {
    const ready = waiting.filter((table) => parentsOf(table).every((parent) => placed.has(parent)));
    if (ready.length === 0)
      throw new Error(
        'These tables refer to each other in a circle, so no copy order exists: ' +
          `${waiting.map((table) => table.name).join(', ')}.`,
      );
    for (const table of ready) placed.add(table.name);
    ordered.push(...ready);
    waiting = waiting.filter((table) => !placed.has(table.name));
  }
  return [...ordered, ...tables.filter((table) => table.name === writtenByTriggers)];
}

/** The target's columns, by `table.column`; refuses a source column PostgreSQL lacks. */
async function columnsOf(target: Database, tables: Table[]) {
  const rows = await sql<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
  }>`
    select table_name, column_name, data_type, is_nullable from information_schema.columns
    where table_schema = current_schema()
  `.execute(target);
  const columns = new Map<string, TargetColumn>();
  for (const row of rows.rows)
    columns.set(`${row.table_name}.${row.column_name}`, {
      dataType: row.data_type,
      notNull: row.is_nullable === 'NO',
    });
  const missing = tables.flatMap((table) => {
    const lacking = table.columns.filter((column) => !columns.has(`${table.name}.${column.name}`));
    if (lacking.length === 0) return [];
    if (lacking.length === table.columns.length) return [`table ${table.name}`];
    return lacking.map((column) => `column ${table.name}.${column.name}`);
  });
  if (missing.length > 0)
    throw new Error(
      `After migrating, PostgreSQL has no ${missing.join(', ')}, which the SQLite database has.`,
    );
  return columns;
}

/**
 * Switches off the target's own triggers on the copied tables while they are copied: each copied
 * row would bump page versions, and PostgreSQL slows down with every update of the same row in
 * one transaction (with the triggers on, 40,437 threads took 63 s and 59,563 posts 299 s).
 * ALTER TABLE is transactional, so a copy that fails leaves them on. Only the tables' owner may
 * do this; anyone else copies with the triggers running. Returns the triggers to switch back on.
 */
async function pauseTriggers(target: Database, tables: Table[], log: (message: string) => void) {
  const copied = new Set(tables.map((table) => table.name));
  const enabled = await sql<{ table: string; trigger: string }>`
    select c.relname as table, t.tgname as trigger
    from pg_trigger t join pg_class c on c.oid = t.tgrelid
    where c.relnamespace = current_schema()::regnamespace and not t.tgisinternal
      and t.tgenabled <> 'D'
    order by 1, 2
  `.execute(target);
  const triggers = enabled.rows.filter((row) => copied.has(row.table));
  try {
    await sql`savepoint pause_triggers`.execute(target);
    for (const { table, trigger } of triggers)
      await sql`alter table ${sql.id(table)} disable trigger ${sql.id(trigger)}`.execute(target);
    await sql`release savepoint pause_triggers`.execute(target);
    return triggers;
  } catch (error) {
    await sql`rollback to savepoint pause_triggers`.execute(target);
    const reason = error instanceof Error ? error.message : String(error);
    log(`the triggers stay on during the copy, which is slower (${reason})`);
    return [];
  }
}

/** Refuses a target with any row in the tables to copy. */
async function refuseOccupied(target: Database, tables: Table[]) {
  const occupied: string[] = [];
  for (const table of tables) {
    const rows = await countTargetRows(target, table.name);
    if (rows > 0) occupied.push(`${table.name} (${rows})`);
  }
  if (occupied.length === 0) return;
  const listed = occupied.slice(0, 8).join(', ');
  const more = occupied.length > 8 ? ` and ${occupied.length - 8} more tables` : '';
  throw new Error(
    `The target database already holds data (rows in ${listed}${more}). Copy into an empty ` +
      'database, or pass --replace to delete every row of the copied tables first.',
  );
}

/** A value as SQLite holds it; integers as bigint. */
type Value = null | number | bigint | string | Buffer;

function describeValue(value: Value): string {
  if (value === null) return 'null';
  if (Buffer.isBuffer(value)) return `a blob of ${value.length} bytes`;
  if (typeof value === 'string')
    return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the number ${String(value)}`;
}

const integerRanges: Record<string, [bigint, bigint]> = {
  smallint: [-(2n ** 15n), 2n ** 15n - 1n],
  integer: [-(2n ** 31n), 2n ** 31n - 1n],
  bigint: [-(2n ** 63n), 2n ** 63n - 1n],
};

/**
 * Why PostgreSQL's column cannot take this value as it is, or null when it can. SQLite keeps a
 * value its column's type cannot convert (text in an integer column, a fraction where a whole
 * number belongs, a blob anywhere); nothing is converted or stripped here.
 */
function refusal(value: Value, column: TargetColumn): string | null {
  const type = column.dataType;
  const cannotTake = `holds ${describeValue(value)}, which PostgreSQL's ${type} column cannot take`;
  if (value === null) return column.notNull ? 'is null, but PostgreSQL requires a value' : null;
  const range = integerRanges[type];
  if (range) {
    if (typeof value !== 'bigint') return cannotTake;
    return value >= range[0] && value <= range[1]
      ? null
      : `holds ${describeValue(value)}, outside PostgreSQL's ${type} range`;
  }
  if (type === 'double precision' || type === 'real' || type === 'numeric')
    return typeof value === 'number' || typeof value === 'bigint' ? null : cannotTake;
  if (type === 'text' || type === 'character varying') {
    if (typeof value !== 'string') return cannotTake;
    const nul = value.indexOf('\u0000');
    return nul === -1
      ? null
      : `holds a NUL character (at position ${nul}), which PostgreSQL text cannot store`;
  }
  if (type === 'bytea') return Buffer.isBuffer(value) ? null : cannotTake;
  return null;
}

/** The value as the pg driver should send it: a number where that is exact. */
function parameter(value: Value) {
  if (typeof value !== 'bigint') return value;
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

function sizeOf(row: Value[]): number {
  return row.reduce<number>(
    (sum, value) => sum + (Buffer.isBuffer(value) || typeof value === 'string' ? value.length : 8),
    0,
  );
}

/**
 * Copies one table in multi-row inserts, in primary-key order, checking every value against
 * PostgreSQL's column first. Columns that refer to the same table (a thread merged into another)
 * are written after all its rows, so a row may name one copied after it. Returns the rows read.
 */
async function copyTable(
  source: SQLite.Database,
  target: Database,
  table: Table,
  targetColumns: Map<string, TargetColumn>,
  problems: Problems,
): Promise<number> {
  const columns = table.columns.map((column) => {
    const into = targetColumns.get(`${table.name}.${column.name}`);
    if (!into) throw new Error(`PostgreSQL has no column ${table.name}.${column.name}.`);
    return { ...column, into };
  });
  const names = columns.map((column) => column.name);
  const keyColumns = columns
    .filter((column) => column.primaryKeyPosition > 0)
    .sort((a, b) => a.primaryKeyPosition - b.primaryKeyPosition)
    .map((column) => column.name);
  // A row is named by its primary key; in a table without one, by its rowid, read beside it.
  const labelColumns = keyColumns.length > 0 ? keyColumns : ['rowid'];
  const selected = keyColumns.length > 0 ? names : [...names, 'rowid'];
  const labelOf = (row: Value[]) =>
    labelColumns.map((key) => `${key}=${String(row[selected.indexOf(key)])}`).join(', ');
  const deferred =
    keyColumns.length === 0
      ? []
      : columns
          .filter((column) => !column.notNull)
          .map((column) => column.name)
          .filter((name) =>
            table.foreignKeys.some((key) => key.table === table.name && key.from === name),
          );

  const rows = source
    .prepare<[], Value[]>(
      `select ${selected.map(quoted).join(', ')} from ${quoted(table.name)}
       order by ${labelColumns.map(quoted).join(', ')}`,
    )
    .raw(true)
    .safeIntegers(true);
  const rowsPerBatch = Math.min(maxRowsPerBatch, Math.floor(maxParameters / names.length));
  const laterUpdates: { key: Value[]; values: Value[] }[] = [];
  let batch: Value[][] = [];
  let batchBytes = 0;
  let read = 0;

  const flush = async () => {
    // After the first problem nothing more is written (the transaction will roll back), but
    // every row is still checked, so one run names all the problems.
    if (batch.length > 0 && problems.total === 0) {
      const refused = await insertRows(target, table.name, names, batch, labelOf);
      if (refused) note(problems, refused);
    }
    batch = [];
    batchBytes = 0;
  };

  for (const row of rows.iterate()) {
    read += 1;
    const valueOf = (name: string) => row[selected.indexOf(name)] ?? null;
    for (const column of columns) {
      const reason = refusal(valueOf(column.name), column.into);
      if (reason)
        note(problems, `${table.name} row ${labelOf(row)}, column ${column.name}: ${reason}`);
    }
    const later = deferred.map(valueOf);
    if (later.some((value) => value !== null))
      laterUpdates.push({ key: keyColumns.map(valueOf), values: later });
    batch.push(names.map((name) => (deferred.includes(name) ? null : valueOf(name))));
    batchBytes += sizeOf(row);
    if (batch.length >= rowsPerBatch || batchBytes >= maxBytesPerBatch) await flush();
  }
  await flush();
  if (problems.total > 0) return read;

  for (const update of laterUpdates) {
    const assignments = deferred.map(
      (name, index) => sql`${sql.id(name)} = ${parameter(update.values[index] ?? null)}`,
    );
    const key = keyColumns.map(
      (name, index) => sql`${sql.id(name)} = ${parameter(update.key[index] ?? null)}`,
    );
    await sql`
      update ${sql.id(table.name)} set ${sql.join(assignments)} where ${sql.join(key, sql` and `)}
    `.execute(target);
  }
  return read;
}

/**
 * Inserts the rows in one statement. When PostgreSQL refuses it, finds the row it refuses (one
 * insert each, each in a savepoint) and returns what PostgreSQL said; null when all went in.
 */
async function insertRows(
  target: Database,
  table: string,
  names: string[],
  rows: Value[][],
  labelOf: (row: Value[]) => string,
): Promise<string | null> {
  const insert = (some: Value[][]) => sql`
    insert into ${sql.id(table)} (${sql.join(names.map((name) => sql.id(name)))})
    values ${sql.join(some.map((row) => sql`(${sql.join(row.map(parameter))})`))}
  `;
  try {
    await sql`savepoint copy_rows`.execute(target);
    await insert(rows).execute(target);
    await sql`release savepoint copy_rows`.execute(target);
    return null;
  } catch {
    await sql`rollback to savepoint copy_rows`.execute(target);
  }
  for (const row of rows) {
    try {
      await sql`savepoint copy_row`.execute(target);
      await insert([row]).execute(target);
      await sql`release savepoint copy_row`.execute(target);
    } catch (error) {
      await sql`rollback to savepoint copy_row`.execute(target);
      if (!(error instanceof pg.DatabaseError)) throw error;
      const column = error.column ? `, column ${error.column}` : '';
      const detail = error.detail ? ` (${error.detail})` : '';
      return `${table} row ${labelOf(row)}${column}: PostgreSQL refuses it: ${error.message}${detail}`;
    }
  }
  return `${table}: PostgreSQL refused ${rows.length} rows together but took each on its own`;
}

function describeProblems(problems: Problems): string {
  const one = problems.total === 1;
  const more = problems.total - problems.listed.length;
  return [
    `Nothing was copied: PostgreSQL refuses ${one ? 'a value' : `${problems.total} values`} ` +
      `as SQLite holds ${one ? 'it' : 'them'}, and the copy changes or strips nothing. ` +
      `Fix ${one ? 'it' : 'them'} in the SQLite database, then copy again:`,
    ...problems.listed.map((problem) => `  ${problem}`),
    ...(more > 0 ? [`  … and ${more} more`] : []),
  ].join('\n');
}

/**
 * Moves every identity column's sequence past the copied ids, and past the ids SQLite handed
 * out to rows since deleted (sqlite_sequence): SQLite's autoincrement never reuses an id.
 */
async function continueSequences(source: SQLite.Database, target: Database, tables: Table[]) {
  const handedOut = new Map(
    hasTable(source, 'sqlite_sequence')
      ? source
          .prepare<[], { name: string; seq: number }>('select name, seq from sqlite_sequence')
          .all()
          .map((row): [string, number] => [row.name, Number(row.seq)])
      : [],
  );
  const copied = new Set(tables.map((table) => table.name));
  const identities = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema()
      and (is_identity = 'YES' or column_default like 'nextval(%')
  `.execute(target);
  for (const { table_name: table, column_name: column } of identities.rows) {
    if (!copied.has(table)) continue;
    const result = await sql<{ n: number | null }>`
      select max(${sql.id(column)}) as n from ${sql.id(table)}
    `.execute(target);
    const last = Math.max(Number(result.rows[0]?.n ?? 0), handedOut.get(table) ?? 0);
    const sequence = sql`pg_get_serial_sequence(${quoted(table)}, ${column})`;
    await (
      last > 0
        ? sql`select setval(${sequence}, ${last}, true)`
        : sql`select setval(${sequence}, 1, false)`
    ).execute(target);
  }
}
