import { sql } from 'kysely';
import { getDb } from '~/utils/db.server';
import { searchHealth } from '#search/engine';

export async function loader() {
  const started = performance.now();
  let database: { status: 'ok' | 'error'; latencyMs?: number; error?: string };
  try {
    await sql`select 1`.execute(getDb());
    database = { status: 'ok', latencyMs: Math.round((performance.now() - started) * 100) / 100 };
  } catch (error) {
    database = { status: 'error', error: error instanceof Error ? error.message : String(error) };
  }
  const search = await searchHealth().catch(() => ({
    status: 'unavailable' as const,
    pendingUpdates: null,
  }));
  // Search falls back to SQLite FTS5, so an unreachable Meilisearch degrades the site but does not stop it.
  const healthy = database.status === 'ok';
  return Response.json(
    { status: healthy ? (search.status === 'ok' ? 'ok' : 'degraded') : 'error', database, search },
    { status: healthy ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
  );
}
