import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { postgresDdl } from './dialect';
import type { DB } from './schema';

export type Database = Kysely<DB>;

/**
 * The database holds password hashes, session hashes and webhook secrets: only its owner may read
 * it. SQLite gives the -wal and -shm files the main file's mode, so creating the file 0600 before
 * SQLite opens it covers all three; files made by an older version are tightened too.
 */
function keepPrivate(file: string) {
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      fs.chmodSync(`${file}${suffix}`, 0o600);
    } catch {
      // no such file yet
    }
  }
}

/** Whether a DATABASE_URL names a PostgreSQL server rather than a SQLite file. */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(target);
}

// Counts and sums come back from PostgreSQL as int8 or numeric, which pg hands over as strings
// (they may not fit a double); ours always fit, and SQLite gives numbers.
const numericTypes = new Set([pg.types.builtins.INT8, pg.types.builtins.NUMERIC]);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    numericTypes.has(oid)
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const connectionSettings = new WeakMap<Database, pg.ClientConfig>();

/** How to open one more connection to a PostgreSQL database (a listener's), or null on SQLite. */
export function connectionSettingsOf(db: Database): pg.ClientConfig | null {
  return connectionSettings.get(db) ?? null;
}

/** A pool of `poolSize` connections to the PostgreSQL server at `url`, all in UTC. */
function openPostgres(url: string, poolSize: number): Database {
  const settings: pg.ClientConfig = { connectionString: url, types, options: '-c TimeZone=UTC' };
  const pool = new pg.Pool({ ...settings, max: poolSize });
  // A connection the server drops while idle is replaced; it must not take the process down.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [postgresDdl] });
  connectionSettings.set(db, settings);
  return db;
}

/**
 * Opens the database: a PostgreSQL URL (`postgres://user:password@host/db`) or a SQLite file,
 * the latter with the pragmas a busy web server needs.
 */
export function openDatabase(target: string, options: { poolSize?: number } = {}): Database {
  if (isPostgresUrl(target)) return openPostgres(target, options.poolSize ?? 10);
  const file = target;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  keepPrivate(file);
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  return new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
}
