// `npm run bench:gaps [-- --events 1000000] [--dir data-bench/gaps-1000000] [--force] [--no-http]`:
// the gap dashboard over a database holding a million events. Builds the database once in a
// DATA_DIR of its own (90 days of searches, clicks, views, votes, self-resolutions and tickets
// from 200,000 readers), then times: the first catch-up of the rollups, the dashboard's figures
// for 7, 30 and 90 days, the same after 2,000 new events, and the page itself over HTTP through
// the production server. Writes bench/results/gaps-<date>.json and prints a table.
import { type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { openDatabase, type Database } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { journeyStages } from '#db/schema';
import { hashPassword } from '~/utils/password.server';
import { parseRange } from '~/models/analytics/date-range';
import { refreshAnalytics } from '~/models/analytics/rollup.server';
import { gapReport } from '~/models/analytics/gap-report.server';
import { seededRandom } from './corpus';
import { startApp } from './search';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    dir: { type: 'string' },
    force: { type: 'boolean', default: false },
    'no-http': { type: 'boolean', default: false },
    runs: { type: 'string', default: '7' },
  },
});
const eventCount = Number(values.events);
const runs = Number(values.runs);
const dir = path.resolve(root, values.dir ?? `data-bench/gaps-${eventCount}`);
const file = path.join(dir, 'commons.db');
const agentLogin = { username: 'bench.agent', password: 'bench agent passphrase' };

const day = 86_400_000;
const now = Date.now();

