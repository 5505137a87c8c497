import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Database } from '#db/client';
import { dialectOf } from '#db/dialect';
import type { ImportRecordKind } from '#db/schema';
import { ensureTags } from '../../app/models/tags.server';
import { threadSlug } from '../../app/models/threads.server';
import { slugify } from '../../app/utils/slug';
import { renderMarkdown } from '../../app/utils/markdown.server';
import { touchSearchMany } from '#search/outbox';
import { withImportConnection, type ImportConnection } from './connection';
import type { ImportRecord, RecordValues } from './statements';
import { startConversions, type Conversions, type Converted } from './conversions';
import { createProgress } from '../progress';
import { htmlToMarkdown } from './html-to-markdown';
import {
  commentRow,
  historyRow,
  isImportableTag,
  linkRow,
  postRow,
  revisionHistoryTypes,
  tagRow,
  userRow,
  voteTypeNames,
  type AnswerRow,
  type CommentRow,
  type HistoryRow,
  type LinkRow,
  type Parsed,
  type QuestionRow,
  type UserRow,
} from './rows';
import { communityUserId, latest, licenseContributedAt } from './licenses';
import { siteName, siteOfDump, unknownSiteMessage } from './site';
import { readRows } from './xml-rows';

type Transaction = Database;

export type ImportOptions = {
  /** The folder with Posts.xml, Users.xml, ... */
  dir: string;
  /** The site's address; from the folder name when absent (an error if the name does not say). */
  site?: string;
  /** Threads go into this category (created when it does not exist). */
  categorySlug?: string;
  /** Rows per transaction. */
  batchSize?: number;
  /** Draw progress bars on stderr. */
  progress?: boolean;
  now?: Date;
};

export type Counts = { created: number; updated: number; unchanged: number };
export type ImportProblem = { file: string; line: number; id: string | null; reason: string };

export type ImportSummary = {
  source: string;
  site: string;
  siteName: string;
  users: Counts;
  /** Authors known only by a name (deleted accounts): given an account of their own. */
  authorsByName: number;
  tags: { created: number; existing: number };
  questions: Counts;
  answers: Counts;
  comments: Counts;
  /**
   * Licences of the questions, answers and comments: as the dump states them, or derived from
   * when they were contributed (dumps before 2019 do not state them), by licence.
   */
  licenses: { stated: number; derived: number; derivedByLicense: Record<string, number> };
  revisions: Counts;
  /** Threads of this source whose accepted answer is set. */
  acceptedAnswers: number;
  duplicates: { created: number; existing: number };
  related: { created: number; existing: number };
  /** Rows of kinds we do not bring in (tag wikis, other link types), by kind. */
  notImported: Record<string, number>;
  /** Votes.xml by type: the dump's votes are anonymous, so scores come from Posts.xml. */
  votes: Record<string, number>;
  problems: ImportProblem[];
  problemCount: number;
  posts: number;
  seconds: number;
  postsPerSecond: number;
  peakRssBytes: number;
};

const maxProblemsKept = 1_000;
const firstBatchSize = 250;
/** About 1,500 posts: below this, bodies are converted on the main thread. */
const minBytesForConversionWorkers = 2 * 2 ** 20;

/** A row whose question or post is not here: reported and skipped. */
class MissingParent extends Error {}
const maxCachedUsers = 50_000;

const emptyCounts = (): Counts => ({ created: 0, updated: 0, unchanged: 0 });

type License = { name: string; derived: boolean };

function hashOf(...parts: unknown[]): string {
  return crypto.createHash('sha1').update(JSON.stringify(parts)).digest('hex').slice(0, 20);
}

/** The outside id of a parsed row (a post comes wrapped with its type), for a problem report. */
function externalIdOf(row: unknown): string | null {
  if (typeof row !== 'object' || row === null) return null;
  if ('id' in row && typeof row.id === 'string') return row.id;
  return 'row' in row ? externalIdOf(row.row) : null;
}

/** The Stack Exchange site a folder of XML files came from, as an origin for our records. */
export function sourceOf(siteUrl: string): string {
  return new URL(siteUrl).host;
}

/**
 * Imports a Stack Exchange data dump: users (who cannot sign in until claimed), questions,
 * answers, comments, tags, accepted answers, scores, views, dates, duplicate and related links,
 * and (with PostHistory.xml) revisions, each post and comment with its licence (derived from its
 * dates when the dump does not state it). Every outside row is mapped to the local row it became,
 * so running it again updates what changed and never duplicates. Rows that cannot be imported
 * are reported in the summary and skipped.
 */
