import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
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

/** Opens the SQLite file with the pragmas a busy web server needs. */
export function openDatabase(file: string): Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  keepPrivate(file);
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  return new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
}
