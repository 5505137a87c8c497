// `npm run bench`: every benchmark, on real Stack Exchange text at 100,000 and 1,000,000 posts.
// Writes bench/results/<date>.json and <date>.md and prints the Markdown table. `--help` for the
// options.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { readStackExchangeText } from './corpus';
import { benchImport, writeRecombinedDump, type ImportBenchResult } from './import';
import { benchLag, type LagResult } from './lag';
import { benchMail, type MailBenchResult } from './mail';
import { benchMailIn, type MailInBenchResult } from './mail-in';
import {
  anonymousThread,
  benchOverload,
  benchPage,
  memberThread,
  pageTargets,
  shippedJs,
  type OverloadResult,
  type PageResult,
  type ShippedJs,
} from './pages';
import { benchPostgres, stopPostgresBench, type PostgresBenchResult } from './postgres';
import {
  runSearchBench,
  searchRatioGoal,
  startApp,
  stopApp,
  type SearchBenchResult,
} from './search';
import { benchThreadAnswers, seed, type SeedInfo } from './seed';
import {
  runSitemapBench,
  sitemapGoalMs,
  sitemapSlowestMs,
  sitemapTable,
  type SitemapBenchResult,
} from './sitemap';
import { benchUploads, type UploadsBenchResult } from './uploads';
import {
  runVisibilityBench,
  visibilityRatioGoal,
  visibilityTable,
  type VisibilityBenchResult,
} from './visibility';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    seconds: { type: 'string', default: '15' },
    'lag-answers': { type: 'string', default: '1000' },
    'search-docs': { type: 'string', default: '100000' },
    'visibility-docs': { type: 'string', default: '100000' },
    'sitemap-threads': { type: 'string', default: '100000' },
    'import-posts': { type: 'string', default: '20000' },
    /** Which steps to run, comma-separated: import, pages, postgres, lag, search, visibility, sitemap, mail, mail-in, uploads. */
    steps: {
      type: 'string',
      default: 'import,pages,postgres,lag,search,visibility,sitemap,mail,mail-in,uploads',
    },
    'upload-files': { type: 'string', default: '200' },
    'mail-messages': { type: 'string', default: '1000' },
    /** Use the build/ already there (when another change in the tree does not build yet). */
    'skip-build': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`npm run bench -- [options]

The full issue-18 set is the default: every step, pages at 100,000 and 1,000,000 posts, 15 s per
measurement (about an hour the first time, when the communities are seeded and indexed into
data-bench/; later runs reuse them).

  --sizes 100000,1000000   communities for the pages step (each seeded once into data-bench/)
  --seconds 15             seconds of load per page and per static twin, and of posting answers
  --steps import,pages,postgres,lag,search,visibility,sitemap,mail,mail-in,uploads
                           postgres: the thread page and answers posted through the form on
                           PostgreSQL beside SQLite (the first size's community, copied into a
                           PostgreSQL server of its own; needs /usr/lib/postgresql)
  --upload-files 200       200 KB screenshots sent to POST /uploads in the uploads step
  --import-posts 20000     posts in the recombined import dump
  --search-docs 100000     documents in the search step's corpus
  --visibility-docs 100000 documents in the visibility step (search filtered by who may see what,
                           over public, signed-in, 50 group categories and internal articles)
  --sitemap-threads 100000 questions in the sitemap step (seeded once into data-bench/)
  --lag-answers 1000       answers in the write-to-searchable step
  --mail-messages 1000     messages in the mail step and the mail-in step
  --skip-build             use the build/ already there

A quick look while developing: npm run bench -- --steps pages --sizes 100000 --seconds 3`);
  process.exit(0);
}
const sizes = (values.sizes ?? '').split(',').map(Number).filter(Boolean);
const seconds = Number(values.seconds);
const steps = new Set((values.steps ?? '').split(','));
/** Connections of the overload step: the probe that found the unbounded tail used 200. */
const overloadConnections = 200;