export async function importStackExchange(
  db: Database,
  options: ImportOptions,
): Promise<ImportSummary> {
  const postsBytes = fs.statSync(path.join(options.dir, 'Posts.xml'), { throwIfNoEntry: false });
  // NOTE: a worker takes a second or more to load its modules: a small dump is done sooner without.
  const conversions =
    (postsBytes?.size ?? 0) >= minBytesForConversionWorkers ? startConversions() : null;
  try {
    return await withImportConnection(db, (connection) =>
      importWith(connection, conversions, options),
    );
  } finally {
    await conversions?.close();
  }
}

async function importWith(
  connection: ImportConnection,
  conversions: Conversions | null,
  options: ImportOptions,
): Promise<ImportSummary> {
  const { db } = connection;
  const started = Date.now();
  const now = options.now ?? new Date();
  const site = (options.site ?? siteOfDump(options.dir))?.replace(/\/+$/, '');
  if (!site) throw new Error(unknownSiteMessage(options.dir));
  const source = sourceOf(site);
  const batchSize = options.batchSize ?? 2_000;
  const file = (name: string) => path.join(options.dir, name);
  for (const required of ['Posts.xml', 'Users.xml']) {
    if (!fs.existsSync(file(required)))
      throw new Error(`${file(required)} is missing: is ${options.dir} a Stack Exchange dump?`);
  }
  const summary: ImportSummary = {
    source,
    site,
    siteName: siteName(site),
    users: emptyCounts(),
    authorsByName: 0,
    tags: { created: 0, existing: 0 },
    questions: emptyCounts(),
    answers: emptyCounts(),
    comments: emptyCounts(),
    licenses: { stated: 0, derived: 0, derivedByLicense: {} },
    revisions: emptyCounts(),
    acceptedAnswers: 0,
    duplicates: { created: 0, existing: 0 },
    related: { created: 0, existing: 0 },
    notImported: {},
    votes: {},
    problems: [],
    problemCount: 0,
    posts: 0,
    seconds: 0,
    postsPerSecond: 0,
    peakRssBytes: 0,
  };
  const problem = (fileName: string, line: number, id: string | null, reason: string) => {
    summary.problemCount += 1;
    if (summary.problems.length < maxProblemsKept)
      summary.problems.push({ file: fileName, line, id, reason });
  };
  const notImported = (kind: string) => {
    summary.notImported[kind] = (summary.notImported[kind] ?? 0) + 1;
  };
  let peakRss = process.memoryUsage().rss;
  const sampleMemory = () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };

  // A run of this source that never finished may have committed threads whose search rows were
  // still to be written (they follow the bulk): this run writes them for every thread it has. A
  // run that finished after it has done so already.
  const unfinished = await db
    .selectFrom('import_runs')
    .select('id')
    .where('source', '=', source)
    .where('finished_at', 'is', null)
    .where((eb) =>
      eb(
        'id',
        '>',
        eb
          .selectFrom('import_runs as finished')
          .select((inner) =>
            inner.fn.coalesce(inner.fn.max('finished.id'), sql<number>`0`).as('id'),
          )
          .where('finished.source', '=', source)
          .where('finished.finished_at', 'is not', null),
      ),
    )
    .executeTakeFirst();
  const run = await db
    .insertInto('import_runs')
    .values({ source, path: path.resolve(options.dir), started_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  const categoryId = options.categorySlug
    ? await ensureCategory(db, options.categorySlug, now)
    : null;

  // Work lists that may be as long as the dump live in the database, not in memory.
  await createWorkTables(db);
  if (unfinished)
    await sql`insert into import_search (thread_id)
      select local_id from import_records where source = ${source} and kind = 'thread'
      on conflict do nothing`.execute(db);
  const statements = connection.statements(source, now);
  const searchLater = (trx: Transaction, threadId: number) => statements.searchLater(trx, threadId);

  const users = new Map<string, { id: number; name: string }>();
  const records = {
    find: (trx: Transaction, kind: ImportRecordKind, externalId: string) =>
      statements.findRecord(trx, kind, externalId),
    save: (trx: Transaction, record: RecordValues) => statements.saveRecord(trx, record),
  };

  /** The local row for an outside one, if it was imported and still exists. */
  function localRow(trx: Transaction, kind: 'thread' | 'post' | 'comment', externalId: string) {
    return statements.liveRecord(trx, kind, externalId);
  }

  function remember(externalKey: string, user: { id: number; name: string }) {
    if (users.size >= maxCachedUsers) users.clear();
    users.set(externalKey, user);
  }

  async function uniqueUsername(trx: Transaction, name: string, fallback: string) {
    const reserved = new Set(['admin', 'administrator', 'root', 'system', 'support', 'help']);
    const slug = slugify(name, 24);
    const base = slug.length >= 3 && !reserved.has(slug) ? slug : fallback;
    for (let attempt = 0; attempt < 20; attempt++) {
      const candidate =
        attempt === 0 ? base : `${base.slice(0, 30 - fallback.length - 4)}-${fallback}-${attempt}`;
      if (!(await statements.usernameTaken(trx, candidate))) return candidate;
    }
    return `${fallback}-${crypto.randomBytes(3).toString('hex')}`;
  }

  async function saveUser(trx: Transaction, user: UserRow): Promise<'created' | 'updated' | null> {
    const hash = hashOf(user.name, user.reputation, user.createdAt);
    const existing = await records.find(trx, 'user', user.id);
    if (existing) {
      remember(user.id, { id: existing.local_id, name: user.name });
      if (existing.content_hash === hash) return null;
      await trx
        .updateTable('users')
        .set({ display_name: user.name, reputation: user.reputation })
        .where('id', '=', existing.local_id)
        .execute();
      await records.save(trx, {
        kind: 'user',
        externalId: user.id,
        localId: existing.local_id,
        hash,
        authorName: user.name,
        url: `${site}/users/${user.id}`,
      });
      return 'updated';
    }
    const created = await statements.insertUser(trx, {
      email: `${user.id}@users.${source}.invalid`,
      username: await uniqueUsername(trx, user.name, `user${user.id}`.slice(0, 12)),
      display_name: user.name,
      reputation: user.reputation,
      created_at: user.createdAt,
    });
    await records.save(trx, {
      kind: 'user',
      externalId: user.id,
      localId: created,
      hash,
      authorName: user.name,
      url: `${site}/users/${user.id}`,
    });
    remember(user.id, { id: created, name: user.name });
    return 'created';
  }

  /** The account of an author known only by name (a deleted user): one per name and site. */
  async function nameOnlyAuthor(trx: Transaction, name: string, at: string) {
    const key = `name:${name}`;
    const cached = users.get(key);
    if (cached) return cached;
    const existing = await records.find(trx, 'user', key);
    if (existing) {
      const user = { id: existing.local_id, name };
      remember(key, user);
      return user;
    }
    const created = await statements.insertUser(trx, {
      email: `name-${hashOf(name).slice(0, 12)}@users.${source}.invalid`,
      username: await uniqueUsername(trx, name, `author-${hashOf(name).slice(0, 5)}`),
      display_name: name,
      reputation: 0,
      created_at: at,
    });
    await records.save(trx, {
      kind: 'user',
      externalId: key,
      localId: created,
      hash: hashOf(name),
      authorName: name,
    });
    summary.authorsByName += 1;
    const user = { id: created, name };
    remember(key, user);
    return user;
  }

  async function authorOf(
    trx: Transaction,
    userId: string | null,
    userName: string | null,
    at: string,
  ): Promise<{ id: number; name: string }> {
    if (userId) {
      const cached = users.get(userId);
      if (cached) return cached;
      const record = await statements.userOf(trx, userId);
      if (record) {
        const user = { id: record.id, name: record.display_name };
        remember(userId, user);
        return user;
      }
    }
    return nameOnlyAuthor(trx, userName ?? (userId ? `user${userId}` : 'Anonymous'), at);
  }

  /**
   * Reads one file in batches, each in one transaction; a row that fails is rolled back alone
   * (a savepoint) and reported.
   */
  async function eachBatch<T>(
    fileName: string,
    label: string,
    parse: (attributes: Record<string, string>) => Parsed<T>,
    handle: (trx: Transaction, row: T, line: number) => Promise<void>,
    more: {
      afterBatch?: (trx: Transaction) => Promise<void>;
      /** Work on a batch's rows that needs no database, done before it is written. */
      convert?: (rows: T[]) => Promise<void>;
      /** Rows that are only counted need no transaction (nor a savepoint each). */
      countOnly?: boolean;
    } = {},
  ) {
    const fullPath = file(fileName);
    if (!fs.existsSync(fullPath)) return false;
    const size = fs.statSync(fullPath).size;
    const progress = createProgress(label, size, process.stderr, options.progress ?? false);
    let batch: { row: T; line: number }[] = [];
    // Batches start small and double: the conversions start sooner and the first write waits less.
    let batches = 0;
    let rows = 0;
    // While one batch is written, the next is read and its bodies converted in the workers.
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      if (batch.length === 0) return;
      const current = batch;
      batch = [];
      const converting = more.convert?.(current.map(({ row }) => row));
      await writing;
      writing = (async () => {
        await converting;
        await write(current);
      })();
      // Awaited by the next flush; marked handled so a failure waits for it instead of crashing.
      writing.catch(() => undefined);
    };
    const write = async (current: { row: T; line: number }[]) => {
      if (more.countOnly) {
        for (const { row, line } of current) await handle(db, row, line);
        return;
      }
      await db.transaction().execute(async (trx) => {
        for (const { row, line } of current) {
          await statements.beforeRow(trx);
          try {
            await handle(trx, row, line);
            await statements.afterRow(trx);
          } catch (error) {
            await statements.afterFailedRow(trx);
            // An account made by the row just undone is gone again.
            users.clear();
            problem(
              fileName,
              line,
              externalIdOf(row),
              `could not be saved: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        }
        await more.afterBatch?.(trx);
      });
      sampleMemory();
    };
    let bytes = 0;
    for await (const row of readRows(fullPath, (read) => (bytes = read))) {
      rows += 1;
      if (!row.ok) {
        problem(fileName, row.line, row.id, `malformed XML: ${row.error}`);
        continue;
      }
      const parsed = parse(row.attributes);
      if (!parsed.ok) {
        problem(fileName, row.line, row.attributes.Id ?? null, parsed.reason);
        continue;
      }
      batch.push({ row: parsed.value, line: row.line });
      if (batch.length >= Math.min(batchSize, firstBatchSize * 2 ** batches)) {
        batches += 1;
        await flush();
        progress.update(bytes, `${rows.toLocaleString('en')} rows`);
      }
    }
    await flush();
    await writing;
    progress.finish(`${rows.toLocaleString('en')} rows`);
    return true;
  }

  // 1. Users.
  await eachBatch('Users.xml', 'users', userRow, async (trx, user) => {
    const result = await saveUser(trx, user);
    summary.users[result ?? 'unchanged'] += 1;
  });

  // 2. Tags (also those no question uses yet).
  await eachBatch('Tags.xml', 'tags', tagRow, async (trx, tag) => {
    const before = await trx
      .selectFrom('tags')
      .select('id')
      .where('name', '=', tag.name)
      .executeTakeFirst();
    if (before) summary.tags.existing += 1;
    else {
      await ensureTags(trx, [tag.name], now);
      summary.tags.created += 1;
    }
  });

  // 3. The post history, when the dump has PostHistory.xml: read before the posts, since a post's
  // latest revision decides its licence when the dump does not state it; revisions are saved in 8.
  const hasHistory = await eachBatch(
    'PostHistory.xml',
    'history',
    historyRow,
    async (trx, row: HistoryRow) => {
      if (!revisionHistoryTypes.has(row.type)) return;
      await statements.saveHistory(trx, row);
    },
  );

  /**
   * The licence of a question or answer: as the dump states it, or that of its latest
   * contribution — its creation, a person's last edit, or its latest revision by a person.
   */
  async function licenseOfPost(trx: Transaction, post: QuestionRow | AnswerRow): Promise<License> {
    if (post.license) return { name: post.license, derived: false };
    const lastEdit = post.lastEditorId === communityUserId ? null : post.updatedAt;
    const revised = hasHistory
      ? await sql<{ at: string | null }>`
          select max(created_at) as at from import_history where post_external_id = ${post.id}
            and (user_external_id is null or user_external_id <> ${communityUserId})`.execute(trx)
      : null;
    const contributedAt = latest(post.createdAt, lastEdit, revised?.rows[0]?.at);
    return { name: licenseContributedAt(contributedAt), derived: true };
  }

  // Bodies converted by the workers before their batch is written, by the row they belong to.
  const converted = new WeakMap<object, Converted>();
  async function convertBodies<T extends object>(
    from: 'html' | 'markdown',
    rows: T[],
    bodyOfRow: (row: T) => string,
  ) {
    if (!conversions) return;
    const bodies = await conversions.convert(from, rows.map(bodyOfRow));
    rows.forEach((row, index) => {
      const body = bodies[index];
      if (body) converted.set(row, body);
    });
  }
  /** A body as stored: Markdown and its sanitized HTML (converted here if no worker did). */
  function bodyOf(row: object, from: 'html' | 'markdown', body: string) {
    const done = converted.get(row);
    if (done && 'error' in done) throw new Error(`its body could not be converted: ${done.error}`);
    if (done) return done;
    const markdown = from === 'html' ? htmlToMarkdown(body) : body;
    return { markdown, html: renderMarkdown(markdown).html };
  }

  /** Counted once the row it belongs to is saved. */
  function countLicense(license: License) {
    if (!license.derived) {
      summary.licenses.stated += 1;
      return;
    }
    const { derivedByLicense } = summary.licenses;
    summary.licenses.derived += 1;
    derivedByLicense[license.name] = (derivedByLicense[license.name] ?? 0) + 1;
  }

  // 4. Questions and answers, in one pass: a question comes before its answers in a dump's order.
  const threadUrl = (id: string) => `${site}/questions/${id}`;
  async function saveQuestion(trx: Transaction, question: QuestionRow): Promise<License> {
    summary.posts += 1;
    const license = await licenseOfPost(trx, question);
    const existing = await localRow(trx, 'thread', question.id);
    if (question.acceptedAnswerId && existing)
      await statements.acceptLater(trx, existing.local_id, question.acceptedAnswerId);
    const tags = question.tags.filter((tag) => {
      if (isImportableTag(tag)) return true;
      notImported('tag with an unusable name');
      return false;
    });
    const hash = hashOf(
      question.title,
      question.bodyHtml,
      tags,
      question.score,
      question.views,
      question.closed,
      question.ownerId,
      question.ownerName,
      question.license,
      question.updatedAt,
      question.lastActivityAt,
      categoryId,
    );
    if (existing && existing.content_hash === hash && existing.license === license.name) {
      summary.questions.unchanged += 1;
      return license;
    }
    const author = await authorOf(trx, question.ownerId, question.ownerName, question.createdAt);
    const body = bodyOf(question, 'html', question.bodyHtml);
    const values = {
      title: question.title,
      slug: threadSlug(question.title),
      body_md: body.markdown,
      body_html: body.html,
      author_id: author.id,
      category_id: categoryId,
      views: question.views,
      score: question.score,
      created_at: question.createdAt,
      updated_at: question.updatedAt,
      last_activity_at: question.lastActivityAt,
    };
    let threadId: number;
    if (existing) {
      threadId = existing.local_id;
      await trx
        .updateTable('threads')
        .set({
          ...values,
          status: question.closed
            ? 'closed'
            : sql`case when accepted_post_id is null then 'open' else 'answered' end`,
        })
        .where('id', '=', threadId)
        .execute();
      summary.questions.updated += 1;
    } else {
      threadId = await statements.insertThread(trx, {
        ...values,
        status: question.closed ? 'closed' : 'open',
      });
      summary.questions.created += 1;
      if (question.acceptedAnswerId)
        await statements.acceptLater(trx, threadId, question.acceptedAnswerId);
    }
    await statements.setThreadTags(trx, threadId, tags, question.createdAt, !existing);
    await records.save(trx, {
      kind: 'thread',
      externalId: question.id,
      localId: threadId,
      hash,
      url: threadUrl(question.id),
      authorName: author.name,
      license: license.name,
      baseScore: question.score,
    });
    await searchLater(trx, threadId);
    return license;
  }

  async function saveAnswer(
    trx: Transaction,
    answer: AnswerRow,
    touched: Set<number>,
    /** Its question's record, when the caller has looked it up already. */
    question?: ImportRecord,
  ): Promise<License> {
    summary.posts += 1;
    const thread = question ?? (await localRow(trx, 'thread', answer.parentId));
    if (!thread) throw new MissingParent(`its question ${answer.parentId} was not imported`);
    const license = await licenseOfPost(trx, answer);
    const existing = await localRow(trx, 'post', answer.id);
    const hash = hashOf(
      answer.parentId,
      answer.bodyHtml,
      answer.score,
      answer.ownerId,
      answer.ownerName,
      answer.license,
      answer.updatedAt,
    );
    if (existing && existing.content_hash === hash && existing.license === license.name) {
      summary.answers.unchanged += 1;
      return license;
    }
    const author = await authorOf(trx, answer.ownerId, answer.ownerName, answer.createdAt);
    const body = bodyOf(answer, 'html', answer.bodyHtml);
    const values = {
      thread_id: thread.local_id,
      author_id: author.id,
      body_md: body.markdown,
      body_html: body.html,
      score: answer.score,
      created_at: answer.createdAt,
      updated_at: answer.updatedAt,
    };
    let postId: number;
    if (existing) {
      postId = existing.local_id;
      await trx.updateTable('posts').set(values).where('id', '=', postId).execute();
      summary.answers.updated += 1;
    } else {
      postId = await statements.insertPost(trx, values);
      summary.answers.created += 1;
    }
    await records.save(trx, {
      kind: 'post',
      externalId: answer.id,
      localId: postId,
      hash,
      url: `${site}/a/${answer.id}`,
      authorName: author.name,
      license: license.name,
      baseScore: answer.score,
    });
    touched.add(thread.local_id);
    return license;
  }

  async function refreshThreads(trx: Transaction, threadIds: Set<number>) {
    await statements.countAnswers(trx, [...threadIds]);
    for (const threadId of threadIds) await statements.searchLater(trx, threadId);
    threadIds.clear();
  }

  const touched = new Set<number>();
  await eachBatch(
    'Posts.xml',
    'posts',
    postRow,
    async (trx, post, line) => {
      if (post.type === 'question') countLicense(await saveQuestion(trx, post.row));
      else if (post.type === 'answer') {
        const question = await localRow(trx, 'thread', post.row.parentId);
        if (question) await saveAnswerOrReport(trx, post.row, line, question);
        else await statements.waitForQuestion(trx, line, post.row);
      } else notImported(post.typeName);
    },
    {
      afterBatch: (trx) => refreshThreads(trx, touched),
      convert: (posts) =>
        convertBodies(
          'html',
          posts.flatMap((post) => (post.type === 'other' ? [] : [post.row])),
          (row) => row.bodyHtml,
        ),
    },
  );
  for await (const waiting of statements.waitingAnswers(db, batchSize)) {
    await db.transaction().execute(async (trx) => {
      for (const { line, answer } of waiting) await saveAnswerOrReport(trx, answer, line);
      await refreshThreads(trx, touched);
    });
  }
  async function saveAnswerOrReport(
    trx: Transaction,
    answer: AnswerRow,
    line: number,
    question?: ImportRecord,
  ) {
    try {
      countLicense(await saveAnswer(trx, answer, touched, question));
    } catch (error) {
      if (!(error instanceof MissingParent)) throw error;
      problem('Posts.xml', line, answer.id, `answer skipped: ${error.message}`);
    }
  }

  // 5. Accepted answers, once every answer is in.
  await acceptAnswers();
  async function acceptAnswers() {
    for (let after = 0; ;) {
      const rows = await sql<{
        thread_id: number;
        answer_external_id: string;
        post_id: number | null;
        post_thread_id: number | null;
        accepted_post_id: number | null;
      }>`
        select a.thread_id, a.answer_external_id, p.id as post_id, p.thread_id as post_thread_id,
          t.accepted_post_id
        from import_accepts a
        join threads t on t.id = a.thread_id
        left join import_records r
          on r.source = ${source} and r.kind = 'post' and r.external_id = a.answer_external_id
        left join posts p on p.id = r.local_id
        where a.thread_id > ${after}
        order by a.thread_id limit ${batchSize}
      `.execute(db);
      if (rows.rows.length === 0) break;
      after = rows.rows.at(-1)?.thread_id ?? after;
      await db.transaction().execute(async (trx) => {
        for (const row of rows.rows) {
          if (row.post_id === null || row.post_thread_id !== row.thread_id) {
            problem(
              'Posts.xml',
              0,
              row.answer_external_id,
              `accepted answer ${row.answer_external_id} is not an imported answer of its question`,
            );
            continue;
          }
          if (row.accepted_post_id === row.post_id) continue;
          await statements.accept(trx, row.thread_id, row.post_id);
          await searchLater(trx, row.thread_id);
        }
      });
    }
    const accepted = await db
      .selectFrom('import_records')
      .innerJoin('threads', 'threads.id', 'import_records.local_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('import_records.source', '=', source)
      .where('import_records.kind', '=', 'thread')
      .where('threads.accepted_post_id', 'is not', null)
      .executeTakeFirstOrThrow();
    summary.acceptedAnswers = Number(accepted.n);
  }

  // 6. Comments, on questions and answers. A comment cannot be edited after its first minutes, so
  // its creation decides its licence.
  async function saveComment(trx: Transaction, comment: CommentRow): Promise<License> {
    const onThread = await localRow(trx, 'thread', comment.postId);
    let threadId: number;
    let postId: number | null = null;
    if (onThread) threadId = onThread.local_id;
    else {
      const onPost = await localRow(trx, 'post', comment.postId);
      if (!onPost)
        throw new MissingParent(
          `its post ${comment.postId} was not imported (not a question or answer, or not in the dump)`,
        );
      const onThreadOfPost = await statements.threadOfPost(trx, onPost.local_id);
      if (onThreadOfPost === null) throw new MissingParent(`its post ${comment.postId} is gone`);
      threadId = onThreadOfPost;
      postId = onPost.local_id;
    }
    const license: License = comment.license
      ? { name: comment.license, derived: false }
      : { name: licenseContributedAt(comment.createdAt), derived: true };
    const hash = hashOf(comment.postId, comment.text, comment.userId, comment.userName);
    const existing = await localRow(trx, 'comment', comment.id);
    if (existing && existing.content_hash === hash && existing.license === license.name) {
      summary.comments.unchanged += 1;
      return license;
    }
    const author = await authorOf(trx, comment.userId, comment.userName, comment.createdAt);
    const values = {
      thread_id: threadId,
      post_id: postId,
      author_id: author.id,
      body_md: comment.text,
      body_html: bodyOf(comment, 'markdown', comment.text).html,
      created_at: comment.createdAt,
    };
    let commentId: number;
    if (existing) {
      commentId = existing.local_id;
      await trx.updateTable('comments').set(values).where('id', '=', commentId).execute();
      summary.comments.updated += 1;
    } else {
      commentId = await statements.insertComment(trx, values);
      summary.comments.created += 1;
    }
    await records.save(trx, {
      kind: 'comment',
      externalId: comment.id,
      localId: commentId,
      hash,
      url: `${threadUrl(comment.postId)}#comment${comment.id}_${comment.postId}`,
      authorName: author.name,
      license: license.name,
    });
    return license;
  }
  await eachBatch(
    'Comments.xml',
    'comments',
    commentRow,
    async (trx, comment, line) => {
      try {
        countLicense(await saveComment(trx, comment));
      } catch (error) {
        if (!(error instanceof MissingParent)) throw error;
        problem('Comments.xml', line, comment.id, `comment skipped: ${error.message}`);
      }
    },
    { convert: (comments) => convertBodies('markdown', comments, (comment) => comment.text) },
  );

  // 7. Duplicate (LinkTypeId 3) and related (LinkTypeId 1) links between threads.
  async function threadOfPost(trx: Transaction, externalId: string) {
    const thread = await localRow(trx, 'thread', externalId);
    if (thread) return thread.local_id;
    const post = await localRow(trx, 'post', externalId);
    return post ? statements.threadOfPost(trx, post.local_id) : null;
  }
  async function saveLink(trx: Transaction, link: LinkRow, line: number) {
    const relation = link.linkType === 3 ? 'duplicate' : link.linkType === 1 ? 'related' : null;
    if (!relation) {
      notImported(`link type ${link.linkType}`);
      return;
    }
    const [from, to] = [
      await threadOfPost(trx, link.postId),
      await threadOfPost(trx, link.relatedPostId),
    ];
    if (from === null || to === null) {
      problem(
        'PostLinks.xml',
        line,
        link.id,
        `${relation} link skipped: post ${from === null ? link.postId : link.relatedPostId} was not imported`,
      );
      return;
    }
    if (from === to) return;
    const inserted = await trx
      .insertInto('thread_links')
      .values({ thread_id: from, linked_thread_id: to, relation, created_at: link.createdAt })
      .onConflict((oc) => oc.columns(['thread_id', 'linked_thread_id', 'relation']).doNothing())
      .executeTakeFirst();
    const counts = relation === 'duplicate' ? summary.duplicates : summary.related;
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) counts.created += 1;
    else counts.existing += 1;
    if (relation === 'duplicate')
      await trx
        .updateTable('threads')
        .set({ duplicate_of: to })
        .where('id', '=', from)
        .where('duplicate_of', 'is', null)
        .execute();
  }
  await eachBatch('PostLinks.xml', 'links', linkRow, saveLink);

  // 8. Revisions, from the post history read in 3.
  if (hasHistory) await importRevisions();
  async function importRevisions() {
    // One post at a time (keyset over post ids), so memory holds one post's history.
    let after = '';
    for (;;) {
      const posts = await sql<{ post_external_id: string }>`
        select distinct post_external_id from import_history where post_external_id > ${after}
        order by post_external_id limit ${batchSize}`.execute(db);
      if (posts.rows.length === 0) break;
      after = posts.rows.at(-1)?.post_external_id ?? after;
      await db.transaction().execute(async (trx) => {
        for (const { post_external_id: postId } of posts.rows) await saveHistoryOf(trx, postId);
      });
    }
  }
  async function saveHistoryOf(trx: Transaction, postId: string) {
    const thread = await localRow(trx, 'thread', postId);
    const post = thread ? null : await localRow(trx, 'post', postId);
    const target = thread
      ? { type: 'thread' as const, id: thread.local_id }
      : post
        ? { type: 'post' as const, id: post.local_id }
        : null;
    if (!target) return;
    const rows = await sql<{
      revision: string;
      type: number;
      created_at: string;
      user_external_id: string | null;
      user_name: string | null;
      text: string | null;
      comment: string | null;
    }>`select revision, type, created_at, user_external_id, user_name, text, comment
       from import_history where post_external_id = ${postId} order by created_at, id`.execute(trx);
    const state = { title: null as string | null, body: '', tags: null as string[] | null };
    const groups: (typeof rows.rows)[] = [];
    for (const row of rows.rows) {
      const last = groups.at(-1);
      if (last && last[0]?.revision === row.revision) last.push(row);
      else groups.push([row]);
    }
    let number = 0;
    for (const group of groups) {
      for (const row of group) {
        if ([1, 4, 7].includes(row.type)) state.title = row.text;
        if ([2, 5, 8].includes(row.type)) state.body = row.text ?? '';
        if ([3, 6, 9].includes(row.type))
          state.tags = (row.text ?? '').match(/[^<>|]+/g)?.map((tag) => tag.toLowerCase()) ?? [];
      }
      number += 1;
      const first = group[0]!;
      const hash = hashOf(state, first.comment);
      const externalId = `${postId}:${first.revision}`;
      const existing = await records.find(trx, 'revision', externalId);
      if (existing && existing.content_hash === hash) {
        summary.revisions.unchanged += 1;
        continue;
      }
      const author = await authorOf(trx, first.user_external_id, first.user_name, first.created_at);
      const values = {
        author_id: author.id,
        title: target.type === 'thread' ? state.title : null,
        body_md: state.body,
        tags: target.type === 'thread' && state.tags ? state.tags.join(' ') : null,
        reason: first.comment,
        created_at: first.created_at,
      };
      const existingRevision = existing
        ? await trx
            .selectFrom('revisions')
            .select('id')
            .where('id', '=', existing.local_id)
            .executeTakeFirst()
        : undefined;
      let revisionId: number;
      if (existingRevision) {
        revisionId = existingRevision.id;
        await trx.updateTable('revisions').set(values).where('id', '=', revisionId).execute();
        summary.revisions.updated += 1;
      } else {
        const taken = await trx
          .selectFrom('revisions')
          .select((eb) => eb.fn.max('number').as('number'))
          .where('target_type', '=', target.type)
          .where('target_id', '=', target.id)
          .executeTakeFirst();
        const created = await trx
          .insertInto('revisions')
          .values({
            target_type: target.type,
            target_id: target.id,
            number: Math.max(number, (taken?.number ?? 0) + 1),
            ...values,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        revisionId = created.id;
        summary.revisions.created += 1;
      }
      await records.save(trx, {
        kind: 'revision',
        externalId,
        localId: revisionId,
        hash,
        authorName: author.name,
      });
    }
  }

  // 9. Search: the FTS row and the outbox entry of every thread this run changed, built once from
  // its final state. NOTE: they commit after the bulk; a run that dies before this point leaves
  // its import_runs row unfinished, and the next run of the source writes them for all its threads.
  for (let after = 0; ;) {
    const { rows } = await sql<{ thread_id: number }>`
      select thread_id from import_search where thread_id > ${after}
      order by thread_id limit ${batchSize}`.execute(db);
    if (rows.length === 0) break;
    after = rows.at(-1)?.thread_id ?? after;
    await db.transaction().execute(async (trx) => {
      await touchSearchMany(
        trx,
        'thread',
        rows.map((row) => row.thread_id),
      );
    });
    sampleMemory();
  }

  // 10. Votes: counted, not stored (the dump does not say who voted).
  await eachBatch(
    'Votes.xml',
    'votes',
    (attributes) => ({ ok: true, value: Number(attributes.VoteTypeId) }),
    async (_trx, type) => {
      const name = voteTypeNames[type] ?? `type ${type}`;
      summary.votes[name] = (summary.votes[name] ?? 0) + 1;
    },
    { countOnly: true },
  );

  sampleMemory();
  summary.seconds = (Date.now() - started) / 1000;
  summary.postsPerSecond = summary.posts / Math.max(summary.seconds, 0.001);
  // maxRSS is the true high-water mark (KiB), not just the moments we sampled.
  summary.peakRssBytes = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  await db
    .updateTable('import_runs')
    .set({ finished_at: new Date().toISOString(), summary: JSON.stringify(summary) })
    .where('id', '=', run.id)
    .execute();
  return summary;
}

/**
 * The import's work lists, temporary tables of its own connection: the accepted answers to set
 * once every answer is in, the threads whose search rows are due once the bulk is in (so each is
 * indexed once, complete), the answers that came before their question in the file (they wait
 * for the end of that pass), and the post history (read before the posts: a post's latest
 * revision decides its licence when the dump does not state it).
 */
async function createWorkTables(db: Database) {
  // NOTE: SQLite numbers an `integer primary key` by itself; PostgreSQL needs an identity.
  const waitingId =
    dialectOf(db) === 'postgres'
      ? sql`id integer generated always as identity primary key`
      : sql`id integer primary key`;
  const tables = {
    import_accepts: sql`thread_id integer primary key, answer_external_id text not null`,
    import_search: sql`thread_id integer primary key`,
    import_waiting_answers: sql`${waitingId}, line integer not null, answer text not null`,
    import_history: sql`id integer primary key, post_external_id text not null,
      revision text not null, type integer not null, created_at text not null,
      user_external_id text, user_name text, text text, comment text`,
  };
  for (const [name, columns] of Object.entries(tables)) {
    await sql`create temp table if not exists ${sql.table(name)} (${columns})`.execute(db);
    await sql`delete from ${sql.table(name)}`.execute(db);
  }
  await sql`create index if not exists import_history_post
    on import_history (post_external_id, created_at)`.execute(db);
}

async function ensureCategory(db: Database, slug: string, now: Date): Promise<number> {
  const existing = await db
    .selectFrom('categories')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (existing) return existing.id;
  const name = slug
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
  const created = await db
    .insertInto('categories')
    .values({ name, slug, created_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return created.id;
}
