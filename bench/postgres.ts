// PostgreSQL beside SQLite: the community the pages step seeds, copied into a private PostgreSQL
// server with `npm run db:copy`'s copier, then the thread page and answers posted through the web
// form, measured the same way on each database by the production build.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { z } from 'zod';
import { openDatabase } from '#db/client';
import { copySqliteToPostgres } from '#db/copy';
import { databaseUrl, onServer } from '#db/dialect';
import { migrateToLatest } from '#db/migrate';
import type { Role } from '#db/schema';
import { rebuildFallbackIndex } from '#search/reindex';
import { hashPassword } from '~/utils/password.server';
import { postgresBinaries, startTestPostgres } from '../test/support/postgres';
import {
  anonymousThread,
  benchPage,
  memberThread,
  pageTargets,
  signInCookie,
  type PageResult,
} from './pages';
import { startApp, stopApp } from './search';
import type { SeedInfo } from './seed';

export type WriteResult = {
  clients: number;
  seconds: number;
  /** Requests sent, and those answered 302 (the answer was posted). */
  attempts: number;
  answers: number;
  answersPerSecond: number;
  /** Latency of the posted answers. */
  p50Ms: number;
  p99Ms: number;
  /** Any other status, or no answer at all. */
  errors: number;
  /** The first few errors, as status and the start of the body. */
  errorSamples: string[];
};

export type DatabaseRun = {
  database: 'SQLite' | 'PostgreSQL';
  /** What answered searches while the app ran: Meilisearch or the database's own fallback. */
  search: string;
  threadPages: PageResult[];
  writes: WriteResult;
  /** Search updates the outbox still held when the writes stopped. */
  pendingSearchUpdates: number | null;
};

export type PostgresBenchResult = {
  posts: number;
  postgresVersion: string;
  copy: {
    rows: number;
    tables: number;
    /** The copier's own time: migrating, copying every table, comparing the counts. */
    seconds: number;
    /** PostgreSQL's search rows, rebuilt from the content as `npm run db:copy` does. */
    searchRowsSeconds: number;
    /** VACUUM ANALYZE, which autovacuum would otherwise run at some point during the bench. */
    vacuumSeconds: number;
  };
  runs: DatabaseRun[];
};

type Writer = { login: string; password: string };
type Thread = { id: number; slug: string };

const writerPassword = 'bench-writer-password';
const writerRole: Role = 'agent';
const maxErrorShare = 0.01;

// What this step has started and not stopped yet, newest last, for stopPostgresBench.
const running: (() => Promise<void>)[] = [];

/** Runs `body` with `stop` registered for a signal, and stops it afterwards in any case. */
async function stoppedAfter<T>(stop: () => Promise<void>, body: () => Promise<T>): Promise<T> {
  let stopping: Promise<void> | null = null;
  const stopOnce = () => (stopping ??= stop());
  running.push(stopOnce);
  try {
    return await body();
  } finally {
    running.splice(running.indexOf(stopOnce), 1);
    await stopOnce();
  }
}

