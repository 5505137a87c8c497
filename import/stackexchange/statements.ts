import type SQLite from 'better-sqlite3';
import type { ImportRecordKind } from '#db/schema';
import type { AnswerRow } from './rows';

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

const maxCachedTags = 20_000;

/**
 * The statements an import runs for every row, prepared once: looking up and saving the record
 * of an outside row, inserting new threads, answers and comments with their tags, and noting a
 * thread for the search rows. They run on the import's connection inside its open transaction.
 */
export function importStatements(sqlite: SQLite.Database, source: string, now: Date) {
  const importedAt = now.toISOString();
  const findRecord = sqlite.prepare<[string, string, string], ImportRecord>(
    `select local_id, content_hash, author_name, license from import_records
     where source = ? and kind = ? and external_id = ?`,
  );
  const saveRecord = sqlite.prepare(
    `insert into import_records
       (source, kind, external_id, local_id, content_hash, url, author_name, license, base_score, imported_at)
     values (@source, @kind, @externalId, @localId, @hash, @url, @authorName, @license, @baseScore, @importedAt)
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
    findRecord: (kind: ImportRecordKind, externalId: string) =>
      findRecord.get(source, kind, externalId),
    saveRecord(record: RecordValues) {
      saveRecord.run({
        source,
        kind: record.kind,
        externalId: record.externalId,
        localId: record.localId,
        hash: record.hash,
        url: record.url ?? null,
        authorName: record.authorName ?? null,
        license: record.license ?? null,
        baseScore: record.baseScore ?? 0,
        importedAt,
      });
    },
    exists: (kind: 'thread' | 'post' | 'comment', id: number) => exists[kind].get(id) !== undefined,
    /** The account an outside user became. */
    userOf: (externalId: string) => userOfRecord.get(source, externalId),
    usernameTaken: (username: string) => usernameTaken.get(username.toLowerCase()) !== undefined,
    insertUser: (values: NewUser) => Number(insertUser.run(values).lastInsertRowid),
    threadOfPost: (postId: number) => threadOfPost.get(postId)?.thread_id ?? null,
    /** The thread's accepted answer, set once every answer is in. */
    acceptLater: (threadId: number, answerExternalId: string) => {
      acceptLater.run(threadId, answerExternalId);
    },
    accept: (threadId: number, postId: number) => {
      accept.run(postId, threadId);
    },
    insertThread: (values: NewThread) => Number(insertThread.run(values).lastInsertRowid),
    insertPost: (values: NewPost) => Number(insertPost.run(values).lastInsertRowid),
    insertComment: (values: NewComment) => Number(insertComment.run(values).lastInsertRowid),
    /** Replaces a thread's tags, creating tags that do not exist yet. */
    setThreadTags(threadId: number, names: string[], createdAt: string, isNew: boolean) {
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
    /** Recounts the answers of these threads, in one statement. */
    countAnswers(threadIds: number[]) {
      if (threadIds.length > 0) countAnswers.run(JSON.stringify(threadIds));
    },
    searchLater: (threadId: number) => {
      searchLater.run(threadId);
    },
    /** An answer read before its question: saved once the whole file is read. */
    waitForQuestion: (line: number, answer: AnswerRow) => {
      waitForQuestion.run(line, JSON.stringify(answer));
    },
    /** The answers that waited for their question, a batch at a time. */
    *waitingAnswers(batchSize: number) {
      for (let after = 0; ;) {
        const rows = waitingAnswers.all(after, batchSize);
        if (rows.length === 0) return;
        after = rows.at(-1)!.id;
        yield rows.map((row) => ({ line: row.line, answer: JSON.parse(row.answer) as AnswerRow }));
      }
    },
    /** A row that fails is rolled back alone. */
    savepoint: () => savepoint.run(),
    release: () => release.run(),
    rollback() {
      rollback.run();
      // A tag made by the row just undone is gone again.
      tagIds.clear();
    },
  };
}

export type ImportStatements = ReturnType<typeof importStatements>;
