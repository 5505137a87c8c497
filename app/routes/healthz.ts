import { sql } from 'kysely';
import { getDb } from '~/utils/db.server';

export async function loader() {
  const started = performance.now();
  let database: { status: 'ok' | 'error'; latencyMs?: number; error?: string };
  try {
    await sql`select 1`.execute(getDb());
    database = { status: 'ok', latencyMs: Math.round((performance.now() - started) * 100) / 100 };
  } catch (error) {
    database = { status: 'error', error: error instanceof Error ? error.message : String(error) };
  }
  const healthy = database.status === 'ok';
  return Response.json(
    { status: healthy ? 'ok' : 'error', database },
    { status: healthy ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
  );
}
