// Import throughput and peak memory: the real dumps, and a larger dump recombined from them to
// show that memory stays flat as the input grows. Into a SQLite file, or with
// IMPORT_POSTGRES=postgres://…/postgres into a fresh database on that server.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { databaseUrl, onServer } from '#db/dialect';
import type { ImportSummary } from '../import/stackexchange/importer';
import { readStackExchangeText, seededRandom, type TextPool } from './corpus';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type ImportBenchResult = {
  dump: string;
  posts: number;
  rows: { questions: number; answers: number; comments: number; users: number };
  seconds: number;
  postsPerSecond: number;
  peakRssMiB: number;
  dumpMiB: number;
  /** Seconds of every run; the figures above are the median run's. */
  runSeconds: number[];
};

const escapeAttribute = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#xA;');

function row(attributes: Record<string, string | number | null | undefined>) {
  const parts = Object.entries(attributes)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([name, value]) => `${name}="${escapeAttribute(String(value))}"`);
  return `  <row ${parts.join(' ')} />\n`;
}

/** Writes a Stack Exchange dump of about `posts` posts recombined from real text. */
export async function writeRecombinedDump(dir: string, pool: TextPool, posts: number) {
  fs.mkdirSync(dir, { recursive: true });
  const random = seededRandom(99);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const date = (offset: number) => new Date(1_600_000_000_000 + offset * 60_000).toISOString();
  const open = (name: string, element: string) => {
    const stream = fs.createWriteStream(path.join(dir, name));
    stream.write(`<?xml version="1.0" encoding="utf-8"?>\n<${element}>\n`);
    return stream;
  };
  const write = (stream: fs.WriteStream, text: string) =>
    stream.write(text)
      ? Promise.resolve()
      : new Promise((resolve) => stream.once('drain', resolve));
  const close = (stream: fs.WriteStream, element: string) =>
    new Promise<void>((resolve) => stream.end(`</${element}>\n`, () => resolve()));

  const userCount = Math.max(100, Math.round(posts / 10));
  const users = open('Users.xml', 'users');
  for (let id = 1; id <= userCount; id++)
    await write(
      users,
      row({
        Id: id,
        Reputation: 1 + id,
        CreationDate: date(id),
        DisplayName: `${pick(pool.titles).split(' ')[0]} ${id}`,
      }),
    );
  await close(users, 'users');
  const tags = open('Tags.xml', 'tags');
  for (const [index, name] of pool.tags.entries())
    if (/^[a-z0-9][a-z0-9+#._-]{0,34}$/.test(name))
      await write(tags, row({ Id: index + 1, TagName: name, Count: 1 }));
  await close(tags, 'tags');

  const html = (count: number) =>
    Array.from({ length: count }, () => `<p>${escapeHtml(pick(pool.sentences))}</p>`).join('\n');
  const postsFile = open('Posts.xml', 'posts');
  const comments = open('Comments.xml', 'comments');
  let id = 0;
  let commentId = 0;
  while (id < posts) {
    const questionId = ++id;
    const answerCount = Math.min(posts - id, Math.floor(random() * 4));
    const answerIds = Array.from({ length: answerCount }, () => ++id);
    await write(
      postsFile,
      row({
        Id: questionId,
        PostTypeId: 1,
        AcceptedAnswerId: answerIds.length && random() < 0.45 ? answerIds[0] : null,
        CreationDate: date(questionId),
        Score: Math.floor(random() * 20),
        ViewCount: Math.floor(random() * 1000),
        Body: html(2 + Math.floor(random() * 6)),
        OwnerUserId: 1 + Math.floor(random() * userCount),
        LastActivityDate: date(id),
        Title: pick(pool.titles),
        Tags: `<${pick(pool.tags)}>`,
        AnswerCount: answerCount,
        ContentLicense: 'CC BY-SA 4.0',
      }),
    );
    for (const answerId of answerIds) {
      await write(
        postsFile,
        row({
          Id: answerId,
          PostTypeId: 2,
          ParentId: questionId,
          CreationDate: date(answerId),
          Score: Math.floor(random() * 10),
          Body: html(1 + Math.floor(random() * 6)),
          OwnerUserId: 1 + Math.floor(random() * userCount),
          ContentLicense: 'CC BY-SA 4.0',
        }),
      );
      if (random() < 0.7)
        await write(
          comments,
          row({
            Id: ++commentId,
            PostId: answerId,
            Text: pick(pool.sentences).slice(0, 300),
            CreationDate: date(answerId),
            UserId: 1 + Math.floor(random() * userCount),
            ContentLicense: 'CC BY-SA 4.0',
          }),
        );
    }
  }
  await close(postsFile, 'posts');
  await close(comments, 'comments');
  for (const [name, element] of [
    ['PostLinks.xml', 'postlinks'],
    ['Votes.xml', 'votes'],
  ] as const)
    await close(open(name, element), element);
}

function escapeHtml(text: string) {
  return text.replace(/[&<>]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[char]!);
}

function folderMiB(dir: string) {
  return (
    fs.readdirSync(dir).reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0) /
    2 ** 20
  );
}

/**
 * Runs `npm run import:stackexchange` on a dump in a fresh data directory, as a user would, `runs`
 * times: the median run is the result (on a shared 2-core machine one run can vary by ±20%).
 */
export async function benchImport(
  dump: string,
  label = path.basename(dump),
  site?: string,
  runs = 1,
): Promise<ImportBenchResult> {
  const results: ImportBenchResult[] = [];
  for (let run = 0; run < runs; run++) results.push(await importOnce(dump, label, site));
  const bySeconds = [...results].sort((a, b) => a.seconds - b.seconds);
  const median = bySeconds[Math.floor((bySeconds.length - 1) / 2)]!;
  return { ...median, runSeconds: results.map((result) => result.seconds) };
}

async function importOnce(
  dump: string,
  label: string,
  site: string | undefined,
): Promise<ImportBenchResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-bench-import-'));
  const server = process.env.IMPORT_POSTGRES;
  const database = `commons_bench_import_${Date.now()}`;
  if (server) await onServer(server, [`create database ${database}`]);
  try {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/import-stackexchange.ts',
        dump,
        '--json',
        ...(site ? ['--site', site] : []),
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          ...(server ? { DATABASE_URL: databaseUrl(server, database) } : {}),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`the import of ${label} exited with ${code}`);
    const summary = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as ImportSummary;
    const total = (counts: { created: number; updated: number; unchanged: number }) =>
      counts.created + counts.updated + counts.unchanged;
    const result: ImportBenchResult = {
      dump: label,
      posts: summary.posts,
      rows: {
        questions: total(summary.questions),
        answers: total(summary.answers),
        comments: total(summary.comments),
        users: total(summary.users),
      },
      seconds: summary.seconds,
      postsPerSecond: summary.postsPerSecond,
      peakRssMiB: summary.peakRssBytes / 2 ** 20,
      dumpMiB: folderMiB(dump),
      runSeconds: [summary.seconds],
    };
    return result;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (server) await onServer(server, [`drop database if exists ${database} with (force)`]);
  }
}

