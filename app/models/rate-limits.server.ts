import { sql } from 'kysely';
import type { Database } from '#db/client';

/**
 * Fixed-window counters kept in the database, so every app server agrees and a restart forgets
 * nothing (docs/decisions/003 and 012). Each counter is raised by one upsert that returns the new
 * count: requests made in parallel each see their own number, so at most the limit's number of
 * them are let through.
 */
export type Counter = { key: string; limit: number; windowMinutes: number };

export type Claim =
  { allowed: true } | { allowed: false; retryAfterMinutes: number; retryAfterSeconds: number };

/**
 * Counts one more request on every counter, then decides: refused when any counter is over its
 * limit. A refused request is taken back off every counter (it did nothing), so a window ends
 * when it was due to, however hard it is hammered.
 */
export async function claimCounters(
  db: Database,
  counters: Counter[],
  now = new Date(),
): Promise<Claim> {
  const nowIso = now.toISOString();
  return db.transaction().execute(async (trx) => {
    let refusedUntil: number | null = null;
    for (const { key, limit, windowMinutes } of counters) {
      const windowEndsAt = new Date(now.getTime() + windowMinutes * 60_000).toISOString();
      const row = await trx
        .insertInto('rate_limit_counters')
        .values({ key, count: 1, window_ends_at: windowEndsAt })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            count: sql<number>`case when rate_limit_counters.window_ends_at <= ${nowIso} then 1 else rate_limit_counters.count + 1 end`,
            window_ends_at: sql<string>`case when rate_limit_counters.window_ends_at <= ${nowIso} then ${windowEndsAt} else rate_limit_counters.window_ends_at end`,
          }),
        )
        .returning(['count', 'window_ends_at'])
        .executeTakeFirstOrThrow();
      if (row.count > limit) {
        refusedUntil = Math.max(refusedUntil ?? 0, new Date(row.window_ends_at).getTime());
      }
    }
    if (refusedUntil === null) return { allowed: true };
    await uncountKeys(
      trx,
      counters.map((counter) => counter.key),
    );
    const waitMs = refusedUntil - now.getTime();
    return {
      allowed: false,
      retryAfterMinutes: Math.max(1, Math.ceil(waitMs / 60_000)),
      retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1_000)),
    };
  });
}

/** Takes one request back off these counters (it turned out not to count, e.g. a success). */
export async function uncountKeys(db: Database, keys: string[]) {
  await db
    .updateTable('rate_limit_counters')
    .set({ count: sql<number>`count - 1` })
    .where('key', 'in', keys)
    .where('count', '>', 0)
    .execute();
}

/** Starts these counters afresh. */
export async function clearCounters(db: Database, keys: string[]) {
  await db.deleteFrom('rate_limit_counters').where('key', 'in', keys).execute();
}

/** Windows that are over no longer count; keeps the table small. */
export async function forgetEndedWindows(db: Database, now = new Date()) {
  await db
    .deleteFrom('rate_limit_counters')
    .where('window_ends_at', '<=', now.toISOString())
    .execute();
}

/** "1 minute", "15 minutes": for the messages that say when to try again. */
export function minutesText(minutes: number): string {
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
