// `npm run bench:seed -- --posts 1000000 [--dir data-bench/posts-1000000] [--force]`: a large
// community made by recombining real imported text (sentences, code, titles, tags, users), so
// sizes and word distributions stay those of a real site, in a DATA_DIR of its own.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { openDatabase } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { createMeiliClient, defaultMeiliTimeouts } from '#search/client';
import { allEntityIds, buildDocument, type SearchDocument } from '#search/documents';
import { meaningfulWords, writeFtsDocument } from '#search/fts';
import { startLocalMeilisearch } from '#search/local-server';
import { searchByMeaning } from '#search/embeddings';
import { ensureIndexes, indexName } from '#search/settings';
import { questionPath } from '#lib/content-urls';
import { importStackExchange } from '../import/stackexchange/importer';
import { createProgress } from '../import/progress';
import { markdownToText, renderMarkdown } from '~/utils/markdown.server';
import { threadSlug } from '~/models/threads.server';
import { hashPassword } from '~/utils/password.server';
import { demoTextPool, seededRandom } from './corpus';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const seedVersion = 5;
/** The question that gets exactly this many answers, for the thread page benchmark. */
export const benchThreadAnswers = 30;
/** How long the seed waits for Meilisearch to index everything before it gives up. */
const defaultIndexMinutes = 60;
/**
 * A member who signs in through /login for the signed-in page benchmark. They wrote nothing, so
 * every thread shows them vote, answer and watch controls as it would a reader who takes part.
 */
export const benchMember = {
  login: 'bench-member',
  email: 'bench-member@bench.invalid',
  displayName: 'Bench Member',
  password: 'bench-member-password',
};

export type SeedInfo = {
  version: number;
  posts: number;
  threads: number;
  answers: number;
  comments: number;
  users: number;
  importedPosts: number;
  benchThread: { id: number; slug: string; answers: number };
  article: { slug: string };
  /** Words of the bench thread's title: a /search query that has results. */
  searchQuery: string;
  seconds: number;
  databaseBytes: number;
  /** The seeding process's peak resident memory (Meilisearch's own is not counted). */
  peakRssMiB: number;
  /** Meilisearch: documents sent, seconds until all were searchable, MiB on disk; null without it. */
  meilisearch: { documents: number; seconds: number; diskBytes: number } | null;
  text: 'stackexchange' | 'demo';
};

/** What the recombination draws from, measured on the imported communities. */
type Pool = {
  titles: string[];
  sentences: string[];
  /** Real fenced code blocks, as Markdown and as the HTML our renderer makes of them. */
  code: { md: string; html: string; text: string }[];
  tags: string[];
  userNames: string[];
  /** Sentences per question body, per answer body; answers per question; comments per post. */
  questionSentences: number[];
  answerSentences: number[];
  answersPerQuestion: number[];
  commentsPerPost: number[];
  codeShare: number;
};

function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+/)
    .map((sentence) => sentence.replace(/\s+/g, ' ').trim())
    .filter((sentence) => sentence.length >= 15 && sentence.length <= 400);
}

const fence = /```[^\n]*\n[\s\S]*?\n```/g;

