import {
  DataTypeNode,
  GeneratedNode,
  OperationNodeTransformer,
  PostgresAdapter,
  type ColumnDefinitionNode,
  type CreateTableNode,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  sql,
} from 'kysely';
import pg from 'pg';

/**
 * The differences between the two databases Commons runs on, kept here so the migrations and
 * the queries are written once: SQLite (embedded, the default) and PostgreSQL (several app
 * servers on one database). Migrations name the SQLite form; on PostgreSQL the DDL is rewritten
 * by `postgresDdl` and the few statements without a common form ask `dialectOf`.
 */

export type DialectName = 'sqlite' | 'postgres';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any schema
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * SQLite's DDL as PostgreSQL understands it: an `autoincrement` key becomes an identity column
 * (by default, so copies and rebuilds may still give ids), `blob` becomes `bytea`, and SQLite's
 * table options (`without rowid`) are dropped.
 */
class PostgresDdl extends OperationNodeTransformer {
  protected override transformCreateTable(node: CreateTableNode): CreateTableNode {
    const created = super.transformCreateTable(node);
    return { ...created, endModifiers: undefined };
  }

  protected override transformColumnDefinition(node: ColumnDefinitionNode): ColumnDefinitionNode {
    const column = super.transformColumnDefinition(node);
    const dataType =
      DataTypeNode.is(column.dataType) && column.dataType.dataType === 'blob'
        ? DataTypeNode.create('bytea')
        : column.dataType;
    if (!column.autoIncrement) return { ...column, dataType };
    return {
      ...column,
      dataType,
      autoIncrement: false,
      generated: GeneratedNode.create({ identity: true, byDefault: true }),
    };
  }
}

export const postgresDdl: KyselyPlugin = {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const transformer = new PostgresDdl();
    return transformer.transformNode(args.node);
  },
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  },
};

/** The text of `key` in a JSON text column, on either database. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any schema
export function jsonText(db: Kysely<any>, column: string, key: string) {
  return dialectOf(db) === 'postgres'
    ? sql<string | null>`(${sql.ref(column)}::jsonb ->> ${sql.lit(key)})`
    : sql<string | null>`json_extract(${sql.ref(column)}, ${sql.lit(`$.${key}`)})`;
}

/**
 * What a query that claims rows adds so two servers never claim the same row: PostgreSQL skips
 * rows another transaction holds; SQLite has one writer at a time and needs nothing.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any schema
export function skipLocked(db: Kysely<any>) {
  return dialectOf(db) === 'postgres' ? sql`for update skip locked` : sql``;
}

/**
 * Runs `work` on one server at a time: on PostgreSQL while a connection of its own holds the
 * advisory lock named `job`, or not at all (null) while another server holds it; a server that
 * dies lets go with its connection. SQLite has one server, which simply runs `work`.
 */
