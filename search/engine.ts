import type { Meilisearch, MultiSearchResponse } from 'meilisearch';
import type { Database } from '#db/client';
import { onOneServer } from '#db/dialect';
import type { SearchEntity } from '#db/schema';
import { createMeiliClient, defaultMeiliTimeouts } from './client';
import type { SearchAudience } from './audience';
import type { SearchDocument } from './documents';
import {
  embedQuery,
  embedderName,
  meaningIsOn,
  nonsenseSimilarity,
  searchByMeaning,
  withVectors,
} from './embeddings';
import { ftsHits, ftsRanking, ftsSearch, meaningfulWords, plainHits } from './fts';
import { startLocalMeilisearch, type LocalMeilisearch } from './local-server';
import { startOutboxWorker, type IndexTarget, type OutboxWorker } from './outbox';
import { rankByWordsAndMeaning, type Similarities } from './ranking';
import { ensureIndexes, indexName, parseSynonyms } from './settings';
import {
  highlightEnd,
  highlightStart,
  type FacetCounts,
  type SearchHit,
  type SearchParams,
  type SearchResults,
  unmarkStopWords,
} from './types';

type Log = (
  level: 'info' | 'warn' | 'error',
  message: string,
  fields?: Record<string, unknown>,
) => void;

type Runtime = {
  client: Meilisearch | null;
  close: () => void;
  prefix: string;
  local: LocalMeilisearch | null;
  worker: OutboxWorker | null;
  indexesReady: boolean;
  /** Both indexes hold title vectors, so searches can rank by meaning. */
  vectorsReady: boolean;
  /** Sending every document again with its vector, after an upgrade from indexes without. */
  backfill: Promise<void> | null;
  /** While in the future, searches skip Meilisearch (it just failed) and use FTS5. */
  downUntil: number;
  db: Database;
  log: Log;
};

// NOTE: the server entry and the Remix build are separate module graphs; the running engine is
// kept on globalThis so both use the same one (as with the database handle).
const store = globalThis as typeof globalThis & { __commonsSearch?: Runtime };

const retryAfterFailureMs = 5_000;

export type SearchConfig = {
  DATA_DIR: string;
  MEILI_URL?: string;
  MEILI_MASTER_KEY?: string;
  MEILI_INDEX_PREFIX: string;
  MEILI_HEALTH_TIMEOUT_MS?: number;
  MEILI_SEARCH_TIMEOUT_MS?: number;
  SEARCH_BY_MEANING?: 'on' | 'off';
};

export async function synonymsSetting(db: Database): Promise<string> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', 'search.synonyms')
    .executeTakeFirst();
  return row?.value ?? '';
}

function indexTarget(runtime: Runtime): IndexTarget {
  async function ready(client: Meilisearch) {
    if (!runtime.indexesReady) {
      runtime.vectorsReady = await ensureIndexes(
        client,
        runtime.prefix,
        parseSynonyms(await synonymsSetting(runtime.db)),
      );
      runtime.indexesReady = true;
    }
  }
  return {
    async upsert(type: SearchEntity, documents: SearchDocument[]) {
      const client = runtime.client;
      if (!client) return;
      await ready(client);
      await client
        .index(indexName(runtime.prefix, type))
        .addDocuments(await withVectors(documents));
    },
    async remove(type: SearchEntity, ids: number[]) {
      const client = runtime.client;
      if (!client) return;
      await ready(client);
      await client.index(indexName(runtime.prefix, type)).deleteDocuments(ids);
    },
  };
}

/**
 * Connects to MEILI_URL, or starts the bundled Meilisearch in DATA_DIR, and starts the worker that
 * drains the outbox into it. Without any Meilisearch, search runs on SQLite FTS5 alone.
 */