async function poolFromImport(file: string): Promise<Pool | null> {
  const db = new SQLite(file, { readonly: true });
  try {
    const threads = db
      .prepare(
        `select t.id, t.title, t.body_md, t.answer_count from threads t
         join import_records r on r.kind = 'thread' and r.local_id = t.id`,
      )
      .all() as { id: number; title: string; body_md: string; answer_count: number }[];
    if (threads.length === 0) return null;
    const answers = db
      .prepare(
        `select p.id, p.body_md from posts p
         join import_records r on r.kind = 'post' and r.local_id = p.id`,
      )
      .all() as { id: number; body_md: string }[];
    const comments = db
      .prepare(
        `select count(c.id) as n from threads t
         join import_records r on r.kind = 'thread' and r.local_id = t.id
         left join comments c on c.thread_id = t.id
         group by t.id`,
      )
      .all() as { n: number }[];
    const tags = db.prepare('select name from tags').all() as { name: string }[];
    const users = db
      .prepare(
        `select u.display_name from users u
         join import_records r on r.kind = 'user' and r.local_id = u.id`,
      )
      .all() as { display_name: string }[];
    const pool: Pool = {
      titles: threads.map((thread) => thread.title),
      sentences: [],
      code: [],
      tags: tags.map((tag) => tag.name),
      userNames: users.map((user) => user.display_name),
      questionSentences: [],
      answerSentences: [],
      answersPerQuestion: threads.map((thread) => thread.answer_count),
      commentsPerPost: [],
      codeShare: 0,
    };
    let withCode = 0;
    const take = (bodyMd: string, counts: number[]) => {
      const blocks = bodyMd.match(fence) ?? [];
      if (blocks.length) withCode++;
      for (const block of blocks.slice(0, 2)) {
        if (block.length > 1500) continue;
        const html = renderMarkdown(block).html;
        pool.code.push({ md: block, html, text: markdownToText(block, 2000) });
      }
      const sentences = splitSentences(markdownToText(bodyMd.replace(fence, ' '), 50_000));
      pool.sentences.push(...sentences);
      counts.push(Math.max(1, sentences.length));
    };
    for (const thread of threads) take(thread.body_md, pool.questionSentences);
    for (const answer of answers) take(answer.body_md, pool.answerSentences);
    pool.codeShare = withCode / (threads.length + answers.length);
    // Comments per post: the thread's comments spread over its question and answers.
    for (const [index, row] of comments.entries()) {
      const posts = 1 + (threads[index]?.answer_count ?? 0);
      for (let i = 0; i < posts; i++)
        pool.commentsPerPost.push(Math.round(row.n / posts + (i < row.n % posts ? 0.5 : 0)));
    }
    return pool;
  } finally {
    db.close();
  }
}