type Results = {
  date: string;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; os: string };
  seconds: Record<string, number>;
  seeds: SeedInfo[];
  pages: PageResult[];
  overload: OverloadResult[];
  javascript: ShippedJs[];
  search: SearchBenchResult | null;
  visibility: VisibilityBenchResult | null;
  sitemap: SitemapBenchResult | null;
  lag: LagResult | null;
  mail: MailBenchResult | null;
  mailIn: MailInBenchResult | null;
  uploads: UploadsBenchResult | null;
  postgres: PostgresBenchResult | null;
  imports: ImportBenchResult[];
  goals: GoalRow[];
};

// The goals of issue 18 ("Speed"), checked on every run.
const pageGoals: Record<string, { text: string; met: (page: PageResult) => boolean }> = {
  [anonymousThread]: {
    text: 'ratio ≥ 0.30, p99 ≤ 50 ms',
    met: (page) => page.ratio >= 0.3 && page.load.p99Ms <= 50,
  },
  [memberThread]: { text: 'ratio ≥ 0.15', met: (page) => page.ratio >= 0.15 },
};
const importGoalPostsPerSecond = 2000;
const threadJsGoalKiB = 100;

type GoalRow = { what: string; measured: string; goal: string; met: boolean };

const date = new Date().toISOString();
const results: Results = {
  date,
  machine: {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  },
  seconds: {},
  seeds: [],
  pages: [],
  overload: [],
  javascript: [],
  search: null,
  visibility: null,
  sitemap: null,
  lag: null,
  mail: null,
  mailIn: null,
  uploads: null,
  postgres: null,
  imports: [],
  goals: [],
};
const resultsDir = path.join(root, 'bench/results');
const jsonFile = path.join(resultsDir, `${date.slice(0, 10)}.json`);
const markdownFile = path.join(resultsDir, `${date.slice(0, 10)}.md`);

const log = (message: string) => console.error(`[bench] ${message}`);
const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const thousands = (value: number) => Math.round(value).toLocaleString('en');
const yesNo = (met: boolean) => (met ? 'yes' : '**no**');

/** The issue's table: one row per goal and community, from what this run measured. */
function goalRows(r: Results): GoalRow[] {
  const rows: GoalRow[] = [];
  for (const page of r.pages) {
    const goal = pageGoals[page.page];
    if (!goal) continue;
    rows.push({
      what: `${page.page} (${benchThreadAnswers} answers), ${thousands(page.posts)} posts: req/s over its static twin`,
      measured: `${round(page.load.requestsPerSecond)} / ${round(page.staticFile.requestsPerSecond)} = ${round(page.ratio, 3)} (p50 ${page.load.p50Ms} ms, p99 ${page.load.p99Ms} ms)`,
      goal: goal.text,
      met: goal.met(page),
    });
  }
  const recombined = r.imports.find((result) => result.dump.startsWith('recombined'));
  if (recombined)
    rows.push({
      what: `import, ${recombined.dump} dump`,
      measured: `${thousands(recombined.postsPerSecond)} posts/s, peak RSS ${round(recombined.peakRssMiB)} MiB`,
      goal: `≥ ${thousands(importGoalPostsPerSecond)} posts/s`,
      met: recombined.postsPerSecond >= importGoalPostsPerSecond,
    });
  const threadJs = r.javascript.find((javascript) => javascript.page === 'thread');
  if (threadJs)
    rows.push({
      what: 'JavaScript shipped by the thread page (gzip)',
      measured: `${round(threadJs.gzipBytes / 1024)} KiB`,
      goal: `≤ ${threadJsGoalKiB} KiB`,
      met: threadJs.gzipBytes <= threadJsGoalKiB * 1024,
    });
  if (r.search)
    rows.push({
      what: "app search over Meilisearch's own time (median)",
      measured: String(round(r.search.medianRatio, 2)),
      goal: `≤ ${searchRatioGoal}`,
      met: r.search.medianRatio <= searchRatioGoal,
    });
  if (r.visibility)
    rows.push({
      what: "search filtered by who may see what, over Meilisearch's own time (median)",
      measured: String(round(r.visibility.medianRatio, 2)),
      goal: `≤ ${visibilityRatioGoal}`,
      met: r.visibility.medianRatio <= visibilityRatioGoal,
    });
  if (r.sitemap)
    rows.push({
      what: `sitemap files at ${thousands(r.sitemap.threads)} questions, slowest p95 (ms)`,
      measured: String(round(sitemapSlowestMs(r.sitemap), 1)),
      goal: `< ${sitemapGoalMs}`,
      met: sitemapSlowestMs(r.sitemap) < sitemapGoalMs,
    });
  return rows;
}

