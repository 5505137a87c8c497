import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { finished } from 'node:stream/promises';
import zlib from 'node:zlib';
import type { Database } from '#db/client';
import { publicOrigin } from '~/utils/public-url.server';
import { acceptsGzip, gzip, xmlGzipOptions, xmlHeaders } from '~/utils/xml-response.server';
import { sitemapFiles, sitemapIndexXml, sitemapUrlBatches, urlsetXml } from './sitemap.server';

const gunzip = promisify(zlib.gunzip);

/**
 * Sitemap files kept built and gzipped in memory, so a crawler reads a file instead of waiting
 * for 50,000 rows to be queried, written out and compressed (issue 24: under 200 ms at 100,000
 * questions). Whether a kept file is still good is told by two page_versions keys (migration
 * 2026_12_21_0900): a file built before the latest `sitemap:removals` is never served, so a
 * hidden, deleted or moved question leaves the sitemap with the next read; a file built before
 * the latest `sitemap` (new questions, new activity) is served for up to `maxLagMs` while
 * `refresh`, run in the background, builds it again. Discourse builds its sitemaps in a job too.
 * Each process keeps its own files, like the page cache.
 */

/** The name the sitemap index is kept under. */
export const sitemapIndexFile = 'sitemap.xml';

/** How long a kept file may trail new content, and how often `refresh` runs. */
export const sitemapRefreshMs = 60_000;

type Versions = { added: number; removals: number };

type Kept = {
  origin: string;
  file: string;
  versions: Versions;
  builtAt: number;
  gzip: Buffer<ArrayBuffer>;
  etag: string;
};

async function versionsOf(db: Database): Promise<Versions> {
  const rows = await db
    .selectFrom('page_versions')
    .select(['page', 'version'])
    .where('page', 'in', ['sitemap', 'sitemap:removals'])
    .execute();
  const version = (key: string) => rows.find((row) => row.page === key)?.version ?? 0;
  return { added: version('sitemap'), removals: version('sitemap:removals') };
}

/**
 * A sitemap file, gzipped, or null when there is no such file. A part is compressed as its
 * batches are read: between batches the thread pool compresses the last one while the next is
 * queried and written out.
 */