export async function onOneServer<DB, T>(
  db: Kysely<DB>,
  job: string,
  work: () => Promise<T>,
): Promise<T | null> {
  if (dialectOf(db) === 'sqlite') return work();
  return db.connection().execute(async (connection) => {
    const { rows } = await sql<{
      locked: boolean;
    }>`select pg_try_advisory_lock(hashtext(${job})) as locked`.execute(connection);
    if (!rows[0]?.locked) return null;
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${job}))`.execute(connection);
    }
  });
}

/** Waits until this transaction is the only one doing `job` (PostgreSQL; SQLite has one writer). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any schema
export async function waitForTurn(trx: Kysely<any>, job: string): Promise<void> {
  if (dialectOf(trx) === 'postgres')
    await sql`select pg_advisory_xact_lock(hashtext(${job}))`.execute(trx);
}

/**
 * The highest id of `table` below which no new row can still appear, or null when any visible
 * row qualifies. SQLite commits ids in order. PostgreSQL hands out ids as rows are inserted but
 * shows them at commit, so a slow transaction's row can appear behind rows already read; a
 * moment's SHARE lock waits for the transactions writing to the table and reads the highest id.
 * Writers queue behind that lock, so it waits at most `waitMs`: a long transaction (an import)
 * gets 0, nothing settled, and the caller counts later.
 */
export async function settledIdBound(
  db: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  table: string,
  waitMs = 200,
): Promise<number | null> {
  if (dialectOf(db) === 'sqlite') return null;
  try {
    return await db.transaction().execute(async (trx) => {
      await sql.raw(`set local lock_timeout = ${Math.round(waitMs)}`).execute(trx);
      await sql`lock table ${sql.table(table)} in share mode`.execute(trx);
      const { rows } = await sql<{
        id: number | null;
      }>`select max(id) as id from ${sql.table(table)}`.execute(trx);
      return rows[0]?.id ?? 0;
    });
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') return 0; // lock_not_available
    throw error;
  }
}

/**
 * Holds the row `id` of `table` until the transaction ends, so that steps which read and then
 * write what hangs off it (a score summed from votes, a count of answers) never interleave with
 * another server's. SQLite runs one writing transaction at a time and needs nothing. The lock is
 * PostgreSQL's `for no key update`, which lets rows that only refer to this one (an answer's
 * foreign key) be written meanwhile: `for update` would have to wait for those, and two answers
 * to one question each waited for the other.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any schema
export async function lockRow(trx: Kysely<any>, table: string, id: number): Promise<void> {
  if (dialectOf(trx) === 'postgres')
    await sql`select id from ${sql.table(table)} where id = ${id} for no key update`.execute(trx);
}

/** A trigger as SQLite writes one: after `event` on `on`, when `when`, run `body`. */
export type Trigger = { name: string; on: string; event: string; when?: string; body: string };

/**
 * Creates one of the triggers that bump page versions (the page cache's counters, migration
 * 2026_12_12_1000) on either database. The body is SQLite's, upserts into `page_versions`.
 *
 * On PostgreSQL an upsert locks its row until the transaction ends, and nearly every write bumps
 * `site`: transactions bumping pages in different orders while holding other rows deadlocked
 * under two servers' load. So there the trigger only notes the pages in `page_version_bumps`, and
 * a deferred trigger bumps them all at commit, in the order of their names (no other lock is
 * taken after them, so no cycle can form). The body runs in a PL/pgSQL function of the trigger's
 * name, where `is not` between values is `is distinct from`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any schema
export async function createTrigger(db: Kysely<any>, trigger: Trigger): Promise<void> {
  if (dialectOf(db) === 'sqlite') {
    const when = trigger.when ? ` when ${trigger.when}` : '';
    await sql
      .raw(
        `create trigger ${trigger.name} after ${trigger.event} on ${trigger.on}${when}
         begin ${trigger.body} end`,
      )
      .execute(db);
    return;
  }
  await createPageVersionBumps(db);
  const forPostgres = (text: string) =>
    text
      .replace(/insert into page_versions \(/g, 'insert into page_version_bumps (')
      .replace(/\s*on conflict \(page\) do update set version = version \+ 1/g, '')
      .replace(/ is not (new|old)\./g, ' is distinct from $1.');
  await sql
    .raw(
      `create function ${trigger.name}() returns trigger language plpgsql as $$
       begin ${forPostgres(trigger.body)} return null; end $$`,
    )
    .execute(db);
  const when = trigger.when ? ` when (${forPostgres(trigger.when)})` : '';
  await sql
    .raw(
      `create trigger ${trigger.name} after ${trigger.event} on ${trigger.on}
       for each row${when} execute function ${trigger.name}()`,
    )
    .execute(db);
  await sql
    .raw(
      `create constraint trigger ${trigger.name}_at_commit after ${trigger.event} on ${trigger.on}
       deferrable initially deferred for each row${when}
       execute function apply_page_version_bumps()`,
    )
    .execute(db);
}

/** The pages a PostgreSQL transaction changed, and the function that bumps them at commit. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any schema
async function createPageVersionBumps(db: Kysely<any>) {
  // Unlogged: its rows never outlive their transaction, which deletes them at commit. `version`
  // only takes the `1` the triggers' statements give.
  await sql`create unlogged table if not exists page_version_bumps (page text not null, version integer)`.execute(
    db,
  );
  // Fires for every changed row at commit; the first does the work for the transaction.
  await sql
    .raw(
      `create or replace function apply_page_version_bumps() returns trigger language plpgsql as $$
       begin
         if current_setting('commons.page_versions_bumped', true) = 'yes' then return null; end if;
         perform set_config('commons.page_versions_bumped', 'yes', true);
         insert into page_versions (page, version)
           select page, 1 from (select distinct page from page_version_bumps) as pages order by page
           on conflict (page) do update set version = page_versions.version + 1;
         delete from page_version_bumps;
         return null;
       end $$`,
    )
    .execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any schema
export async function dropTrigger(db: Kysely<any>, trigger: Trigger): Promise<void> {
  if (dialectOf(db) === 'sqlite') {
    await sql.raw(`drop trigger if exists ${trigger.name}`).execute(db);
    return;
  }
  await sql.raw(`drop trigger if exists ${trigger.name}_at_commit on ${trigger.on}`).execute(db);
  await sql.raw(`drop trigger if exists ${trigger.name} on ${trigger.on}`).execute(db);
  await sql.raw(`drop function if exists ${trigger.name}()`).execute(db);
}

/** The URL of database `name` on the server at `url`. */
export function databaseUrl(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Runs statements on the server's maintenance database (creating and dropping databases). */
export async function onServer(url: string, statements: string[]): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}