async function demoPool(): Promise<Pool> {
  const text = await demoTextPool();
  return {
    titles: text.titles,
    sentences: text.sentences,
    code: [],
    tags: text.tags,
    userNames: ['Alex Doe', 'Sam Lee', 'Kim Park', 'Jo March', 'Ray Chen', 'Ana Silva'],
    questionSentences: [3, 4, 5, 6, 8],
    answerSentences: [2, 3, 4, 6, 9],
    answersPerQuestion: [0, 1, 1, 2, 2, 3],
    commentsPerPost: [0, 0, 1, 2],
    codeShare: 0,
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
// Markdown that renders to exactly the sentence: characters Markdown would read are escaped.
const escapeMarkdown = (text: string) => text.replace(/([\\`*_[\]<>#|~!])/g, '\\$1');

function parseOptions() {
  const { values } = parseArgs({
    options: {
      posts: { type: 'string', default: '100000' },
      dir: { type: 'string' },
      force: { type: 'boolean', default: false },
      'index-minutes': { type: 'string', default: String(defaultIndexMinutes) },
    },
  });
  const posts = Number(values.posts);
  if (!Number.isInteger(posts) || posts < 1000) throw new Error('--posts must be at least 1000');
  const indexMinutes = Number(values['index-minutes']);
  if (!(indexMinutes > 0)) throw new Error('--index-minutes must be a positive number');
  return {
    posts,
    dir: path.resolve(root, values.dir ?? `data-bench/posts-${posts}`),
    force: values.force ?? false,
    indexMinutes,
  };
}

export function seedInfoOf(dir: string): SeedInfo | null {
  const file = path.join(dir, 'seed.json');
  if (!fs.existsSync(file)) return null;
  const info = JSON.parse(fs.readFileSync(file, 'utf8')) as SeedInfo;
  return info.version === seedVersion ? info : null;
}

/**
 * Sends the search documents in `file` (one JSON document a line) to Meilisearch in large
 * requests, and waits until all are searchable. Without a Meilisearch binary, search answers from
 * FTS5 alone and this returns null.
 */
async function indexInMeilisearch(
  dir: string,
  file: string,
  articles: SearchDocument[],
  timeoutMinutes: number,
  log: (message: string) => void,
): Promise<SeedInfo['meilisearch']> {
  const started = Date.now();
  const meili = await startLocalMeilisearch(dir);
  if (!meili) {
    log('No Meilisearch binary: /search will answer from SQLite FTS5 alone.');
    return null;
  }
  // Document batches of tens of MiB take longer to upload than the default 5 s.
  const { client, close } = createMeiliClient(meili.url, meili.masterKey, {
    ...defaultMeiliTimeouts,
    otherMs: 300_000,
  });
  try {
    // NOTE: without title vectors: encoding a million titles takes hours on this machine, so the
    // apps measuring these communities run with SEARCH_BY_MEANING=off (npm run bench:relevance and
    // the search step measure ranking by meaning).
    searchByMeaning(false);
    await ensureIndexes(client, '', {});
    const threads = client.index(indexName('', 'thread'));
    const tasks: number[] = [];
    let documents = 0;
    let chunk: string[] = [];
    let chunkBytes = 0;
    const send = async () => {
      if (!chunk.length) return;
      tasks.push(
        (await threads.addDocumentsFromString(chunk.join('\n'), 'application/x-ndjson')).taskUid,
      );
      chunk = [];
      chunkBytes = 0;
    };
    // Meilisearch merges consecutive additions to one index into one batch: enqueue all, then wait.
    // The stream's own iterator reads the next piece only when the loop asks, so a 700 MB file
    // (1,000,000 posts) is never held whole while a batch uploads.
    let rest = '';
    for await (const data of fs.createReadStream(file, { encoding: 'utf8' })) {
      const lines = `${rest}${String(data)}`.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        chunk.push(line);
        chunkBytes += line.length;
        documents++;
        if (chunkBytes >= 32 * 2 ** 20) await send();
      }
    }
    if (rest) {
      chunk.push(rest);
      documents++;
    }
    await send();
    if (articles.length)
      tasks.push((await client.index(indexName('', 'article')).addDocuments(articles)).taskUid);
    documents += articles.length;
    log(`Sent ${documents.toLocaleString('en')} documents to Meilisearch; waiting for indexing…`);
    const timeout = timeoutMinutes * 60_000;
    for (const uid of tasks) {
      const task = await client.tasks
        .waitForTask(uid, {
          timeout: Math.max(1000, timeout - (Date.now() - started)),
          interval: 1000,
        })
        .catch((error: unknown) => {
          throw new Error(
            `Meilisearch had not indexed ${documents.toLocaleString('en')} documents after ${timeoutMinutes} minutes (${String(error)}); run the seed again with a larger --index-minutes.`,
          );
        });
      if (task.status !== 'succeeded')
        throw new Error(`Meilisearch could not index the seed: ${JSON.stringify(task.error)}`);
    }
    const seconds = (Date.now() - started) / 1000;
    const { databaseSize } = await client.getStats();
    return { documents, seconds, diskBytes: databaseSize };
  } finally {
    close();
    await meili.stop();
  }
}

/** Builds (or reuses) a community of `posts` questions and answers in `dir`. */
export async function seed(
  options: { posts: number; dir: string; force?: boolean; indexMinutes?: number },
  log: (message: string) => void = (message) => console.error(message),
): Promise<SeedInfo> {
  const existing = seedInfoOf(options.dir);
  if (existing && existing.posts === options.posts && !options.force) {
    log(`Reusing the ${options.posts.toLocaleString('en')}-post community in ${options.dir}.`);
    return existing;
  }
  const started = Date.now();
  fs.rmSync(options.dir, { recursive: true, force: true });
  fs.mkdirSync(options.dir, { recursive: true });
  const file = path.join(options.dir, 'commons.db');

  // 1. The real communities, imported as any site would import them.
  const db = openDatabase(file);
  await migrateToLatest(db);
  const dumps = path.resolve(root, '../shared/data/stackexchange');
  let importedPosts = 0;
  for (const name of fs.existsSync(dumps) ? fs.readdirSync(dumps).sort() : []) {
    if (!fs.existsSync(path.join(dumps, name, 'Posts.xml'))) continue;
    const summary = await importStackExchange(db, { dir: path.join(dumps, name) });
    importedPosts += summary.posts;
    log(`Imported ${summary.siteName}: ${summary.posts} posts.`);
  }
  // The imported threads are indexed by the outbox; the recombined ones are written to FTS5
  // directly below and would flood Meilisearch, so the queue starts empty.
  await db.deleteFrom('search_outbox').execute();
  await db.destroy();
  const imported = importedPosts > 0 ? await poolFromImport(file) : null;
  const pool = imported ?? (await demoPool());
  log(
    `Text to recombine: ${pool.titles.length} titles, ${pool.sentences.length} sentences, ${pool.code.length} code blocks, ${pool.tags.length} tags, ${pool.userNames.length} names.`,
  );

  // 2. Recombined questions, answers and comments, with prepared statements in big transactions.
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -262144');
  sqlite.pragma('temp_store = MEMORY');
  const random = seededRandom(2026);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const now = Date.now();
  const start = now - 5 * 365 * 24 * 3600 * 1000;
  const at = (offset: number) => new Date(offset).toISOString();

  const userCount = Math.max(200, Math.round(options.posts / 8));
  const insertUser = sqlite.prepare(
    `insert into users (email, username, display_name, password_hash, reputation, created_at)
     values (?, ?, ?, null, ?, ?)`,
  );
  const userIds: number[] = [];
  sqlite.transaction(() => {
    for (let i = 1; i <= userCount; i++) {
      const name = pick(pool.userNames);
      const result = insertUser.run(
        `bench-${i}@bench.invalid`,
        `bench-${i}`,
        name,
        Math.floor(random() ** 3 * 5000),
        at(start + random() * (now - start) * 0.5),
      );
      userIds.push(Number(result.lastInsertRowid));
    }
  })();
  sqlite
    .prepare(
      `insert into users (email, username, display_name, password_hash, reputation,
         email_verified_at, created_at)
       values (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      benchMember.email,
      benchMember.login,
      benchMember.displayName,
      await hashPassword(benchMember.password),
      // Enough for every member privilege (voting, comments), as a regular would have.
      1000,
      at(now),
      at(start),
    );

  const tagIds = new Map<string, number>();
  for (const row of sqlite.prepare('select id, name from tags').all() as {
    id: number;
    name: string;
  }[])
    tagIds.set(row.name, row.id);
  const insertTag = sqlite.prepare('insert into tags (name, created_at) values (?, ?)');
  for (const name of pool.tags)
    if (!tagIds.has(name)) tagIds.set(name, Number(insertTag.run(name, at(start)).lastInsertRowid));
  const tagNames = [...tagIds.keys()];

  const insertThread = sqlite.prepare(
    `insert into threads (title, slug, body_md, body_html, author_id, status, views, score,
       answer_count, created_at, updated_at, last_activity_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertPost = sqlite.prepare(
    `insert into posts (thread_id, author_id, body_md, body_html, score, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?)`,
  );
  const acceptPost = sqlite.prepare(
    `update threads set accepted_post_id = ?, status = 'answered' where id = ?`,
  );
  const insertComment = sqlite.prepare(
    `insert into comments (thread_id, post_id, author_id, body_md, body_html, created_at)
     values (?, ?, ?, ?, ?, ?)`,
  );
  const insertThreadTag = sqlite.prepare(
    'insert or ignore into thread_tags (thread_id, tag_id) values (?, ?)',
  );
  const insertFts = sqlite.prepare(
    `insert into search_fts (rowid, doc_key, type, title, tags, body, answers, category_slug,
       journey_stage, answered, created_at, score, audience, category_audience)
     values (?, ?, 'thread', ?, ?, ?, ?, '', '', ?, ?, ?, ' public ', ' public ')`,
  );

  /** A body of real sentences (and sometimes a real code block) as Markdown, HTML and text. */
  const body = (sentenceCounts: number[]) => {
    const sentences = Array.from({ length: pick(sentenceCounts) }, () => pick(pool.sentences));
    const paragraphs: string[][] = [];
    for (const sentence of sentences) {
      const last = paragraphs.at(-1);
      if (!last || last.length >= 1 + Math.floor(random() * 4)) paragraphs.push([sentence]);
      else last.push(sentence);
    }
    const md = paragraphs.map((paragraph) => escapeMarkdown(paragraph.join(' ')));
    const html = paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph.join(' '))}</p>\n`);
    const text = [paragraphs.map((paragraph) => paragraph.join(' ')).join(' ')];
    if (pool.code.length && random() < pool.codeShare) {
      const code = pick(pool.code);
      const position = Math.floor(random() * (md.length + 1));
      md.splice(position, 0, code.md);
      html.splice(position, 0, code.html);
      text.push(code.text);
    }
    return { md: md.join('\n\n'), html: html.join(''), text: text.join(' ') };
  };
  const comment = () => {
    const sentence = pick(pool.sentences).slice(0, 300);
    return { md: escapeMarkdown(sentence), html: `<p>${escapeHtml(sentence)}</p>\n` };
  };

  // The recombined threads' search documents, sent to Meilisearch once the database is written.
  const documentsFile = path.join(options.dir, 'search-documents.ndjson');
  const documentsFd = fs.openSync(documentsFile, 'w');
  const firstRecombinedThread = (
    sqlite.prepare('select coalesce(max(id), 0) + 1 as id from threads').get() as { id: number }
  ).id;

  const target = Math.max(0, options.posts - importedPosts);
  const progress = createProgress('recombining posts', target, process.stderr, true);
  let posts = 0;
  let benchThread: SeedInfo['benchThread'] | null = null;
  let searchQuery = '';
  const writeThread = (answerCount: number) => {
    const title =
      random() < 0.7
        ? pick(pool.titles)
        : `${pick(pool.titles).replace(/\?$/, '')}: ${pick(tagNames)}?`;
    const question = body(pool.questionSentences);
    const createdAt = start + random() * (now - start);
    const authorId = pick(userIds);
    const tags = [
      ...new Set(Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(tagNames))),
    ];
    const score = Math.round(random() ** 4 * 60) - 2;
    const result = insertThread.run(
      title,
      threadSlug(title),
      question.md,
      question.html,
      authorId,
      'open',
      Math.floor(random() ** 2 * 5000),
      score,
      answerCount,
      at(createdAt),
      at(createdAt),
      at(createdAt + answerCount * 3_600_000),
    );
    const threadId = Number(result.lastInsertRowid);
    for (const tag of tags) insertThreadTag.run(threadId, tagIds.get(tag));
    const answerTexts: string[] = [];
    let accepted: number | null = null;
    let acceptedText = '';
    const postIds: (number | null)[] = [null];
    for (let i = 0; i < answerCount; i++) {
      const answer = body(pool.answerSentences);
      const answeredAt = at(createdAt + (i + 1) * 3_600_000 * (1 + random() * 24));
      const post = insertPost.run(
        threadId,
        pick(userIds),
        answer.md,
        answer.html,
        Math.round(random() ** 4 * 40) - 1,
        answeredAt,
        answeredAt,
      );
      const postId = Number(post.lastInsertRowid);
      postIds.push(postId);
      if (accepted === null && random() < 0.45) {
        accepted = postId;
        acceptedText = answer.text;
      } else answerTexts.push(answer.text);
    }
    if (accepted !== null) acceptPost.run(accepted, threadId);
    for (const postId of postIds) {
      const n = pick(pool.commentsPerPost);
      for (let i = 0; i < n; i++) {
        const text = comment();
        insertComment.run(
          threadId,
          postId,
          pick(userIds),
          text.md,
          text.html,
          at(createdAt + 60_000),
        );
      }
    }
    // The accepted answer leads, as in the app's own search documents.
    const answers = (acceptedText ? [acceptedText, ...answerTexts] : answerTexts)
      .join('\n')
      .slice(0, 20_000);
    const slug = threadSlug(title);
    const document: SearchDocument = {
      id: threadId,
      type: 'thread',
      title,
      tags,
      body: question.text.slice(0, 20_000),
      answers,
      category: null,
      category_slug: null,
      journey_stage: null,
      status: accepted !== null ? 'answered' : 'open',
      answered: accepted !== null,
      created_at: Math.floor(createdAt / 1000),
      score,
      url: questionPath({ id: threadId, slug }),
      audience: ['public'],
      category_audience: ['public'],
      // Any value unlike a real hash: the outbox would send the thread again if it ever changed.
      version: `bench-seed-${seedVersion}`,
    };
    insertFts.run(
      threadId * 2,
      `thread-${threadId}`,
      title,
      tags.join(' '),
      document.body,
      answers,
      accepted !== null ? '1' : '0',
      String(document.created_at),
      score,
    );
    fs.writeSync(documentsFd, `${JSON.stringify(document)}\n`);
    posts += 1 + answerCount;
    return { threadId, slug, title };
  };

  const batch = sqlite.transaction((until: number) => {
    while (posts < until) {
      if (!benchThread) {
        const { threadId, slug, title } = writeThread(benchThreadAnswers);
        benchThread = { id: threadId, slug, answers: benchThreadAnswers };
        // At most three words: keywords, which suggestions send to Meilisearch alone (typeAheadMode).
        searchQuery = meaningfulWords(title).slice(0, 3).join(' ');
        continue;
      }
      writeThread(Math.min(pick(pool.answersPerQuestion), until - posts - 1));
    }
  });
  while (posts < target) {
    batch(Math.min(target, posts + 50_000));
    progress.update(posts, `${posts.toLocaleString('en')} posts`);
  }
  progress.finish(`${posts.toLocaleString('en')} posts`);

  // A few published articles, for the knowledge-base page measurements.
  const author = userIds[0]!;
  const insertArticle = sqlite.prepare(
    `insert into articles (slug, title, body_md, body_html, status, author_id, owner_id, views,
       published_at, status_changed_at, status_changed_by, created_at, updated_at)
     values (?, ?, ?, ?, 'published', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let articleSlug = '';
  sqlite.transaction(() => {
    for (let i = 1; i <= 20; i++) {
      const title = pick(pool.titles).replace(/\?$/, '');
      const slug = `${threadSlug(title)}-${i}`;
      const text = body([12, 20, 30]);
      const when = at(now - i * 86_400_000);
      insertArticle.run(
        slug,
        title,
        text.md,
        text.html,
        author,
        author,
        i * 10,
        when,
        when,
        author,
        when,
        when,
      );
      articleSlug ||= slug;
    }
  })();
  const count = (table: string) =>
    (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  const totals = {
    threads: count('threads'),
    answers: count('posts'),
    comments: count('comments'),
  };
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
  fs.closeSync(documentsFd);

  // 3. Search: the imported threads and the articles through the app's own document builder (FTS5
  // rows too), then everything into Meilisearch.
  const appDb = openDatabase(file);
  const articles: SearchDocument[] = [];
  try {
    const importedIds = await appDb
      .selectFrom('threads')
      .select('id')
      .where('id', '<', firstRecombinedThread)
      .where('deleted_at', 'is', null)
      .execute();
    const articleIds: number[] = [];
    for await (const ids of allEntityIds(appDb, 'article')) articleIds.push(...ids);
    await appDb.transaction().execute(async (trx) => {
      for (const { id } of importedIds) {
        const document = await buildDocument(trx, 'thread', id);
        await writeFtsDocument(trx, 'thread', id, document);
        if (document) fs.appendFileSync(documentsFile, `${JSON.stringify(document)}\n`);
      }
      for (const id of articleIds) {
        const document = await buildDocument(trx, 'article', id);
        await writeFtsDocument(trx, 'article', id, document);
        if (document) articles.push(document);
      }
    });
  } finally {
    await appDb.destroy();
  }
  const meilisearch = await indexInMeilisearch(
    options.dir,
    documentsFile,
    articles,
    options.indexMinutes ?? defaultIndexMinutes,
    log,
  );
  fs.rmSync(documentsFile);

  const info: SeedInfo = {
    version: seedVersion,
    posts: options.posts,
    ...totals,
    users: userCount,
    importedPosts,
    benchThread: benchThread ?? { id: 0, slug: '', answers: 0 },
    article: { slug: articleSlug },
    searchQuery,
    seconds: (Date.now() - started) / 1000,
    databaseBytes: fs.statSync(file).size,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    meilisearch,
    text: imported ? 'stackexchange' : 'demo',
  };
  fs.writeFileSync(path.join(options.dir, 'seed.json'), `${JSON.stringify(info, null, 2)}\n`);
  log(
    `Seeded ${options.posts.toLocaleString('en')} posts (${info.threads.toLocaleString('en')} questions, ${info.answers.toLocaleString('en')} answers, ${info.comments.toLocaleString('en')} comments) in ${info.seconds.toFixed(0)} s; database ${(info.databaseBytes / 2 ** 20).toFixed(0)} MiB; peak RSS ${info.peakRssMiB.toFixed(0)} MiB` +
      (meilisearch
        ? `; Meilisearch indexed ${meilisearch.documents.toLocaleString('en')} documents in ${meilisearch.seconds.toFixed(0)} s (${(meilisearch.diskBytes / 2 ** 20).toFixed(0)} MiB).`
        : '.'),
  );
  return info;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await seed(parseOptions());
}
