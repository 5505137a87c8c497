import type SQLite from 'better-sqlite3';
import type { Database } from '#db/client';
import type { ImportRecordKind } from '#db/schema';
import type { AnswerRow, HistoryRow } from './rows';

export type ImportRecord = {
  local_id: number;
  content_hash: string;
  author_name: string | null;
  license: string | null;
};

export type RecordValues = {
  kind: ImportRecordKind;
  externalId: string;
  localId: number;
  hash: string;
  url?: string | null;
  authorName?: string | null;
  license?: string | null;
  baseScore?: number;
};

type NewThread = {
  title: string;
  slug: string;
  body_md: string;
  body_html: string;
  author_id: number;
  category_id: number | null;
  views: number;
  score: number;
  created_at: string;
  updated_at: string;
  last_activity_at: string;
  status: 'open' | 'closed';
};
type NewUser = {
  email: string;
  username: string;
  display_name: string;
  reputation: number;
  created_at: string;
};
type NewPost = {
  thread_id: number;
  author_id: number;
  body_md: string;
  body_html: string;
  score: number;
  created_at: string;
  updated_at: string;
};
type NewComment = {
  thread_id: number;
  post_id: number | null;
  author_id: number;
  body_md: string;
  body_html: string;
  created_at: string;
};

type WaitingAnswer = { line: number; answer: AnswerRow };

type Awaitable<T> = T | Promise<T>;

/**
 * The statements an import runs for every row: looking up and saving the record of an outside
 * row, inserting new threads, answers and comments with their tags, and noting a thread for the
 * search rows. Each runs in the import's open transaction `trx`. On SQLite they are prepared once
 * on the import's connection and answer at once (no promise to wait for); on PostgreSQL they are
 * queries on `trx`.
 */
export type ImportStatements = {
  findRecord(
    trx: Database,
    kind: ImportRecordKind,
    externalId: string,
  ): Awaitable<ImportRecord | undefined>;
  /** The record of an outside row, if it was imported and its local row still exists. */
  liveRecord(
    trx: Database,
    kind: 'thread' | 'post' | 'comment',
    externalId: string,
  ): Awaitable<ImportRecord | null>;
  saveRecord(trx: Database, record: RecordValues): Awaitable<void>;
  /** The account an outside user became. */
  userOf(
    trx: Database,
    externalId: string,
  ): Awaitable<{ id: number; display_name: string } | undefined>;
  usernameTaken(trx: Database, username: string): Awaitable<boolean>;
  insertUser(trx: Database, values: NewUser): Awaitable<number>;
  threadOfPost(trx: Database, postId: number): Awaitable<number | null>;
  /** The thread's accepted answer, set once every answer is in. */
  acceptLater(trx: Database, threadId: number, answerExternalId: string): Awaitable<void>;
  accept(trx: Database, threadId: number, postId: number): Awaitable<void>;
  insertThread(trx: Database, values: NewThread): Awaitable<number>;
  insertPost(trx: Database, values: NewPost): Awaitable<number>;
  insertComment(trx: Database, values: NewComment): Awaitable<number>;
  /** Replaces a thread's tags, creating tags that do not exist yet. */
  setThreadTags(
    trx: Database,
    threadId: number,
    names: string[],
    createdAt: string,
    isNew: boolean,
  ): Awaitable<void>;
  /** Recounts the answers of these threads, in one statement. */
  countAnswers(trx: Database, threadIds: number[]): Awaitable<void>;
  searchLater(trx: Database, threadId: number): Awaitable<void>;
  /** A row of PostHistory.xml, kept until the revisions are saved. */
  saveHistory(trx: Database, row: HistoryRow): Awaitable<void>;
  /** An answer read before its question: saved once the whole file is read. */
  waitForQuestion(trx: Database, line: number, answer: AnswerRow): Awaitable<void>;
  /** The answers that waited for their question, a batch at a time. */
  waitingAnswers(
    db: Database,
    batchSize: number,
  ): Iterable<WaitingAnswer[]> | AsyncIterable<WaitingAnswer[]>;
  /** Each row runs in a savepoint of its own, so a row that fails is rolled back alone. */
  beforeRow(trx: Database): Awaitable<void>;
  afterRow(trx: Database): Awaitable<void>;
  afterFailedRow(trx: Database): Awaitable<void>;
};