// `node --import tsx bench/import.ts [--posts 20000] [--runs 3]` runs this step alone: each real
// dump once, and the recombined dump `runs` times.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      posts: { type: 'string', default: '20000' },
      runs: { type: 'string', default: '3' },
    },
  });
  const dumps = path.resolve(root, '../shared/data/stackexchange');
  const results: ImportBenchResult[] = [];
  for (const name of ['cardano-2021', 'conlang-meta-2020']) {
    const dir = path.join(dumps, name);
    if (fs.existsSync(path.join(dir, 'Posts.xml'))) results.push(await benchImport(dir));
  }
  const pool = readStackExchangeText(dumps);
  if (pool) {
    const posts = Number(values.posts);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-bench-dump-'));
    try {
      await writeRecombinedDump(dir, pool, posts);
      results.push(
        await benchImport(
          dir,
          `recombined ${posts} posts`,
          'https://recombined.stackexchange.com',
          Number(values.runs),
        ),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  for (const result of results)
    console.log(
      `${result.dump}: ${result.posts} posts in ${result.seconds.toFixed(1)} s (runs ${result.runSeconds.map((seconds) => seconds.toFixed(1)).join(', ')}), ${Math.round(result.postsPerSecond)} posts/s, peak ${Math.round(result.peakRssMiB)} MiB`,
    );
}