async function timed<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  log(`${name}…`);
  try {
    return await run();
  } finally {
    results.seconds[name] = round((Date.now() - started) / 1000);
    log(`${name}: ${results.seconds[name]} s`);
    await save();
  }
}

function markdown(): string {
  const r = results;
  const lines = [
    `# Commons benchmarks, ${r.date.slice(0, 10)}`,
    '',
    `Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, ${r.machine.os}. ` +
      `Whole run ${round((r.seconds.total ?? 0) / 60)} min.`,
    '',
  ];
  if (r.goals.length) {
    lines.push(
      '## Issue 18 goals',
      '',
      '| what | measured | goal | met? |',
      '| --- | --- | --- | --- |',
      ...r.goals.map((g) => `| ${g.what} | ${g.measured} | ${g.goal} | ${yesNo(g.met)} |`),
      '',
      'The import row judges the rate; whether memory stays flat shows on a dump far larger than memory (see the Import section).',
      '',
    );
  }
  if (r.pages.length) {
    lines.push(
      `## Pages against their static twins, ${seconds} s at 10 connections`,
      '',
      'Each page, then a static file of the same bytes served by the same server; ratio is page req/s over static req/s.',
      '',
      '| page | community | HTML KiB | req/s | p50 ms | p99 ms | static req/s | static p50 ms | static p99 ms | ratio | goal | met? |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...r.pages.map((p) => {
        const goal = pageGoals[p.page];
        return `| ${p.page} | ${thousands(p.posts)} posts | ${round(p.htmlBytes / 1024)} | ${round(p.load.requestsPerSecond)} | ${p.load.p50Ms} | ${p.load.p99Ms} | ${round(p.staticFile.requestsPerSecond)} | ${p.staticFile.p50Ms} | ${p.staticFile.p99Ms} | ${round(p.ratio, 3)} | ${goal?.text ?? ''} | ${goal ? yesNo(goal.met(p)) : ''} |`;
      }),
      '',
      '## Server memory (RSS of the Node process) under that load',
      '',
      '| page | community | idle MiB | mean MiB | peak MiB |',
      '| --- | --- | --- | --- | --- |',
      ...r.pages.map(
        (p) =>
          `| ${p.page} | ${thousands(p.posts)} posts | ${round(p.rss.idleMiB)} | ${round(p.rss.meanMiB)} | ${round(p.rss.peakMiB)} |`,
      ),
      '',
    );
  }
  if (r.overload.length) {
    lines.push(
      `## Overload: the thread page, ${overloadConnections} connections, ${seconds} s`,
      '',
      'Requests past MAX_REQUESTS_IN_FLIGHT get 503 with Retry-After at once; latency is of the admitted (2xx) requests.',
      '',
      '| server | admitted | shed (503) | failed or timed out | admitted p50 ms | p99 ms | max ms |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...r.overload.map(
        (o) =>
          `| ${o.label} | ${thousands(o.admitted)} | ${thousands(o.shed)} | ${thousands(o.failed)} | ${round(o.admittedP50Ms)} | ${round(o.admittedP99Ms)} | ${round(o.admittedMaxMs)} |`,
      ),
      '',
    );
  }
  if (r.postgres) {
    const pg = r.postgres;
    const rows = pg.runs.flatMap((run) => [
      ...run.threadPages.map((page) => ({
        what: `${page.page} (req/s)`,
        database: run.database,
        perSecond: page.load.requestsPerSecond,
        p50Ms: page.load.p50Ms,
        p99Ms: page.load.p99Ms,
        errors: '0',
      })),
      {
        what: `answers posted by ${run.writes.clients} writers (answers/s)`,
        database: run.database,
        perSecond: run.writes.answersPerSecond,
        p50Ms: run.writes.p50Ms,
        p99Ms: run.writes.p99Ms,
        errors: `${run.writes.errors} of ${thousands(run.writes.attempts)}`,
      },
    ]);
    // Each measurement's rows together, with PostgreSQL's rate over SQLite's on its row.
    const grouped = [...new Set(rows.map((row) => row.what))].flatMap((what) => {
      const same = rows.filter((row) => row.what === what);
      const sqlite = same.find((row) => row.database === 'SQLite');
      return same.map((row) => ({
        ...row,
        ratio:
          row.database === 'PostgreSQL' && sqlite
            ? String(round(row.perSecond / Math.max(sqlite.perSecond, 1e-9), 2))
            : '',
      }));
    });
    lines.push(
      `## PostgreSQL beside SQLite: ${thousands(pg.posts)} posts, ${seconds} s per measurement`,
      '',
      `The same community on each database, served in turn by the same build in this run: SQLite from a fresh copy of the seeded file, PostgreSQL ${pg.postgresVersion} from a server of the bench's own (run as the tests run it: fsync, synchronous_commit and full_page_writes off), into which the copier of \`npm run db:copy\` copied ${thousands(pg.copy.rows)} rows of ${pg.copy.tables} tables in ${round(pg.copy.seconds)} s; rebuilding its search rows took ${round(pg.copy.searchRowsSeconds)} s more, then VACUUM ANALYZE ${round(pg.copy.vacuumSeconds)} s. ` +
        'The thread page is measured as in the pages step; the writes, on a server started afresh, are signed-in agents, each posting answers to a thread of its own through the web form (multipart POST; a 302 counts, anything else is an error), one after another.',
      '',
      '| what | database | per second | p50 ms | p99 ms | errors | PostgreSQL ÷ SQLite |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...grouped.map(
        (row) =>
          `| ${row.what} | ${row.database} | ${round(row.perSecond)} | ${round(row.p50Ms)} | ${round(row.p99Ms)} | ${row.errors} | ${row.ratio} |`,
      ),
      '',
      ...pg.runs.map(
        (run) =>
          `${run.database}: search answered by ${run.search}; ${run.pendingSearchUpdates ?? 'an unknown number of'} search updates were still queued when the writes stopped.`,
      ),
      '',
    );
  }
  if (r.search) {
    lines.push(
      `## Search: ${thousands(r.search.documents)} documents, ${r.search.queries} queries`,
      '',
      '| endpoint | median ms | p95 ms |',
      '| --- | --- | --- |',
      `| app GET /search/suggest | ${round(r.search.app.medianMs, 2)} | ${round(r.search.app.p95Ms, 2)} |`,
      ...(r.search.page
        ? [
            `| app GET /search (page) | ${round(r.search.page.medianMs, 2)} | ${round(r.search.page.p95Ms, 2)} |`,
          ]
        : []),
      `| Meilisearch POST /multi-search | ${round(r.search.meilisearch.medianMs, 2)} | ${round(r.search.meilisearch.p95Ms, 2)} |`,
      `| ratio (median) | ${round(r.search.medianRatio, 2)} | |`,
      '',
    );
  }
  if (r.visibility) {
    lines.push(
      `## Search filtered by who may see what: ${thousands(r.visibility.documents)} documents, ${r.visibility.groups} groups, ${r.visibility.queries} queries`,
      '',
      `Documents by where they sit: ${Object.entries(r.visibility.spread)
        .map(([place, count]) => `${place} ${thousands(count)}`)
        .join(', ')}.`,
      '',
      visibilityTable(r.visibility),
      '',
    );
  }
  if (r.sitemap) {
    lines.push(
      `## Sitemap: ${thousands(r.sitemap.threads)} questions, ${thousands(r.sitemap.articles)} articles, ${thousands(r.sitemap.tags)} tags`,
      '',
      sitemapTable(r.sitemap),
      '',
    );
  }
  if (r.lag) {
    lines.push(
      `## Write-to-searchable lag: ${thousands(r.lag.answers)} new answers (${r.lag.community})`,
      '',
      '| p50 ms | p95 ms | max ms |',
      '| --- | --- | --- |',
      `| ${round(r.lag.p50Ms)} | ${round(r.lag.p95Ms)} | ${round(r.lag.maxMs)} |`,
      '',
    );
  }
  if (r.mail) {
    lines.push(
      `## Mail: ${thousands(r.mail.messages)} messages through a local SMTP server`,
      '',
      '| queued/s | sent/s | received |',
      '| --- | --- | --- |',
      `| ${round(r.mail.queuedPerSecond)} | ${round(r.mail.sentPerSecond)} | ${thousands(r.mail.received)} |`,
      '',
    );
  }
  if (r.mailIn) {
    const m = r.mailIn;
    lines.push(
      `## Mail in: ${thousands(m.messages)} messages to the SMTP listener, ${m.connections} connections`,
      '',
      'Each message (one in ten with a file) becomes a ticket before the listener answers 250.',
      '',
      '| messages/s | seconds | p50 ms | p99 ms | tickets filed |',
      '| --- | --- | --- | --- | --- |',
      `| ${round(m.messagesPerSecond)} | ${round(m.seconds)} | ${round(m.p50Ms)} | ${round(m.p99Ms)} | ${thousands(m.tickets)} |`,
      '',
    );
  }
  if (r.uploads) {
    const u = r.uploads;
    lines.push(
      `## Uploads: ${u.files} screenshots of ${round(u.meanFileKiB)} KiB through POST /uploads, ${u.concurrency} at a time`,
      '',
      `${round(u.filesPerSecond)} files/s (p50 ${round(u.p50Ms)} ms, p99 ${round(u.p99Ms)} ms per upload). The thread page with 10 of them, ${seconds} s at 10 connections:`,
      '',
      '| page | req/s | p50 ms | p99 ms | static twin req/s | ratio |',
      '| --- | --- | --- | --- | --- | --- |',
      ...u.threadPages.map(
        (p) =>
          `| ${p.page} | ${round(p.load.requestsPerSecond)} | ${p.load.p50Ms} | ${p.load.p99Ms} | ${round(p.staticFile.requestsPerSecond)} | ${round(p.ratio, 3)} |`,
      ),
      '',
    );
  }
  if (r.imports.length) {
    lines.push(
      '## Import',
      '',
      '| dump | MiB | posts | questions | answers | comments | users | seconds | posts/s | peak RSS MiB | seconds of each run |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...r.imports.map(
        (i) =>
          `| ${i.dump} | ${round(i.dumpMiB)} | ${thousands(i.posts)} | ${thousands(i.rows.questions)} | ${thousands(i.rows.answers)} | ${thousands(i.rows.comments)} | ${thousands(i.rows.users)} | ${round(i.seconds)} | ${thousands(i.postsPerSecond)} | ${round(i.peakRssMiB)} | ${i.runSeconds.map((seconds) => round(seconds)).join(', ')} |`,
      ),
      '',
      'Where a dump was imported more than once, each run started from an empty database and the row shows the median run.',
      '',
    );
  }
  if (r.javascript.length) {
    lines.push(
      '## JavaScript shipped (gzip -9)',
      '',
      '| page | files | KiB |',
      '| --- | --- | --- |',
      ...r.javascript.map((j) => `| ${j.page} | ${j.files} | ${round(j.gzipBytes / 1024)} |`),
      '',
    );
  }
  if (r.seeds.length) {
    lines.push(
      '## Communities (npm run bench:seed)',
      '',
      '| posts | questions | answers | comments | users | database MiB | seconds to build | peak RSS MiB | Meilisearch documents | of which seconds indexing | Meilisearch MiB |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...r.seeds.map(
        (s) =>
          `| ${thousands(s.posts)} | ${thousands(s.threads)} | ${thousands(s.answers)} | ${thousands(s.comments)} | ${thousands(s.users)} | ${thousands(s.databaseBytes / 2 ** 20)} | ${round(s.seconds)} | ${thousands(s.peakRssMiB)} | ${s.meilisearch ? thousands(s.meilisearch.documents) : 'none'} | ${s.meilisearch ? round(s.meilisearch.seconds) : ''} | ${s.meilisearch ? thousands(s.meilisearch.diskBytes / 2 ** 20) : ''} |`,
      ),
      '',
      'A community is seeded once and reused by later runs; its row shows what building it took.',
      '',
    );
  }
  lines.push(
    'Step times (s): ' +
      Object.entries(r.seconds)
        .map(([name, value]) => `${name} ${value}`)
        .join(', '),
    '',
  );
  return lines.join('\n');
}

