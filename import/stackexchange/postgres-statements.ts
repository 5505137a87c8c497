import { CompiledQuery } from 'kysely';
import type { Database } from '#db/client';
import type { AnswerRow } from './rows';
import { maxCachedTags, recordRow, type ImportRecord, type ImportStatements } from './statements';

/**
 * A statement's text, run with new parameters each time: the counterpart of a SQLite prepared
 * statement. NOTE: building each query with Kysely's query builder instead took about 100 µs more
 * per query on a 2-CPU machine, and an import runs hundreds of thousands.
 */
function statement<Values extends unknown[], Row = never>(text: string) {
  return async (trx: Database, ...values: Values) =>
    (await trx.executeQuery<Row>(CompiledQuery.raw(text, values))).rows;
}

/**
 * The statements on PostgreSQL, the same as on SQLite: queries on the transaction each is given,
 * which runs on the import's own connection (its work tables are temporary tables of that
 * session).
 */
export function postgresStatements(source: string, now: Date): ImportStatements {
  const importedAt = now.toISOString();
  const findRecord = statement<[string, string, string], ImportRecord>(
    `select local_id, content_hash, author_name, license from import_records
     where source = $1 and kind = $2 and external_id = $3`,
  );
  // One round trip instead of two: the record, if its local row still exists.
  const liveRecordIn = (table: 'threads' | 'posts' | 'comments') =>
    statement<[string, string, string], ImportRecord>(
      `select local_id, content_hash, author_name, license from import_records
       where source = $1 and kind = $2 and external_id = $3
         and exists (select 1 from ${table} where ${table}.id = import_records.local_id)`,
    );
  const liveRecord = {
    thread: liveRecordIn('threads'),
    post: liveRecordIn('posts'),
    comment: liveRecordIn('comments'),
  };
  const saveRecord = statement<unknown[]>(
    `insert into import_records
       (source, kind, external_id, local_id, content_hash, url, author_name, license, base_score, imported_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     on conflict (source, kind, external_id) do update set local_id = excluded.local_id,
       content_hash = excluded.content_hash, url = excluded.url, author_name = excluded.author_name,
       license = excluded.license, base_score = excluded.base_score, imported_at = excluded.imported_at`,
  );
  const insertThread = statement<unknown[], { id: number }>(
    `insert into threads (title, slug, body_md, body_html, author_id, category_id, views, score,
       created_at, updated_at, last_activity_at, status, journey_stage)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, null)
     returning id`,
  );
  const insertPost = statement<unknown[], { id: number }>(
    `insert into posts (thread_id, author_id, body_md, body_html, score, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7)
     returning id`,
  );
  const insertComment = statement<unknown[], { id: number }>(
    `insert into comments (thread_id, post_id, author_id, body_md, body_html, created_at)
     values ($1, $2, $3, $4, $5, $6)
     returning id`,
  );
  const insertTag = statement<[string, string]>(
    'insert into tags (name, created_at) values ($1, $2) on conflict (name) do nothing',
  );
  const tagId = statement<[string], { id: number }>('select id from tags where name = $1');
  const clearThreadTags = statement<[number]>('delete from thread_tags where thread_id = $1');
  const insertThreadTags = statement<[number, number[]]>(
    `insert into thread_tags (thread_id, tag_id) select $1::integer, unnest($2::integer[])
     on conflict do nothing`,
  );
  const searchLater = statement<[number]>(
    'insert into import_search (thread_id) values ($1) on conflict do nothing',
  );
  const countAnswers = statement<[number[]]>(
    `update threads set answer_count = (select count(*) from posts
       where posts.thread_id = threads.id and posts.deleted_at is null)
     where id = any($1::integer[])`,
  );
  const userOfRecord = statement<[string, string], { id: number; display_name: string }>(
    `select users.id, users.display_name from import_records
     join users on users.id = import_records.local_id
     where import_records.source = $1 and import_records.kind = 'user' and import_records.external_id = $2`,
  );
  const usernameTaken = statement<[string], { id: number }>(
    'select id from users where lower(username) = $1',
  );
  // NOTE: no password: an imported account cannot sign in until its owner claims it.
  const insertUser = statement<unknown[], { id: number }>(
    `insert into users (email, username, display_name, password_hash, reputation, created_at)
     values ($1, $2, $3, null, $4, $5)
     returning id`,
  );
  const threadOfPost = statement<[number], { thread_id: number }>(
    'select thread_id from posts where id = $1',
  );
  const acceptLater = statement<[number, string]>(
    `insert into import_accepts (thread_id, answer_external_id) values ($1, $2)
     on conflict (thread_id) do update set answer_external_id = excluded.answer_external_id`,
  );
  const accept = statement<[number, number]>(
    `update threads set accepted_post_id = $1,
       status = case when status = 'closed' then 'closed' else 'answered' end
     where id = $2`,
  );
  const saveHistory = statement<unknown[]>(
    `insert into import_history values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     on conflict (id) do update set post_external_id = excluded.post_external_id,
       revision = excluded.revision, type = excluded.type, created_at = excluded.created_at,
       user_external_id = excluded.user_external_id, user_name = excluded.user_name,
       text = excluded.text, comment = excluded.comment`,
  );
  const waitForQuestion = statement<[number, string]>(
    'insert into import_waiting_answers (line, answer) values ($1, $2)',
  );
  const waitingAnswers = statement<[number, number], { id: number; line: number; answer: string }>(
    'select id, line, answer from import_waiting_answers where id > $1 order by id limit $2',
  );
  const savepoint = statement<[]>('savepoint import_row');
  // Each round trip counts: the savepoint of the next row is taken with this one's release (no
  // parameters, so both go in one message).
  const releaseAndSavepoint = statement<[]>('release savepoint import_row; savepoint import_row');
  const rollback = statement<[]>('rollback to savepoint import_row');
  const tagIds = new Map<string, number>();
  // The transactions whose row savepoint is taken.
  const rowSavepoints = new WeakSet<Database>();
  const idOf = (rows: { id: number }[]) => {
    const id = rows[0]?.id;
    if (id === undefined) throw new Error('the insert returned no id');
    return id;
  };

  return {
    findRecord: async (trx, kind, externalId) =>
      (await findRecord(trx, source, kind, externalId))[0],
    liveRecord: async (trx, kind, externalId) =>
      (await liveRecord[kind](trx, source, kind, externalId))[0] ?? null,
    async saveRecord(trx, record) {
      const row = recordRow(source, importedAt, record);
      await saveRecord(
        trx,
        row.source,
        row.kind,
        row.external_id,
        row.local_id,
        row.content_hash,
        row.url,
        row.author_name,
        row.license,
        row.base_score,
        row.imported_at,
      );
    },
    userOf: async (trx, externalId) => (await userOfRecord(trx, source, externalId))[0],
    usernameTaken: async (trx, username) =>
      (await usernameTaken(trx, username.toLowerCase())).length > 0,
    insertUser: async (trx, values) =>
      idOf(
        await insertUser(
          trx,
          values.email,
          values.username,
          values.display_name,
          values.reputation,
          values.created_at,
        ),
      ),
    threadOfPost: async (trx, postId) => (await threadOfPost(trx, postId))[0]?.thread_id ?? null,
    async acceptLater(trx, threadId, answerExternalId) {
      await acceptLater(trx, threadId, answerExternalId);
    },
    async accept(trx, threadId, postId) {
      await accept(trx, postId, threadId);
    },
    insertThread: async (trx, values) =>
      idOf(
        await insertThread(
          trx,
          values.title,
          values.slug,
          values.body_md,
          values.body_html,
          values.author_id,
          values.category_id,
          values.views,
          values.score,
          values.created_at,
          values.updated_at,
          values.last_activity_at,
          values.status,
        ),
      ),
    insertPost: async (trx, values) =>
      idOf(
        await insertPost(
          trx,
          values.thread_id,
          values.author_id,
          values.body_md,
          values.body_html,
          values.score,
          values.created_at,
          values.updated_at,
        ),
      ),
    insertComment: async (trx, values) =>
      idOf(
        await insertComment(
          trx,
          values.thread_id,
          values.post_id,
          values.author_id,
          values.body_md,
          values.body_html,
          values.created_at,
        ),
      ),
    async setThreadTags(trx, threadId, names, createdAt, isNew) {
      if (!isNew) await clearThreadTags(trx, threadId);
      const ids: number[] = [];
      for (const name of names) {
        let id = tagIds.get(name);
        if (id === undefined) {
          await insertTag(trx, name, createdAt);
          id = (await tagId(trx, name))[0]?.id;
          if (id === undefined) throw new Error(`the tag "${name}" could not be created`);
          if (tagIds.size >= maxCachedTags) tagIds.clear();
          tagIds.set(name, id);
        }
        ids.push(id);
      }
      // All of a thread's tags in one statement.
      if (ids.length > 0) await insertThreadTags(trx, threadId, ids);
    },
    async countAnswers(trx, threadIds) {
      if (threadIds.length > 0) await countAnswers(trx, threadIds);
    },
    async searchLater(trx, threadId) {
      await searchLater(trx, threadId);
    },
    async saveHistory(trx, row) {
      await saveHistory(
        trx,
        row.id,
        row.postId,
        row.revision,
        row.type,
        row.createdAt,
        row.userId,
        row.userName,
        row.text,
        row.comment,
      );
    },
    async waitForQuestion(trx, line, answer) {
      await waitForQuestion(trx, line, JSON.stringify(answer));
    },
    async *waitingAnswers(db, batchSize) {
      for (let after = 0; ;) {
        const rows = await waitingAnswers(db, after, batchSize);
        if (rows.length === 0) return;
        after = rows.at(-1)!.id;
        yield rows.map((row) => ({ line: row.line, answer: JSON.parse(row.answer) as AnswerRow }));
      }
    },
    async beforeRow(trx) {
      if (rowSavepoints.has(trx)) return;
      await savepoint(trx);
      rowSavepoints.add(trx);
    },
    async afterRow(trx) {
      await releaseAndSavepoint(trx);
    },
    // Rolled back to, the savepoint stays: the next row runs in it.
    async afterFailedRow(trx) {
      await rollback(trx);
      // A tag made by the row just undone is gone again.
      tagIds.clear();
    },
  };
}
