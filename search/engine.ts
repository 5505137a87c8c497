import type { Meilisearch, MultiSearchResponse } from 'meilisearch';
import type { Database } from '#db/client';
import type { SearchEntity } from '#db/schema';
import { createMeiliClient, defaultMeiliTimeouts } from './client';
import type { SearchDocument } from './documents';
import { ftsHits, ftsRanking, ftsSearch, meaningfulWords } from './fts';
import { startLocalMeilisearch, type LocalMeilisearch } from './local-server';
import { startOutboxWorker, type IndexTarget, type OutboxWorker } from './outbox';
import { ensureIndexes, indexName, parseSynonyms } from './settings';
import {
  highlightEnd,
  highlightStart,
  type FacetCounts,
  type SearchHit,
  type SearchParams,
  type SearchResults,
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
      await ensureIndexes(client, runtime.prefix, parseSynonyms(await synonymsSetting(runtime.db)));
      runtime.indexesReady = true;
    }
  }
  return {
    async upsert(type: SearchEntity, documents: SearchDocument[]) {
      const client = runtime.client;
      if (!client) return;
      await ready(client);
      await client.index(indexName(runtime.prefix, type)).addDocuments(documents);
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
    downUntil: 0,
    db,
    log,
  };
  if (runtime.client) {
    try {
      await ensureIndexes(runtime.client, runtime.prefix, parseSynonyms(await synonymsSetting(db)));
      runtime.indexesReady = true;
    } catch (error) {
      log('warn', 'Meilisearch is not reachable yet; searching with SQLite FTS5 until it is', {
        error: String(error),
      });
    }
    runtime.worker = startOutboxWorker(db, indexTarget(runtime), { log });
  }
  store.__commonsSearch = runtime;
  return runtime;
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

function filterOf(params: SearchParams): string[] {
  const filters: string[] = [];
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
  const text = [formatted?.title, formatted?.body, formatted?.answers].join(' ');
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
      q: params.q,
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
    title: hit._formatted?.title ?? hit.title,
    snippet: snippetOf(hit._formatted),
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

/** Up to this many meaningful words a query is keywords; more, and it is a question in words. */
const keywordQueryWords = 3;

/**
 * Keywords ("stripe payout fees") are what Meilisearch ranks well, fast at any size; questions
 * asked in plain words rank best with FTS5's bm25 leading (fusedSearch).
 */
export function queryMode(q: string): SearchMode {
  return meaningfulWords(q).length <= keywordQueryWords ? 'meilisearch' : 'fused';
}

/**
 * Question-shaped queries rank best with bm25 over every meaningful word (FTS5: recall@10 0.98
 * on the development set, against 0.66 for Meilisearch), but only Meilisearch matches mistyped
 * words. So both run at once; the spellings Meilisearch matched join the FTS5 query (a second,
 * quick FTS5 pass), FTS5's order leads, and what only Meilisearch found follows. Facets and
 * highlighting come from Meilisearch. Measured with `npm run bench:relevance`.
 */
async function fusedSearch(
  runtime: Runtime,
  client: Meilisearch,
  db: Database,
  params: SearchParams,
): Promise<SearchResults> {
  const depth = Math.max(50, params.offset + params.limit);
  // FTS5 starts at once with the words as typed; it runs again only if Meilisearch matched new spellings.
  const [meili, asTyped] = await Promise.all([
    meiliSearch(runtime, client, {
      ...params,
      offset: 0,
      limit: Math.max(10, params.offset + params.limit),
    }),
    ftsRanking(db, { ...params, offset: 0, limit: depth }),
  ]);
  const typed = new Set(params.q.toLowerCase().split(/[^\p{L}\p{N}]+/u));
  const corrections = [
    ...new Set(meili.hits.slice(0, 5).flatMap((hit) => hit.matched ?? [])),
  ].filter((word) => !typed.has(word));
  const ranked = corrections.length
    ? await ftsRanking(db, { ...params, offset: 0, limit: depth, extraTerms: corrections })
    : asTyped;
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
  const hits = page.flatMap((key) => {
    const hit = fromMeili.get(key) ?? fromFts.get(key);
    return hit ? [hit] : [];
  });
  return { ...meili, total: Math.max(meili.total, ranked.length), hits };
}

/**
 * One ranked list over articles and threads (see fusedSearch); when Meilisearch cannot be
 * reached, FTS5 alone (the result says which engine answered), trying Meilisearch again soon.
 */
export async function searchContent(
  db: Database,
  params: SearchParams,
  mode: SearchMode = queryMode(params.q),
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