export async function startSearch(db: Database, config: SearchConfig, log: Log = () => {}) {
  searchByMeaning(config.SEARCH_BY_MEANING !== 'off');
  const local = config.MEILI_URL ? null : await startLocalMeilisearch(config.DATA_DIR, log);
  const url = config.MEILI_URL ?? local?.url;
  const key = config.MEILI_URL ? (config.MEILI_MASTER_KEY ?? '') : (local?.masterKey ?? '');
  const timeouts = {
    ...defaultMeiliTimeouts,
    ...(config.MEILI_HEALTH_TIMEOUT_MS ? { healthMs: config.MEILI_HEALTH_TIMEOUT_MS } : {}),
    ...(config.MEILI_SEARCH_TIMEOUT_MS ? { searchMs: config.MEILI_SEARCH_TIMEOUT_MS } : {}),
  };
  const connection = url ? createMeiliClient(url, key, timeouts) : null;
  const runtime: Runtime = {
    client: connection?.client ?? null,
    close: connection?.close ?? (() => {}),
    prefix: config.MEILI_INDEX_PREFIX,
    local,
    worker: null,
    indexesReady: false,
    vectorsReady: false,
    backfill: null,
    downUntil: 0,
    db,
    log,
  };
  if (runtime.client) {
    let lacksAudience = false;
    try {
      runtime.vectorsReady = await ensureIndexes(
        runtime.client,
        runtime.prefix,
        parseSynonyms(await synonymsSetting(db)),
      );
      runtime.indexesReady = true;
      lacksAudience = await documentsLackAudience(runtime.client, runtime.prefix);
    } catch (error) {
      log('warn', 'Meilisearch is not reachable yet; searching with SQLite FTS5 until it is', {
        error: String(error),
      });
    }
    runtime.worker = startOutboxWorker(db, indexTarget(runtime), { log });
    if (runtime.indexesReady && (lacksAudience || (!runtime.vectorsReady && meaningIsOn())))
      runtime.backfill = rebuildIndexes(runtime);
  }
  store.__commonsSearch = runtime;
  if (!runtime.backfill) void fillFallbackAudience(runtime);
  return runtime;
}

/**
 * Documents from before audience keys: a search shows them to staff alone (its filter needs the
 * keys), so after an upgrade they are all sent again.
 */
async function documentsLackAudience(client: Meilisearch, prefix: string): Promise<boolean> {
  for (const type of ['thread', 'article'] as const) {
    const result = await client
      .index(indexName(prefix, type))
      .search('', { filter: 'audience NOT EXISTS', limit: 0 });
    if ((result.estimatedTotalHits ?? 0) > 0) return true;
  }
  return false;
}

