import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Database } from '#db/client';
import { dialectOf } from '#db/dialect';
import type { DB } from '#db/schema';
import { postgresStatements } from './postgres-statements';
import { sqliteStatements, type ImportStatements } from './statements';

// An import runs a few dozen query shapes hundreds of thousands of times. Kysely prepares every
// query again (better-sqlite3's prepare was 18% of an import's time), so the import's own
// connection keeps one prepared statement per query text.
const maxStatements = 1_000;

/**
 * A connection of the import's own to the database file `db` writes to, whose statements are
 * prepared once per query text. Its own connection also keeps the import's long transactions
 * isolated: a query made through `db` meanwhile waits for them instead of joining them.
 */
async function openSqliteConnection(
  db: Database,
): Promise<{ db: Database; sqlite: SQLite.Database }> {
  const { rows } = await sql<{
    file: string;
  }>`select file from pragma_database_list where name = 'main'`.execute(db);
  const file = rows[0]?.file;
  if (!file)
    throw new Error(
      'The import writes through a connection of its own, so it needs a database file, not an in-memory database.',
    );
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // Inserts land all over a dozen indexes: with SQLite's default 2 MiB of cache most of them read
  // a page back from the OS first. A fixed 64 MiB keeps memory flat however large the dump.
  sqlite.pragma('cache_size = -65536');
  // Every row runs in a savepoint, and SQLite saves the pages a savepoint changes in a statement
  // journal: on disk, that was 800,000 small writes for 20,000 posts (1.3 s of a 9.4 s import).
  sqlite.pragma('temp_store = MEMORY');
  const statements = new Map<string, SQLite.Statement>();
  const database = {
    prepare(text: string) {
      let statement = statements.get(text);
      if (!statement) {
        // NOTE: query texts that vary with their data (a list of values) would grow the cache
        // without end; starting over now and then costs a few prepares.
        if (statements.size >= maxStatements) statements.clear();
        statement = sqlite.prepare(text);
        statements.set(text, statement);
      }
      return statement;
    },
    close() {
      statements.clear();
      sqlite.close();
    },
  };
  return { db: new Kysely<DB>({ dialect: new SqliteDialect({ database }) }), sqlite };
}

/** The import's own connection, and the statements it runs for every row on it. */
export type ImportConnection = {
  db: Database;
  statements(source: string, now: Date): ImportStatements;
};

/**
 * Runs `work` on a connection of the import's own: on SQLite a second handle on the database file
 * (see above); on PostgreSQL one connection of the pool, held for the whole import since its work
 * tables are temporary tables of that session, dropped when it is done.
 */
export async function withImportConnection<T>(
  db: Database,
  work: (connection: ImportConnection) => Promise<T>,
): Promise<T> {
  if (dialectOf(db) === 'postgres')
    return db.connection().execute(async (own) => {
      try {
        return await work({ db: own, statements: postgresStatements });
      } finally {
        await sql`discard temp`.execute(own);
      }
    });
  const own = await openSqliteConnection(db);
  try {
    return await work({
      db: own.db,
      statements: (source, now) => sqliteStatements(own.sqlite, source, now),
    });
  } finally {
    await own.db.destroy();
  }
}
