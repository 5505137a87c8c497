import type { Database } from '#db/client';
import { onOneServer } from '#db/dialect';
import { listen, notify } from '#db/notify';
import type { SearchEntity } from '#db/schema';
import { buildDocuments, type SearchDocument } from './documents';
import { writeFtsDocuments } from './fts';

/**
 * Call inside the transaction that changed a thread or article: refreshes its FTS row and queues
 * it for Meilisearch, so the index can never miss a committed change.
 */
export function touchSearch(db: Database, type: SearchEntity, id: number, now = new Date()) {
  return touchSearchMany(db, type, [id], now);
}

/** touchSearch for many entities at once (an import's threads), their documents built together. */
export async function touchSearchMany(
  db: Database,
  type: SearchEntity,
  ids: number[],
  now = new Date(),
) {
  if (ids.length === 0) return;
  await writeFtsDocuments(db, type, ids, await buildDocuments(db, type, ids));
  const createdAt = now.toISOString();
  await db
    .insertInto('search_outbox')
    .values(ids.map((id) => ({ entity_type: type, entity_id: id, created_at: createdAt })))
    .execute();
  await notify(db, 'search_outbox');
}

/** What the worker needs from a search engine. */
export type IndexTarget = {
  upsert(type: SearchEntity, documents: SearchDocument[]): Promise<void>;
  remove(type: SearchEntity, ids: number[]): Promise<void>;
};

/**
 * Sends one batch: the current public state of each entity queued. Returns how many rows it
 * handled, or null while another server drains. One server drains at a time, so an older state of a page never reaches the index
 * after a newer one another server sent.
 */
export async function drainOnce(
  db: Database,
  target: IndexTarget,
  batchSize = 200,
): Promise<number | null> {
  return onOneServer(db, 'search outbox', () => sendBatch(db, target, batchSize));
}

async function sendBatch(db: Database, target: IndexTarget, batchSize: number): Promise<number> {
  const rows = await db
    .selectFrom('search_outbox')
    .select(['id', 'entity_type', 'entity_id'])
    .orderBy('id')
    .limit(batchSize)
    .execute();
  if (rows.length === 0) return 0;
  const entities = new Map<string, { type: SearchEntity; id: number }>();
  for (const row of rows)
    entities.set(`${row.entity_type}-${row.entity_id}`, {
      type: row.entity_type,
      id: row.entity_id,
    });
  for (const type of ['thread', 'article'] as const) {
    const ids = [...entities.values()]
      .filter((entity) => entity.type === type)
      .map((entity) => entity.id);
    if (ids.length === 0) continue;
    const documents = await buildDocuments(db, type, ids);
    const present = documents.filter((document): document is SearchDocument => document !== null);
    const gone = ids.filter((_, index) => documents[index] === null);
    if (present.length) await target.upsert(type, present);
    if (gone.length) await target.remove(type, gone);
  }
  const lastId = rows.at(-1)?.id ?? 0;
  await db
    .deleteFrom('search_outbox')
    .where('id', '<=', lastId)
    .where(
      'id',
      'in',
      rows.map((row) => row.id),
    )
    .execute();
  return rows.length;
}

export type OutboxWorker = { stop(): Promise<void>; drained(): Promise<void> };

/**
 * Drains the outbox into the search engine as changes arrive; when the engine is down it retries
 * with growing pauses (up to 30 s) and catches up once it is back.
 */
export function startOutboxWorker(
  db: Database,
  target: IndexTarget,
  options: {
    log?: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
    idleMs?: number;
  } = {},
): OutboxWorker {
  let stopped = false;
  let failures = 0;
  let wake: (() => void) | null = null;
  let running: Promise<void> = Promise.resolve();
  const waiters: (() => void)[] = [];
  const unlisten = listen(db, 'search_outbox', () => wake?.());

  function sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });
  }

  async function loop() {
    while (!stopped) {
      let handled: number | null = 0;
      try {
        handled = await drainOnce(db, target);
        if (failures > 0)
          options.log?.('info', 'search index caught up after an outage', { failures });
        failures = 0;
      } catch (error) {
        failures += 1;
        const delay = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
        options.log?.('warn', 'search index update failed; will retry', {
          error: error instanceof Error ? error.message : String(error),
          retryInMs: delay,
        });
        await sleep(delay);
        continue;
      }
      if (handled === 0) while (waiters.length) waiters.shift()?.();
      // Idle, or another server is draining: wait for a change or the next look.
      if (!handled) await sleep(options.idleMs ?? 1000);
    }
  }
  running = loop();

  return {
    async stop() {
      stopped = true;
      unlisten();
      wake?.();
      await running;
    },
    /** Resolves once the outbox has been found empty (for tests and the reindex command). */
    drained() {
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        wake?.();
      });
    },
  };
}