/** Builds the database with raw prepared statements: model functions would take an hour. */
async function build() {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const db = openDatabase(file);
  await migrateToLatest(db);
  await db.destroy();
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = OFF');
  const rand = seededRandom(9);
  const int = (n: number) => Math.floor(rand() * n);
  /** Skewed towards small numbers: a few items are popular, most are rare. */
  const skewed = (n: number, power = 2) => Math.floor(n * rand() ** power);
  const iso = (time: number) => new Date(time).toISOString();
  const created = iso(now - 200 * day);
  const started = Date.now();

  const members = 30_000;
  const articles = 400;
  const threads = 5_000;
  const tickets = 15_000;
  const readers = 200_000;
  const words = Array.from({ length: 3000 }, (_, index) => `w${index.toString(36)}`);
  const queries = Array.from({ length: 50_000 }, () =>
    Array.from({ length: 1 + int(4) }, () => words[skewed(words.length)]).join(' '),
  );

  sqlite.transaction(() => {
    const category = sqlite.prepare(
      'insert into categories (name, slug, description, position, created_at) values (?, ?, ?, ?, ?)',
    );
    for (let index = 1; index <= 7; index += 1)
      category.run(`Category ${index}`, `c${index}`, '', index, created);
    const user = sqlite.prepare(
      'insert into users (email, username, display_name, password_hash, role, created_at) values (?, ?, ?, ?, ?, ?)',
    );
    user.run('agent@bench.example', agentLogin.username, 'Bench Agent', null, 'agent', created);
    for (let index = 0; index < members; index += 1)
      user.run(`m${index}@bench.example`, `m${index}`, `Member ${index}`, null, 'member', created);
    const article = sqlite.prepare(
      `insert into articles (slug, title, body_md, body_html, status, category_id, journey_stage,
        author_id, owner_id, views, review_due_at, published_at, status_changed_at, status_changed_by,
        created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, 1, 1, 0, ?, ?, ?, 1, ?, ?)`,
    );
    for (let index = 1; index <= articles; index += 1) {
      const published = index % 10 !== 0;
      article.run(
        `article-${index}`,
        `Article ${index}`,
        'Body',
        '<p>Body</p>',
        published ? 'published' : 'draft',
        1 + (index % 7),
        journeyStages[index % journeyStages.length],
        published ? iso(now + (int(360) - 60) * day) : null,
        published ? created : null,
        created,
        created,
        created,
      );
    }
    const thread = sqlite.prepare(
      `insert into threads (title, slug, body_md, body_html, author_id, category_id, status,
        journey_stage, views, answer_count, created_at, updated_at, last_activity_at)
        values (?, ?, 'Q', '<p>Q</p>', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const post = sqlite.prepare(
      `insert into posts (thread_id, author_id, body_md, body_html, created_at, updated_at)
        values (?, ?, 'A', '<p>A</p>', ?, ?)`,
    );
    const accept = sqlite.prepare('update threads set accepted_post_id = ? where id = ?');
    for (let index = 1; index <= threads; index += 1) {
      const answered = index % 5 < 3;
      const at = iso(now - int(365) * day);
      const info = thread.run(
        `Thread ${index} ${queries[index]}`,
        `thread-${index}`,
        2 + int(members),
        1 + (index % 7),
        answered ? 'answered' : 'open',
        journeyStages[index % journeyStages.length],
        skewed(3000, 3),
        answered ? 1 : 0,
        at,
        at,
        at,
      );
      if (answered) {
        const answer = post.run(Number(info.lastInsertRowid), 2 + int(members), at, at);
        accept.run(Number(answer.lastInsertRowid), Number(info.lastInsertRowid));
      }
    }
  })();

  const event = sqlite.prepare(
    `insert into events (type, user_id, visitor_id, thread_id, post_id, article_id, ticket_id, data, created_at)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const ticket = sqlite.prepare(
    `insert into tickets (subject, body_md, body_html, requester_id, category_id, status, source, created_at, updated_at, solved_at)
      values (?, 'Help', '<p>Help</p>', ?, ?, ?, 'web', ?, ?, ?)`,
  );
  const resolution = sqlite.prepare(
    `insert into resolutions (ticket_id, kind, article_id, thread_id, resolved_by, created_at) values (?, ?, ?, ?, 1, ?)`,
  );
  const link = sqlite.prepare(
    `insert into ticket_links (ticket_id, target_type, target_id, relation, created_by, created_at)
      values (?, ?, ?, 'filed_from', ?, ?)`,
  );
  const feedback = sqlite.prepare(
    `insert into article_feedback (article_id, reader, user_id, helpful, reason, created_at, updated_at)
      values (?, ?, ?, ?, ?, ?, ?) on conflict (article_id, reader) do update set helpful = excluded.helpful, updated_at = excluded.updated_at`,
  );
  const selfResolved = new Set<string>();
  let written = 0;
  let ticketsWritten = 0;
  const batch = 20_000;
  while (written < eventCount) {
    sqlite.transaction(() => {
      for (let index = 0; index < batch && written < eventCount; index += 1) {
        // Spread over 90 days, growing a little towards today, in time order.
        const time = now - 90 * day + ((written + rand()) / eventCount) * 90 * day;
        const at = iso(Math.min(time, now - 1000));
        const readerIndex = skewed(readers);
        const signedIn = readerIndex < members && rand() < 0.3;
        const userId = signedIn ? 2 + readerIndex : null;
        const visitor = signedIn ? `user:${userId}` : `visitor:${readerIndex}`;
        const roll = rand();
        const article = 1 + skewed(articles, 1.5);
        const query = queries[skewed(queries.length, 3)] ?? 'w0';
        if (roll < 0.5) {
          // One query in ten never finds anything (typos, missing content); the others do.
          const queryIndex = skewed(queries.length, 3);
          const searched = queries[queryIndex] ?? 'w0';
          const zero = queryIndex % 10 === 3 || rand() < 0.02;
          const staff = rand() < 0.02;
          const bot = rand() < 0.01;
          event.run(
            'search',
            userId,
            visitor,
            null,
            null,
            null,
            null,
            JSON.stringify({
              query: searched,
              filters: {},
              results: zero ? 0 : 1 + int(20),
              engine: 'meilisearch',
              staff,
              bot,
            }),
            at,
          );
          // Most searches that find something lead to a click a minute later.
          if (!zero && rand() < 0.55) {
            event.run(
              'search_click',
              userId,
              visitor,
              null,
              null,
              article,
              null,
              JSON.stringify({
                key: `article-${article}`,
                position: 1 + int(5),
                query: searched,
                source: 'search',
                staff,
                bot,
              }),
              iso(Date.parse(at) + 60_000),
            );
            written += 1;
          }
        } else if (roll < 0.84) {
          event.run('article_view', userId, visitor, null, null, article, null, null, at);
        } else if (roll < 0.86) {
          const threadId = 1 + skewed(threads, 1.5);
          const target = rand() < 0.5 ? `t${threadId}` : `a${article}`;
          if (selfResolved.has(`${target}|${visitor}`)) continue;
          selfResolved.add(`${target}|${visitor}`);
          if (target.startsWith('t'))
            event.run('self_resolved', userId, visitor, threadId, null, null, null, null, at);
          else event.run('self_resolved', userId, visitor, null, null, article, null, null, at);
        } else if (roll < 0.89) {
          const helpful = rand() < 0.7 ? 1 : 0;
          feedback.run(article, visitor, userId, helpful, helpful ? null : 'unclear', at, at);
          event.run(
            'article_helpful',
            userId,
            visitor,
            null,
            null,
            article,
            null,
            JSON.stringify({ helpful: Boolean(helpful), reason: null }),
            at,
          );
        } else if (roll < 0.905 && ticketsWritten < tickets) {
          const requester = 2 + skewed(members);
          const solved = rand() < 0.75;
          const solvedAt = iso(Math.min(now - 1000, Date.parse(at) + int(48) * 3_600_000));
          const info = ticket.run(
            `Ticket about ${query}`,
            requester,
            1 + int(7),
            solved ? 'solved' : 'open',
            at,
            at,
            solved ? solvedAt : null,
          );
          const ticketId = Number(info.lastInsertRowid);
          ticketsWritten += 1;
          const fromArticle = rand() < 0.3 ? article : null;
          if (fromArticle) link.run(ticketId, 'article', fromArticle, requester, at);
          event.run(
            'ticket_created',
            requester,
            null,
            null,
            null,
            fromArticle,
            ticketId,
            JSON.stringify({ source: 'web' }),
            at,
          );
          if (solved) {
            const kind = (['article', 'thread', 'none', 'other'] as const)[int(4)] ?? 'other';
            resolution.run(
              ticketId,
              kind,
              kind === 'article' ? article : null,
              kind === 'thread' ? 1 + skewed(threads) : null,
              solvedAt,
            );
            event.run(
              'ticket_solved',
              1,
              null,
              null,
              null,
              null,
              ticketId,
              JSON.stringify({ kind }),
              solvedAt,
            );
            written += 1;
          }
        } else if (roll < 0.95) {
          event.run('vote', userId ?? 2, null, 1 + int(threads), null, null, null, null, at);
        } else {
          event.run(
            'question_asked',
            userId ?? 2,
            null,
            1 + int(threads),
            null,
            null,
            null,
            null,
            at,
          );
        }
        written += 1;
      }
    })();
  }
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
  const db2 = openDatabase(file);
  await db2
    .updateTable('users')
    .set({ password_hash: await hashPassword(agentLogin.password) })
    .where('username', '=', agentLogin.username)
    .execute();
  await db2.destroy();
  return { seconds: (Date.now() - started) / 1000, tickets: ticketsWritten };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const round = (value: number) => Math.round(value * 10) / 10;

async function timeReport(db: Database, key: string) {
  const range = parseRange(new URLSearchParams(`range=${key}`)).range;
  const times: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    const started = performance.now();
    await gapReport(db, range);
    times.push(performance.now() - started);
  }
  return { medianMs: round(median(times)), maxMs: round(Math.max(...times)) };
}

async function timePage(url: string, cookie: string, key: string) {
  const times: number[] = [];
  let bytes = 0;
  for (let index = 0; index < runs + 1; index += 1) {
    const started = performance.now();
    const response = await fetch(`${url}/agent/gaps?range=${key}`, { headers: { Cookie: cookie } });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`GET /agent/gaps answered ${response.status}`);
    bytes = body.length;
    if (index > 0) times.push(performance.now() - started);
  }
  return {
    medianMs: round(median(times)),
    maxMs: round(Math.max(...times)),
    kib: round(bytes / 1024),
  };
}

async function main() {
  let built: { seconds: number; tickets: number } | null = null;
  if (values.force || !fs.existsSync(file)) {
    console.log(
      `Building ${eventCount.toLocaleString('en')} events in ${path.relative(root, dir)}…`,
    );
    built = await build();
    console.log(`Built in ${built.seconds} s.`);
  }
  const db = openDatabase(file);
  await migrateToLatest(db);
  const count = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  let started = performance.now();
  const catchUp = await refreshAnalytics(db);
  const catchUpSeconds = round((performance.now() - started) / 1000);
  console.log(
    `Rollups caught up with ${catchUp.processed.toLocaleString('en')} events in ${catchUpSeconds} s.`,
  );

  const figures: Record<string, { medianMs: number; maxMs: number }> = {};
  for (const key of ['7', '30', '90']) figures[key] = await timeReport(db, key);

  // 2,000 new events since the last view: the next view counts them first.
  const last = await db
    .selectFrom('events')
    .select(['type', 'user_id', 'visitor_id', 'article_id', 'data'])
    .where('type', 'in', ['search', 'search_click', 'article_view'])
    .orderBy('id', 'desc')
    .limit(2000)
    .execute();
  await db.transaction().execute(async (trx) => {
    for (const row of last)
      await trx
        .insertInto('events')
        .values({ ...row, created_at: new Date().toISOString() })
        .execute();
  });
  started = performance.now();
  await gapReport(db, parseRange(new URLSearchParams('range=30')).range);
  const incrementalMs = round(performance.now() - started);
  await db.destroy();

  let page: Record<string, { medianMs: number; maxMs: number; kib: number }> | null = null;
  if (!values['no-http']) {
    let app: { url: string; child: ChildProcess } | null = null;
    try {
      app = await startApp({
        NODE_ENV: 'production',
        PORT: '0',
        DATA_DIR: dir,
        LOG_REQUESTS: 'false',
        // The seeded communities' indexes hold no title vectors (bench/seed.ts says why).
        SEARCH_BY_MEANING: 'off',
      });
      const login = await fetch(`${app.url}/login`, {
        method: 'POST',
        body: new URLSearchParams({ login: agentLogin.username, password: agentLogin.password }),
        redirect: 'manual',
      });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      if (!cookie) throw new Error(`sign-in failed (${login.status})`);
      page = {};
      for (const key of ['7', '30', '90']) page[key] = await timePage(app.url, cookie, key);
    } finally {
      if (app?.child.pid && app.child.exitCode === null) {
        const exited = new Promise((resolve) => app?.child.once('exit', resolve));
        process.kill(app.child.pid, 'SIGTERM');
        await exited;
      }
    }
  }

  const sizeMiB = round(fs.statSync(file).size / 2 ** 20);
  const results = {
    date: new Date().toISOString(),
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      node: process.version,
    },
    events: Number(count.n),
    databaseMiB: sizeMiB,
    built,
    catchUp: { events: catchUp.processed, seconds: catchUpSeconds },
    figuresMs: figures,
    after2000NewEventsMs: incrementalMs,
    pageMs: page,
  };
  const lines = [
    `Gap dashboard with ${Number(count.n).toLocaleString('en')} events (${sizeMiB} MiB database), ${runs} runs each:`,
    '',
    '| range | figures, median ms | figures, max ms | page over HTTP, median ms | max ms | HTML KiB |',
    '| ----- | ------------------ | --------------- | ------------------------- | ------ | -------- |',
    ...['7', '30', '90'].map(
      (key) =>
        `| ${key} days | ${figures[key]?.medianMs} | ${figures[key]?.maxMs} | ${page?.[key]?.medianMs ?? '—'} | ${page?.[key]?.maxMs ?? '—'} | ${page?.[key]?.kib ?? '—'} |`,
    ),
    '',
    `First catch-up of the rollups: ${catchUpSeconds} s for ${catchUp.processed.toLocaleString('en')} events; a view after 2,000 new events: ${incrementalMs} ms (30 days).`,
  ];
  console.log(lines.join('\n'));
  fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  fs.writeFileSync(
    path.join(root, `bench/results/gaps-${results.date.slice(0, 10)}.json`),
    `${JSON.stringify(results, null, 2)}\n`,
  );
}

await main();