/** Stops what the step is running (app servers, then PostgreSQL), for SIGINT and SIGTERM. */
export async function stopPostgresBench() {
  for (const stop of [...running].reverse()) await stop();
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** The threads the writers answer: the ones seeded right after the bench thread, one each. */
function writerThreads(seedFile: string, info: SeedInfo, count: number): Thread[] {
  const seeded = new SQLite(seedFile, { readonly: true, fileMustExist: true });
  try {
    const threads = seeded
      .prepare<[number, number], Thread>(
        `select id, slug from threads
         where id > ? and deleted_at is null and status not in ('closed', 'locked')
         order by id limit ?`,
      )
      .all(info.benchThread.id, count);
    if (threads.length < count)
      throw new Error(`the seed has ${threads.length} open threads after the bench thread`);
    return threads;
  } finally {
    seeded.close();
  }
}

/**
 * Agents who post the answers: staff are exempt from the members' posting rate limits, which
 * would otherwise turn a busy writer's answers into 429s within a second.
 */
async function addWriters(database: string, count: number): Promise<Writer[]> {
  const db = openDatabase(database, { poolSize: 1 });
  try {
    const passwordHash = await hashPassword(writerPassword);
    const at = new Date().toISOString();
    const writers = Array.from({ length: count }, (_, i) => ({
      login: `bench-writer-${i + 1}`,
      password: writerPassword,
    }));
    await db
      .insertInto('users')
      .values(
        writers.map((writer, i) => ({
          email: `${writer.login}@bench.invalid`,
          username: writer.login,
          display_name: `Bench Writer ${i + 1}`,
          password_hash: passwordHash,
          role: writerRole,
          email_verified_at: at,
          created_at: at,
        })),
      )
      .execute();
    return writers;
  } finally {
    await db.destroy();
  }
}

/** Answers the writers' accounts hold in the database. */
async function answersBy(database: string, writers: Writer[]): Promise<number> {
  const db = openDatabase(database, { poolSize: 1 });
  try {
    const row = await db
      .selectFrom('posts')
      .innerJoin('users', 'users.id', 'posts.author_id')
      .where(
        'users.username',
        'in',
        writers.map((writer) => writer.login),
      )
      .select((eb) => eb.fn.countAll<number>().as('answers'))
      .executeTakeFirstOrThrow();
    return Number(row.answers);
  } finally {
    await db.destroy();
  }
}

function answerBody(writer: number, n: number): string {
  return [
    `Answer ${n + 1} from writer ${writer + 1}.`,
    'I had the same problem after upgrading: the setting moved to the advanced tab, and the old',
    'value is ignored until you save it there once. Restart the service afterwards, then check',
    'the log for the line that names the new value; if it still shows the old one, clear the',
    'cache folder and try again.',
  ].join(' ');
}

/**
 * Each writer signs in through the form, then posts answers to a thread of its own, one after
 * another for `seconds`, as multipart forms the way a browser sends them. A posted answer is a
 * 302 to the answer; anything else is an error.
 */
async function postAnswers(
  baseUrl: string,
  writers: Writer[],
  threads: Thread[],
  seconds: number,
): Promise<WriteResult> {
  const cookies = await Promise.all(
    writers.map((writer) => signInCookie(baseUrl, writer.login, writer.password)),
  );
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let attempts = 0;
  let errors = 0;
  async function post(writer: number, thread: Thread, n: number) {
    const form = new FormData();
    form.append('intent', 'answer');
    form.append('body', answerBody(writer, n));
    const response = await fetch(`${baseUrl}/questions/${thread.id}/${thread.slug}`, {
      method: 'POST',
      body: form,
      headers: { cookie: cookies[writer] ?? '' },
      redirect: 'manual',
    });
    return { status: response.status, text: await response.text() };
  }
  // One untimed answer each first: the first request of a path compiles its code.
  await Promise.all(
    threads.map(async (thread, writer) => {
      const { status, text } = await post(writer, thread, 0);
      if (status !== 302)
        throw new Error(`the first answer answered ${status}: ${text.slice(0, 300)}`);
    }),
  );
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    threads.map(async (thread, writer) => {
      for (let n = 1; performance.now() < until; n++) {
        attempts += 1;
        const sent = performance.now();
        try {
          const { status, text } = await post(writer, thread, n);
          if (status === 302) {
            latencies.push(performance.now() - sent);
            continue;
          }
          errors += 1;
          if (errorSamples.length < 5)
            errorSamples.push(`${status}: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
        } catch (error) {
          errors += 1;
          if (errorSamples.length < 5) errorSamples.push(String(error));
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    clients: writers.length,
    seconds: elapsed,
    attempts,
    answers: latencies.length,
    answersPerSecond: latencies.length / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errors,
    errorSamples,
  };
}

const healthSchema = z.object({
  search: z.object({
    status: z.enum(['ok', 'unavailable', 'fts-only']),
    pendingUpdates: z.number().nullable(),
  }),
});

/** What /healthz says answers searches, in words, and the search updates still queued. */
async function searchEngine(baseUrl: string, database: DatabaseRun['database'], copied: boolean) {
  const response = await fetch(`${baseUrl}/healthz`);
  const { search } = healthSchema.parse(await response.json());
  const fallback = database === 'SQLite' ? 'SQLite FTS5' : 'PostgreSQL full-text search';
  const engine =
    search.status === 'ok'
      ? `Meilisearch (${copied ? "a copy of the seed's index" : 'an empty index: the seed has none'})`
      : `${fallback} (Meilisearch ${search.status === 'fts-only' ? 'absent' : 'unreachable'})`;
  return { search: engine, pendingUpdates: search.pendingUpdates };
}

/**
 * One database: a copy of the seed's Meilisearch index in its data folder (so search and the
 * outbox work as in the pages step, and nothing is written into the seed), the writers' accounts,
 * the production build on it, then the thread page and the writes.
 */
async function benchDatabase(
  name: DatabaseRun['database'],
  options: {
    /** The SQLite file or PostgreSQL URL the app uses, and its data folder (uploads, mail). */
    database: string;
    dataDir: string;
    info: SeedInfo;
    seedDir: string;
    threads: Thread[];
    seconds: number;
  },
  log: (message: string) => void,
): Promise<DatabaseRun> {
  const { database, dataDir } = options;
  const seedIndex = path.join(options.seedDir, 'meilisearch');
  const copiedIndex = fs.existsSync(path.join(seedIndex, 'data.ms'));
  if (copiedIndex)
    for (const entry of ['data.ms', 'master-key'])
      fs.cpSync(path.join(seedIndex, entry), path.join(dataDir, 'meilisearch', entry), {
        recursive: true,
      });
  const writers = await addWriters(database, options.threads.length);
  const environment = {
    NODE_ENV: 'production',
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: database,
    LOG_REQUESTS: 'false',
    // The seeded communities' indexes hold no title vectors (bench/seed.ts says why).
    SEARCH_BY_MEANING: 'off',
  };
  // The thread page on one app server; the writes on another, so they do not start while the
  // first is still writing the views it counted during the page load.
  const pageApp = await startApp(environment);
  const { search, threadPages } = await stoppedAfter(
    () => stopApp(pageApp),
    async () => {
      const { search } = await searchEngine(pageApp.url, name, copiedIndex);
      log(`${name}: search answered by ${search}`);
      const threadPages: PageResult[] = [];
      for (const target of await pageTargets(pageApp.url, options.info))
        if (target.page === anonymousThread || target.page === memberThread) {
          log(`${name}: ${target.page}…`);
          threadPages.push(
            await benchPage(pageApp, target, options.info.posts, { seconds: options.seconds }),
          );
        }
      return { search, threadPages };
    },
  );
  const writeApp = await startApp(environment);
  const { writes, pendingSearchUpdates } = await stoppedAfter(
    () => stopApp(writeApp),
    async () => {
      log(`${name}: ${writers.length} writers posting answers…`);
      const writes = await postAnswers(writeApp.url, writers, options.threads, options.seconds);
      const { pendingUpdates } = await searchEngine(writeApp.url, name, copiedIndex);
      return { writes, pendingSearchUpdates: pendingUpdates };
    },
  );
  log(
    `${name}: ${writes.answers} answers in ${writes.seconds.toFixed(1)} s (${writes.answersPerSecond.toFixed(1)}/s, p50 ${writes.p50Ms.toFixed(1)} ms, p99 ${writes.p99Ms.toFixed(1)} ms), ${writes.errors} errors`,
  );
  if (writes.errors > maxErrorShare * writes.attempts)
    throw new Error(
      `${name}: ${writes.errors} of ${writes.attempts} answers failed (more than ${maxErrorShare * 100}%): ${writes.errorSamples.join(' | ')}`,
    );
  // Every 302 must be an answer in the database (each writer also posted one untimed).
  const stored = await answersBy(database, writers);
  if (stored !== writes.answers + writers.length)
    throw new Error(
      `${name}: the database holds ${stored} answers by the writers, not ${writes.answers + writers.length}`,
    );
  return {
    database: name,
    search,
    threadPages,
    writes,
    pendingSearchUpdates,
  };
}

async function copyIntoPostgres(
  from: string,
  url: string,
  log: (message: string) => void,
): Promise<PostgresBenchResult['copy'] & { version: string }> {
  const target = openDatabase(url, { poolSize: 2 });
  try {
    const copied = await copySqliteToPostgres({
      from,
      to: target,
      log: (message) => log(`copy: ${message}`),
    });
    const mismatched = copied.tables.filter((count) => count.source !== count.target);
    if (mismatched.length)
      throw new Error(
        `the copy's counts differ in ${mismatched.map((count) => `${count.table} (${count.source} → ${count.target})`).join(', ')}`,
      );
    let started = performance.now();
    await rebuildFallbackIndex(target);
    const searchRowsSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    await sql`vacuum analyze`.execute(target);
    const vacuumSeconds = (performance.now() - started) / 1000;
    const { rows } = await sql<{ server_version: string }>`show server_version`.execute(target);
    return {
      rows: copied.rows,
      tables: copied.tables.length,
      seconds: copied.seconds,
      searchRowsSeconds,
      vacuumSeconds,
      version: rows[0]?.server_version ?? 'unknown',
    };
  } finally {
    await target.destroy();
  }
}

/** A temporary folder for `body`, removed afterwards (and on a signal). */
async function inTemporaryDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-bench-postgres-'));
  return stoppedAfter(
    async () => fs.rmSync(dir, { recursive: true, force: true }),
    () => body(dir),
  );
}

/** A copy of the seeded database, migrated as the app migrates at start-up; the seed stays as it is. */
async function freshCopy(seedFile: string, file: string, log: (message: string) => void) {
  const seeded = new SQLite(seedFile, { readonly: true, fileMustExist: true });
  try {
    await seeded.backup(file);
  } finally {
    seeded.close();
  }
  const db = openDatabase(file);
  try {
    await migrateToLatest(db, (message) => log(`copy of the seed: ${message}`));
  } finally {
    await db.destroy();
  }
}

/**
 * The seeded community in `seedDir` on SQLite (a fresh copy of its file) and on PostgreSQL (that
 * copy copied into a server of the bench's own): the thread page, anonymous and signed in, and
 * `writers` staff clients posting answers for `seconds`.
 */
export async function benchPostgres(
  options: { info: SeedInfo; seedDir: string; seconds: number; writers?: number },
  log: (message: string) => void = () => {},
): Promise<PostgresBenchResult> {
  if (!postgresBinaries())
    throw new Error(
      'No PostgreSQL server under /usr/lib/postgresql (apt-get install postgresql), or leave the postgres step out of --steps.',
    );
  const seedFile = path.join(options.seedDir, 'commons.db');
  const threads = writerThreads(seedFile, options.info, options.writers ?? 10);
  const common = {
    info: options.info,
    seedDir: options.seedDir,
    threads,
    seconds: options.seconds,
  };
  return inTemporaryDir(async (sqliteDir) => {
    const sqliteFile = path.join(sqliteDir, 'commons.db');
    await freshCopy(seedFile, sqliteFile, log);
    const postgres = await startTestPostgres();
    if (!postgres) throw new Error('PostgreSQL could not be started here');
    return stoppedAfter(postgres.stop, async () => {
      await onServer(postgres.url, ['create database commons_bench']);
      const url = databaseUrl(postgres.url, 'commons_bench');
      log('Copying the seeded community into PostgreSQL…');
      const { version, ...copy } = await copyIntoPostgres(sqliteFile, url, log);
      log(
        `Copied ${copy.rows.toLocaleString('en')} rows in ${copy.seconds} s; search rows ${copy.searchRowsSeconds.toFixed(1)} s; vacuum analyze ${copy.vacuumSeconds.toFixed(1)} s`,
      );
      const runs = [
        await benchDatabase('SQLite', { ...common, database: sqliteFile, dataDir: sqliteDir }, log),
        await inTemporaryDir((dataDir) =>
          benchDatabase('PostgreSQL', { ...common, database: url, dataDir }, log),
        ),
      ];
      return { posts: options.info.posts, postgresVersion: version, copy, runs };
    });
  });
}
