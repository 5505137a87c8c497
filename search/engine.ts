import type { Meilisearch, MultiSearchResponse } from 'meilisearch';
import type { Database } from '../db/client';
import type { SearchEntity } from '../db/schema';
import { createMeiliClient } from './client';
import type { SearchDocument } from './documents';
import { ftsSearch } from './fts';
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
  const connection = url ? createMeiliClient(url, key) : null;
  const runtime: Runtime = {
    client: connection?.client ?? null,
    close: connection?.close ?? (() => {}),
    prefix: config.MEILI_INDEX_PREFIX,
    local,
    worker: null,
    indexesReady: false,
    downUntil: 0,
    db,
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
  const facetsByIndex = Object.fromEntries(
    types.map((type) => [indexName(prefix, type), facetNames]),
  );
  return {
    federation: { limit: params.limit, offset: params.offset, facetsByIndex, mergeFacets: {} },
    queries: types.map((type) => ({
      indexUid: indexName(prefix, type),
      q: params.q,
      filter,
      matchingStrategy: 'frequency' as const,
      attributesToRetrieve: ['id', 'type', 'title', 'url', 'category', 'answered'],
      attributesToHighlight: ['title', 'body', 'answers'],
      attributesToCrop: ['body', 'answers'],
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
  }));
  return {
    hits,
    total: response.estimatedTotalHits ?? hits.length,
    facets: response.facetDistribution ?? {},
    engine: 'meilisearch',
  };
}

/**
 * One ranked list over articles and threads from Meilisearch; when it cannot be reached, the same
 * search from SQLite FTS5 (the result says which engine answered), trying Meilisearch again soon.
 */
export async function searchContent(db: Database, params: SearchParams): Promise<SearchResults> {
  const runtime = store.__commonsSearch;
  const client = runtime?.client;
  if (runtime && client && Date.now() >= runtime.downUntil) {
    try {
      return await meiliSearch(runtime, client, params);
    } catch {
      runtime.downUntil = Date.now() + retryAfterFailureMs;
    }
  }
  return ftsSearch(db, params);
}