async function save() {
  results.goals = goalRows(results);
  fs.mkdirSync(resultsDir, { recursive: true });
  const options = { ...(await prettier.resolveConfig(jsonFile)) };
  fs.writeFileSync(
    jsonFile,
    await prettier.format(JSON.stringify(results), { ...options, parser: 'json' }),
  );
  fs.writeFileSync(
    markdownFile,
    await prettier.format(markdown(), { ...options, parser: 'markdown' }),
  );
}

function build(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `npm run build failed (${code}):\n${output
                .split('\n')
                .filter((line) => !/^\s*'\//.test(line))
                .join('\n')
                .slice(0, 4000)}`,
            ),
          ),
    );
  });
}

async function main() {
  const started = Date.now();
  let app: { url: string; child: ChildProcess } | null = null;
  const stopOnSignal = () => {
    void Promise.all([stopApp(app), stopPostgresBench()]).then(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    if (!values['skip-build']) await timed('build', build);

    const dumps = path.resolve(root, '../shared/data/stackexchange');
    if (steps.has('import'))
      await timed('import', async () => {
        for (const name of ['cardano-2021', 'conlang-meta-2020']) {
          const dir = path.join(dumps, name);
          if (fs.existsSync(path.join(dir, 'Posts.xml')))
            results.imports.push(await benchImport(dir));
        }
        const pool = readStackExchangeText(dumps);
        if (pool) {
          const posts = Number(values['import-posts']);
          const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-bench-dump-'));
          try {
            await writeRecombinedDump(dir, pool, posts);
            results.imports.push(
              await benchImport(
                dir,
                `recombined ${thousands(posts)} posts`,
                // Recombined text from several sites; the address only labels the records.
                'https://recombined.stackexchange.com',
                3,
              ),
            );
          } finally {
            fs.rmSync(dir, { recursive: true, force: true });
          }
        }
      });

    for (const [index, posts] of steps.has('pages') ? sizes.entries() : []) {
      const dir = path.join(root, 'data-bench', `posts-${posts}`);
      const info = await timed(`seed ${posts}`, () => seed({ posts, dir }, log));
      results.seeds.push(info);
      await timed(`pages ${posts}`, async () => {
        app = await startApp({
          NODE_ENV: 'production',
          PORT: '0',
          DATA_DIR: dir,
          LOG_REQUESTS: 'false',
          // The seeded communities' indexes hold no title vectors (bench/seed.ts says why).
          SEARCH_BY_MEANING: 'off',
        });
        const threadPath = `/questions/${info.benchThread.id}/${info.benchThread.slug}`;
        try {
          for (const target of await pageTargets(app.url, info))
            results.pages.push(await benchPage(app, target, posts, { seconds }));
          if (index === 0) {
            for (const honourRetryAfter of [false, true])
              results.overload.push(
                await benchOverload(
                  `${app.url}${threadPath}`,
                  `${thousands(posts)} posts, bounded (default), clients ${honourRetryAfter ? 'wait as Retry-After asks' : 'retry at once'}`,
                  { seconds, connections: overloadConnections, honourRetryAfter },
                ),
              );
            for (const [page, pagePath] of [
              ['home', '/'],
              ['thread', threadPath],
              ['article', `/kb/${info.article.slug}`],
            ] as const)
              results.javascript.push(await shippedJs(app.url, page, pagePath));
          }
        } finally {
          await stopApp(app);
          app = null;
        }
        if (index !== 0) return;
        // The same load with the bound lifted, to show what the bound buys.
        app = await startApp({
          NODE_ENV: 'production',
          PORT: '0',
          DATA_DIR: dir,
          LOG_REQUESTS: 'false',
          // The seeded communities' indexes hold no title vectors (bench/seed.ts says why).
          SEARCH_BY_MEANING: 'off',
          MAX_REQUESTS_IN_FLIGHT: '100000',
        });
        try {
          results.overload.push(
            await benchOverload(
              `${app.url}${threadPath}`,
              `${thousands(posts)} posts, unbounded, clients retry at once`,
              { seconds, connections: overloadConnections },
            ),
          );
        } finally {
          await stopApp(app);
          app = null;
        }
      });
    }

    const postgresPosts = sizes[0];
    if (steps.has('postgres') && postgresPosts) {
      const dir = path.join(root, 'data-bench', `posts-${postgresPosts}`);
      // Seeded by the pages step already, or now (once: later runs reuse it).
      const info =
        results.seeds.find((seeded) => seeded.posts === postgresPosts) ??
        (await timed(`seed ${postgresPosts}`, () => seed({ posts: postgresPosts, dir }, log)));
      if (!results.seeds.includes(info)) results.seeds.push(info);
      results.postgres = await timed('postgres', () =>
        benchPostgres({ info, seedDir: dir, seconds }, log),
      );
    }
    if (steps.has('lag'))
      results.lag = await timed('write-to-searchable lag', () =>
        benchLag(Number(values['lag-answers']), log),
      );
    if (steps.has('search'))
      results.search = await timed('search', () => runSearchBench(Number(values['search-docs'])));
    if (steps.has('visibility'))
      results.visibility = await timed('visibility', () =>
        runVisibilityBench(Number(values['visibility-docs'])),
      );
    if (steps.has('sitemap'))
      results.sitemap = await timed('sitemap', () =>
        runSitemapBench(Number(values['sitemap-threads'])),
      );
    if (steps.has('mail'))
      results.mail = await timed('mail', () => benchMail(Number(values['mail-messages']), log));
    if (steps.has('mail-in'))
      results.mailIn = await timed('mail in', () =>
        benchMailIn(Number(values['mail-messages']), log),
      );
    if (steps.has('uploads'))
      results.uploads = await timed('uploads', () =>
        benchUploads({ files: Number(values['upload-files']), seconds }, log),
      );
  } finally {
    await stopApp(app);
    results.seconds.total = round((Date.now() - started) / 1000);
    await save();
  }
  console.log(fs.readFileSync(markdownFile, 'utf8'));
  console.log(
    `Written to ${path.relative(root, jsonFile)} and ${path.relative(root, markdownFile)}`,
  );
  const unmet = results.goals.filter((goal) => !goal.met);
  if (unmet.length) {
    console.log(`Issue 18 goals not met: ${unmet.map((goal) => goal.what).join('; ')}.`);
    process.exitCode = 1;
  }
  process.exit(process.exitCode ?? 0);
}

await main();
