import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);
// tsx's loader API as a module (require.resolve would give its CommonJS build).
const tsxApi = pathToFileURL(
  path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
).href;
const workerUrl = new URL('./conversion-worker.ts', import.meta.url).href;

/** A post body (HTML in the dump) or a comment (Markdown already), as the import stores it. */
export type Converted = { markdown: string; html: string } | { error: string };
export type ConversionRequest = { id: number; from: 'html' | 'markdown'; bodies: string[] };
export type ConversionReply = { id: number; converted: Converted[] };

export type Conversions = {
  /** The bodies converted, in order, by whichever worker is free. */
  convert(from: 'html' | 'markdown', bodies: string[]): Promise<Converted[]>;
  close(): Promise<void>;
};

/**
 * Worker threads that turn HTML into Markdown and Markdown into sanitized HTML: the import's
 * heaviest work after SQLite, done on the other cores while the main thread writes the rows.
 */
export function startConversions(
  workers = Math.max(1, Math.min(4, os.availableParallelism() - 1)),
): Conversions {
  let nextId = 0;
  const waiting = new Map<
    number,
    { resolve: (converted: Converted[]) => void; reject: (error: Error) => void }
  >();
  const fail = (error: Error) => {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  // NOTE: the worker is TypeScript: it registers tsx itself before loading it, whether or not the
  // parent runs under tsx (a test runner transforms its own modules, not a thread's), and Node 20
  // does not apply `--import tsx` to a worker's entry module.
  const bootstrap = `import(${JSON.stringify(tsxApi)})
    .then(({ register }) => { register(); return import(${JSON.stringify(workerUrl)}); })`;
  const pool = Array.from({ length: workers }, () => {
    const worker = new Worker(bootstrap, { eval: true });
    worker.on('message', (reply: ConversionReply) => {
      const entry = waiting.get(reply.id);
      if (!entry) return;
      waiting.delete(reply.id);
      entry.resolve(reply.converted);
    });
    worker.on('error', fail);
    return { worker, busy: 0 };
  });
  return {
    convert(from, bodies) {
      if (bodies.length === 0) return Promise.resolve([]);
      const id = nextId++;
      // The least busy worker: batches are of similar size, so this spreads them evenly.
      const target = pool.reduce((best, entry) => (entry.busy < best.busy ? entry : best));
      target.busy += 1;
      return new Promise<Converted[]>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        target.worker.postMessage({ id, from, bodies } satisfies ConversionRequest);
      }).finally(() => {
        target.busy -= 1;
      });
    },
    async close() {
      fail(new Error('the conversions were stopped'));
      await Promise.all(pool.map(({ worker }) => worker.terminate()));
    },
  };
}