/** Tag ids kept by name for the run (most rows reuse a few hundred tags), at most this many. */
export const maxCachedTags = 20_000;

/** The values of an import record as both databases store them. */
export function recordRow(source: string, importedAt: string, record: RecordValues) {
  return {
    source,
    kind: record.kind,
    external_id: record.externalId,
    local_id: record.localId,
    content_hash: record.hash,
    url: record.url ?? null,
    author_name: record.authorName ?? null,
    license: record.license ?? null,
    base_score: record.baseScore ?? 0,
    imported_at: importedAt,
  };
}

/**
 * The statements on SQLite, prepared once on the import's own connection: they run inside the
 * transaction open on it, so the `trx` each takes only says where it belongs.
 */
export function sqliteStatements(
  sqlite: SQLite.Database,
  source: string,
  now: Date,
): ImportStatements {
  const importedAt = now.toISOString();
  const findRecord = sqlite.prepare<[string, string, string], ImportRecord>(
    `select local_id, content_hash, author_name, license from import_records
     where source = ? and kind = ? and external_id = ?`,
  );
  const saveRecord = sqlite.prepare<[ReturnType<typeof recordRow>]>(
    `insert into import_records
       (source, kind, external_id, local_id, content_hash, url, author_name, license, base_score, imported_at)
     values (@source, @kind, @external_id, @local_id, @content_hash, @url, @author_name, @license, @base_score, @imported_at)
     on conflict (source, kind, external_id) do update set local_id = excluded.local_id,
       content_hash = excluded.content_hash, url = excluded.url, author_name = excluded.author_name,
       license = excluded.license, base_score = excluded.base_score, imported_at = excluded.imported_at`,
  );
  const exists = {
    thread: sqlite.prepare<[number], { id: number }>('select id from threads where id = ?'),
    post: sqlite.prepare<[number], { id: number }>('select id from posts where id = ?'),
    comment: sqlite.prepare<[number], { id: number }>('select id from comments where id = ?'),
  };
  const insertThread = sqlite.prepare<[NewThread]>(
    `insert into threads (title, slug, body_md, body_html, author_id, category_id, views, score,
       created_at, updated_at, last_activity_at, status, journey_stage)
     values (@title, @slug, @body_md, @body_html, @author_id, @category_id, @views, @score,
       @created_at, @updated_at, @last_activity_at, @status, null)`,
  );
  const insertPost = sqlite.prepare<[NewPost]>(
    `insert into posts (thread_id, author_id, body_md, body_html, score, created_at, updated_at)
     values (@thread_id, @author_id, @body_md, @body_html, @score, @created_at, @updated_at)`,
  );
  const insertComment = sqlite.prepare<[NewComment]>(
    `insert into comments (thread_id, post_id, author_id, body_md, body_html, created_at)
     values (@thread_id, @post_id, @author_id, @body_md, @body_html, @created_at)`,
  );
  const insertTag = sqlite.prepare<[string, string]>(
    'insert into tags (name, created_at) values (?, ?) on conflict (name) do nothing',
  );
  const tagId = sqlite.prepare<[string], { id: number }>('select id from tags where name = ?');
  const clearThreadTags = sqlite.prepare<[number]>('delete from thread_tags where thread_id = ?');
  const insertThreadTag = sqlite.prepare<[number, number]>(
    'insert or ignore into thread_tags (thread_id, tag_id) values (?, ?)',
  );
  const searchLater = sqlite.prepare<[number]>(
    'insert or ignore into import_search (thread_id) values (?)',
  );
  const countAnswers = sqlite.prepare<[string]>(
    `update threads set answer_count = (select count(*) from posts
       where posts.thread_id = threads.id and posts.deleted_at is null)
     where id in (select value from json_each(?))`,
  );
  const userOfRecord = sqlite.prepare<[string, string], { id: number; display_name: string }>(
    `select users.id, users.display_name from import_records
     join users on users.id = import_records.local_id
     where import_records.source = ? and import_records.kind = 'user' and import_records.external_id = ?`,
  );
  const usernameTaken = sqlite.prepare<[string], { id: number }>(
    'select id from users where lower(username) = ?',
  );
  // NOTE: no password: an imported account cannot sign in until its owner claims it.
  const insertUser = sqlite.prepare<[NewUser]>(
    `insert into users (email, username, display_name, password_hash, reputation, created_at)
     values (@email, @username, @display_name, null, @reputation, @created_at)`,
  );
  const threadOfPost = sqlite.prepare<[number], { thread_id: number }>(
    'select thread_id from posts where id = ?',
  );
  const acceptLater = sqlite.prepare<[number, string]>(
    'insert or replace into import_accepts (thread_id, answer_external_id) values (?, ?)',
  );
  const accept = sqlite.prepare<[number, number]>(
    `update threads set accepted_post_id = ?,
       status = case when status = 'closed' then 'closed' else 'answered' end
     where id = ?`,
  );
  const saveHistory = sqlite.prepare<[HistoryRow]>(
    `insert or replace into import_history values (@id, @postId, @revision, @type, @createdAt,
       @userId, @userName, @text, @comment)`,
  );
  const waitForQuestion = sqlite.prepare<[number, string]>(
    'insert into import_waiting_answers (line, answer) values (?, ?)',
  );
  const waitingAnswers = sqlite.prepare<
    [number, number],
    { id: number; line: number; answer: string }
  >('select id, line, answer from import_waiting_answers where id > ? order by id limit ?');
  const savepoint = sqlite.prepare('savepoint import_row');
  const release = sqlite.prepare('release import_row');
  const rollback = sqlite.prepare('rollback to import_row');
  const tagIds = new Map<string, number>();

  return {
    findRecord: (_trx, kind, externalId) => findRecord.get(source, kind, externalId),
    liveRecord(_trx, kind, externalId) {
      const record = findRecord.get(source, kind, externalId);
      return record && exists[kind].get(record.local_id) !== undefined ? record : null;
    },
    saveRecord(_trx, record) {
      saveRecord.run(recordRow(source, importedAt, record));
    },
    userOf: (_trx, externalId) => userOfRecord.get(source, externalId),
    usernameTaken: (_trx, username) => usernameTaken.get(username.toLowerCase()) !== undefined,
    insertUser: (_trx, values) => Number(insertUser.run(values).lastInsertRowid),
    threadOfPost: (_trx, postId) => threadOfPost.get(postId)?.thread_id ?? null,
    acceptLater(_trx, threadId, answerExternalId) {
      acceptLater.run(threadId, answerExternalId);
    },
    accept(_trx, threadId, postId) {
      accept.run(postId, threadId);
    },
    insertThread: (_trx, values) => Number(insertThread.run(values).lastInsertRowid),
    insertPost: (_trx, values) => Number(insertPost.run(values).lastInsertRowid),
    insertComment: (_trx, values) => Number(insertComment.run(values).lastInsertRowid),
    setThreadTags(_trx, threadId, names, createdAt, isNew) {
      if (!isNew) clearThreadTags.run(threadId);
      for (const name of names) {
        let id = tagIds.get(name);
        if (id === undefined) {
          insertTag.run(name, createdAt);
          id = tagId.get(name)?.id;
          if (id === undefined) throw new Error(`the tag "${name}" could not be created`);
          if (tagIds.size >= maxCachedTags) tagIds.clear();
          tagIds.set(name, id);
        }
        insertThreadTag.run(threadId, id);
      }
    },
    countAnswers(_trx, threadIds) {
      if (threadIds.length > 0) countAnswers.run(JSON.stringify(threadIds));
    },
    searchLater(_trx, threadId) {
      searchLater.run(threadId);
    },
    saveHistory(_trx, row) {
      saveHistory.run(row);
    },
    waitForQuestion(_trx, line, answer) {
      waitForQuestion.run(line, JSON.stringify(answer));
    },
    *waitingAnswers(_db, batchSize) {
      for (let after = 0; ;) {
        const rows = waitingAnswers.all(after, batchSize);
        if (rows.length === 0) return;
        after = rows.at(-1)!.id;
        yield rows.map((row) => ({ line: row.line, answer: JSON.parse(row.answer) as AnswerRow }));
      }
    },
    beforeRow(_trx) {
      savepoint.run();
    },
    afterRow(_trx) {
      release.run();
    },
    afterFailedRow(_trx) {
      rollback.run();
      release.run();
      // A tag made by the row just undone is gone again.
      tagIds.clear();
    },
  };
}