/** Fallback rows from before audience keys get them (reindexAll writes them all otherwise). */
async function fillFallbackAudience(runtime: Runtime) {
  try {
    const written = await onOneServer(runtime.db, 'search audience', async () => {
      const { addFallbackAudience } = await import('./reindex');
      return addFallbackAudience(runtime.db);
    });
    if (written)
      runtime.log('info', 'Search fallback rows now carry who may see them', { written });
  } catch (error) {
    runtime.log('warn', 'Adding audience keys to the search fallback failed', {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/**
 * Indexes from before title vectors cannot take the embedder while their documents lack them, and
 * documents from before audience keys are shown to staff alone: one server rebuilds them
 * (reindexAll swaps complete copies in, so search keeps answering meanwhile); the others look
 * again each minute until the indexes are whole.
 */
async function rebuildIndexes(runtime: Runtime) {
  const client = runtime.client;
  if (!client) return;
  const { reindexAll } = await import('./reindex');
  runtime.log('info', 'Rebuilding the search indexes (every document is sent again)');
  let whole = false;
  while (!whole && store.__commonsSearch === runtime) {
    try {
      await onOneServer(runtime.db, 'search vectors', () =>
        reindexAll(runtime.db, client, runtime.prefix),
      );
      runtime.vectorsReady = await ensureIndexes(
        client,
        runtime.prefix,
        parseSynonyms(await synonymsSetting(runtime.db)),
      );
      whole =
        (runtime.vectorsReady || !meaningIsOn()) &&
        !(await documentsLackAudience(client, runtime.prefix));
    } catch (error) {
      runtime.log('warn', 'Rebuilding the search indexes failed; trying again in a minute', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
    if (!whole) await new Promise((resolve) => setTimeout(resolve, 60_000).unref());
  }
  if (runtime.vectorsReady) runtime.log('info', 'Search ranks by meaning as well as words');
}

export async function stopSearch() {
  const runtime = store.__commonsSearch;
  store.__commonsSearch = undefined;
  if (!runtime) return;
  await runtime.worker?.stop();
  runtime.close();
  await runtime.local?.stop();
}

export function searchRuntime() {
  return store.__commonsSearch;
}

/** Pushes the admin's synonyms to both indexes (the FTS5 fallback does not use them). */
export async function applySynonyms(db: Database, text: string, now = new Date()) {
  await db
    .insertInto('settings')
    .values({ key: 'search.synonyms', value: text, updated_at: now.toISOString() })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ value: text, updated_at: now.toISOString() }),
    )
    .execute();
  const client = store.__commonsSearch?.client;
  if (!client) return;
  const prefix = store.__commonsSearch?.prefix ?? '';
  for (const type of ['thread', 'article'] as const) {
    await client.index(indexName(prefix, type)).updateSynonyms(parseSynonyms(text)).waitTask();
  }
}

export async function searchHealth(): Promise<{
  status: 'ok' | 'unavailable' | 'fts-only';
  pendingUpdates: number;
}> {
  const runtime = store.__commonsSearch;
  if (!runtime) return { status: 'fts-only', pendingUpdates: 0 };
  const pending = await runtime.db
    .selectFrom('search_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (!runtime.client) return { status: 'fts-only', pendingUpdates: Number(pending.n) };
  const healthy = await runtime.client.health().then(
    () => true,
    () => false,
  );
  return { status: healthy ? 'ok' : 'unavailable', pendingUpdates: Number(pending.n) };
}

const facetNames = ['type', 'category_slug', 'tags', 'journey_stage', 'answered'];

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Who may see a document, as Meilisearch filters: one of its own keys and one of its category's.
 * A document without the keys (sent before they existed) matches neither: staff alone see it.
 */
export function audienceFilter(audience: SearchAudience): string[] {
  if (audience === 'all') return [];
  const keys = `[${audience.map(quote).join(', ')}]`;
  return [`audience IN ${keys}`, `category_audience IN ${keys}`];
}

function filterOf(params: SearchParams): string[] {
  const filters: string[] = audienceFilter(params.audience);
  if (params.category) filters.push(`category_slug = ${quote(params.category)}`);
  if (params.tag) filters.push(`tags = ${quote(params.tag)}`);
  if (params.journeyStage) filters.push(`journey_stage = ${quote(params.journeyStage)}`);
  if (params.answered !== undefined) filters.push(`answered = ${params.answered}`);
  return filters;
}

type Formatted = { title?: string; body?: string; answers?: string };

const highlighted = new RegExp(`${highlightStart}([^${highlightEnd}]+)${highlightEnd}`, 'g');

/** The words Meilisearch marked as matching the query, in whatever spelling the document uses. */
function matchedWords(formatted: Formatted | undefined): string[] {
  const text = unmarkStopWords([formatted?.title, formatted?.body, formatted?.answers].join(' '));
  return [
    ...new Set([...text.matchAll(highlighted)].map((match) => (match[1] ?? '').toLowerCase())),
  ];
}

function snippetOf(formatted: Formatted | undefined): string {
  const body = formatted?.body ?? '';
  const answers = formatted?.answers ?? '';
  if (!body.includes(highlightStart) && answers.includes(highlightStart)) return answers;
  return body;
}

/** The federated multi-search request for one search (also what the benchmark sends directly). */
export function federatedQuery(prefix: string, params: SearchParams) {
  const types: SearchEntity[] = params.type ? [params.type] : ['article', 'thread'];
  const filter = filterOf(params);
  const facetsByIndex =
    params.facets === false
      ? null
      : Object.fromEntries(types.map((type) => [indexName(prefix, type), facetNames]));
  return {
    federation: {
      limit: params.limit,
      offset: params.offset,
      ...(facetsByIndex ? { facetsByIndex, mergeFacets: {} } : {}),
    },
    queries: types.map((type) => ({
      indexUid: indexName(prefix, type),
      // Lowercase: Meilisearch's stop words are case-sensitive, so "How do I" would keep its "I".
      q: params.q.toLowerCase(),
      filter,
      matchingStrategy: 'frequency' as const,
      attributesToRetrieve: ['id', 'type', 'title', 'url', 'category', 'answered'],
      attributesToHighlight: ['title', 'body'],
      attributesToCrop: ['body'],
      cropLength: 30,
      highlightPreTag: highlightStart,
      highlightPostTag: highlightEnd,
    })),
  };
}

async function meiliSearch(
  runtime: Runtime,
  client: Meilisearch,
  params: SearchParams,
): Promise<SearchResults> {
  // NOTE: the client's types do not describe federated responses; this is their shape.
  const response = (await client.multiSearch(
    federatedQuery(runtime.prefix, params),
  )) as unknown as MultiSearchResponse & {
    hits: (Omit<SearchDocument, 'version'> & { _formatted?: Formatted })[];
    estimatedTotalHits?: number;
    facetDistribution?: FacetCounts;
  };
  const hits: SearchHit[] = response.hits.map((hit) => ({
    key: `${hit.type}-${hit.id}`,
    type: hit.type,
    id: hit.id,
    title: unmarkStopWords(hit._formatted?.title ?? hit.title),
    snippet: unmarkStopWords(snippetOf(hit._formatted)),
    url: hit.url,
    category: hit.category,
    answered: hit.answered,
    matched: matchedWords(hit._formatted),
  }));
  return {
    hits,
    total: response.estimatedTotalHits ?? hits.length,
    facets: response.facetDistribution ?? {},
    engine: 'meilisearch',
  };
}

export type SearchMode = 'fused' | 'meilisearch' | 'fts';

/** Up to this many meaningful words, text typed into a search box is still keywords. */
const keywordQueryWords = 3;

/**
 * Suggestions as a person types: keywords go to Meilisearch alone, which stays fast at any size
 * (FTS5's bm25 over 100,000 pages takes 20–50 ms); whole questions are ranked as the search page
 * ranks them. The search page ranks every query with fusedSearch.
 */
export function typeAheadMode(q: string): SearchMode {
  return meaningfulWords(q).length <= keywordQueryWords ? 'meilisearch' : 'fused';
}

/**
 * The titles nearest in meaning to the query: key → cosine similarity (−1 to 1). With `among`,
 * the similarity of exactly those pages (the ones their words found), whatever their distance.
 */
async function nearestByMeaning(
  runtime: Runtime,
  client: Meilisearch,
  params: SearchParams,
  vector: number[],
  limit: number,
  among?: string[],
): Promise<Similarities> {
  const idsOf = (type: SearchEntity) =>
    (among ?? [])
      .filter((key) => key.startsWith(`${type}-`))
      .map((key) => Number(key.slice(type.length + 1)));
  const types = (params.type ? [params.type] : (['article', 'thread'] as SearchEntity[])).filter(
    (type) => !among || idsOf(type).length > 0,
  );
  if (types.length === 0) return new Map();
  // NOTE: one query per index, merged here: a federated vector search over both took twice as
  // long at 100,000 documents (bench/search.ts). The client's types do not describe vector queries.
  const response = (await client.multiSearch({
    queries: types.map((type) => ({
      indexUid: indexName(runtime.prefix, type),
      vector,
      limit: among ? idsOf(type).length : limit,
      hybrid: { embedder: embedderName, semanticRatio: 1 },
      filter: [...filterOf(params), ...(among ? [`id IN [${idsOf(type).join(', ')}]`] : [])],
      showRankingScore: true,
      attributesToRetrieve: ['id', 'type', 'title'],
    })),
  } as never)) as unknown as {
    results: {
      hits: { id: number; type: SearchEntity; title: string; _rankingScore?: number }[];
    }[];
  };
  const hits = response.results
    .flatMap((result) => result.hits)
    .sort((a, b) => (b._rankingScore ?? 0) - (a._rankingScore ?? 0))
    .slice(0, among ? undefined : limit);
  // Meilisearch scores a vector match (1 + cosine) / 2.
  return new Map(
    hits.map((hit) => [
      `${hit.type}-${hit.id}`,
      { similarity: 2 * (hit._rankingScore ?? 0.5) - 1, title: hit.title },
    ]),
  );
}

/**
 * Words and meaning together: FTS5's bm25 over every meaningful word (with the spellings
 * Meilisearch matched for mistyped ones), and the titles nearest in meaning by sentence vector
 * ("go grocery shopping" → "food packaging"), ranked by search/ranking.ts. Facets and
 * highlighting come from Meilisearch. Measured with `npm run bench:relevance`.
 */
async function fusedSearch(
  runtime: Runtime,
  client: Meilisearch,
  db: Database,
  params: SearchParams,
): Promise<SearchResults> {
  const depth = Math.max(50, params.offset + params.limit);
  const keywords = meiliSearch(runtime, client, {
    ...params,
    offset: 0,
    limit: Math.max(10, params.offset + params.limit),
  });
  // NOTE: handled at once, or a failure while the query is embedded would be an unhandled rejection.
  keywords.catch(() => {});
  const vector = runtime.vectorsReady ? await embedQuery(params.q) : null;
  const meaning = (among?: string[]) =>
    vector
      ? nearestByMeaning(runtime, client, params, vector, depth, among).catch((error: unknown) => {
          runtime.log('warn', 'Search by meaning failed; ranking by words alone', {
            error: error instanceof Error ? error.message : String(error),
          });
          return new Map() as Similarities;
        })
      : Promise.resolve(new Map() as Similarities);
  const nearest = meaning();
  // Meilisearch has answered by now, most often (it searched while the query was encoded): FTS5
  // runs once, with the spellings it matched.
  const meili = await keywords;
  const typed = new Set(params.q.toLowerCase().split(/[^\p{L}\p{N}]+/u));
  const corrections = [
    ...new Set(meili.hits.slice(0, 5).flatMap((hit) => hit.matched ?? [])),
  ].filter((word) => !typed.has(word));
  const lexical = await ftsRanking(db, {
    ...params,
    offset: 0,
    limit: depth,
    extraTerms: corrections,
  });
  // The nearest titles may not include what the words found: those are measured one by one.
  const [near, found] = await Promise.all([
    nearest,
    meaning(lexical.map((document) => document.key)),
  ]);
  for (const [key, hit] of found) near.set(key, hit);
  // Every text has a nearest title: when no word is found anywhere ("zzzqqq"), few are results.
  const wordsFound = lexical.length > 0 || meili.hits.length > 0;
  const ranked = rankByWordsAndMeaning(params.q, lexical, near, {
    wordsFound,
    nonsenseSimilarity: vector && !wordsFound ? await nonsenseSimilarity(vector) : undefined,
  });
  const rankedKeys = new Set(ranked);
  const page = [
    ...ranked,
    ...meili.hits.map((hit) => hit.key).filter((key) => !rankedKeys.has(key)),
  ].slice(params.offset, params.offset + params.limit);
  // Meilisearch's hits carry highlighting that covers typos; the others come from FTS5.
  const fromMeili = new Map(meili.hits.map((hit) => [hit.key, hit]));
  const missing = page.filter((key) => !fromMeili.has(key));
  const fromFts = new Map(
    (await ftsHits(db, { ...params, extraTerms: corrections }, missing)).map((hit) => [
      hit.key,
      hit,
    ]),
  );
  // Pages found by meaning alone share no word with the query: shown without highlights.
  const plain = new Map(
    (
      await plainHits(
        db,
        params.audience,
        missing.filter((key) => !fromFts.has(key)),
      )
    ).map((hit) => [hit.key, hit]),
  );
  const hits = page.flatMap((key) => {
    const hit = fromMeili.get(key) ?? fromFts.get(key) ?? plain.get(key);
    return hit ? [hit] : [];
  });
  // Pages found by their words are counted, as the facets count them; the nearest titles are
  // always fifty, whatever the query, so they only count once shown.
  const total = Math.max(meili.total, lexical.length, params.offset + hits.length);
  return { ...meili, total, hits };
}

/**
 * One ranked list over articles and threads (see fusedSearch); when Meilisearch cannot be
 * reached, FTS5 alone (the result says which engine answered), trying Meilisearch again soon.
 */
export async function searchContent(
  db: Database,
  params: SearchParams,
  mode: SearchMode = 'fused',
): Promise<SearchResults> {
  const runtime = store.__commonsSearch;
  const client = runtime?.client;
  if (mode !== 'fts' && runtime && client && Date.now() >= runtime.downUntil) {
    try {
      return mode === 'fused'
        ? await fusedSearch(runtime, client, db, params)
        : await meiliSearch(runtime, client, params);
    } catch (error) {
      runtime.downUntil = Date.now() + retryAfterFailureMs;
      runtime.log('warn', 'Meilisearch search failed; searching with SQLite FTS5 for a moment', {
        error: error instanceof Error ? error.message : String(error),
        retryInMs: retryAfterFailureMs,
      });
    }
  }
  return ftsSearch(db, params);
}