async function buildGzip(
  db: Database,
  origin: string,
  file: string,
): Promise<Buffer<ArrayBuffer> | null> {
  if (file === sitemapIndexFile)
    return gzip(sitemapIndexXml(origin, await sitemapFiles(db)), xmlGzipOptions);
  const batches = sitemapUrlBatches(db, file);
  if (!batches) return null;
  const compressor = zlib.createGzip(xmlGzipOptions);
  const chunks: Buffer[] = [];
  compressor.on('data', (chunk: Buffer) => chunks.push(chunk));
  compressor.write(urlsetXml.start);
  let urls = 0;
  try {
    for await (const batch of batches) {
      urls += batch.length;
      if (batch.length) compressor.write(urlsetXml.entries(origin, batch));
      // Lets the compressor take the next batch (a SQLite query never yields on its own).
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    compressor.end(urls ? urlsetXml.end : undefined);
  }
  await finished(compressor);
  return urls ? Buffer.concat(chunks) : null;
}

export function createSitemapStore(db: Database, options: { maxBytes: number; maxLagMs: number }) {
  const kept = new Map<string, Kept>();
  const building = new Map<string, Promise<Kept | null>>();
  let bytes = 0;

  function forget(key: string) {
    const old = kept.get(key);
    if (!old) return;
    kept.delete(key);
    bytes -= old.gzip.length;
  }

  function keep(key: string, file: Kept) {
    forget(key);
    kept.set(key, file);
    bytes += file.gzip.length;
    // A Map iterates in insertion order and a read re-inserts: the first key is the least recent.
    for (const oldest of kept.keys()) {
      if (bytes <= options.maxBytes) break;
      forget(oldest);
    }
  }

  /** Builds a file at these versions; readers who ask meanwhile wait for the same build. */
  function build(origin: string, file: string, versions: Versions) {
    const key = `${origin} ${file}`;
    const flight = `${key} ${versions.added} ${versions.removals}`;
    let pending = building.get(flight);
    if (!pending) {
      // NOTE: the versions are read before the rows: a change committed in between makes the
      // file look older than it is, so it is built again, never served as newer than it is.
      pending = buildGzip(db, origin, file)
        .then((compressed) => {
          if (compressed === null) {
            forget(key);
            return null;
          }
          const built: Kept = {
            origin,
            file,
            versions,
            builtAt: Date.now(),
            gzip: compressed,
            etag: `"${crypto.createHash('sha1').update(compressed).digest('base64url')}"`,
          };
          keep(key, built);
          return built;
        })
        .finally(() => building.delete(flight));
      building.set(flight, pending);
    }
    return pending;
  }

  function servable(file: Kept, versions: Versions): boolean {
    if (file.versions.removals !== versions.removals) return false;
    return file.versions.added === versions.added || Date.now() - file.builtAt < options.maxLagMs;
  }

  return {
    /** A sitemap file for this origin, kept or built now; null when there is no such file. */
    async read(origin: string, file: string): Promise<{ file: Kept; kept: boolean } | null> {
      const versions = await versionsOf(db);
      const key = `${origin} ${file}`;
      const found = kept.get(key);
      if (found && servable(found, versions)) {
        kept.delete(key);
        kept.set(key, found);
        return { file: found, kept: true };
      }
      const built = await build(origin, file, versions);
      return built && { file: built, kept: false };
    },

    /** Builds again every kept file that is behind the database; returns how many it built. */
    async refresh(): Promise<number> {
      const versions = await versionsOf(db);
      const behind = [...kept.values()].filter(
        (file) =>
          file.versions.added !== versions.added || file.versions.removals !== versions.removals,
      );
      for (const file of behind) {
        // One file at a time, letting requests in between: a part takes a few hundred ms.
        await new Promise((resolve) => setImmediate(resolve));
        await build(file.origin, file.file, versions);
      }
      return behind.length;
    },

    stats: () => ({ files: kept.size, bytes }),
  };
}

export type SitemapStore = ReturnType<typeof createSitemapStore>;

// NOTE: the server entry (which runs `refresh`) and the Remix build (whose routes read) are
// separate module graphs; keeping the stores on globalThis gives both the same one, as getDb
// does. One store per database handle: files built from one database never answer for another.
const holder = globalThis as typeof globalThis & {
  __commonsSitemaps?: WeakMap<Database, SitemapStore>;
};

export function sitemapStore(db: Database): SitemapStore {
  holder.__commonsSitemaps ??= new WeakMap();
  let store = holder.__commonsSitemaps.get(db);
  if (!store) {
    store = createSitemapStore(db, { maxBytes: 64 * 1_048_576, maxLagMs: sitemapRefreshMs });
    holder.__commonsSitemaps.set(db, store);
  }
  return store;
}

/** A sitemap file as a response: gzipped as kept when the reader takes gzip, as most do. */
export async function sitemapResponse(
  request: Request,
  db: Database,
  file: string,
): Promise<Response> {
  const found = await sitemapStore(db).read(publicOrigin(request), file);
  if (!found) throw new Response('Not found', { status: 404 });
  const headers = xmlHeaders('application/xml');
  headers.set('ETag', found.file.etag);
  headers.set('Cache-Control', 'no-cache');
  headers.set('X-Sitemap-Cache', found.kept ? 'hit' : 'miss');
  if (request.headers.get('if-none-match') === found.file.etag)
    return new Response(null, { status: 304, headers });
  if (!acceptsGzip(request)) return new Response(await gunzip(found.file.gzip), { headers });
  headers.set('Content-Encoding', 'gzip');
  return new Response(found.file.gzip, { headers });
}

/** Runs the store's refresh every `sitemapRefreshMs` in this process until stopped. */
export function startSitemapRefresh(db: Database, onError: (error: unknown) => void) {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    running ??= sitemapStore(db)
      .refresh()
      .catch(onError)
      .finally(() => {
        running = null;
      });
  }, sitemapRefreshMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
