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
import { importStackExchange } from '../import/stackexchange/importer';
import { createProgress } from '../import/progress';
import { markdownToText, renderMarkdown } from '~/utils/markdown.server';
import { threadSlug } from '~/models/threads.server';
import { demoTextPool, seededRandom } from './corpus';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const seedVersion = 3;
/** The question that gets exactly this many answers, for the thread page benchmark. */
export const benchThreadAnswers = 30;

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
  seconds: number;
  databaseBytes: number;
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
    },
  });
  const posts = Number(values.posts);
  if (!Number.isInteger(posts) || posts < 1000) throw new Error('--posts must be at least 1000');
  return {
    posts,
    dir: path.resolve(root, values.dir ?? `data-bench/posts-${posts}`),
    force: values.force ?? false,
  };
}

export function seedInfoOf(dir: string): SeedInfo | null {
  const file = path.join(dir, 'seed.json');
  if (!fs.existsSync(file)) return null;
  const info = JSON.parse(fs.readFileSync(file, 'utf8')) as SeedInfo;
  return info.version === seedVersion ? info : null;
}

/** Builds (or reuses) a community of `posts` questions and answers in `dir`. */
export async function seed(
  options: { posts: number; dir: string; force?: boolean },
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
       journey_stage, answered, created_at, score)
     values (?, ?, 'thread', ?, ?, ?, ?, '', '', ?, ?, ?)`,
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

  const target = Math.max(0, options.posts - importedPosts);
  const progress = createProgress('recombining posts', target, process.stderr, true);
  let posts = 0;
  let benchThread: SeedInfo['benchThread'] | null = null;
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
      answerTexts.push(answer.text);
      if (accepted === null && random() < 0.45) accepted = postId;
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
    insertFts.run(
      threadId * 2,
      `thread-${threadId}`,
      title,
      tags.join(' '),
      question.text.slice(0, 20_000),
      answerTexts.join('\n').slice(0, 20_000),
      accepted !== null ? '1' : '0',
      String(Math.floor(createdAt / 1000)),
      score,
    );
    posts += 1 + answerCount;
    return { threadId, slug: threadSlug(title) };
  };

  const batch = sqlite.transaction((until: number) => {
    while (posts < until) {
      if (!benchThread) {
        const { threadId, slug } = writeThread(benchThreadAnswers);
        benchThread = { id: threadId, slug, answers: benchThreadAnswers };
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

  const info: SeedInfo = {
    version: seedVersion,
    posts: options.posts,
    ...totals,
    users: userCount,
    importedPosts,
    benchThread: benchThread ?? { id: 0, slug: '', answers: 0 },
    article: { slug: articleSlug },
    seconds: (Date.now() - started) / 1000,
    databaseBytes: fs.statSync(file).size,
    text: imported ? 'stackexchange' : 'demo',
  };
  fs.writeFileSync(path.join(options.dir, 'seed.json'), `${JSON.stringify(info, null, 2)}\n`);
  log(
    `Seeded ${options.posts.toLocaleString('en')} posts (${info.threads.toLocaleString('en')} questions, ${info.answers.toLocaleString('en')} answers, ${info.comments.toLocaleString('en')} comments) in ${info.seconds.toFixed(0)} s; database ${(info.databaseBytes / 2 ** 20).toFixed(0)} MiB.`,
  );
  return info;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await seed(parseOptions());
}
